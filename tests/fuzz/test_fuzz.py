"""Hostile files mixed into a sample inbox (issue 13 item 5): one shared pipeline run, many assertions.

The run's inbox is the session's sample inbox plus every hostile entry of ``hostile.py`` and a
few hundred mutated copies of a real workbook (fixed seed). The good files' marts must equal
those of the session's clean run over the same sample inbox.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.fuzz.conftest import mart_rows, start_run
from tests.fuzz.hostile import write_hostile, write_mutated

MUTATED = 300
SEED = 13
EXIT_UNREADABLE = 3  # README, 输出: some inbox files could not be read


@pytest.fixture(scope="module")
def hostile_run(sample_inbox, tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    inbox = work / "inbox"
    shutil.copytree(sample_inbox, inbox, symlinks=True)
    roster = next(p for p in sorted(inbox.glob("2022/*/*.xlsx")) if "花名册" in p.name)
    entries = write_hostile(inbox) | write_mutated(inbox, roster, MUTATED, SEED)
    process = start_run(inbox, work)
    output, _ = process.communicate(timeout=3000)
    return work / "warehouse.duckdb", inbox, entries, process.returncode, output


def _audit(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select file, sheet, form, rows_read, rows_loaded, rows_quarantined, unreadable, reason from raw.load_audit"
        ).fetchall()
    finally:
        con.close()


def test_exit_status_says_files_could_not_be_read(hostile_run):
    _, _, _, code, output = hostile_run
    assert code == EXIT_UNREADABLE, output[-3000:]
    assert "运行完成" in output and "个文件无法读取" in output


def test_every_entry_is_in_load_audit(hostile_run, sample_inbox):
    warehouse, _, entries, _, _ = hostile_run
    files = {row[0] for row in _audit(warehouse)}
    good = {p.relative_to(sample_inbox).as_posix() for p in sample_inbox.glob("[0-9]*/*/*") if p.is_file()}
    assert set(entries) - files == set()
    assert good - files == set()


def test_read_is_loaded_plus_quarantined_everywhere(hostile_run):
    warehouse, _, _, _, _ = hostile_run
    assert [r for r in _audit(warehouse) if r[3] != r[4] + r[5]] == []


def test_the_good_files_marts_are_unchanged(hostile_run, pipeline_run):
    warehouse, _, entries, _, _ = hostile_run
    hostile = set(entries)  # absent from the clean run: there it only leaves out the counts of the load audit
    assert mart_rows(warehouse, exclude_files=hostile) == mart_rows(pipeline_run[0], exclude_files=hostile)


def test_each_hostile_kind_has_its_chinese_reason(hostile_run):
    warehouse, _, entries, _, _ = hostile_run
    audit = {row[0]: row for row in _audit(warehouse)}
    by_kind = {kind: audit[rel] for rel, kind in entries.items() if kind != "mutated"}
    for kind in (
        "empty",
        "truncated",
        "renamed text",
        "encrypted",
        "zip bomb",
        "sparse extreme",
        "symlink in",
        "symlink out",
        "symlink to device",
        "fifo",
    ):
        _, _, form, read, _, _, unreadable, reason = by_kind[kind]
        assert (form, read, unreadable) == ("未识别", 0, True) and reason, kind
    assert "100 MB" in by_kind["zip bomb"][7]
    assert "1,048,576 行 × 16,384 列" in by_kind["sparse extreme"][7]
    assert by_kind["xml bomb"][2] == "未识别"
    for kind in ("dot file", "office lock file"):
        assert by_kind[kind][2] == "未识别" and not by_kind[kind][6] and by_kind[kind][7], kind
    # rows that a reader finds in the unknown submitter's folder are read, then all quarantined
    for kind, rows in (("utf-16 csv", 3), ("nul bytes", 4), ("formulas", 4), ("non-utf-8 name", 1)):
        _, _, form, read, loaded, quarantined, _, _ = by_kind[kind]
        assert (form, read, loaded, quarantined) == ("F1", rows, 0, rows), kind
    assert "\ufffd" in next(rel for rel, kind in entries.items() if kind == "non-utf-8 name")


def test_mutated_workbooks_are_each_accounted_for(hostile_run):
    warehouse, _, entries, _, output = hostile_run
    audit = _audit(warehouse)
    mutated = {rel for rel, kind in entries.items() if kind == "mutated"}
    seen = {row[0] for row in audit if row[0] in mutated}
    assert seen == mutated and len(mutated) == MUTATED
    assert all(row[7] for row in audit if row[0] in mutated and row[2] == "未识别")  # each with a reason
    assert "程序内部错误" not in output  # no file broke the loader itself
