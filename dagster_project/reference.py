"""Python access to the reference seeds (seeds/*.csv): known codes and series.

The seeds are small; they are read once per directory and cached. The directory is the one the run
uses (settings.seeds_dir(): seeds/, or ZHICHENG_SEEDS).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from dagster_project.forms import BUREAU_CODE
from dagster_project.settings import seeds_dir as current_seeds_dir

REGION = "region"
DEPARTMENT = "department"
UNIT = "unit"
COMMITTEE = "committee"
BUREAU = "bureau"


@lru_cache
def _cached_rows(path: Path) -> tuple[dict[str, str], ...]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return tuple(csv.DictReader(fh))


def _rows(name: str, seeds_dir: Path | None = None) -> tuple[dict[str, str], ...]:
    return _cached_rows((seeds_dir or current_seeds_dir()) / name)


def policy_years(seeds_dir: Path | None = None) -> list[int]:
    """Every year with rows in policy_calendar.csv, in order."""
    return sorted({int(row["year"]) for row in _rows("policy_calendar.csv", seeds_dir)})


def region_codes() -> frozenset[str]:
    return frozenset(r["region_code"] for r in _rows("regions.csv"))


def regions() -> tuple[dict[str, str], ...]:
    return _rows("regions.csv")


def department_codes() -> frozenset[str]:
    return frozenset(r["department_code"] for r in _rows("departments.csv"))


def unit_codes() -> frozenset[str]:
    return frozenset(r["unit_code"] for r in _rows("units.csv"))


def committee_codes() -> frozenset[str]:
    return frozenset(r["committee_code"] for r in _rows("committees.csv"))


def committees() -> tuple[dict[str, str], ...]:
    return _rows("committees.csv")


def series_names() -> tuple[str, ...]:
    return tuple(r["series"] for r in _rows("series.csv"))


def submitter_kind(code: str) -> str | None:
    """region / department / unit / committee / bureau, or None for an unknown code."""
    if code == BUREAU_CODE:
        return BUREAU
    if code in region_codes():
        return REGION
    if code in department_codes():
        return DEPARTMENT
    if code in unit_codes():
        return UNIT
    if code in committee_codes():
        return COMMITTEE
    return None


def known_codes() -> frozenset[str]:
    return region_codes() | department_codes() | unit_codes() | committee_codes() | {BUREAU_CODE}
