"""Shared fixtures: a generated sample inbox and one real pipeline run over it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import duckdb
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
    return warehouse, out, _run_pipeline(sample_inbox, warehouse, out)


def _run_pipeline(inbox: Path, warehouse: Path, out: Path):
    """`zhicheng run` with the run's own Dagster home beside its warehouse."""
    home = {"DAGSTER_HOME": str(warehouse.parent / "dagster_home")}
    return run_zhicheng("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--out", str(out), env=home)


def pipeline_counts(warehouse: Path) -> dict[str, int]:
    """The row count of every raw table of a form, the quarantine, the load audit and every contract mart."""
    from dagster_project.contract import CONTRACT_MARTS
    from dagster_project.forms import FORMS

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [("raw", f.table) for f in FORMS.values()] + [("raw", "quarantine"), ("raw", "load_audit")]
        tables += [("marts", m) for m in CONTRACT_MARTS]
        return {f"{s}.{t}": con.execute(f"select count(*) from {s}.{t}").fetchone()[0] for s, t in tables}
    finally:
        con.close()


def report_mtimes(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in sorted((out / "report").rglob("*.pdf"))}


@pytest.fixture(scope="session")
def pipeline_rerun(pipeline_run, sample_inbox) -> SimpleNamespace:
    """A second plain `zhicheng run` over the session's inbox, warehouse and output (nothing changed), run once for
    every test that asserts on it: its completed process (`result`), and the row counts and report PDF mtimes just
    before and just after it (later tests, `run --force`, may change the outputs)."""
    warehouse, out, _ = pipeline_run
    counts_before, mtimes_before = pipeline_counts(warehouse), report_mtimes(out)
    result = _run_pipeline(sample_inbox, warehouse, out)
    return SimpleNamespace(
        result=result,
        counts_before=counts_before,
        counts_after=pipeline_counts(warehouse),
        mtimes_before=mtimes_before,
        mtimes_after=report_mtimes(out),
    )
