"""Each suite passes on clean data and fails on a crafted breach, naming the subject."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from dagster_project.quality.docs import network_links
from dagster_project.quality.runner import all_datasets, load_suites, run_suites
from dagster_project.settings import EXPECTATIONS_DIR

from .crafted import make_clean

SUITES = load_suites()
DATASETS = {d.name: d for d in all_datasets(SUITES)}


@pytest.fixture()
def warehouse(tmp_path) -> Path:
    return make_clean(tmp_path / "w.duckdb")


def evaluate(warehouse: Path, docs: Path | None = None, breach: str | None = None) -> dict:
    if breach:
        con = duckdb.connect(str(warehouse))
        con.execute(breach)
        con.close()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {o.dataset.name: o for o in run_suites(con, docs)}
    finally:
        con.close()


def test_three_suite_files_every_expectation_names_rule_and_clause():
    assert {s.name for s in SUITES} == {"filing", "publicity", "load_integrity"}
    assert {p.stem for p in EXPECTATIONS_DIR.glob("*.py")} >= {"filing", "publicity", "load_integrity"}
    for dataset in DATASETS.values():
        assert dataset.expectations
        for expectation in dataset.expectations:
            assert re.fullmatch(r"[A-Z]{3,4}-\d\d", expectation.meta["rule_id"]), expectation.meta
            assert expectation.meta["clause"]
            assert re.search(r"[\u4e00-\u9fff]", expectation.description)


def test_no_restated_boolean_and_no_policy_number_in_suites():
    for dataset in DATASETS.values():
        for expectation in dataset.expectations:
            kwargs = expectation.configuration.kwargs
            columns = [kwargs.get(k) for k in ("column", "column_A", "column_B")] + list(
                kwargs.get("column_list") or []
            )
            for column in filter(None, columns):
                assert column not in {"compliant", "complete"} and not column.endswith(("_ok", "_adequate")), column
            for key in ("min_value", "max_value", "value"):
                value = kwargs.get(key)
                # thresholds are parameters of reference.policy_parameters, never literals
                assert value is None or (isinstance(value, dict) and "$PARAMETER" in value), (dataset.name, key, value)
    for path in EXPECTATIONS_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "== true" not in text.lower() and "is true" not in text.lower()


def test_clean_data_passes_every_suite_and_docs_are_offline(warehouse, tmp_path):
    docs = tmp_path / "data_docs"
    outcomes = evaluate(warehouse, docs)
    assert set(outcomes) == set(DATASETS)
    for name, outcome in outcomes.items():
        assert outcome.success, (name, outcome.error, outcome.first_subjects, outcome.expectations)
    assert outcomes["publicity.unit"].evaluated == 5
    assert outcomes["load.files"].evaluated == 1
    index = docs / "index.html"
    assert index.is_file()
    assert network_links(docs) == []
    html = index.read_text(encoding="utf-8")
    assert "static/offline/offline.js" in html and "校验结果" in html
    for outcome in outcomes.values():
        assert outcome.pages and all((docs / page).is_file() for page in outcome.pages)
    suite_page = (docs / "expectations" / "publicity" / "unit.html").read_text(encoding="utf-8")
    assert "PUB-01" in suite_page and "单位公示" in suite_page


BREACHES = [
    # (suite dataset, SQL that breaks it, subject expected among the first unexpected, rule)
    (
        "publicity.unit",
        "update intermediate.int_quality_unit_publicity set unit_publicity_workdays = 4 "
        "where application_no = 'HH20220002'",
        "HH20220002",
        "PUB-01",
    ),
    (
        "publicity.unit",
        "update intermediate.int_quality_unit_publicity set materials_submitted_date = date '2022-06-10' "
        "where application_no = 'HH20220003'",
        "HH20220003",
        "PUB-01",
    ),
    (
        "publicity.roster",
        "update intermediate.int_quality_submitter_filing set roster_publicity_end = null "
        "where submitter_code = 'D-JYJ'",
        "D-JYJ",
        "PUB-02",
    ),
    (
        "publicity.results",
        "update intermediate.int_quality_committee_filing set results_publicity_start = date '2022-09-01' "
        "where committee_code = 'C-HHVC'",
        "C-HHVC",
        "PUB-03",
    ),
    (
        "filing.submitters",
        "update intermediate.int_quality_submitter_filing set materials_signed_date = null "
        "where submitter_code = '150102'",
        "150102",
        "FIL-01",
    ),
    (
        "filing.committees",
        "update intermediate.int_quality_committee_filing set plan_lead_days = 13 "
        "where committee_code = 'C-ZXX-150121'",
        "C-ZXX-150121",
        "SCH-03",
    ),
    (
        "filing.committees",
        "update intermediate.int_quality_committee_filing set approval_report_date = date '2022-10-10' "
        "where committee_code = 'C-HHVC'",
        "C-HHVC",
        "SCH-04",
    ),
    (
        "filing.directed_posts",
        "update intermediate.int_quality_directed_posts set directed_posts_last_date = "
        "date '2022-06-21' where region_code = '150122'",
        "150122",
        "SCH-05",
    ),
    (
        "load.files",
        "delete from raw.application_roster where application_no = 'HH20220004'",
        "2022/150121/花名册.xlsx | Sheet1",
        "LOAD-02",
    ),
    ("load.files", "update marts.load_audit set rows_read = 7", "2022/150121/花名册.xlsx | Sheet1", "LOAD-01"),
    (
        "load.applications",
        "insert into marts.applications select * from marts.applications where application_no = 'HH20220001'",
        "HH20220001",
        "LOAD-04",
    ),
    (
        "load.outcomes",
        "update intermediate.int_outcomes set matched = false where application_no = 'HH20220005'",
        "C-ZXX-150121/HH20220005",
        "LOAD-05",
    ),
    (
        "load.codes",
        "update raw.application_roster set committee_code = 'C-NOPE' where application_no = 'HH20220001'",
        "committee:C-NOPE",
        "LOAD-06",
    ),
]


@pytest.mark.parametrize(
    "name,breach,subject,rule", BREACHES, ids=[f"{b[0]}-{b[3]}-{i}" for i, b in enumerate(BREACHES)]
)
def test_crafted_breach_fails_its_suite(warehouse, name, breach, subject, rule):
    outcomes = evaluate(warehouse, breach=breach)
    outcome = outcomes[name]
    assert not outcome.success
    assert subject in outcome.first_subjects
    assert outcome.unexpected_rows >= 1
    assert outcome.rule_counts().get(rule, 0) >= 1
    # only that dataset breaks (the others still pass), except where one breach is visible to several
    others = [n for n, o in outcomes.items() if not o.success and n != name]
    assert others in ([], ["load.codes"]), others


def test_flagged_problems_count_as_accounted_for(warehouse):
    outcomes = evaluate(
        warehouse,
        breach="""
        update intermediate.int_outcomes set matched = false where application_no = 'HH20220005';
        update raw.application_roster set committee_code = 'C-NOPE' where application_no = 'HH20220001';
        insert into marts.findings (year, rule_id, subject_key) values
            (2022, 'COM-04', 'HH20220005'), (2022, 'CHN-03', 'C-NOPE');
    """,
    )
    assert outcomes["load.outcomes"].success
    assert outcomes["load.codes"].success


def test_threshold_is_read_from_policy_parameters_at_run_time(warehouse):
    breach = (
        "update intermediate.int_quality_unit_publicity set unit_publicity_workdays = 4 "
        "where application_no = 'HH20220002'"
    )
    assert not evaluate(warehouse, breach=breach)["publicity.unit"].success
    lowered = (
        "update reference.policy_parameters set value = 4 where parameter = 'PUBLICITY_MIN_WORKDAYS' and year = 2022"
    )
    assert evaluate(warehouse, breach=lowered)["publicity.unit"].success
    missing = "delete from reference.policy_parameters where parameter = 'PLAN_LEAD_DAYS'"
    outcome = evaluate(warehouse, breach=missing)["filing.committees"]
    assert not outcome.success and "PLAN_LEAD_DAYS" in outcome.error
