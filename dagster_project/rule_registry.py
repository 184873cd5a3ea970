"""The rule registry: one row per rule in ``seeds/rules.csv``, read here and by dbt (``reference.rules``).

Each rule's title, description and correction are Chinese texts with placeholders for the
year's policy numbers and dates, filled per year from ``policy_parameters`` / ``policy_calendar``:

- ``{PARAMETER}``          the parameter's value as written (``5``, ``14``);
- ``{PARAMETER:percent}``  a ratio as a percentage (``0.05`` → ``5%``);
- ``{REQUIREMENT-CODE}``   the deadline (end date) of that requirement, ``2022年9月30日``.

Display names of codes (subject types, requirement codes, scope types, kinds) are in
``seeds/labels.csv``; family names in ``seeds/rule_families.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from dagster_project.settings import SEEDS_DIR

PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_-]*)(?::(percent))?\}")
TEXT_FIELDS = ("title", "description", "correction")


class MissingPolicyValue(KeyError):
    """A rule text names a parameter or requirement the year has no value for."""


@dataclass(frozen=True)
class Rule:
    rule_id: str
    family: str
    title: str
    severity: str
    voids: str  # yes / some / no
    clause: str
    subject_type: str
    description: str
    correction: str


def _read(name: str, seeds_dir: Path | None = None) -> list[dict[str, str]]:
    with open(Path(seeds_dir or SEEDS_DIR) / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def rules() -> dict[str, Rule]:
    return {row["rule_id"]: Rule(**row) for row in _read("rules.csv")}


@cache
def family_names() -> dict[str, str]:
    return {row["family"]: row["family_name"] for row in _read("rule_families.csv")}


@cache
def _labels() -> dict[tuple[str, str], str]:
    return {(row["kind"], row["code"]): row["label"] for row in _read("labels.csv")}


def label(kind: str, code: str | None) -> str:
    """The Chinese name of a code of the given kind; the code itself when the directory has none."""
    if code is None or code == "":
        return "—"
    return _labels().get((kind, str(code)), str(code))


def placeholders(texts: Iterable[str] | None = None) -> set[str]:
    """Every parameter or requirement name the rule texts read."""
    if texts is None:
        texts = (getattr(rule, f) for rule in rules().values() for f in TEXT_FIELDS)
    return {m.group(1) for text in texts for m in PLACEHOLDER.finditer(text)}


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _number(value: str) -> str:
    number = Decimal(str(value))
    return format(number.normalize(), "f") if number == number.to_integral_value() else str(value)


def year_values(parameters: Mapping[str, str], deadlines: Mapping[str, dt.date]) -> dict[str, str]:
    """Display values for one year: parameter values and requirement deadlines."""
    values = {name: _number(value) for name, value in parameters.items()}
    values.update({f"{name}:percent": f"{_number(str(Decimal(str(v)) * 100))}%" for name, v in parameters.items()})
    values.update({code: chinese_date(day) for code, day in deadlines.items() if day is not None})
    return values


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill a rule text's placeholders with one year's values (see ``year_values``)."""

    def one(match: re.Match) -> str:
        key = match.group(1) + (f":{match.group(2)}" if match.group(2) else "")
        if key not in values:
            raise MissingPolicyValue(f"规则文字引用的政策参数 {match.group(1)} 在该年度没有取值")
        return values[key]

    return PLACEHOLDER.sub(one, text)
