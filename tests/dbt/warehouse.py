"""测试用仓库：用装载模块自己的建表语句建空的 raw.* 表（结构与真实装载一致），
用工作日历模块从 chinesecalendar 建 reference.workday_calendar。"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dagster_project.calendar.workdays import build_calendar, calendar_years, write_calendar
from dagster_project.ingest.load import ensure_schema, table_columns
from dagster_project.settings import SEEDS_DIR

form_columns = table_columns


def create_warehouse(path: Path) -> None:
    """建空的 raw.* 表与 reference.workday_calendar（政策年份及其下一年）。"""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        ensure_schema(con)
        write_calendar(con, build_calendar(calendar_years(SEEDS_DIR)))
    finally:
        con.close()


if __name__ == "__main__":
    import sys

    create_warehouse(Path(sys.argv[1]))
