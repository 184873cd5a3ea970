"""The inputs of a run as one fingerprint, recorded in the warehouse (schema ``meta``).

A run whose inputs equal those of the last complete run has nothing to redo: the dbt step
then builds nothing, and everything downstream of it (quality checks, documents, snapshot)
is skipped by Dagster, so the previous outputs stay valid. The inputs are what the models,
checks and documents are computed from:

- what ingestion left in the warehouse (every row of every raw table, and the workday calendar);
- the reference data (every CSV of the seeds folder in use);
- the program that turns them into results (program.py: dbt project, the package's Python and
  templates, the expectation suites, config/*.toml);
- where the results go and for which year (output folder, ``--year``).

The dbt step records the fingerprint as ``building``; the last asset of the run marks it
``complete`` once the snapshot, report and notices are written. A run that failed half-way
therefore never counts as complete, and the next run rebuilds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from dagster_project import program
from dagster_project.settings import Settings

META_SCHEMA = "meta"
TABLE = f"{META_SCHEMA}.run_fingerprint"
BUILDING, COMPLETE = "building", "complete"
# A run tagged so recomputes and republishes everything although its inputs are unchanged (`zhicheng run --force`).
FORCE_TAG = "zhicheng/force"


def _outputs_present(out: Path) -> bool:
    return (out / "serving.duckdb").is_file() and (out / "report").is_dir() and (out / "notices").is_dir()


def compute(con: duckdb.DuckDBPyConnection, settings: Settings) -> str:
    """The fingerprint of the run's inputs (hex SHA-256)."""
    digest = hashlib.sha256()
    digest.update(f"out={settings.out.resolve()}|year={settings.year}|".encode())
    program.update(digest, [settings.seeds_dir])
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema = 'raw' or (table_schema = 'reference' and table_name = 'workday_calendar') "
        "order by all"
    ).fetchall()
    for schema, table in tables:
        # every row's content, in any order: a row changed, added or removed by any means shows
        count, total = con.execute(f'select count(*), coalesce(sum(hash(t)), 0) from "{schema}"."{table}" t').fetchone()
        digest.update(f"{schema}.{table}:{count}:{total}|".encode())
    return digest.hexdigest()


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {META_SCHEMA}")
    con.execute(f"create table if not exists {TABLE} (fingerprint varchar, status varchar, recorded_at timestamp)")


def unchanged_since_last_complete_run(con: duckdb.DuckDBPyConnection, settings: Settings, fingerprint: str) -> bool:
    """True when the last run recorded is complete, had the same inputs, and its outputs are still there."""
    _ensure_table(con)
    last = con.execute(f"select fingerprint, status from {TABLE} order by recorded_at desc limit 1").fetchone()
    return last == (fingerprint, COMPLETE) and _outputs_present(settings.out)


def record(con: duckdb.DuckDBPyConnection, fingerprint: str, status: str) -> None:
    """Keep one row: the fingerprint of the latest run and how far it got."""
    _ensure_table(con)
    con.execute(f"delete from {TABLE}")
    con.execute(f"insert into {TABLE} values (?, ?, current_timestamp)", [fingerprint, status])


def mark_complete(con: duckdb.DuckDBPyConnection) -> str | None:
    """Mark the run recorded by the dbt step as complete; returns its fingerprint."""
    _ensure_table(con)
    row = con.execute(f"select fingerprint from {TABLE} where status = ?", [BUILDING]).fetchone()
    if row is None:
        return None
    con.execute(f"update {TABLE} set status = ?, recorded_at = current_timestamp", [COMPLETE])
    return row[0]
