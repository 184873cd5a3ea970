"""Shared fixtures: a generated sample inbox and one real pipeline run over it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ZHICHENG = str(Path(sys.executable).parent / "zhicheng")

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("ZHICHENG_PII_KEY", "test-key-not-secret")


def run_zhicheng(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [ZHICHENG, *args], cwd=PROJECT_ROOT, env=full_env, capture_output=True, text=True, timeout=1200
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"zhicheng {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="session")
def sample_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    run_zhicheng("sample", "--out", str(inbox), "--seed", "7", "--applications", "200")
    return inbox


@pytest.fixture(scope="session")
def pipeline_run(sample_inbox, tmp_path_factory):
    """One `zhicheng run` over the sample inbox; returns (warehouse, out, completed process)."""
    work = tmp_path_factory.mktemp("run")
    warehouse, out = work / "warehouse.duckdb", work / "output"
    result = run_zhicheng(
        "run",
        "--inbox",
        str(sample_inbox),
        "--warehouse",
        str(warehouse),
        "--out",
        str(out),
        env={"DAGSTER_HOME": str(work / "dagster_home")},
    )
    return warehouse, out, result
