"""The rule registry (seeds/rules.csv) is the one list of rules: every rule model has its row and back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from dagster_project import rule_registry

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
