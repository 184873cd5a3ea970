"""The rule registry (seeds/rules.csv) is the one list of rules: every rule model has its row and back."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from dagster_project import rule_registry
from dagster_project.sample.generator import load_ground_truth
from dagster_project.settings import DBT_DIR
from dagster_project.transform.project import DBT_EXECUTABLE

ROOT = Path(__file__).resolve().parents[2]
RULE_MODELS = ROOT / "dbt" / "models" / "intermediate" / "rules"


def _model_rule_ids() -> set[str]:
    return {p.stem.removeprefix("int_rule_").upper().replace("_", "-") for p in RULE_MODELS.glob("int_rule_*.sql")}


def _year_values(year: str) -> dict[str, str]:
    with open(ROOT / "seeds" / "policy_parameters.csv", encoding="utf-8") as f:
        params = {r["parameter"]: r["value"] for r in csv.DictReader(f) if r["year"] == year}
    with open(ROOT / "seeds" / "policy_calendar.csv", encoding="utf-8") as f:
        deadlines = {
            r["requirement_code"]: dt.date.fromisoformat(r["end_date"])
            for r in csv.DictReader(f)
            if r["year"] == year and r["scope_type"] == "all"
        }
    return rule_registry.year_values(params, deadlines)


def test_every_rule_model_has_one_registry_row_and_back():
    assert set(rule_registry.rules()) == _model_rule_ids()


def test_registry_rows_are_complete():
    families = rule_registry.family_names()
    for rule in rule_registry.rules().values():
        assert rule.family == rule.rule_id.split("-")[0] and rule.family in families
        assert rule.severity in {"违规", "提示"} and rule.voids in {"yes", "some", "no"}
        assert rule.title and rule.description and rule.correction and rule.clause
        assert rule_registry.label("subject_type", rule.subject_type) != rule.subject_type


def test_texts_are_filled_from_the_years_parameters():
    values = _year_values("2022")
    rules = rule_registry.rules()
    assert rule_registry.fill(rules["QTA-02"].title, values) == "超岗申报超过高级岗位总量5%"
    assert "2022年9月30日" in rule_registry.fill(rules["SCH-02"].correction, values)
    changed = {**values, "PLAN_LEAD_DAYS": "10"}
    assert "10日前" in rule_registry.fill(rules["SCH-03"].correction, changed)
    for rule in rules.values():
        for field in rule_registry.TEXT_FIELDS:
            text = rule_registry.fill(getattr(rule, field), values)
            assert "{" not in text and "}" not in text


def test_a_missing_value_is_said_in_chinese():
    with pytest.raises(rule_registry.MissingPolicyValue, match="PLAN_LEAD_DAYS"):
        rule_registry.fill(rule_registry.rules()["SCH-03"].correction, {})


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    """dbt's own view of the project (`dbt parse`): models, their tags and dependencies, unit tests."""
    work = tmp_path_factory.mktemp("dbt-parse")
    env = dict(os.environ, ZHICHENG_WAREHOUSE=str(work / "w.duckdb"), DO_NOT_TRACK="1")
    result = subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "parse",
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))


def _models(manifest: dict, tag: str) -> dict[str, dict]:
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model" and tag in n["tags"]}


def _model_name(rule_id: str) -> str:
    return "int_rule_" + rule_id.lower().replace("-", "_")


def test_every_registry_rule_has_a_model_tagged_rule_and_back(manifest):
    assert set(_models(manifest, "rule")) == {_model_name(r) for r in rule_registry.rules()}
    quota = {r for r, rule in rule_registry.rules().items() if rule.family == "QTA"}
    schedule = {r for r, rule in rule_registry.rules().items() if rule.family == "SCH"}
    assert set(_models(manifest, "quota")) == {_model_name(r) for r in quota}
    assert set(_models(manifest, "schedule")) == {_model_name(r) for r in schedule}


def test_the_unions_depend_on_exactly_the_tagged_models(manifest):
    """marts.findings / quota_compliance / schedule_adherence union the tagged models; their depends_on
    (what dbt builds first) must name the same models — a new rule model missing there fails here."""
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for mart, tag in (("findings", "rule"), ("quota_compliance", "quota"), ("schedule_adherence", "schedule")):
        parents = {manifest["nodes"][p]["name"] for p in nodes[mart]["depends_on"]["nodes"]}
        assert parents == set(_models(manifest, tag)), mart


def test_every_registry_rule_is_run_by_a_test(manifest, sample_inbox):
    """Each rule has a dbt unit test on its model, or the sample generator injects it (then the ground-truth
    tests, tests/integration/test_ground_truth.py, check its findings on a real run)."""
    unit_tested = {u["model"] for u in manifest["unit_tests"].values()}
    injected = {rule_id for rule_id, *_ in load_ground_truth(sample_inbox / "ground_truth.csv")}
    untested = sorted(r for r in rule_registry.rules() if _model_name(r) not in unit_tested and r not in injected)
    assert not untested, f"没有测试的规则：{untested}"
    # the registry's severity is what the sample expects (SCH-02 may also be 提示 when a delay was filed)
    for rule_id, severity, subject_type, _ in load_ground_truth(sample_inbox / "ground_truth.csv"):
        rule = rule_registry.rules()[rule_id]
        assert subject_type == rule.subject_type, rule_id
        assert severity == rule.severity or (rule_id == "SCH-02" and severity == "提示"), rule_id
