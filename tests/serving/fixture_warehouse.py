"""A small, realistic warehouse with the contract's mart tables (contract.md section 4) and the
reference seeds, for testing the publish step, the SQL shell and the dashboards without
running the whole pipeline. Deterministic for a given seed."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import duckdb

from tests.report.report_fixture_warehouse import build_model

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

COMMITTEES = [
    # code, series, levels, host region (or None)
    ("C-ZXXGJ-M", "中小学教师", ["副高级", "正高级"], None),
    ("C-JCGJ-M", "工程", ["副高级"], None),
    ("C-ZXX-M", "中小学教师", ["中级", "初级"], None),
    ("C-GC-M", "工程", ["中级", "初级"], None),
    ("C-WS-M", "卫生", ["中级", "初级"], None),
    ("C-ZXX-150121", "中小学教师", ["中级", "初级"], "150121"),
    ("C-ZXX-150125", "中小学教师", ["中级", "初级"], "150125"),
    ("C-WS-150122", "卫生", ["中级"], "150122"),
    ("C-ZH-150105", "农牧业", ["中级"], "150105"),
    ("C-GX-ZP", "高校教师", ["中级", "副高级"], None),
]
REGIONS = ["150102", "150103", "150104", "150105", "150121", "150122", "150123", "150124", "150125"]
DEPARTMENTS = ["D-JYJ", "D-WJW", "D-NMJ"]
GROUPS = ["普通组", "基层组", "非公组", "专精特新组"]
RULES = [
    ("PUB-01", "违规", "application", "五(一)", "单位公示不足 5 个工作日"),
    ("FIL-02", "违规", "application", "七(三)", "未提交诚信承诺书"),
    ("SCH-01", "违规", "application", "二(一)", "申报日期不在申报时间内"),
    ("INT-01", "提示", "application", "七(三)", "申报人近三年有失信记录"),
    ("COM-03", "违规", "application", "人社部令第40号", "赞成票不足实到评委的三分之二"),
    ("PUB-02", "违规", "submitter", "五(二)", "花名册公示不足 5 个工作日"),
    ("FIL-01", "违规", "submitter", "六(二)", "缺少工作情况总结报告"),
    ("SCH-04", "违规", "committee", "六(六)", "评审结果未按时核准备案"),
    ("COM-01", "提示", "evaluator", "六(四)", "评委连续四年参加评审"),
    ("QTA-02", "违规", "submitter", "四(十一)1", "超岗申报超过高级岗位数的 5%"),
]


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_warehouse(
    path: Path, *, seed: int = 1, applications: int = 300, years: tuple[int, ...] = (2021, 2022)
) -> Path:
    rng = random.Random(seed)
    path = Path(path)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create schema reference; create schema staging; create schema marts; create schema raw")
    for name in ("regions", "departments", "units", "committees", "labels"):
        seed = SEEDS / f"{name}.csv"
        con.execute(f"create table reference.{name} as select * from read_csv('{seed}', all_varchar = true)")
    # the code → name directory, built by the project's own model SQL (int_submitters.sql, submitters.sql)
    for model in ("int_submitters", "submitters"):
        build_model(con, model)
    # A raw table with ID numbers and names, which must never reach the snapshot.
    con.execute("create table raw.application_roster (id_number varchar, 姓名 varchar)")
    con.execute("insert into raw.application_roster values ('150102198001011234', '张三')")

    apps, findings = [], []
    for year in years:
        for i in range(applications):
            committee, series, levels, host = rng.choice(COMMITTEES)
            level = rng.choice(levels)
            if host:
                submitter, region = host, host
            elif rng.random() < 0.3:
                submitter, region = rng.choice(DEPARTMENTS), ""
            else:
                submitter = region = rng.choice(REGIONS)
            outcome = rng.choices(["通过", "未通过", "未评审"], [6, 3, 1])[0]
            valid = None if outcome == "未评审" else rng.random() > 0.08
            app_no = f"NM{year}-{i + 1:05d}"
            apps.append(
                (
                    year,
                    app_no,
                    _key(f"{year}-{i}"),
                    submitter,
                    region,
                    f"呼和浩特市第{i % 17 + 1}中学",
                    series,
                    level,
                    rng.choice(["正常申报", "破格申报", "定向评价"]),
                    committee,
                    rng.choice(GROUPS),
                    outcome,
                    valid,
                )
            )
            if rng.random() < 0.35:
                rule_id, severity, subject_type, clause, detail = rng.choice(
                    [r for r in RULES if r[2] == "application"]
                )
                findings.append(
                    (
                        year,
                        rule_id,
                        severity,
                        subject_type,
                        app_no,
                        submitter,
                        committee,
                        region or None,
                        series,
                        level,
                        clause,
                        f"{detail}（{app_no}）",
                        f"{year}/{submitter}/花名册.xlsx",
                        i + 2,
                    )
                )
        for code in REGIONS + DEPARTMENTS:
            if rng.random() < 0.4:
                rule_id, severity, subject_type, clause, detail = rng.choice([r for r in RULES if r[2] == "submitter"])
                findings.append(
                    (
                        year,
                        rule_id,
                        severity,
                        subject_type,
                        code,
                        code,
                        None,
                        code if code[0] == "1" else None,
                        None,
                        None,
                        clause,
                        detail,
                        f"{year}/{code}/工作事项记录.xlsx",
                        3,
                    )
                )
        for committee, series, _levels, host in COMMITTEES:
            if rng.random() < 0.5:
                findings.append(
                    (
                        year,
                        "SCH-04",
                        "违规",
                        "committee",
                        committee,
                        host,
                        committee,
                        host,
                        series,
                        None,
                        "六(六)",
                        "评审结果未按时核准备案",
                        None,
                        None,
                    )
                )
            findings.append(
                (
                    year,
                    "COM-01",
                    "提示",
                    "evaluator",
                    _key(committee + str(year)),
                    host,
                    committee,
                    host,
                    series,
                    None,
                    "六(四)",
                    "评委连续四年参加评审",
                    f"{year}/{committee}/评委名单.xlsx",
                    5,
                )
            )

    con.execute("""
        create table marts.applications (
            year integer, application_no varchar, person_key varchar, submitter_code varchar, region_code varchar,
            unit_name varchar, series varchar, level varchar, route varchar, committee_code varchar,
            group_name varchar, outcome varchar, outcome_valid boolean)""")
    con.executemany("insert into marts.applications values (?,?,?,?,?,?,?,?,?,?,?,?,?)", apps)
    con.execute("""
        create table marts.findings (
            year integer, rule_id varchar, severity varchar, subject_type varchar, subject_key varchar,
            submitter_code varchar, committee_code varchar, region_code varchar, series varchar, level varchar,
            clause varchar, detail varchar, source_file varchar, source_row integer)""")
    con.executemany("insert into marts.findings values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", findings)
    con.execute("""
        create table marts.pass_rate_by_group as
        select year, committee_code, level, group_name,
            count(*) as evaluated,
            count(*) filter (where outcome = '通过') as passed,
            count(*) filter (where outcome = '通过' and outcome_valid) as passed_valid,
            passed / evaluated as pass_rate, passed_valid / evaluated as pass_rate_valid
        from marts.applications where outcome <> '未评审' group by all""")
    con.execute("""
        create table marts.quota_compliance as
        select year, 'QTA-01' as quota_code, 'city' as scope_type, '1501' as scope_code, 12.0 as limit_value,
            count(*) filter (
                where series = '中小学教师' and level = '正高级' and outcome = '通过' and outcome_valid
            )::double as actual_value,
            actual_value <= limit_value as compliant
        from marts.applications group by year
        union all
        select year, 'QTA-02', 'submitter', submitter_code, 0.05 * 60,
            count(*) filter (where route = '破格申报')::double,
            count(*) filter (where route = '破格申报') <= 3
        from marts.applications group by year, submitter_code
        union all
        select year, 'QTA-03', 'region_field', region_code || '/基层卫生', 4.0,
            (hash(region_code) % 7)::double, (hash(region_code) % 7) <= 4
        from marts.applications where region_code <> '' group by year, region_code""")
    con.execute("""
        create table marts.schedule_adherence as
        select year, 'FINISH-BY' as requirement_code, 'committee' as subject_type, committee_code as subject_code,
            make_date(year, 9, 30) as due_date,
            make_date(year, 9, 30) + (hash(committee_code || year) % 20)::integer - 10 as actual_date,
            actual_date <= due_date as compliant
        from marts.applications group by year, committee_code
        union all
        select year, 'DIRECTED-POSTS', 'region', region_code, make_date(year, 6, 20),
            case
                when hash(region_code) % 5 = 0 then null
                else make_date(year, 6, 20) + (hash(region_code || year) % 6)::integer - 3
            end,
            coalesce(
                make_date(year, 6, 20) + (hash(region_code || year) % 6)::integer - 3 <= make_date(year, 6, 20)
                and hash(region_code) % 5 <> 0,
                false
            )
        from marts.applications where region_code <> '' group by year, region_code""")
    con.execute("""
        create table marts.filing_completeness as
        select year, submitter_code, true as has_roster, hash(submitter_code) % 3 <> 0 as roster_publicity_ok,
            hash(submitter_code || 'm') % 4 <> 0 as materials_ok, true as summary_report_ok,
            hash(submitter_code || 'p') % 5 <> 0 as publicity_report_ok,
            roster_publicity_ok and materials_ok and summary_report_ok and publicity_report_ok as complete
        from marts.applications group by year, submitter_code""")
    con.execute("""
        create table marts.load_audit as
        select distinct year || '/' || submitter_code || '/花名册.xlsx' as file, '花名册' as sheet,
            md5(submitter_code) as sha256, submitter_code, year, 'F1' as form,
            40 as rows_read, 38 as rows_loaded, 2 as rows_quarantined, false as superseded
        from marts.applications""")
    con.close()
    return path
