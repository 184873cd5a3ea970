"""Shared helpers of the fuzz and fault suite: runs of the real `zhicheng run`, and the marts they leave."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, ZHICHENG, run_zhicheng


def start_run(
    inbox: Path, work: Path, *extra: str, stdout=subprocess.PIPE, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """`zhicheng run` on `inbox` with the warehouse, output and Dagster home in `work`, not waited for
    (output to `stdout`, the environment with `env` added)."""
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home"), "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen(
        [
            ZHICHENG,
            "run",
            "--inbox",
            str(inbox),
            "--warehouse",
            str(work / "warehouse.duckdb"),
            "--out",
            str(work / "output"),
            *extra,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        text=True,
    )


# What the report marts count of the load audit itself (files, sheets, rows read): with extra files in the inbox
# these counts grow by design, so a comparison that leaves those files out leaves these columns out too.
LOAD_AUDIT_COUNTS = {
    "report_data_quality": None,  # the whole mart: one row per year x sender of files
    "report_overview": {
        "files",
        "sheets",
        "sheets_unrecognised",
        "senders",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "sheets_superseded",
    },
}


def mart_rows(warehouse: Path, exclude_files: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every row of every marts table, sorted; with `exclude_files`, load_audit without their rows and
    the report marts without their counts of the load audit (LOAD_AUDIT_COUNTS)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        rows = {}
        for table in tables:
            counts = LOAD_AUDIT_COUNTS.get(table, set()) if exclude_files else set()
            if counts is None:
                continue
            cursor = con.execute(f'select * from marts."{table}"')
            keep = [i for i, column in enumerate(cursor.description) if column[0] not in counts]
            data = [tuple(row[i] for i in keep) for row in cursor.fetchall()]
            if table == "load_audit":
                data = [r for r in data if r[0] not in exclude_files]
            rows[table] = sorted(data, key=repr)
        return rows
    finally:
        con.close()


@pytest.fixture(scope="session")
def small_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("small_inbox")
    run_zhicheng("sample", "--out", str(inbox), "--seed", "2022", "--applications", "60")
    return inbox


@pytest.fixture(scope="session")
def small_clean_run(small_inbox, tmp_path_factory) -> Path:
    """The warehouse of one uninterrupted run over the small inbox."""
    work = tmp_path_factory.mktemp("small_clean")
    process = start_run(small_inbox, work)
    output, _ = process.communicate(timeout=1800)
    assert process.returncode == 0, output[-3000:]
    return work / "warehouse.duckdb"
