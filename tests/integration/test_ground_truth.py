"""marts.findings equals, as a multiset, what the sample generator injected — for several seeds."""

from __future__ import annotations

import os
import subprocess
from collections import Counter

import duckdb
import pytest

from dagster_project.calendar.workdays import build_calendar, calendar_years, write_calendar
from dagster_project.ingest import load_inbox
from dagster_project.sample.generator import generate_inbox, load_ground_truth
from dagster_project.settings import DBT_DIR, SEEDS_DIR
from dagster_project.transform.project import DBT_EXECUTABLE

KEY = os.environ["ZHICHENG_PII_KEY"].encode()


def _findings(warehouse) -> Counter:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select rule_id, severity, subject_type, subject_key from marts.findings").fetchall()
    finally:
        con.close()
    return Counter(rows)


def _diff(actual: Counter, expected: Counter) -> str:
    missing, extra = expected - actual, actual - expected
    return f"missing {sorted(missing.elements())[:20]}\nextra {sorted(extra.elements())[:20]}"


def test_findings_equal_ground_truth_of_the_pipeline_run(pipeline_run, sample_inbox):
    warehouse, _, _ = pipeline_run
    expected = load_ground_truth(sample_inbox / "ground_truth.csv", KEY)
    actual = _findings(warehouse)
    assert actual == expected, _diff(actual, expected)


@pytest.mark.parametrize("seed,applications", [(11, 150), (2022, 120)])
def test_findings_equal_ground_truth_for_other_seeds(tmp_path, seed, applications):
    """Same pipeline pieces (loader, calendar, dbt models) without dbt's tests, to keep the suite fast."""
    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    truth = generate_inbox(inbox, seed=seed, applications=applications)
    con = duckdb.connect(str(warehouse))
    try:
        load_inbox(inbox, con, KEY)
        write_calendar(con, build_calendar(calendar_years(SEEDS_DIR)))
    finally:
        con.close()
    result = subprocess.run(
        [
            DBT_EXECUTABLE,
            "build",
            "--profiles-dir",
            ".",
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
            "--select",
            "+findings",
            # its own target folder: the project's (the parse `make setup` made for the default run) stays as it is
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=DBT_DIR,
        env={**os.environ, "ZHICHENG_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    expected = load_ground_truth(truth, KEY)
    actual = _findings(warehouse)
    assert sum(expected.values()) > 50
    assert {rule for rule, *_ in expected} >= {"ELG-01", "SCH-05", "COM-03", "QTA-02"}
    assert actual == expected, _diff(actual, expected)
