"""Ingestion partitioned by year × submitter, loaded by Dagster's multiprocess executor in real processes,
gives the raw tables of one in-process ``load_inbox`` over the same inbox (ingest/partitioned.py)."""

import os
import shutil
from pathlib import Path

import duckdb
from dagster import DagsterEventType, execute_job, instance_for_test, reconstructable

from dagster_project.ingest import load_inbox, partitioned
from dagster_project.settings import pii_key

# Submitters of the sample whose folders the test inbox copies (every year they appear in): a corrected
# roster that supersedes the first (150103), one corrected CSV (B-RSJ), four years of the same submitter
# (150122, C-ZXX-M), quarantined rows (D-KJJ, 150125, 150199), a committee's results, an .xls file.
CODES = ("150103", "150122", "B-RSJ", "C-ZXX-M", "D-KJJ", "150125", "C-WS-NMG", "D-LCJ", "150199")
LOAD_TIMES = {"_loaded_at", "loaded_at"}


def _inbox(sample: Path, inbox: Path) -> Path:
    """A copy of part of the sample inbox (times kept) plus entries whose handling is per partition."""
    for folder in sorted(sample.glob("[0-9]*/*")):
        if folder.name in CODES:
            shutil.copytree(folder, inbox / folder.relative_to(sample), symlinks=True)
    roster = inbox / "2022" / "150125" / "申报人员花名册.xlsx"
    shutil.copy2(roster, roster.with_name("申报人员花名册(副本).xlsx"))  # same partition, same bytes: skipped
    shutil.copy2(roster, inbox / "2022" / "150199" / "花名册.xlsx")  # another partition, same bytes: loaded there
    (inbox / "2022" / "999999").mkdir()  # not a known submitter: its rows are quarantined
    shutil.copy2(roster, inbox / "2022" / "999999" / roster.name)
    (inbox / "2022" / "D-LCJ" / ".隐藏.xlsx").write_bytes(roster.read_bytes())
    (inbox / "2022" / "D-LCJ" / "~$岗位情况表.xlsx").write_bytes(b"lock")
    (inbox / "2022" / "D-LCJ" / "链接.xlsx").symlink_to(roster)  # registered, never opened
    return inbox


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every raw.* table's rows, sorted, without the load timestamps."""
    with duckdb.connect(str(path), read_only=True) as con:
        out = {}
        for table in partitioned.raw_table_names():
            cols = [r[0] for r in con.execute(f"describe raw.{table}").fetchall() if r[0] not in LOAD_TIMES]
            out[table] = con.execute(f"select {', '.join(cols)} from raw.{table} order by all").fetchall()
        return out


def test_multiprocess_partitioned_ingestion_equals_the_in_process_load(sample_inbox, tmp_path):
    inbox = _inbox(sample_inbox, tmp_path / "inbox")
    partitions = partitioned.inbox_partitions(inbox)
    assert len(partitions) >= 10 and len({year for year, _ in partitions}) >= 2

    single = tmp_path / "single.duckdb"
    with duckdb.connect(str(single)) as con:
        load_inbox(inbox, con, pii_key())

    warehouse = tmp_path / "warehouse.duckdb"
    config = {
        "resources": {"settings": {"config": {"inbox": str(inbox), "warehouse": str(warehouse)}}},
        "ops": {"plan_partitions": {"config": {"steps": 2, "partitions_dir": str(tmp_path / "parts")}}},
        "execution": {"config": {"max_concurrent": 2}},
    }
    (tmp_path / "dagster_home").mkdir()
    with instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        with execute_job(reconstructable(partitioned.standalone_job), instance=instance, run_config=config) as result:
            assert result.success
            merged = result.output_for_node("merge_partition_files")
            starts = [
                event.dagster_event
                for event in instance.all_logs(result.run_id, of_type=DagsterEventType.STEP_START)
                if event.dagster_event.step_key.startswith("load_partitions[")
            ]
            materialized = {
                tuple(event.dagster_event.asset_key.path)
                for event in instance.all_logs(result.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
            }

    # each partition in its own file, loaded by more than one process other than this one
    loads = merged["loads"]
    assert sorted((load["year"], load["code"]) for load in loads) == partitions
    assert all(
        Path(load["path"]) == partitioned.partition_path(tmp_path / "parts", *p)
        for load, p in zip(sorted(loads, key=lambda x: (x["year"], x["code"])), partitions, strict=True)
    )
    step_pids = {event.pid for event in starts}
    assert len(starts) == 2 and len(step_pids) == 2 and os.getpid() not in step_pids
    assert {load["pid"] for load in loads} == step_pids

    assert materialized == {("raw", table) for table in partitioned.raw_table_names()}

    expected, got = _tables(single), _tables(warehouse)
    for table in expected:
        assert got[table] == expected[table], table
    # what makes the comparison worth having: superseded files, quarantined rows, listed entries, copies
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.load_audit where superseded").fetchone()[0] >= 2
        assert con.execute("select count(*) from raw.quarantine where submitter_code = '999999'").fetchone()[0] > 0
        assert con.execute("select count(*) from raw.load_audit where unreadable").fetchone()[0] >= 1
        files = {row[0] for row in con.execute("select file from raw.load_audit").fetchall()}
    assert "2022/150199/花名册.xlsx" in files
    assert len([f for f in files if f.startswith("2022/150125/申报人员花名册")]) == 1

    # merging the same partition files again writes nothing and changes nothing
    with duckdb.connect(str(warehouse)) as con:
        assert partitioned.merge_partitions(con, loads) == 0
    assert _tables(warehouse) == got

    # one file changes: its partition alone is reloaded and re-merged, and the tables still equal the
    # in-process load's after its own incremental re-run
    changed = inbox / "2022" / "B-RSJ" / "失信记录_更正.csv"
    lines = changed.read_bytes().splitlines(keepends=True)
    assert len(lines) > 2
    changed.write_bytes(b"".join(lines[:-1]))
    with duckdb.connect(str(single)) as con:
        load_inbox(inbox, con, pii_key())
    again = partitioned.load_partition(inbox, tmp_path / "parts", 2022, "B-RSJ", pii_key())
    assert again["files_loaded"] == 1
    others = [load for load in loads if (load["year"], load["code"]) != (2022, "B-RSJ")]
    with duckdb.connect(str(warehouse)) as con:
        written = partitioned.merge_partitions(con, [*others, again])
    assert written == sum(len(rows) for rows in _tables(Path(again["path"])).values()) > 0
    assert _tables(warehouse) == _tables(single) != expected


def test_the_code_location_holds_the_job_with_the_multiprocess_executor():
    from dagster_project.definitions import defs

    job = defs.resolve_job_def(partitioned.JOB_NAME)
    assert job.executor_def.name == "multiprocess"
    assert "settings" in job.resource_defs
    assert {node.name for node in job.nodes} == {"plan_partitions", "load_partitions", "merge_partition_files"}
