"""dbt 项目的整体测试：在真实 DuckDB 仓库上运行 `dbt build`（含数据测试与单元测试），
检查每个 mart 的契约列；再在一个小数据仓库上核对 marts 的取值。"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import chinese_calendar
import duckdb
import pytest
import yaml

from dagster_project import forms
from dagster_project.settings import DBT_DIR
from dagster_project.transform.project import DBT_EXECUTABLE

from .warehouse import create_warehouse, form_columns

DBT = Path(DBT_EXECUTABLE)

# contract.md 第 4 节：每个 mart 至少有这些列
MART_COLUMNS = {
    "findings": [
        "year",
        "rule_id",
        "severity",
        "subject_type",
        "subject_key",
        "submitter_code",
        "committee_code",
        "region_code",
        "series",
        "level",
        "clause",
        "detail",
        "source_file",
        "source_row",
    ],
    "pass_rate_by_group": [
        "year",
        "committee_code",
        "level",
        "group_name",
        "evaluated",
        "passed",
        "passed_valid",
        "pass_rate",
        "pass_rate_valid",
    ],
    "quota_compliance": [
        "year",
        "quota_code",
        "scope_type",
        "scope_code",
        "limit_value",
        "actual_value",
        "compliant",
    ],
    "schedule_adherence": [
        "year",
        "requirement_code",
        "subject_type",
        "subject_code",
        "due_date",
        "actual_date",
        "compliant",
    ],
    "filing_completeness": [
        "year",
        "submitter_code",
        "has_roster",
        "roster_publicity_ok",
        "materials_ok",
        "summary_report_ok",
        "publicity_report_ok",
        "complete",
    ],
    "applications": [
        "year",
        "application_no",
        "person_key",
        "submitter_code",
        "region_code",
        "unit_name",
        "series",
        "level",
        "route",
        "committee_code",
        "group_name",
        "outcome",
        "outcome_valid",
    ],
    "load_audit": [
        "file",
        "sheet",
        "sha256",
        "submitter_code",
        "year",
        "form",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "superseded",
    ],
}
PII_COLUMNS = {"name", "id_number", "evaluator_no"}


def run_dbt(warehouse: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ZHICHENG_WAREHOUSE=str(warehouse), DO_NOT_TRACK="1")
    cmd = [
        str(DBT),
        *args,
        "--profiles-dir",
        str(DBT_DIR),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    return subprocess.run(cmd, cwd=DBT_DIR, env=env, capture_output=True, text=True, timeout=600)


def build(tmp: Path) -> Path:
    warehouse = tmp / "w.duckdb"
    result = run_dbt(warehouse, tmp, "build")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return warehouse


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt_empty")
    create_warehouse(tmp / "w.duckdb")
    return build(tmp)


def test_every_mart_has_contract_columns(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    try:
        for mart, expected in MART_COLUMNS.items():
            types = dict(
                con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ?",
                    [mart],
                ).fetchall()
            )
            missing = [c for c in expected if c not in types]
            assert not missing, (mart, missing)
            assert not PII_COLUMNS & set(types), mart
            for col in expected:
                if col.endswith("_date"):
                    assert types[col] == "DATE", (mart, col)
                if col.startswith("pass_rate"):
                    assert types[col] == "DOUBLE", (mart, col)
    finally:
        con.close()


def test_staging_keeps_raw_fields_and_drops_superseded_flag(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    staging = {
        "application_roster": "stg_application_roster__applications",
        "post_structure": "stg_post_structure__units",
        "directed_posts": "stg_directed_posts__fields",
        "work_events": "stg_work_events__events",
        "evaluation_outcomes": "stg_evaluation_outcomes__outcomes",
        "evaluator_roster": "stg_evaluator_roster__evaluators",
        "integrity_blacklist": "stg_integrity_blacklist__records",
    }
    try:
        for form in forms.FORMS.values():
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'staging' and table_name = ? order by ordinal_position",
                    [staging[form.table]],
                ).fetchall()
            ]
            expected = [c for c, _ in form_columns(form) if c != "_superseded"]
            assert cols == expected, form.code
    finally:
        con.close()


def test_seeds_typed(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    try:
        types = dict(
            con.execute(
                "select table_name || '.' || column_name, data_type from information_schema.columns "
                "where table_schema = 'reference'"
            ).fetchall()
        )
    finally:
        con.close()
    assert types["regions.region_code"] == "VARCHAR"
    assert types["regions.is_banner_county"] == "BOOLEAN"
    # contract v3 §3: committees.csv says who a committee is; the filing of each year is committee_filings.csv
    assert "committees.filed" not in types and "committees.filed_date" not in types
    assert types["committee_filings.year"] == "INTEGER"
    assert types["committee_filings.filed_date"] == "DATE"
    assert types["policy_calendar.end_date"] == "DATE"
    assert types["policy_parameters.value"] == "DOUBLE"


def test_unit_test_calendar_rows_agree_with_chinese_calendar():
    """单元测试里手写的工作日历行必须与 chinesecalendar 一致，且 2022 国庆的边界值成立。"""
    spec = yaml.safe_load((DBT_DIR / "models" / "intermediate" / "_unit_tests.yml").read_text(encoding="utf-8"))
    tests = {t["name"]: t for t in spec["unit_tests"]}
    rows = tests["workday_seq_across_2022_national_day"]["given"][0]["rows"]
    assert len(rows) == 12
    for row in rows:
        day = row["day"] if isinstance(row["day"], dt.date) else dt.date.fromisoformat(row["day"])
        assert row["is_workday"] == chinese_calendar.is_workday(day), day

    def count(a: dt.date, b: dt.date) -> int:
        return sum(chinese_calendar.is_workday(a + dt.timedelta(i)) for i in range((b - a).days + 1))

    assert count(dt.date(2022, 9, 29), dt.date(2022, 10, 10)) == 5
    assert count(dt.date(2022, 9, 29), dt.date(2022, 10, 9)) == 4
    expected = {
        r["_source_row"]: r["publicity_workdays"]
        for r in tests["workdays_between_and_publicity_adequacy"]["expect"]["rows"]
    }
    assert expected[1] == 5 and expected[2] == 4


# ---------------------------------------------------------------------------
# 小数据仓库：几行原始数据，核对 marts 的取值


def _insert(con, table: str, rows: list[dict]) -> None:
    for row in rows:
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into raw.{table} ({cols}) values ({marks})", list(row.values()))


def _f1(no: str, submitter: str, **kw) -> dict:
    row = dict(
        year=2022,
        submitter_code=submitter,
        application_no=no,
        name="张三",
        gender="男",
        id_type="居民身份证",
        id_number=f"15010219900101{no[-4:]}",
        unit_name="某 单位",
        unit_name_normalised="某单位",
        unit_nature="事业单位",
        unit_affiliation="本市",
        has_entrust_letter=False,
        personnel_status="在职",
        workplace_level="市直",
        education="大学本科",
        education_mode="全日制",
        graduation_date=dt.date(2010, 7, 1),
        current_level="中级",
        current_title_date=dt.date(2015, 1, 1),
        professional_years=12.0,
        series="工程",
        level="副高级",
        route="正常申报",
        had_exception_before=False,
        exam_passed="不适用",
        over_post=False,
        committee_code="C-GC-NMG",
        application_date=dt.date(2022, 6, 15),
        integrity_pledge=True,
        person_key=f"pk{no}",
        _source_file=f"2022/{submitter}/花名册.xlsx",
        _source_sheet="Sheet1",
        _source_row=5,
        _superseded=False,
    )
    row.update(kw)
    return row


def _f4(submitter: str, event_type: str, **kw) -> dict:
    """A current F4 work event of 2022, unsigned and without objections unless `kw` says otherwise."""
    row = dict(year=2022, submitter_code=submitter, event_type=event_type, signed_sealed=False, objections=0)
    row.update(kw, _superseded=False)
    return row


def _f5(no: str, **kw) -> dict:
    row = dict(
        year=2022,
        submitter_code="C-GC-NMG",
        committee_code="C-GC-NMG",
        application_no=no,
        id_type="居民身份证",
        id_number=f"15010219900101{no[-4:]}",
        series="工程",
        level="副高级",
        group_name="普通组",
        evaluation_date=dt.date(2022, 8, 20),
        members_expected=9,
        members_present=9,
        votes_for=9,
        outcome="通过",
        person_key=f"pk{no}",
        _source_file="2022/C-GC-NMG/结果.xlsx",
        _source_sheet="Sheet1",
        _source_row=3,
        _superseded=False,
        _loaded_at=dt.datetime(2022, 9, 1),
    )
    row.update(kw)
    return row


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt_small")
    warehouse = tmp / "w.duckdb"
    create_warehouse(warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        _insert(
            con,
            "application_roster",
            [
                _f1("A-0001", "150121"),
                _f1("A-0002", "150121", level="中级", current_level="初级", committee_code="C-GC-M"),
                _f1("A-0003", "D-JYJ"),
                _f1("A-0004", "150121"),  # 歧义：两个报送方都报了
                _f1("A-0004", "150122"),
                _f1("A-0005", "150121", _superseded=True),  # 被取代的行不进入
                _f1("A-0006", "150121", year=2019),  # 非政策年份
            ],
        )
        _insert(
            con,
            "evaluation_outcomes",
            [
                _f5("A-0001"),
                _f5("A-0003", outcome="未通过", group_name="基层组"),
                _f5("A-0004"),
                _f5("A-0009"),  # 花名册中没有
            ],
        )
        _insert(
            con,
            "work_events",
            [
                _f4("150121", "花名册公示", start_date=dt.date(2022, 9, 29), end_date=dt.date(2022, 10, 10)),
                _f4("150121", "材料报送", submitted_date=dt.date(2022, 10, 11), signed_sealed=True),
                _f4("150121", "工作情况总结报告", submitted_date=dt.date(2022, 10, 20)),
                _f4("150121", "公示结果报告", submitted_date=dt.date(2022, 10, 20)),
                _f4("150122", "花名册公示", start_date=dt.date(2022, 9, 29), end_date=dt.date(2022, 10, 9)),
            ],
        )
        _insert(
            con,
            "load_audit",
            [
                dict(
                    file="2022/150121/花名册.xlsx",
                    sheet="Sheet1",
                    sha256="ab",
                    submitter_code="150121",
                    year=2022,
                    form="F1",
                    rows_read=6,
                    rows_loaded=5,
                    rows_quarantined=1,
                    superseded=False,
                ),
                dict(
                    file="2019/150121/花名册.xlsx",
                    sheet="说明",
                    sha256="cd",
                    submitter_code="150121",
                    year=2019,
                    form="未识别",
                    rows_read=0,
                    rows_loaded=0,
                    rows_quarantined=0,
                    superseded=False,
                ),
            ],
        )
    finally:
        con.close()
    return build(tmp)


def test_small_warehouse_marts(small_warehouse):
    con = duckdb.connect(str(small_warehouse), read_only=True)
    try:
        apps = {
            r[0]: r[1:]
            for r in con.execute(
                "select application_no, submitter_code, region_code, unit_name, outcome, outcome_valid, group_name "
                "from marts.applications"
            ).fetchall()
        }
        assert set(apps) == {"A-0001", "A-0002", "A-0003"}
        assert apps["A-0001"] == ("150121", "150121", "某单位", "通过", True, "普通组")
        assert apps["A-0002"][3:5] == ("未评审", None)
        assert apps["A-0003"][1] is None and apps["A-0003"][3] == "未通过"

        rates = set(
            con.execute(
                "select committee_code, level, group_name, evaluated, passed, pass_rate from marts.pass_rate_by_group"
            ).fetchall()
        )
        assert rates == {("C-GC-NMG", "副高级", "普通组", 1, 1, 1.0), ("C-GC-NMG", "副高级", "基层组", 1, 0, 0.0)}

        filing = {
            r[0]: r[1:]
            for r in con.execute(
                "select submitter_code, has_roster, roster_publicity_ok, materials_ok, complete "
                "from marts.filing_completeness where year = 2022"
            ).fetchall()
        }
        # 4 个市辖区 + 5 个旗县 + 报送了 F1 的市直部门
        assert len(filing) == 10 and "D-JYJ" in filing and "150172" not in filing
        assert filing["150121"] == (True, True, True, True)
        assert filing["150122"] == (True, False, False, False)  # 4 个工作日的公示不充分
        assert filing["150102"] == (False, False, False, False)

        audit = con.execute("select count(*), count(distinct year) from marts.load_audit").fetchone()
        assert audit == (2, 2)

        mismatch = con.execute(
            "select application_no, matched, mismatch_reason from intermediate.int_outcomes order by application_no"
        ).fetchall()
        assert ("A-0004", False, None) in mismatch
        assert ("A-0009", False, "花名册（F1）当前行中没有该网上申报编号") in mismatch

        # 任何 mart 中都没有身份证号或姓名
        ids = {r[0] for r in con.execute("select id_number from raw.application_roster").fetchall()}
        for mart in MART_COLUMNS:
            for row in con.execute(f"select * from marts.{mart}").fetchall():
                assert not ids & {str(v) for v in row}, mart
                assert "张三" not in {str(v) for v in row}, mart
    finally:
        con.close()


def test_every_mart_and_mart_column_has_a_chinese_description(empty_warehouse):
    """What `make docs` shows: a Chinese description on every mart and on every column it really has."""
    import json
    import re

    from dagster_project.transform.project import ensure_manifest

    cjk = re.compile(r"[\u4e00-\u9fff]")
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    marts = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "marts"
    }
    assert set(MART_COLUMNS) <= set(marts)
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    try:
        for name, node in marts.items():
            assert cjk.search(node["description"] or ""), name
            columns = [
                row[0]
                for row in con.execute(
                    (
                        "select column_name from information_schema.columns where table_schema = 'marts' "
                        "and table_name = ?"
                    ),
                    [name],
                ).fetchall()
            ]
            assert columns, name
            undocumented = [c for c in columns if not cjk.search(node["columns"].get(c, {}).get("description", ""))]
            assert not undocumented, (name, undocumented)
    finally:
        con.close()


def test_ci_build_runs_the_unit_tests(empty_warehouse):
    """Production runs leave dbt's unit tests out (transform/assets.py); CI's `dbt build` runs every one."""
    import json

    results = json.loads((empty_warehouse.parent / "target" / "run_results.json").read_text(encoding="utf-8"))
    unit = [r for r in results["results"] if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 10
    assert all(r["status"] == "pass" for r in unit), [
        (r["unique_id"], r["status"]) for r in unit if r["status"] != "pass"
    ]


def test_dbt_environment_opens_the_warehouse_with_the_same_duckdb():
    """dbt runs in its own environment (.venv-dbt): the DuckDB it writes the warehouse with is the platform's."""
    import duckdb

    python = Path(DBT_EXECUTABLE).with_name("python")
    theirs = subprocess.run(
        [str(python), "-c", "import duckdb; print(duckdb.__version__)"], capture_output=True, text=True, check=True
    )
    assert theirs.stdout.strip() == duckdb.__version__


