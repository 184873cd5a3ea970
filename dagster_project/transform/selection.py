"""What a dbt build redoes when only some tables changed since the last complete run: what reads them.

A model or test reads its sources through the dbt graph; one none of whose ancestors changed
would compute what the last complete run left. The build therefore runs the descendants of
the changed tables' dbt sources (models, seeds and tests, a test as soon as one of its parents
is one) and excludes every other node by name, which keeps the relation that run built. (An
exclusion rather than a selection: dagster-dbt already selects the whole project, and dbt unites
selections. Indirect selection is off for it, so that excluding a kept seed does not also drop a
test of a rebuilt model that reads that seed.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from dagster_project.transform.project import dbt_project

BUILT = {"model", "seed", "snapshot", "test"}  # what `dbt build` runs (unit tests are left to CI)


@cache
def _manifest() -> Mapping[str, Any]:
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def affected(tables: Iterable[str], manifest: Mapping[str, Any] | None = None) -> set[str]:
    """The unique ids of every node built from ``tables`` (``schema.table``; one no dbt source names is read
    by no model)."""
    manifest = manifest or _manifest()
    wanted = set(tables)
    frontier = [
        uid for uid, s in manifest["sources"].items() if f"{s['schema']}.{s.get('identifier') or s['name']}" in wanted
    ]
    found: set[str] = set()
    while frontier:
        for child in manifest["child_map"].get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def unaffected(tables: Iterable[str], manifest: Mapping[str, Any] | None = None) -> list[Mapping[str, Any]]:
    """The models, seeds and snapshots not built from ``tables``, parents before children (as Dagster wants a
    multi-asset's outputs: none of them has a parent that is built from ``tables``, so they come first)."""
    manifest = manifest or _manifest()
    keep = affected(tables, manifest)
    nodes = {
        uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] in BUILT - {"test"} and uid not in keep
    }
    ordered: list[Mapping[str, Any]] = []
    placed: set[str] = set()

    def place(uid: str) -> None:
        if uid in placed:
            return
        placed.add(uid)
        for parent in manifest["parent_map"].get(uid, []):
            if parent in nodes:
                place(parent)
        ordered.append(nodes[uid])

    for uid in sorted(nodes):
        place(uid)
    return ordered


def excluded(tables: Iterable[str], manifest: Mapping[str, Any] | None = None) -> list[str]:
    """dbt selectors (``fqn:…``) of every node `dbt build` runs that is not built from ``tables``."""
    manifest = manifest or _manifest()
    keep = affected(tables, manifest)
    return sorted(
        "fqn:" + ".".join(node["fqn"])
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in BUILT and uid not in keep
    )


# what a person reads for a table that is not a form's (a form's table reads as its code and name)
TABLE_LABELS = {"raw.quarantine": "隔离记录", "raw.load_audit": "加载审计", "reference.workday_calendar": "工作日历"}


def labels() -> dict[str, str]:
    """``schema.table`` → what a person reads for it."""
    from dagster_project.forms import FORMS

    return {f"raw.{form.table}": f"{form.code} {form.name}" for form in FORMS.values()} | TABLE_LABELS


def describe(tables: Iterable[str]) -> str:
    """The tables in Chinese, e.g. ``“F1 申报人员花名册”、“加载审计”``."""
    named = labels()
    return "、".join(f"“{named.get(t, t)}”" for t in sorted(tables))
