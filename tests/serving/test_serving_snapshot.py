"""The serving snapshot: what it holds, what it refuses, and how it replaces the old one."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from fixture_warehouse import make_warehouse

from dagster_project.contract import CONTRACT_MARTS
from dagster_project.documents.office import office
from dagster_project.publish.snapshot import (
    SNAPSHOT_NAME,
    SnapshotRefused,
    build_snapshot_from_file,
    connect_read_only,
    personal_data_problems,
)

# the fixture warehouse also has the code → name directory dbt builds (marts.submitters)
FIXTURE_MARTS = set(CONTRACT_MARTS) | {"submitters"}


def test_snapshot_holds_marts_and_analyst_views_only(fixture_snapshot):
    con = connect_read_only(fixture_snapshot)
    schemas = {
        r[0]
        for r in con.execute(
            "select distinct table_schema from information_schema.tables where table_catalog = current_database()"
        ).fetchall()
    }
    assert schemas == {"marts", "analyst"}
    marts = {
        r[0]
        for r in con.execute("select table_name from information_schema.tables where table_schema = 'marts'").fetchall()
    }
    assert marts == FIXTURE_MARTS
    views = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'analyst' and table_type = 'VIEW'"
        ).fetchall()
    }
    assert {
        "applications",
        "findings",
        "pass_rates",
        "quota_compliance",
        "schedule_adherence",
        "filing_completeness",
        "headline",
        "load_audit",
    } <= views
    # every view runs and has rows; mart row counts are carried over exactly
    for view in views:
        assert con.execute(f"select count(*) from analyst.{view}").fetchone()[0] > 0, view
    assert (
        con.execute("select count(*) from analyst.applications").fetchone()[0]
        == con.execute("select count(*) from marts.applications").fetchone()[0]
    )
    # names are resolved from the reference dictionaries
    assert (
        con.execute(
            "select count(*) from analyst.findings where region_code = '150121' and region_name = '土默特左旗'"
        ).fetchone()[0]
        > 0
    )


def test_snapshot_is_read_only_for_readers(fixture_snapshot):
    con = connect_read_only(fixture_snapshot)
    with pytest.raises(duckdb.Error):
        con.execute("delete from marts.findings")


def test_headline_matches_the_marts(fixture_snapshot):
    con = connect_read_only(fixture_snapshot)
    for year, applications, evaluated, passed_valid, rate, violations in con.execute(
        "select year, applications, evaluated, passed_valid, pass_rate_valid, violations from analyst.headline"
    ).fetchall():
        assert (
            applications == con.execute("select count(*) from marts.applications where year = ?", [year]).fetchone()[0]
        )
        sums = con.execute(
            "select sum(evaluated), sum(passed_valid) from marts.pass_rate_by_group where year = ?", [year]
        ).fetchone()
        assert (evaluated, passed_valid) == sums
        assert rate == pytest.approx(passed_valid / evaluated)
        assert (
            violations
            == con.execute(
                "select count(*) from marts.findings where year = ? and severity = '违规'", [year]
            ).fetchone()[0]
        )


def test_no_personal_data_in_fixture_snapshot(fixture_snapshot):
    con = connect_read_only(fixture_snapshot)
    assert personal_data_problems(con) == []
    assert con.execute("select count(*) from information_schema.tables where table_schema = 'raw'").fetchone()[0] == 0


def test_publication_refused_when_a_mart_carries_an_id_number(tmp_path):
    warehouse = make_warehouse(tmp_path / "w.duckdb", seed=5, applications=40, years=(2022,))
    out = tmp_path / "out"
    first = build_snapshot_from_file(warehouse, out)
    before = first.path.stat().st_ino
    con = duckdb.connect(str(warehouse))
    con.execute("update marts.findings set detail = detail || '，身份证号 15010219800101123X' where rowid = 3")
    con.close()
    with pytest.raises(SnapshotRefused, match="marts.findings.detail"):
        build_snapshot_from_file(warehouse, out)
    # the previous snapshot stays in place and no temporary file is left behind
    assert first.path.stat().st_ino == before
    assert sorted(p.name for p in out.iterdir()) == [SNAPSHOT_NAME]


def test_hex_digests_with_long_digit_runs_are_not_id_numbers(tmp_path):
    """A file's sha256 may hold 18 digits in a row by chance; it is no ID number and must not stop publishing."""
    warehouse = make_warehouse(tmp_path / "w.duckdb", seed=5, applications=40, years=(2022,))
    con = duckdb.connect(str(warehouse))
    con.execute("update marts.load_audit set sha256 = 'ab' || '150102198001011237' || 'cd' || repeat('e', 44)")
    con.close()
    result = build_snapshot_from_file(warehouse, tmp_path / "out")
    assert result.path.exists()
    # the same digits as a token of their own, beside Chinese text, still stop it
    con = duckdb.connect(str(warehouse))
    con.execute("update marts.load_audit set sheet = '花名册150102198001011237' where rowid = 0")
    con.close()
    with pytest.raises(SnapshotRefused, match="marts.load_audit.sheet"):
        build_snapshot_from_file(warehouse, tmp_path / "out")


