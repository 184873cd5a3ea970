"""The official working-day calendar (contract section 3), built from chinesecalendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import chinese_calendar

from dagster_project.reference import policy_years


class UnknownCalendarYearError(RuntimeError):
    """chinesecalendar has no holiday data for a year the policy needs."""


@dataclass(frozen=True)
class WorkdayCalendar:
    """The days of the calendar in order, and whether each is a working day.

    Plain lists, written by DuckDB from list parameters: an Arrow table built from Python lists imports pandas
    (see ingest/isolate._WithoutPandas), 0.4–0.6 s of a run that loaded no file."""

    days: list[dt.date]
    is_workday: list[bool]


def calendar_years(seeds_dir: Path) -> list[int]:
    """The years the calendar covers: every policy year and the year after."""
    years = policy_years(seeds_dir)
    return sorted(set(years) | {y + 1 for y in years})


def build_calendar(years: list[int]) -> WorkdayCalendar:
    """One row per day of the given years: day, is_workday, year.

    A year chinesecalendar does not know stops with a Chinese message naming it.
    """
    days: list[dt.date] = []
    flags: list[bool] = []
    unknown = []
    for year in years:
        day = dt.date(year, 1, 1)
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            unknown.append(year)
            continue
        while day.year == year:
            days.append(day)
            flags.append(chinese_calendar.is_workday(day))
            day += dt.timedelta(days=1)
    if unknown:
        names = "、".join(str(y) for y in unknown)
        raise UnknownCalendarYearError(
            f"工作日历缺少 {names} 年的数据：chinesecalendar 不认识该年度的法定节假日和调休安排。"
            f"请升级 chinesecalendar 至包含 {names} 年安排的版本后再运行（不会按周末推算）。"
        )
    return WorkdayCalendar(days, flags)


def write_calendar(con, calendar: WorkdayCalendar) -> int:
    """Replace reference.workday_calendar (day, is_workday, year) with the calendar; returns its row count."""
    con.execute("create schema if not exists reference")
    con.execute(
        "create or replace table reference.workday_calendar as "
        "select day, is_workday, year(day)::integer as year "
        "from (select unnest($days::date[]) as day, unnest($flags::boolean[]) as is_workday) order by day",
        {"days": calendar.days, "flags": calendar.is_workday},
    )
    return len(calendar.days)
