"""How a suite in expectations/ is written: datasets (a SQL query on the warehouse) and GE expectations.

Every expectation carries in its ``meta`` the rule it enforces (``rule_id``) and the clause
it comes from (``clause``), with a Chinese note; a suite names each rule once as a
``Rule(rule_id)`` (the clause of a registry rule is read from ``seeds/rules.csv``; the load-integrity
checks, which are not registry rules, give theirs) and writes its expectations with that rule's methods. Policy
numbers are never written in a suite: an expectation names a row of reference.policy_parameters with ``param(NAME)``,
and the runner passes that year's value at validation time (GE expectation parameters).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # no analytics, ever

from dagster_project import rule_registry  # noqa: E402


def param(name: str) -> dict:
    """A threshold read at run time from reference.policy_parameters (parameter NAME of the year)."""
    return {"$PARAMETER": name}


@dataclass(frozen=True)
class Expectation:
    """A GE expectation as written in a suite: its class name, arguments and meta.

    Great Expectations is imported only when the suites run (``build``): loading the suites,
    e.g. to declare the Dagster asset checks, stays off the command line's critical path.
    """

    type_name: str
    kwargs: dict[str, Any]
    meta: dict[str, Any]
    description: str

    @property
    def configuration(self) -> SimpleNamespace:
        return SimpleNamespace(kwargs=self.kwargs, meta=self.meta)

    def build(self):
        """The great_expectations expectation object."""
        import great_expectations as gx

        expectation_class = getattr(gx.expectations, self.type_name)
        return expectation_class(meta=self.meta, notes=self.description, description=self.description, **self.kwargs)


class _ExpectationNames:
    """``E.ExpectColumnValuesToNotBeNull`` names a GE expectation class without importing GE."""

    def __getattr__(self, name: str) -> str:
        if not name.startswith("Expect"):
            raise AttributeError(name)
        return name


E = _ExpectationNames()


def expect(expectation_class: str | type, *, rule_id: str, clause: str, note: str, **kwargs) -> Expectation:
    """An expectation whose meta names its rule and clause, with a Chinese note (shown in Data Docs)."""
    meta = {
        "rule_id": rule_id,
        "clause": clause,
        "notes": {"format": "markdown", "content": [f"**{rule_id}**（{clause}）：{note}"]},
    }
    text = f"{rule_id}（{clause}）：{note}"
    type_name = expectation_class if isinstance(expectation_class, str) else expectation_class.__name__
    return Expectation(type_name, dict(kwargs), meta, text)


@dataclass(frozen=True)
class Rule:
    """A rule and the clause it comes from, named once; its methods write the expectations a suite uses.

    Date order: ``after(a, b)`` is a > b and ``on_or_after(a, b)`` is a >= b; a row where either
    date is missing is not judged there (a missing date is the business of a ``not_null``).
    """

    rule_id: str
    clause: str = ""  # a registry rule's clause is read from seeds/rules.csv; LOAD-* name the contract instead

    def __post_init__(self) -> None:
        if not self.clause:
            object.__setattr__(self, "clause", rule_registry.rules()[self.rule_id].clause)

    def expect(self, expectation_class: str | type, note: str, **kwargs) -> Expectation:
        return expect(expectation_class, rule_id=self.rule_id, clause=self.clause, note=note, **kwargs)

    def not_null(self, column: str, note: str) -> Expectation:
        return self.expect(E.ExpectColumnValuesToNotBeNull, note, column=column)

    def at_least(self, column: str, parameter: str, note: str) -> Expectation:
        """column >= the year's value of reference.policy_parameters PARAMETER."""
        return self.expect(E.ExpectColumnValuesToBeBetween, note, column=column, min_value=param(parameter))

    def after(self, column_a: str, column_b: str, note: str) -> Expectation:
        return self._order(column_a, column_b, note, or_equal=False)

    def on_or_after(self, column_a: str, column_b: str, note: str) -> Expectation:
        return self._order(column_a, column_b, note, or_equal=True)

    def _order(self, column_a: str, column_b: str, note: str, *, or_equal: bool) -> Expectation:
        return self.expect(
            E.ExpectColumnPairValuesAToBeGreaterThanB,
            note,
            column_A=column_a,
            column_B=column_b,
            or_equal=or_equal,
            ignore_row_if="either_value_is_missing",
        )

    def equal(self, column_a: str, column_b: str, note: str) -> Expectation:
        return self.expect(E.ExpectColumnPairValuesToBeEqual, note, column_A=column_a, column_B=column_b)

    def unique(self, columns: list[str], note: str) -> Expectation:
        return self.expect(E.ExpectCompoundColumnsToBeUnique, note, column_list=list(columns))


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
    expectations: tuple[Expectation, ...]
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
