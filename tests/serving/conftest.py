"""Fixtures of the serving tests: a small realistic warehouse and its published snapshot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fixture_warehouse import make_warehouse  # noqa: E402

from dagster_project.publish.snapshot import build_snapshot_from_file  # noqa: E402


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("fixture_wh") / "warehouse.duckdb", seed=3, applications=250)


@pytest.fixture(scope="session")
def fixture_snapshot(fixture_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fixture_out")
    return build_snapshot_from_file(fixture_warehouse, out).path
