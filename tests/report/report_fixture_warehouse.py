"""A small warehouse with the contract's tables (reference, raw, staging, marts) and
realistic rows, so the report and notices can be tested without the whole pipeline.
Names and ID numbers here are synthetic."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb

from dagster_project.settings import DBT_DIR, SEEDS_DIR

YEAR = 2022
D = dt.date

SUBMITTERS = ["150102", "150121", "150125", "D-JYJ", "U-SYY"]
SERIES = [
    ("中小学教师", "C-ZXX-M", "中级"),
    ("卫生", "C-WS-M", "中级"),
    ("工程", "C-GC-M", "中级"),
    ("中小学教师", "C-ZXXGJ-M", "副高级"),
]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["建国", "秀英", "海燕", "志强", "丽娟", "晓东", "文博", "春梅", "宏伟", "雅琴", "子涵", "思远"]


def _id(n: int) -> str:
    body = f"150102199{n % 10}0{1 + n % 9}{10 + n % 18:02d}{n % 1000:03d}"
    return body + "X"


MODELS = {
    "int_submitters": DBT_DIR / "models" / "intermediate" / "int_submitters.sql",
    "submitters": DBT_DIR / "models" / "marts" / "report" / "submitters.sql",
    "notice_recipients": DBT_DIR / "models" / "marts" / "report" / "notice_recipients.sql",
    **{
        name: DBT_DIR / "models" / "marts" / "report" / f"{name}.sql"
        for name in (
            "report_schedule",
            "report_overview",
            "report_series_level",
            "report_regions",
            "report_groups",
            "report_rules",
            "report_data_quality",
        )
    },
}
SCHEMA_OF = {
    "int_submitters": "staging",
    "regions": "reference",
    "departments": "reference",
    "units": "reference",
    "committees": "reference",
    "rules": "reference",
    "labels": "reference",
}


def build_model(con, model: str) -> None:
    """Create ``marts.<model>`` (or staging.) from the dbt model's SQL, with ref() and var() filled in."""
    from jinja2 import Template

    sql = Template(MODELS[model].read_text(encoding="utf-8")).render(
        ref=lambda name: f"{SCHEMA_OF.get(name, 'marts')}.{name}",
        var=lambda name: {"bureau_code": "B-RSJ", "city_code": "1501"}[name],
    )
    con.execute(f"create table {SCHEMA_OF.get(model, 'marts')}.{model} as {sql}")


def _on_application(app, rule_id, severity, clause, detail, source_row=None, **given) -> tuple:
    """A finding on one application (a marts.applications row): its number, submitter, committee, region,
    series and level, unless `given`; from the roster's row `source_row` when there is one."""
    source_file = f"{YEAR}/{app[3]}/花名册.xlsx" if source_row is not None else None
    committee, series, level = (given.get(k, app[i]) for k, i in (("committee", 9), ("series", 6), ("level", 7)))
    return (
        YEAR,
        rule_id,
        severity,
        "application",
        app[1],
        app[3],
        committee,
        app[4],
        series,
        level,
        clause,
        detail,
        source_file,
        source_row,
    )


