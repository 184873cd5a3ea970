"""The whole pipeline (`zhicheng run`) on a generated inbox: reconciliation, supersede, idempotency."""

from __future__ import annotations

import duckdb

from dagster_project.forms import FORMS


def test_run_prints_progress_and_outputs(pipeline_run):
    warehouse, out, result = pipeline_run
    assert "收件箱已载入" in result.stdout
    assert "dbt 构建完成" in result.stdout
    assert "运行完成" in result.stdout and str(warehouse) in result.stdout


def test_every_file_and_sheet_reconciles(pipeline_run, sample_inbox):
    warehouse, _, _ = pipeline_run
    con = duckdb.connect(str(warehouse), read_only=True)
    audit = con.execute("select file, sheet, rows_read, rows_loaded, rows_quarantined from marts.load_audit").fetchall()
    assert len(audit) > 50
    assert all(read == loaded + quarantined for _, _, read, loaded, quarantined in audit)
    # every file of the inbox appears in the audit
    files = {str(p.relative_to(sample_inbox)) for p in sample_inbox.glob("[0-9]*/*/*") if p.is_file()}
    assert files == {row[0] for row in audit}
    # rows_loaded is what the raw tables hold for that file and sheet
    for form in FORMS.values():
        mismatched = con.execute(f"""
            select a.file, a.sheet, a.rows_loaded, count(r._source_row)
            from raw.load_audit a left join raw.{form.table} r
              on r._source_file = a.file and r._source_sheet = a.sheet and r._file_sha256 = a.sha256
            where a.form = '{form.code}'
            group by all having a.rows_loaded <> count(r._source_row)
        """).fetchall()
        assert mismatched == [], (form.code, mismatched)
    # rows_quarantined is the number of distinct quarantined rows
    mismatched = con.execute("""
        select a.file, a.sheet from raw.load_audit a
        left join (select _source_file, _source_sheet, count(distinct _source_row) n
                   from raw.quarantine group by all) q
          on q._source_file = a.file and q._source_sheet = a.sheet
        where a.rows_quarantined <> coalesce(q.n, 0)
    """).fetchall()
    assert mismatched == []


def test_superseded_roster_is_replaced_whole(pipeline_run):
    warehouse, _, _ = pipeline_run
    con = duckdb.connect(str(warehouse), read_only=True)
    superseded_files = con.execute(
        "select distinct _source_file from raw.application_roster where _superseded"
    ).fetchall()
    assert superseded_files, "the sample inbox holds a superseded roster"
    # rows only the old file listed are gone from the marts; rows of current files are there
    gone = con.execute("""
        select count(*) from raw.application_roster old
        where old._superseded and old.application_no not in (
            select application_no from raw.application_roster where not _superseded)
          and old.application_no in (select application_no from marts.applications)
    """).fetchone()[0]
    assert gone == 0
    assert con.execute("select count(*) from marts.load_audit where superseded").fetchone()[0] >= 1
    staged = con.execute(
        "select count(*) from staging.stg_application_roster__applications s "
        "join raw.application_roster r using (_source_file, _source_row) where r._superseded"
    ).fetchone()[0]
    assert staged == 0


def test_second_run_over_the_same_inbox_changes_no_row_count(pipeline_rerun):
    assert "新载入 0 个" in pipeline_rerun.result.stdout
    assert pipeline_rerun.counts_after == pipeline_rerun.counts_before
