"""How a suite in expectations/ is written: datasets (a SQL query on the warehouse) and GE expectations.

Every expectation carries in its ``meta`` the rule it enforces (``rule_id``) and the clause
it comes from (``clause``), with a Chinese note. Policy numbers are never written in a
suite: an expectation names a row of reference.policy_parameters with ``param(NAME)``,
and the runner passes that year's value at validation time (GE expectation parameters).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # no analytics, ever

import great_expectations as gx  # noqa: E402  (analytics must be off before the import)


def param(name: str) -> dict:
    """A threshold read at run time from reference.policy_parameters (parameter NAME of the year)."""
    return {"$PARAMETER": name}


def expect(expectation_class: type, *, rule_id: str, clause: str, note: str, **kwargs) -> gx.expectations.Expectation:
    """An expectation whose meta names its rule and clause, with a Chinese note (shown in Data Docs)."""
    meta = {
        "rule_id": rule_id,
        "clause": clause,
        "notes": {"format": "markdown", "content": [f"**{rule_id}**（{clause}）：{note}"]},
    }
    text = f"{rule_id}（{clause}）：{note}"
    return expectation_class(meta=meta, notes=text, description=text, **kwargs)


@dataclass(frozen=True)
class Dataset:
    """One GE suite: the rows a SQL query reads from the warehouse, and the expectations on them.

    guards: the asset key (path) of the asset the check is attached to.
    subject_columns: the columns that name a row in a report (application number, code…).
    per_year: validate each policy year separately with that year's policy parameters
    (rows of years without policy data are not judged: contract §1).
    blocking: a failure stops everything downstream of the guarded asset (load integrity);
    otherwise the check only warns (a policy breach is a fact to report).
    """

    name: str
    title: str
    notes: str
    guards: tuple[str, ...]
    sql: str
    subject_columns: tuple[str, ...]
    expectations: tuple[gx.expectations.Expectation, ...]
    blocking: bool = False
    per_year: bool = True

    @property
    def check_name(self) -> str:
        return "ge_" + self.name.replace(".", "_")

    def parameter_names(self) -> set[str]:
        names: set[str] = set()
        for expectation in self.expectations:
            for value in expectation.configuration.kwargs.values():
                if isinstance(value, dict) and "$PARAMETER" in value:
                    names.add(value["$PARAMETER"])
        return names


@dataclass(frozen=True)
class Suite:
    """A file of expectations/: one concern (filing, publicity, load integrity)."""

    name: str
    title: str
    notes: str
    datasets: tuple[Dataset, ...] = field(default_factory=tuple)
