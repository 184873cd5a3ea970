"""The inputs of a run as one fingerprint, recorded in the warehouse (schema ``meta``).

A run whose inputs equal those of the last complete run has nothing to redo: the dbt step
then builds nothing, and everything downstream of it (quality checks, documents, snapshot)
is skipped by Dagster, so the previous outputs stay valid. The inputs are what the models,
checks and documents are computed from:

- what ingestion left in the warehouse (every row of every raw table, and the workday calendar);
- the reference data (every CSV of the seeds folder in use);
- the program that turns them into results (digests.py: dbt project, the package's Python and
  templates, the expectation suites, config/*.toml);
- where the results go and for which year (output folder, ``--year``).

The dbt step records the fingerprint as ``building``; the last asset of the run marks it
``complete`` once the snapshot, report and notices are written. A run that failed half-way
therefore never counts as complete, and the next run rebuilds.

The fingerprint is kept in its parts too (``meta.run_inputs``): the program's (program, reference
data, output folder, year) and one per table. When the last complete run had the same program
part, only the tables whose part changed are new input (``changed_tables``): the dbt step then
builds what reads them (their descendants) and nothing else, the rest being what that run left.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project import digests
from dagster_project.settings import Settings

META_SCHEMA = "meta"
TABLE = f"{META_SCHEMA}.run_fingerprint"
PARTS_TABLE = f"{META_SCHEMA}.run_inputs"  # the parts of the fingerprint recorded in TABLE
PROGRAM_PART = "program"
BUILDING, COMPLETE = "building", "complete"
# A run tagged so recomputes and republishes everything although its inputs are unchanged (`zhicheng run --force`).
FORCE_TAG = "zhicheng/force"


def _outputs_present(out: Path) -> bool:
    return (out / "serving.duckdb").is_file() and (out / "report").is_dir() and (out / "notices").is_dir()


@dataclass(frozen=True)
class Inputs:
    """A run's inputs: the program's part and one part per table (``schema.table`` → its rows' digest)."""

    program: str
    tables: dict[str, str] = field(default_factory=dict)

    @property
    def parts(self) -> dict[str, str]:
        return {PROGRAM_PART: self.program, **self.tables}

    @property
    def fingerprint(self) -> str:
        """The whole as one hex SHA-256."""
        digest = hashlib.sha256(self.program.encode())
        for table, part in sorted(self.tables.items()):
            digest.update(f"|{table}:{part}".encode())
        return digest.hexdigest()


def compute(con: duckdb.DuckDBPyConnection, settings: Settings) -> Inputs:
    """The run's inputs as they are now."""
    digest = hashlib.sha256()
    digest.update(f"out={settings.out.resolve()}|year={settings.year}|".encode())
    digests.update_program(digest, [settings.seeds_dir])
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema = 'raw' or (table_schema = 'reference' and table_name = 'workday_calendar') "
        "order by all"
    ).fetchall()
    parts = {}
    for schema, table in tables:
        parts[f"{schema}.{table}"] = digests.table(con, schema, table)
    return Inputs(digest.hexdigest(), parts)


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {META_SCHEMA}")
    con.execute(f"create table if not exists {TABLE} (fingerprint varchar, status varchar, recorded_at timestamp)")
    con.execute(f"create table if not exists {PARTS_TABLE} (part varchar, digest varchar)")


def _last(con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    _ensure_table(con)
    return con.execute(f"select fingerprint, status from {TABLE} order by recorded_at desc limit 1").fetchone()


def unchanged_since_last_complete_run(con: duckdb.DuckDBPyConnection, settings: Settings, inputs: Inputs) -> bool:
    """True when the last run recorded is complete, had the same inputs, and its outputs are still there."""
    return _last(con) == (inputs.fingerprint, COMPLETE) and _outputs_present(settings.out)


def changed_tables(con: duckdb.DuckDBPyConnection, settings: Settings, inputs: Inputs) -> set[str] | None:
    """The tables (``schema.table``) whose rows differ from those of the last complete run, when only tables
    differ; None when everything is to be built: no complete run recorded (or one that failed half-way
    since), its parts not kept, another program (code, reference data, output folder or year), or its
    outputs gone."""
    last = _last(con)
    if last is None or last[1] != COMPLETE or not _outputs_present(settings.out):
        return None
    recorded = dict(con.execute(f"select part, digest from {PARTS_TABLE}").fetchall())
    if (
        recorded.get(PROGRAM_PART) != inputs.program
        or Inputs(recorded[PROGRAM_PART], {k: v for k, v in recorded.items() if k != PROGRAM_PART}).fingerprint
        != last[0]
    ):
        return None
    tables = set(recorded) | set(inputs.tables)
    return {t for t in tables - {PROGRAM_PART} if recorded.get(t) != inputs.tables.get(t)}


def record(con: duckdb.DuckDBPyConnection, inputs: Inputs, status: str) -> None:
    """Keep one row: the fingerprint of the latest run and how far it got; and its parts."""
    _ensure_table(con)
    con.execute(f"delete from {TABLE}")
    con.execute(f"insert into {TABLE} values (?, ?, current_timestamp)", [inputs.fingerprint, status])
    con.execute(f"delete from {PARTS_TABLE}")
    con.executemany(f"insert into {PARTS_TABLE} values (?, ?)", list(inputs.parts.items()))


def mark_complete(con: duckdb.DuckDBPyConnection) -> str | None:
    """Mark the run recorded by the dbt step as complete; returns its fingerprint."""
    _ensure_table(con)
    row = con.execute(f"select fingerprint from {TABLE} where status = ?", [BUILDING]).fetchone()
    if row is None:
        return None
    con.execute(f"update {TABLE} set status = ?, recorded_at = current_timestamp", [COMPLETE])
    return row[0]