def test_a_model_replaces_an_object_of_the_other_kind_in_its_place(empty_warehouse, tmp_path):
    """The project's materializations (macros/materializations.sql) replace a table or view in one statement;
    a view standing where a table model goes (or a table where a view goes) is dropped first."""
    import shutil

    import duckdb

    warehouse = tmp_path / "w.duckdb"
    shutil.copy(empty_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    kinds = "select table_type from information_schema.tables where table_schema = ? and table_name = ?"
    assert con.execute(kinds, ["intermediate", "int_workdays"]).fetchone() == ("BASE TABLE",)
    assert con.execute(kinds, ["staging", "stg_raw__load_audit"]).fetchone() == ("VIEW",)
    rows = con.execute("select count(*) from intermediate.int_workdays").fetchone()
    con.execute("drop table intermediate.int_workdays")
    con.execute("create view intermediate.int_workdays as select 1 as stale")
    con.execute("drop view staging.stg_raw__load_audit")
    con.execute("create table staging.stg_raw__load_audit as select 1 as stale")
    con.close()
    result = run_dbt(warehouse, tmp_path, "run", "--select", "int_workdays", "stg_raw__load_audit")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(kinds, ["intermediate", "int_workdays"]).fetchone() == ("BASE TABLE",)
    assert con.execute(kinds, ["staging", "stg_raw__load_audit"]).fetchone() == ("VIEW",)
    assert con.execute("select count(*) from intermediate.int_workdays").fetchone() == rows
    assert "stale" not in [c[0] for c in con.execute("describe staging.stg_raw__load_audit").fetchall()]
    con.close()


def test_the_first_run_on_the_default_warehouse_reuses_the_projects_parse(tmp_path):
    """dagster-dbt gives a warehouse's first build a copy of the project's parse (target/partial_parse.msgpack);
    parsed with a default run's dbt environment (transform/project.py), dbt reuses it instead of parsing again."""
    import shutil

    from dagster_project.settings import Settings, dbt_environment
    from dagster_project.transform.project import ensure_manifest

    ensure_manifest()
    target = tmp_path / "target"
    target.mkdir()
    shutil.copy(DBT_DIR / "target" / "partial_parse.msgpack", target)
    env = {**os.environ, **dbt_environment(Settings.defaults()), "DO_NOT_TRACK": "1"}
    cmd = [str(DBT), "parse", "--profiles-dir", str(DBT_DIR), "--target-path", str(target), "--log-path", str(tmp_path)]
    result = subprocess.run(cmd, cwd=DBT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    log = (tmp_path / "dbt.log").read_text(encoding="utf-8")
    assert "Partial parsing enabled" in log and "Unable to do partial parsing" not in log


def test_a_models_not_null_columns_are_one_test_that_names_each_column_with_nulls(empty_warehouse, tmp_path):
    """not_null_columns (macros/generic_tests.sql) checks several columns of a model in one dbt test: one failing
    row per column that has nulls, with the column's name and how many rows are null."""
    import shutil

    warehouse = tmp_path / "w.duckdb"
    shutil.copy(empty_warehouse, warehouse)
    select = ["--select", "int_workdays,test_name:not_null_columns", "--store-failures"]
    passed = run_dbt(warehouse, tmp_path, "test", *select)
    assert passed.returncode == 0 and "PASS=1" in passed.stdout, passed.stdout[-3000:]
    con = duckdb.connect(str(warehouse))
    first = "select day from intermediate.int_workdays order by day limit"
    con.execute(f"update intermediate.int_workdays set is_workday = null where day in ({first} 3)")
    con.execute(f"update intermediate.int_workdays set workday_seq = null where day in ({first} 1)")
    con.close()
    failed = run_dbt(warehouse, tmp_path, "test", *select)
    assert failed.returncode == 1 and "Got 2 results" in failed.stdout, failed.stdout[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    (schema, table) = con.execute(
        "select table_schema, table_name from information_schema.tables where table_name like 'not_null_columns%'"
    ).fetchone()
    rows = con.execute(f'select column_name, null_rows from "{schema}"."{table}" order by 1').fetchall()
    con.close()
    assert rows == [("is_workday", 3), ("workday_seq", 1)]
