"""Python access to the reference seeds (seeds/*.csv): known codes and series.

The seeds are small; they are read once per process and cached.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from dagster_project.forms import BUREAU_CODE
from dagster_project.settings import Settings

REGION = "region"
DEPARTMENT = "department"
UNIT = "unit"
COMMITTEE = "committee"
BUREAU = "bureau"


def _rows(name: str, seeds_dir: Path | None = None) -> list[dict[str, str]]:
    path = (seeds_dir or Settings.from_env().seeds_dir) / name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=None)
def region_codes() -> frozenset[str]:
    return frozenset(r["region_code"] for r in _rows("regions.csv"))


@lru_cache(maxsize=None)
def regions() -> tuple[dict[str, str], ...]:
    return tuple(_rows("regions.csv"))


@lru_cache(maxsize=None)
def department_codes() -> frozenset[str]:
    return frozenset(r["department_code"] for r in _rows("departments.csv"))


@lru_cache(maxsize=None)
def unit_codes() -> frozenset[str]:
    return frozenset(r["unit_code"] for r in _rows("units.csv"))


@lru_cache(maxsize=None)
def committee_codes() -> frozenset[str]:
    return frozenset(r["committee_code"] for r in _rows("committees.csv"))


@lru_cache(maxsize=None)
def committees() -> tuple[dict[str, str], ...]:
    return tuple(_rows("committees.csv"))


@lru_cache(maxsize=None)
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
