"""The run's input fingerprint: unchanged inputs skip the rebuild; any change to raw rows, seeds or outputs does not."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dagster_project.ingest.load import ensure_schema
from dagster_project.settings import SEEDS_DIR, Settings
from dagster_project.transform import fingerprint


@pytest.fixture()
def setting(tmp_path) -> tuple[duckdb.DuckDBPyConnection, Settings]:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    out = tmp_path / "out"
    for folder in ("report", "notices"):
        (out / folder).mkdir(parents=True)
    (out / "serving.duckdb").write_bytes(b"")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    con.execute(
        "insert into raw.load_audit (file, sheet, sha256, rows_read) values ('2022/150121/a.xlsx', 'x', 'abc', 1)"
    )
    yield con, Settings(inbox=tmp_path, warehouse=tmp_path / "w.duckdb", out=out, seeds_dir=seeds)
    con.close()


def _complete(con, settings) -> str:
    value = fingerprint.compute(con, settings)
    fingerprint.record(con, value, fingerprint.BUILDING)
    assert not fingerprint.unchanged_since_last_complete_run(con, settings, value)  # building is not complete
    assert fingerprint.mark_complete(con) == value.fingerprint
    return value


def test_same_inputs_after_a_complete_run_are_unchanged(setting):
    con, settings = setting
    value = _complete(con, settings)
    assert fingerprint.compute(con, settings) == value
    assert fingerprint.unchanged_since_last_complete_run(con, settings, value)


@pytest.mark.parametrize("change", ["raw_row", "raw_value", "seed", "outputs_gone"])
def test_any_change_of_input_or_output_means_a_rebuild(setting, change):
    con, settings = setting
    _complete(con, settings)
    if change == "raw_row":  # a row removed behind the loader's back (load_audit unchanged)
        con.execute("insert into raw.quarantine (_source_file, reason) values ('2022/150121/a.xlsx', '测试')")
    elif change == "raw_value":
        con.execute("update raw.load_audit set rows_read = 2")
    elif change == "seed":
        with (settings.seeds_dir / "regions.csv").open("a", encoding="utf-8") as fh:
            fh.write("1599999,测试区,市辖区,false\n")
    else:
        (settings.out / "serving.duckdb").unlink()
    now = fingerprint.compute(con, settings)
    assert not fingerprint.unchanged_since_last_complete_run(con, settings, now)


@pytest.mark.parametrize("change", ["raw_row", "raw_value", "calendar"])
def test_a_change_of_rows_only_names_the_tables_that_changed(setting, change):
    con, settings = setting
    value = _complete(con, settings)
    assert fingerprint.changed_tables(con, settings, value) == set()
    if change == "raw_row":
        con.execute("insert into raw.quarantine (_source_file, reason) values ('2022/150121/a.xlsx', '测试')")
        expected = {"raw.quarantine"}
    elif change == "raw_value":
        con.execute("update raw.load_audit set rows_read = 2")
        expected = {"raw.load_audit"}
    else:  # a table that was not there: a new input of its own
        con.execute("create schema reference; create table reference.workday_calendar as select 1 as day")
        expected = {"reference.workday_calendar"}
    assert fingerprint.changed_tables(con, settings, fingerprint.compute(con, settings)) == expected


@pytest.mark.parametrize("change", ["seed", "outputs_gone", "run_failed", "parts_lost"])
def test_anything_but_rows_means_a_full_build(setting, change):
    """Another program or reference data, outputs gone, or a last run that did not complete: everything is built."""
    con, settings = setting
    value = _complete(con, settings)
    con.execute("update raw.load_audit set rows_read = 2")
    if change == "seed":
        with (settings.seeds_dir / "regions.csv").open("a", encoding="utf-8") as fh:
            fh.write("1599999,测试区,市辖区,false\n")
    elif change == "outputs_gone":
        (settings.out / "serving.duckdb").unlink()
    elif change == "run_failed":  # a run began with these inputs and stopped before its outputs were written
        fingerprint.record(con, fingerprint.compute(con, settings), fingerprint.BUILDING)
    else:  # parts recorded by an older version, or tampered with: they no longer add up to the fingerprint
        con.execute(f"update {fingerprint.PARTS_TABLE} set digest = 'x' where part = 'raw.quarantine'")
    assert value.program == fingerprint.compute(con, settings).program or change == "seed"
    assert fingerprint.changed_tables(con, settings, fingerprint.compute(con, settings)) is None


def test_rerun_with_nothing_changed_skips_the_build(pipeline_run, pipeline_rerun):
    """A real re-run: no new file, same seeds and code — dbt, checks and documents are skipped, outputs stay."""
    _, _, first = pipeline_run
    assert "dbt 开始构建" in first.stdout
    assert pipeline_rerun.mtimes_before  # the report's PDFs
    result = pipeline_rerun.result
    assert "新载入 0 个" in result.stdout
    assert "输入未变" in result.stdout and "dbt 开始构建" not in result.stdout
    assert "运行完成" in result.stdout
    assert pipeline_rerun.mtimes_after == pipeline_rerun.mtimes_before
