"""Reference data the generator needs, read from seeds/*.csv (never retyped)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import chinese_calendar

from dagster_project.settings import SEEDS_DIR


def _rows(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    with (Path(seeds_dir) / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Window:
    scope_type: str
    scope_code: str
    levels: tuple[str, ...]
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Reference:
    regions: dict[str, dict]
    departments: dict[str, dict]
    units: dict[str, dict]
    committees: dict[str, dict]
    filings: dict[str, dt.date]  # committee_code → filed_date of this year (committee_filings.csv)
    series: dict[str, dict]
    windows: tuple[Window, ...]
    deadlines: dict[str, dt.date]  # FINISH-BY, DIRECTED-POSTS, CUTOFF-SENIORITY
    params: dict[str, float]

    def committee_scope(self, code: str) -> str | None:
        c = self.committees.get(code)
        return c["scope"] if c else None

    def covers(self, code: str, series: str, level: str) -> bool:
        c = self.committees.get(code)
        if not c:
            return False
        levels = c["levels"].split("|")
        return series in c["series"].split("|") and (level in levels or (level == "初级" and "中级" in levels))

    def submitter_kind(self, code: str) -> str | None:
        if code in self.regions:
            return "region"
        if code in self.departments:
            return "department"
        if code in self.units:
            return "unit"
        return None

    def window(self, submitter: str, committee: str | None, level: str) -> Window | None:
        """The application window that applies (rules.md SCH-01, first match wins)."""
        if committee and self.committee_scope(committee) == "自治区":
            for w in self.windows:
                if w.scope_type == "committee_scope" and w.scope_code == "自治区":
                    return w
        for w in self.windows:
            if w.scope_type == "submitter" and w.scope_code == submitter and level in w.levels:
                return w
        kind = self.submitter_kind(submitter)
        for w in self.windows:
            if w.scope_type == "submitter_kind" and w.scope_code == kind and level in w.levels:
                return w
        return None

    def submitter_windows(self, submitter: str) -> list[Window]:
        kind = self.submitter_kind(submitter)
        return [
            w
            for w in self.windows
            if (w.scope_type == "submitter" and w.scope_code == submitter)
            or (w.scope_type == "submitter_kind" and w.scope_code == kind)
        ]


@cache
def load_reference(year: int = 2022, seeds_dir: Path = SEEDS_DIR) -> Reference:
    """The reference rows of ``year`` from ``seeds_dir`` (seeds/, or a merged copy with a test-only year)."""
    windows, deadlines = [], {}
    for r in _rows("policy_calendar.csv", seeds_dir):
        if int(r["year"]) != year:
            continue
        if r["requirement_code"] == "APPLY-WINDOW":
            windows.append(
                Window(
                    r["scope_type"],
                    r["scope_code"],
                    tuple(r["levels"].split("|")),
                    _date(r["start_date"]),
                    _date(r["end_date"]),
                )
            )
        else:
            deadlines[r["requirement_code"]] = _date(r["end_date"])
    params = {
        r["parameter"]: float(r["value"]) for r in _rows("policy_parameters.csv", seeds_dir) if int(r["year"]) == year
    }
    if not windows:
        raise ValueError(f"policy_calendar.csv 中没有 {year} 年的申报时间窗口，无法生成样例数据")
    return Reference(
        regions={r["region_code"]: r for r in _rows("regions.csv", seeds_dir)},
        departments={r["department_code"]: r for r in _rows("departments.csv", seeds_dir)},
        units={r["unit_code"]: r for r in _rows("units.csv", seeds_dir)},
        committees={r["committee_code"]: r for r in _rows("committees.csv", seeds_dir)},
        filings={
            r["committee_code"]: _date(r["filed_date"])
            for r in _rows("committee_filings.csv", seeds_dir)
            if int(r["year"]) == year
        },
        series={r["series"]: r for r in _rows("series.csv", seeds_dir)},
        windows=tuple(windows),
        deadlines=deadlines,
        params=params,
    )


def workdays(start: dt.date, end: dt.date) -> int:
    if start is None or end is None or end < start:
        return 0
    return sum(chinese_calendar.is_workday(start + dt.timedelta(days=i)) for i in range((end - start).days + 1))


def is_workday(day: dt.date) -> bool:
    return chinese_calendar.is_workday(day)


def next_workday(day: dt.date) -> dt.date:
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def period_of(start: dt.date, wd: int) -> tuple[dt.date, dt.date]:
    """(start, end) where end is the day the wd-th working day from start is reached."""
    day, n = start, 0
    while True:
        if chinese_calendar.is_workday(day):
            n += 1
            if n >= wd:
                return start, day
        day += dt.timedelta(days=1)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
