"""No 18-digit ID number in any text column of the snapshot the real pipeline publishes."""

from __future__ import annotations

import re

import duckdb

from dagster_project.publish.snapshot import ID_NUMBER_PATTERN, personal_data_problems

ID_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def _scan(snapshot) -> list[str]:
    """Independent of the publish step's own guard: read every text value in Python."""
    con = duckdb.connect(str(snapshot), read_only=True)
    hits = []
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' order by all"
        ).fetchall()
        assert columns, "快照中没有文本列"
        for schema, table, column in columns:
            for (value,) in con.execute(
                f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall():
                if ID_RE.search(value):
                    hits.append(f"{schema}.{table}.{column}: {value[:40]}")
        assert personal_data_problems(con) == []
    finally:
        con.close()
    return hits


def test_pipeline_snapshot_has_no_id_numbers(pipeline_run):
    snapshot = pipeline_run[1] / "serving.duckdb"
    assert snapshot.exists(), "zhicheng run 没有发布服务快照"
    assert _scan(snapshot) == []


def test_pipeline_warehouse_does_hold_id_numbers(pipeline_run):
    """The scan can fail: the warehouse the snapshot comes from does hold ID numbers (raw tables)."""
    warehouse = pipeline_run[0]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        count = con.execute(
            "select count(*) from raw.application_roster where regexp_matches(id_number, ?)", [ID_NUMBER_PATTERN]
        ).fetchone()[0]
    finally:
        con.close()
    assert count > 0