def make_warehouse(path: Path, seed: int = 3) -> dict:
    """Build the warehouse; returns facts the tests check against."""
    rnd = random.Random(seed)
    path = Path(path)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    for schema in ("reference", "raw", "staging", "marts"):
        con.execute(f"create schema {schema}")
    for name in ("regions", "departments", "units", "committees", "policy_calendar", "rules", "labels"):
        # codes are text, as dbt's seed configuration types them (dbt_project.yml)
        types = ", types={'region_code': 'VARCHAR'}" if name == "regions" else ""
        seed = SEEDS_DIR / f"{name}.csv"
        con.execute(f"create table reference.{name} as select * from read_csv('{seed}', all_varchar=false{types})")

    apps, roster, findings, quarantine, audit = [], [], [], [], []
    n = 0
    for sub in SUBMITTERS:
        region = sub if sub[0].isdigit() else None
        file = f"{YEAR}/{sub}/花名册.xlsx"
        count = rnd.randint(6, 10)
        for i in range(count):
            n += 1
            series, committee, level = SERIES[(n + i) % len(SERIES)]
            app_no = f"HH{YEAR}{n:05d}"
            name = SURNAMES[n % 10] + GIVEN[n % 12]
            outcome = rnd.choice(["通过", "通过", "未通过", "未评审"])
            group = rnd.choice(["普通组", "普通组", "基层组"]) if outcome != "未评审" else None
            valid = None if outcome == "未评审" else (n % 7 != 0)
            apps.append(
                (
                    YEAR,
                    app_no,
                    f"{n:016x}",
                    sub,
                    region,
                    "某单位",
                    series,
                    level,
                    "正常申报",
                    committee,
                    group,
                    outcome,
                    valid,
                )
            )
            roster.append((YEAR, sub, app_no, name, _id(n), f"{n:016x}", file, i + 5))
        audit.append((file, "Sheet1", "a" * 64, sub, YEAR, "F1", count + 2, count, 2, False))
        quarantine.append(
            (file, "Sheet1", count + 5, "a" * 64, YEAR, sub, "F1", "身份证号", _id(900 + n), "身份证号校验位错误")
        )
        quarantine.append(
            (file, "Sheet1", count + 6, "a" * 64, YEAR, sub, "F1", "申报日期", "2022-13-01", "日期无法识别")
        )
    # a second-year history row, a superseded file with quarantine, an unknown folder
    audit.append((f"{YEAR}/150121/旧花名册.xlsx", "Sheet1", "b" * 64, "150121", YEAR, "F1", 3, 2, 1, True))
    quarantine.append(
        (f"{YEAR}/150121/旧花名册.xlsx", "Sheet1", 9, "b" * 64, YEAR, "150121", "F1", "姓名", "", "必填项为空")
    )
    audit.append((f"{YEAR}/999999/表.xlsx", "Sheet1", "c" * 64, "999999", YEAR, "F1", 2, 0, 2, False))
    quarantine.append(
        (
            f"{YEAR}/999999/表.xlsx",
            "Sheet1",
            4,
            "c" * 64,
            YEAR,
            "999999",
            "F1",
            None,
            None,
            "报送单位代码未登记，文件不予载入",
        )
    )
    audit.append(
        (f"{YEAR}/D-WJW/工作事项.xlsx", "Sheet1", "f" * 64, "D-WJW", YEAR, "F4", 4, 4, 0, False)
    )  # nothing wrong
    audit.append((f"{YEAR}/C-ZXX-M/评审结果.xlsx", "评审结果", "d" * 64, "C-ZXX-M", YEAR, "F5", 20, 20, 0, False))
    audit.append((f"{YEAR}/C-WS-M/说明.xlsx", "填表说明", "e" * 64, "C-WS-M", YEAR, "未识别", 0, 0, 0, False))
    quarantine.append(
        (
            f"{YEAR}/C-ZXX-M/评审结果.xlsx",
            "评审结果",
            30,
            "d" * 64,
            YEAR,
            "C-ZXX-M",
            "F5",
            "赞成票数",
            "=1+1",
            "赞成票数大于实到评委数",
        )
    )
    # ID numbers that are no valid ID (17 digits: another submitter's applicant in a committee's F5;
    # an old 15-digit one inside a duplicated F7 key): the notices must mask them all the same
    malformed_ids = [_id(1)[:17], "150102900101123"]
    quarantine.append(
        (
            f"{YEAR}/C-ZXX-M/评审结果.xlsx",
            "评审结果",
            31,
            "d" * 64,
            YEAR,
            "C-ZXX-M",
            "F5",
            "身份证号",
            malformed_ids[0],
            "身份证号应为18位（前17位数字，末位数字或X）",
        )
    )
    audit.append((f"{YEAR}/B-RSJ/失信记录.xlsx", "Sheet1", "g" * 64, "B-RSJ", YEAR, "F7", 2, 0, 2, False))
    for row in (4, 5):
        quarantine.append(
            (
                f"{YEAR}/B-RSJ/失信记录.xlsx",
                "Sheet1",
                row,
                "g" * 64,
                YEAR,
                "B-RSJ",
                "F7",
                None,
                f"身份证号={malformed_ids[1]}；记录日期=2021-03-01",
                "身份证号、记录日期在本文件中重复出现（共2行），这些行均未入库",
            )
        )

    # findings: application, submitter, committee, region, city ones
    for a in apps[::3]:
        findings.append(_on_application(a, "FIL-02", "违规", "七(三)", "诚信承诺书为否", source_row=7))
    for a in apps[1::5]:
        findings.append(_on_application(a, "ELG-04", "提示", "四(五)4", "基层服务年限不足1年", source_row=8))
    findings.append(
        (
            YEAR,
            "FIL-01",
            "违规",
            "submitter",
            "150102",
            "150102",
            None,
            "150102",
            None,
            None,
            "六(二)",
            "缺少工作情况总结报告",
            None,
            None,
        )
    )
    findings.append(
        (
            YEAR,
            "SCH-05",
            "违规",
            "region",
            "150124",
            "150124",
            None,
            "150124",
            None,
            None,
            "四(十)",
            "未报送定向评价岗位表",
            None,
            None,
        )
    )
    findings.append(
        (
            YEAR,
            "PUB-03",
            "违规",
            "committee",
            "C-ZXX-150121",
            "C-ZXX-150121",
            "C-ZXX-150121",
            None,
            None,
            None,
            "五(三), 七(二)2",
            "无评审结果公示记录",
            None,
            None,
        )
    )
    findings.append(
        (
            YEAR,
            "QTA-01",
            "违规",
            "city",
            "1501",
            "B-RSJ",
            None,
            None,
            "中小学教师",
            "正高级",
            "四(八)5",
            "中小学教师正高级有效通过13人，超过12人",
            None,
            None,
        )
    )
    # a free-text field typed with an ID number reaches a detail: masked in the report and the notices
    findings.append(
        _on_application(
            apps[2], "ELG-13", "违规", "四(四)", f"破格依据“{_id(777)}”的条件不满足：无对应条款", source_row=9
        )
    )
    # committee conduct: a vote without quorum at a city committee (the committee corrects, the submitter hears of it),
    # and results that do not match the roster at a committee of the autonomous region (raised upward in the report)
    c_app = next(a for a in apps if a[9] == "C-ZXX-M" and a[3] != "C-ZXX-M" and a[11] == "通过")
    findings.append(
        _on_application(
            c_app,
            "COM-03",
            "违规",
            "五(二)",
            "评审结果为通过，但实到评委5人，不足应到评委9人的2/3，评审通过无效",
            source_row=6,
            committee="C-ZXX-M",
        )
    )
    findings.append(
        _on_application(
            apps[4],
            "COM-04",
            "违规",
            "五(二)",
            "评审结果中的申报编号在花名册中找不到",
            committee="C-WS-NMG",
            series="卫生",
            level="副高级",
        )
    )
    # a detail that names another submitter's application number (must be redacted in notices)
    findings.append(
        _on_application(apps[0], "CHN-01", "提示", "三", f"同一人另以申报编号 {apps[-1][1]} 向其他评委会申报")
    )

    con.execute(
        """create table marts.applications (year integer, application_no varchar, person_key varchar,
            submitter_code varchar,
        region_code varchar, unit_name varchar, series varchar, level varchar, route varchar, committee_code varchar,
        group_name varchar, outcome varchar, outcome_valid boolean)"""
    )
    con.executemany("insert into marts.applications values (?,?,?,?,?,?,?,?,?,?,?,?,?)", apps)
    con.execute(
        """create table staging.stg_application_roster__applications (year integer, submitter_code varchar,
            application_no varchar,
        name varchar, id_number varchar, person_key varchar, _source_file varchar, _source_row integer)"""
    )
    con.executemany("insert into staging.stg_application_roster__applications values (?,?,?,?,?,?,?,?)", roster)
    con.execute(
        """create table marts.findings (year integer, rule_id varchar, severity varchar, subject_type varchar,
            subject_key varchar,
        submitter_code varchar, committee_code varchar, region_code varchar, series varchar, level varchar,
        clause varchar,
        detail varchar, source_file varchar, source_row integer)"""
    )
    con.executemany("insert into marts.findings values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", findings)
    con.execute(
        """create table marts.pass_rate_by_group as
        select year, committee_code, level, group_name, count(*) as evaluated,
            count(*) filter (where outcome = '通过') as passed,
            count(*) filter (where outcome = '通过' and outcome_valid) as passed_valid,
            count(*) filter (where outcome = '通过') / count(*) as pass_rate,
            count(*) filter (where outcome = '通过' and outcome_valid) / count(*) as pass_rate_valid
        from marts.applications where outcome <> '未评审' group by all"""
    )
    con.execute(
        """create table marts.quota_compliance (year integer, quota_code varchar, scope_type varchar,
            scope_code varchar,
        limit_value double, actual_value double, compliant boolean)"""
    )
    con.executemany(
        "insert into marts.quota_compliance values (?,?,?,?,?,?,?)",
        [
            (YEAR, "QTA-01", "city", "1501", 12, 13, False),
            (YEAR, "QTA-02", "submitter", "150102", 2.5, 1, True),
            (YEAR, "QTA-03", "region_field", "150121/基层卫生", 3, 2, True),
        ],
    )
    con.execute(
        """create table marts.schedule_adherence (year integer, requirement_code varchar, subject_type varchar,
            subject_code varchar,
        due_date date, actual_date date, compliant boolean)"""
    )
    sched = [
        (YEAR, "DIRECTED-POSTS", "region", r, D(2022, 6, 20), D(2022, 6, 18) if r != "150124" else None, r != "150124")
        for r in ("150102", "150121", "150124", "150125")
    ]
    sched += [(YEAR - 1, "DIRECTED-POSTS", "region", "150124", D(2021, 6, 20), D(2021, 6, 28), False)]
    sched += [(YEAR, "FINISH-BY", "committee", "C-ZXX-150121", D(2022, 9, 30), D(2022, 10, 12), False)]
    sched += [(YEAR, "APPLY-WINDOW", "application", a[1], D(2022, 6, 24), D(2022, 6, 20), True) for a in apps[:5]]
    con.executemany("insert into marts.schedule_adherence values (?,?,?,?,?,?,?)", sched)
    con.execute(
        """create table marts.filing_completeness (year integer, submitter_code varchar, has_roster boolean,
            roster_publicity_ok boolean,
        materials_ok boolean, summary_report_ok boolean, publicity_report_ok boolean, complete boolean)"""
    )
    con.executemany(
        "insert into marts.filing_completeness values (?,?,?,?,?,?,?,?)",
        [
            (YEAR, "150102", True, True, True, False, True, False),
            (YEAR, "150121", True, True, True, True, True, True),
            (YEAR, "150124", False, False, False, False, False, False),
            (YEAR, "150125", True, True, True, True, True, True),
            (YEAR, "D-JYJ", True, True, True, True, True, True),
        ],
    )
    con.execute(
        """create table raw.load_audit (file varchar, sheet varchar, sha256 varchar, submitter_code varchar,
            year integer, form varchar,
        rows_read integer, rows_loaded integer, rows_quarantined integer, superseded boolean, file_mtime timestamp,
        loaded_at timestamp)"""
    )
    con.executemany("insert into raw.load_audit values (?,?,?,?,?,?,?,?,?,?, now(), now())", audit)
    con.execute("create table marts.load_audit as select * exclude (file_mtime, loaded_at) from raw.load_audit")
    con.execute(
        """create table raw.quarantine (_source_file varchar, _source_sheet varchar, _source_row integer,
            _file_sha256 varchar,
        year integer, submitter_code varchar, form varchar, column_name varchar, value varchar, reason varchar,
        _loaded_at timestamp)"""
    )
    con.executemany("insert into raw.quarantine values (?,?,?,?,?,?,?,?,?,?, now())", quarantine)
    # a committee's own evaluation results (F5) for the applications it evaluated
    con.execute(
        """create table staging.stg_evaluation_outcomes__outcomes as
        select year, 'C-ZXX-M' as submitter_code, committee_code, application_no, outcome,
            '2022/C-ZXX-M/评审结果.xlsx' as _source_file,
            cast(row_number() over (order by application_no) + 4 as integer) as _source_row
        from marts.applications where committee_code = 'C-ZXX-M' and outcome <> '未评审'"""
    )
    con.execute("alter table marts.findings add column finding_id varchar")
    con.execute(
        "update marts.findings set finding_id = md5(concat_ws('|', year, rule_id, subject_type, subject_key, detail))"
    )
    # the documents' marts, built by the project's own model SQL (dbt/models/marts/report/)
    for model in MODELS:
        build_model(con, model)
    con.close()
    return {
        "apps": apps,
        "roster": roster,
        "findings": findings,
        "submitters": SUBMITTERS,
        "malformed_ids": malformed_ids,
    }
