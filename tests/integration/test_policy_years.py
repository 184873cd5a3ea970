"""Every policy year side by side (contract v3 §3): one run over 2022 and a test-only year.

The second year is the invented fixture of tests/fixtures/year_2023 (clearly not policy data), merged into a
copy of seeds/ and given to the run through ZHICHENG_SEEDS; the inbox is the 2022 sample of the shared
pipeline run (seed 7, 200 applications) plus that year's files.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from dagster_project.contract import CONTRACT_MARTS
from dagster_project.policy.merge import merge_reference
from dagster_project.sample.generator import load_ground_truth
from dagster_project.sample.second_year import generate_two_year_inbox
from tests.conftest import PROJECT_ROOT, run_zhicheng

FIXTURE_YEAR = PROJECT_ROOT / "tests" / "fixtures" / "year_2023"
KEY = os.environ["ZHICHENG_PII_KEY"].encode()
MARTS = CONTRACT_MARTS


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    work = tmp_path_factory.mktemp("two_years")
    seeds = merge_reference(FIXTURE_YEAR, work / "seeds")
    inbox = work / "inbox"
    generate_two_year_inbox(inbox, seeds, seed=7, applications=200)
    warehouse = work / "warehouse.duckdb"
    result = run_zhicheng(
        "run",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(warehouse),
        "--out",
        str(work / "output"),
        env={"DAGSTER_HOME": str(work / "dagster_home"), "ZHICHENG_SEEDS": str(seeds)},
    )
    return warehouse, inbox, seeds, result


def _query(warehouse: Path, sql: str, *params):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _year_rows(warehouse: Path, mart: str, year: int) -> list[tuple]:
    """Every row of the year, every column, in one total order (an ordered export)."""
    sql = (
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
        "order by ordinal_position"
    )
    cols = [r[0] for r in _query(warehouse, sql, mart)]
    order = ", ".join(f'"{c}"' for c in cols)
    return _query(warehouse, f"select {order} from marts.{mart} where year = ? order by {order}", year)


def test_the_run_checks_the_reference_data_of_both_years(two_years):
    _, _, _, result = two_years
    assert "参考数据检查通过：政策年度 2022、2023" in result.stdout


def test_findings_equal_the_ground_truth_of_each_year(two_years):
    warehouse, inbox, _, _ = two_years
    for year, truth in ((2022, "ground_truth.csv"), (2023, "ground_truth_2023.csv")):
        expected = load_ground_truth(inbox / truth, KEY)
        actual = Counter(
            _query(
                warehouse,
                "select rule_id, severity, subject_type, subject_key from marts.findings where year = ?",
                year,
            )
        )
        missing, extra = sorted((expected - actual).elements()), sorted((actual - expected).elements())
        assert actual == expected, (year, missing, extra)
    # the cases that cross years or read the year's own reference rows
    assert {r for r, *_ in load_ground_truth(inbox / "ground_truth_2023.csv", KEY)} == {
        "ELG-07",
        "COM-01",
        "INT-01",
        "CHN-03",
        "SCH-03",
    }


def test_every_mart_carries_both_years(two_years):
    warehouse, *_ = two_years
    for mart in MARTS:
        years = {y for (y,) in _query(warehouse, f"select distinct year from marts.{mart}")}
        assert {2022, 2023} <= years, mart


def test_2022_marts_are_unchanged_by_a_second_year(two_years, pipeline_run):
    """The 2022 rows of every mart, row for row and column for column, with and without the second year."""
    with_second, *_ = two_years
    alone, _, _ = pipeline_run
    assert {y for (y,) in _query(alone, "select distinct year from marts.findings")} == {2022}
    for mart in MARTS:
        rows = _year_rows(alone, mart, 2022)
        assert rows, mart
        assert _year_rows(with_second, mart, 2022) == rows, mart


def test_a_changed_parameter_changes_the_finding_of_its_year_only(two_years):
    warehouse, *_ = two_years
    # C-ZXX-150121 filed its plan 15 days ahead: on time under 2022's 14 days, late under the fixture's 21
    rows = _query(
        warehouse,
        "select year, due_date, actual_date, compliant from marts.schedule_adherence "
        "where requirement_code = 'PLAN-FILED' and subject_code = 'C-ZXX-150121' order by year",
    )
    assert [(y, c) for y, _, _, c in rows] == [(2022, True), (2023, False)]
    (_, due, actual, _) = rows[1]
    assert (actual - due).days == 21 - 15
    limits = _query(
        warehouse, "select year, limit_value from marts.quota_compliance where quota_code = 'QTA-01' order by year"
    )
    assert limits == [(2022, 12.0), (2023, 10.0)]


def test_a_reference_problem_stops_the_run_before_any_model(two_years, tmp_path):
    _, inbox, seeds, _ = two_years
    broken = merge_reference(FIXTURE_YEAR, tmp_path / "seeds")
    text = (broken / "policy_parameters.csv").read_text(encoding="utf-8")
    (broken / "policy_parameters.csv").write_text(text.replace("2023,BLACKLIST_YEARS,3\n", ""), encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    result = run_zhicheng(
        "run",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(warehouse),
        "--out",
        str(tmp_path / "out"),
        env={"DAGSTER_HOME": str(tmp_path / "dagster_home"), "ZHICHENG_SEEDS": str(broken)},
        check=False,
    )
    assert result.returncode == 1
    assert "policy_parameters.csv（2023 年度）：缺少参数 BLACKLIST_YEARS（规则读取它）" in result.stderr
    assert _query(warehouse, "select count(*) from information_schema.tables where table_schema = 'marts'") == [(0,)]


def test_each_year_is_a_partition_of_the_report_and_the_notices(two_years):
    """The run made the latest year's documents; `report --year` / `notices --year` materialise another year's
    partition in the same Dagster instance, and a year without policy rows is refused in Chinese."""
    from dagster import DagsterInstance

    from dagster_project.notices.assets import NOTICES_KEY
    from dagster_project.report.assets import REPORT_KEY

    warehouse, _, seeds, _ = two_years
    work = warehouse.parent
    env = {"DAGSTER_HOME": str(work / "dagster_home"), "ZHICHENG_SEEDS": str(seeds)}
    paths = ["--warehouse", str(warehouse), "--out", str(work / "output")]
    instance = DagsterInstance.from_config(str(work / "dagster_home"))
    assert instance.get_materialized_partitions(REPORT_KEY) == {"2023"}
    run_zhicheng("report", "--year", "2022", *paths, env=env)
    run_zhicheng("notices", "--year", "2022", *paths, env=env)
    for key in (REPORT_KEY, NOTICES_KEY):
        assert instance.get_materialized_partitions(key) == {"2022", "2023"}, key
    assert (work / "output" / "report" / "2022" / "监管报告_2022.pdf").is_file()
    refused = run_zhicheng("report", "--year", "2030", *paths, env=env, check=False)
    assert refused.returncode == 1
    assert "2030 年度没有政策数据（已有年度：2022、2023）" in refused.stderr
