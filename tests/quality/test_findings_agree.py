"""The quality suites and the rule engine judge some rules both (PUB-01/02/03, FIL-01, SCH-03/04/05):
on a real pipeline run every GE failure of such a rule has a finding of that rule for the same
year and subject, and every finding has a GE failure."""

from __future__ import annotations

import duckdb

from dagster_project import rule_registry
from dagster_project.quality.runner import load_suites, run_suites


def _ge_failures(con) -> dict[str, set[str]]:
    failures: dict[str, set[str]] = {}
    for outcome in run_suites(con, None, load_suites()):
        assert outcome.error is None, outcome.summary_zh()
        for expectation in outcome.expectations:
            failures.setdefault(expectation.rule_id, set()).update(expectation.subjects)
    return failures


def test_every_ge_failure_has_a_finding_and_back(pipeline_run):
    warehouse, _, result = pipeline_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        failures = _ge_failures(con)
        shared = sorted(set(failures) & set(rule_registry.rules()))
        assert set(shared) == {"PUB-01", "PUB-02", "PUB-03", "FIL-01", "SCH-03", "SCH-04", "SCH-05"}
        judged = 0
        for rule_id in shared:
            findings = {
                f"{year}:{key}"
                for year, key in con.execute(
                    "select year, subject_key from marts.findings where rule_id = ?", [rule_id]
                ).fetchall()
            }
            assert failures[rule_id] == findings, (
                f"{rule_id}：只有 GE 不通过 {sorted(failures[rule_id] - findings)}；"
                f"只有发现 {sorted(findings - failures[rule_id])}"
            )
            judged += len(findings)
        assert judged > 0  # the sample injects breaches of these rules: the comparison is not vacuous
    finally:
        con.close()