def test_publication_refused_for_a_name_column(tmp_path):
    warehouse = make_warehouse(tmp_path / "w.duckdb", seed=6, applications=20, years=(2022,))
    con = duckdb.connect(str(warehouse))
    con.execute("alter table marts.applications add column 姓名 varchar")
    con.close()
    with pytest.raises(SnapshotRefused, match="姓名"):
        build_snapshot_from_file(warehouse, tmp_path / "out")
    assert not (tmp_path / "out" / SNAPSHOT_NAME).exists()


def test_publication_refused_without_marts(tmp_path):
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    con.execute("create schema marts")
    con.close()
    with pytest.raises(SnapshotRefused, match="marts"):
        build_snapshot_from_file(tmp_path / "empty.duckdb", tmp_path / "out")


def test_names_come_from_the_submitters_mart(tmp_path):
    """analyst.dim_submitters is marts.submitters (kind by its Chinese name; the bureau by the office's name),
    and the views name submitters from it; without the mart nothing is published."""
    warehouse = make_warehouse(tmp_path / "w.duckdb", seed=9, applications=30, years=(2022,))
    con = duckdb.connect(str(warehouse))
    code = con.execute("select submitter_code from marts.applications order by application_no limit 1").fetchone()[0]
    con.execute("update marts.submitters set submitter_name = '改名后的报送单位' where submitter_code = ?", [code])
    con.close()
    snap = connect_read_only(build_snapshot_from_file(warehouse, tmp_path / "out").path)
    assert snap.execute(
        "select distinct submitter_name from analyst.applications where submitter_code = ?", [code]
    ).fetchall() == [("改名后的报送单位",)]
    kinds = dict(snap.execute("select submitter_code, submitter_kind from analyst.dim_submitters").fetchall())
    assert kinds["150102"] == "旗县区" and kinds["D-JYJ"] == "市直部门" and kinds["B-RSJ"] == "市人社局"
    assert (
        snap.execute("select submitter_name from analyst.dim_submitters where submitter_code = 'B-RSJ'").fetchone()[0]
        == office().name
    )
    labels = dict(snap.execute("select subject_type, subject_type_label from analyst.findings").fetchall())
    assert labels["application"] == "申报" and labels["committee"] == "评委会"
    snap.close()

    con = duckdb.connect(str(warehouse))
    con.execute("drop table marts.submitters")
    con.close()
    with pytest.raises(SnapshotRefused, match="marts.submitters"):
        build_snapshot_from_file(warehouse, tmp_path / "out2")
    assert not (tmp_path / "out2" / SNAPSHOT_NAME).exists()


def test_new_snapshot_replaces_old_by_rename(tmp_path):
    warehouse = make_warehouse(tmp_path / "w.duckdb", seed=7, applications=30, years=(2022,))
    out = tmp_path / "out"
    first = build_snapshot_from_file(warehouse, out)
    reader = connect_read_only(first.path)  # a reader holding the old file open
    old_count = reader.execute("select count(*) from marts.applications").fetchone()[0]
    make_warehouse(warehouse, seed=8, applications=45, years=(2022,))
    second = build_snapshot_from_file(warehouse, out)
    assert second.path == first.path
    # the open reader still sees the complete old snapshot; once it reconnects it sees the new one
    # (DuckDB shares one instance per path inside a process, so the old one is closed first)
    assert reader.execute("select count(*) from marts.applications").fetchone()[0] == old_count == 30
    reader.close()
    assert connect_read_only(second.path).execute("select count(*) from marts.applications").fetchone()[0] == 45
    assert sorted(os.listdir(out)) == [SNAPSHOT_NAME]


def test_reader_gets_a_clear_message_without_snapshot(tmp_path):
    with pytest.raises(FileNotFoundError, match="服务快照不存在"):
        connect_read_only(Path(tmp_path) / SNAPSHOT_NAME)


def test_each_quota_is_paired_with_the_dimensions_of_its_own_scope(fixture_snapshot):
    # the view's equality join against the rule as written: a city quota with the city's rows of its year,
    # a submitter quota with its submitter's, a region-and-field quota with its region's
    con = connect_read_only(fixture_snapshot)
    expected = """
        select q.year, q.quota_code, q.scope_type, q.scope_code, d.committee_name, d.series, d.level
        from analyst.quota_compliance as q
        left join analyst.scope_dimensions as d on q.year = d.year and (
            (q.scope_type = 'city' and d.scope_type = 'city')
            or (q.scope_type = 'submitter' and d.scope_type = 'submitter' and q.scope_code = d.scope_code)
            or (q.scope_type = 'region_field' and d.scope_type = 'region'
                and d.scope_code = split_part(q.scope_code, '/', 1)))
    """
    shown = "select year, quota_code, scope_type, scope_code, committee_name, series, level from analyst.quota_scopes"
    assert (
        con.execute(f"select count(*) from ({shown})").fetchone()
        == con.execute(f"select count(*) from ({expected})").fetchone()
    )
    assert con.execute(f"select count(*) from ({shown} except all {expected})").fetchone() == (0,)
    assert con.execute(f"select count(*) from ({expected} except all {shown})").fetchone() == (0,)
    kinds = {
        r[0]
        for r in con.execute("select distinct scope_type from analyst.quota_scopes where series is not null").fetchall()
    }
    assert kinds >= {"city", "submitter"}
