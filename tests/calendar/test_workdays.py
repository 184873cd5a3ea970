import datetime as dt
import shutil

import duckdb
import pytest

from dagster_project.calendar.workdays import (
    UnknownCalendarYearError,
    build_calendar,
    calendar_years,
    write_calendar,
)
from dagster_project.settings import SEEDS_DIR


def test_calendar_covers_policy_years_and_the_year_after():
    assert calendar_years(SEEDS_DIR) == [2022, 2023]


def test_2022_national_day_and_adjusted_weekends(tmp_path):
    table = build_calendar([2022])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert write_calendar(con, table) == 365
    flags = dict(
        con.execute(
            "select day, is_workday from reference.workday_calendar where day between '2022-09-29' and '2022-10-10'"
        ).fetchall()
    )
    assert flags[dt.date(2022, 10, 3)] is False  # Monday, holiday
    assert flags[dt.date(2022, 10, 8)] is True  # Saturday, 调休上班
    assert flags[dt.date(2022, 10, 9)] is True  # Sunday, 调休上班
    assert sum(flags[dt.date(2022, 9, 29) + dt.timedelta(days=i)] for i in range(11)) == 4  # to 10-09
    assert sum(flags.values()) == 5  # 2022-09-29 .. 2022-10-10


def test_unknown_year_stops_with_chinese_message_naming_it():
    with pytest.raises(UnknownCalendarYearError, match="2099"):
        build_calendar([2022, 2099])


def test_policy_year_without_calendar_data_is_reported(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    with open(seeds / "policy_calendar.csv", "a", encoding="utf-8") as handle:
        handle.write("2098,FINISH-BY,all,,,,2098-09-30\n")
    years = calendar_years(seeds)
    assert years == [2022, 2023, 2098, 2099]
    with pytest.raises(UnknownCalendarYearError) as error:
        build_calendar(years)
    assert "2098" in str(error.value) and "2099" in str(error.value)
