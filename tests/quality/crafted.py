"""A small warehouse crafted for the quality suites: reference.policy_parameters from the
seeds, the intermediate quality tables the suites read (clean rows), and the raw / marts
tables of the load-integrity suite. Tests then break one thing and look at the outcome."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from dagster_project import forms
from dagster_project.ingest.load import ensure_schema
from dagster_project.settings import SEEDS_DIR

D = dt.date
YEAR = 2022


def _insert(con, name: str, rows: list[dict]) -> None:
    for row in rows:
        cols = ", ".join(f'"{c}"' for c in row)
        con.execute(f"insert into {name} ({cols}) values ({', '.join('?' for _ in row)})", list(row.values()))


def _table(con, name: str, columns: list[tuple[str, str]], rows: list[dict]) -> None:
    body = ", ".join(f'"{c}" {t}' for c, t in columns)
    con.execute(f"create or replace table {name} ({body})")
    for row in rows:
        names = [c for c, _ in columns]
        con.execute(f"insert into {name} values ({', '.join('?' for _ in names)})", [row.get(c) for c in names])


def make_clean(path: Path) -> Path:
    path = Path(path)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    for schema in ("reference", "raw", "staging", "intermediate", "marts"):
        con.execute(f"create schema {schema}")
    con.execute(
        f"create table reference.policy_parameters as select year::integer as year, parameter, value::double as value "
        f"from read_csv('{SEEDS_DIR / 'policy_parameters.csv'}')"
    )
    con.execute(f"create table reference.committees as select * from read_csv('{SEEDS_DIR / 'committees.csv'}')")
    con.execute("create table intermediate.int_policy_years as select distinct year from reference.policy_parameters")
    con.execute(
        "create table intermediate.int_submitters as select region_code as submitter_code "
        f"from read_csv('{SEEDS_DIR / 'regions.csv'}', all_varchar=true) "
        f"union all select department_code from read_csv('{SEEDS_DIR / 'departments.csv'}')"
    )

    # publicity.unit — 2022-06-06 (Mon) .. 06-10 (Fri) = 5 working days; materials on 06-20
    _table(
        con,
        "intermediate.int_quality_unit_publicity",
        [
            ("year", "INTEGER"),
            ("application_no", "VARCHAR"),
            ("submitter_code", "VARCHAR"),
            ("unit_publicity_start", "DATE"),
            ("unit_publicity_end", "DATE"),
            ("unit_publicity_workdays", "INTEGER"),
            ("materials_submitted_date", "DATE"),
        ],
        [
            {
                "year": YEAR,
                "application_no": f"HH2022{i:04d}",
                "submitter_code": "150121",
                "unit_publicity_start": D(2022, 6, 6),
                "unit_publicity_end": D(2022, 6, 10),
                "unit_publicity_workdays": 5,
                "materials_submitted_date": D(2022, 6, 20),
            }
            for i in range(1, 6)
        ],
    )
    # filing.submitters / publicity.roster
    _table(
        con,
        "intermediate.int_quality_submitter_filing",
        [
            ("year", "INTEGER"),
            ("submitter_code", "VARCHAR"),
            ("submitter_kind", "VARCHAR"),
            ("materials_last_date", "DATE"),
            ("materials_signed_date", "DATE"),
            ("summary_report_date", "DATE"),
            ("publicity_report_date", "DATE"),
            ("roster_publicity_start", "DATE"),
            ("roster_publicity_end", "DATE"),
            ("roster_publicity_workdays", "INTEGER"),
        ],
        [
            {
                "year": YEAR,
                "submitter_code": code,
                "submitter_kind": kind,
                "materials_last_date": D(2022, 7, 20),
                "materials_signed_date": D(2022, 7, 20),
                "summary_report_date": D(2022, 10, 20),
                "publicity_report_date": D(2022, 10, 21),
                "roster_publicity_start": D(2022, 7, 11),
                "roster_publicity_end": D(2022, 7, 15),
                "roster_publicity_workdays": 5,
            }
            for code, kind in (("150121", "region"), ("150102", "region"), ("D-JYJ", "department"))
        ],
    )
    # filing.committees / publicity.results
    _table(
        con,
        "intermediate.int_quality_committee_filing",
        [
            ("year", "INTEGER"),
            ("committee_code", "VARCHAR"),
            ("scope", "VARCHAR"),
            ("in_schedule_scope", "BOOLEAN"),
            ("in_publicity_scope", "BOOLEAN"),
            ("evaluation_start", "DATE"),
            ("evaluation_end", "DATE"),
            ("evaluation_work_end", "DATE"),
            ("plan_filed_date", "DATE"),
            ("plan_lead_days", "INTEGER"),
            ("approval_report_date", "DATE"),
            ("result_filing_due_date", "DATE"),
            ("results_publicity_start", "DATE"),
            ("results_publicity_end", "DATE"),
            ("results_publicity_workdays", "INTEGER"),
        ],
        [
            {
                "year": YEAR,
                "committee_code": code,
                "scope": scope,
                "in_schedule_scope": scope != "市级",
                "in_publicity_scope": True,
                "evaluation_start": D(2022, 9, 1),
                "evaluation_end": D(2022, 9, 2),
                "evaluation_work_end": D(2022, 9, 9),
                "plan_filed_date": D(2022, 8, 1),
                "plan_lead_days": 31,
                "approval_report_date": D(2022, 9, 20),
                "result_filing_due_date": D(2022, 10, 9),
                "results_publicity_start": D(2022, 9, 5),
                "results_publicity_end": D(2022, 9, 9),
                "results_publicity_workdays": 5,
            }
            for code, scope in (("C-ZXX-150121", "旗县区"), ("C-HHVC", "自主评审"), ("C-GC-M", "市级"))
        ],
    )
    # filing.directed_posts
    _table(
        con,
        "intermediate.int_quality_directed_posts",
        [
            ("year", "INTEGER"),
            ("region_code", "VARCHAR"),
            ("directed_post_rows", "INTEGER"),
            ("directed_posts_last_date", "DATE"),
            ("directed_posts_due_date", "DATE"),
        ],
        [
            {
                "year": YEAR,
                "region_code": code,
                "directed_post_rows": 2,
                "directed_posts_last_date": D(2022, 6, 15),
                "directed_posts_due_date": D(2022, 6, 20),
            }
            for code in ("150102", "150121", "150122")
        ],
    )

    # load integrity: raw rows, quarantine and the audit that reconciles them
    file, sheet, sha = f"{YEAR}/150121/花名册.xlsx", "Sheet1", "a" * 64
    ensure_schema(con)
    _insert(
        con,
        f"raw.{forms.FORMS['F1'].table}",
        [
            {
                "year": YEAR,
                "submitter_code": "150121",
                "application_no": f"HH2022{i:04d}",
                "committee_code": "C-ZXX-150121",
                "_source_file": file,
                "_source_sheet": sheet,
                "_source_row": 4 + i,
                "_file_sha256": sha,
                "_superseded": False,
            }
            for i in range(1, 6)
        ],
    )
    _insert(
        con,
        "raw.quarantine",
        [
            {
                "_source_file": file,
                "_source_sheet": sheet,
                "_source_row": 10,
                "_file_sha256": sha,
                "year": YEAR,
                "submitter_code": "150121",
                "form": "F1",
                "column_name": c,
                "reason": "测试",
            }
            for c in ("身份证号", "申报日期")  # two problems, one row
        ],
    )
    _insert(
        con,
        "raw.load_audit",
        [
            {
                "file": file,
                "sheet": sheet,
                "sha256": sha,
                "submitter_code": "150121",
                "year": YEAR,
                "form": "F1",
                "rows_read": 6,
                "rows_loaded": 5,
                "rows_quarantined": 1,
                "superseded": False,
            },
        ],
    )
    con.execute(
        "create table marts.load_audit as select file, sheet, sha256, submitter_code, year, form, "
        "rows_read, rows_loaded, rows_quarantined, superseded from raw.load_audit"
    )
    con.execute(
        "create view staging.stg_application_roster__applications as "
        "select * from raw.application_roster where not _superseded"
    )
    con.execute("create view staging.stg_evaluation_outcomes__outcomes as select * from raw.evaluation_outcomes")
    con.execute(
        "create table marts.applications as select year, application_no, "
        "'k' || application_no as person_key, submitter_code, committee_code "
        "from staging.stg_application_roster__applications"
    )
    con.execute(
        "create table intermediate.int_outcomes as select 2022 as year, 'C-ZXX-150121' as committee_code, "
        "application_no, true as matched, false as is_ambiguous from marts.applications"
    )
    con.execute(
        "create table marts.findings (year integer, rule_id varchar, severity varchar, subject_type varchar, "
        "subject_key varchar, submitter_code varchar, committee_code varchar)"
    )
    con.close()
    return path
