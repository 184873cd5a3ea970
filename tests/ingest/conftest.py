"""Helpers for the ingestion tests: write small real files into an inbox in tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import duckdb
import openpyxl
import pytest
import xlsxwriter

from dagster_project.forms import F1  # noqa: F401 - re-exported to the tests
from dagster_project.ingest import idcard, load_inbox

KEY = b"test-key"
ID_M = idcard.make("150121", dt.date(1985, 3, 7), 123, True)  # a valid male number
ID_F = idcard.make("150105", dt.date(1990, 11, 30), 246, False)  # a valid female number


def f1_row(n: int = 1, **over) -> dict[str, object]:
    """A valid F1 row (headers → values); override by header."""
    born = dt.date(1980, 1, 1) + dt.timedelta(days=37 * n)
    male = n % 2 == 1
    row = {
        "序号": n,
        "网上申报编号": f"NM-{n:04d}",
        "姓名": f"张{n}",
        "性别": "男" if male else "女",
        "身份证号": idcard.make("150121", born, n, male),
        "出生日期": born.isoformat(),
        "工作单位": "土左旗第一中学",
        "单位性质": "事业单位",
        "人员身份": "在职",
        "工作地层级": "旗县区直",
        "最高学历": "大学本科",
        "毕业时间": "2003-07-01",
        "现职称级别": "中级",
        "现职称取得时间": "2014-12-01",
        "专业技术工作年限": "18",
        "申报系列": "中小学教师",
        "申报级别": "副高级",
        "申报方式": "正常申报",
        "评委会代码": "C-ZXXGJ-M",
        "申报日期": "2022-07-05",
        "诚信承诺书": "是",
    }
    row.update(over)
    return row


def f5_row(n: int = 1, **over) -> dict[str, object]:
    born = dt.date(1980, 1, 1) + dt.timedelta(days=37 * n)
    row = {
        "评委会代码": "C-ZXX-150121",
        "网上申报编号": f"NM-{n:04d}",
        "姓名": f"张{n}",
        "身份证号": idcard.make("150121", born, n, n % 2 == 1),
        "申报系列": "中小学教师",
        "申报级别": "中级",
        "评审分组": "普通组",
        "评审日期": "2022-08-20",
        "应到评委数": 9,
        "实到评委数": 8,
        "赞成票数": 7,
        "评审结果": "通过",
    }
    row.update(over)
    return row


def rows_to_grid(rows: list[dict], headers: list[str] | None = None) -> tuple[list[str], list[list]]:
    headers = headers or list(dict.fromkeys(h for r in rows for h in r))
    return headers, [[r.get(h) for h in headers] for r in rows]


def write_xlsx(
    path: Path, sheets: dict[str, list[list]], *, mtime: float | None = None, openpyxl_writer: bool = False
) -> Path:
    """sheets: name → list of rows (lists of cell values; datetime → date cell)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if openpyxl_writer:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        wb.save(path)
    else:
        wb = xlsxwriter.Workbook(str(path))
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        for name, rows in sheets.items():
            ws = wb.add_worksheet(name)
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    if v is None:
                        continue
                    if isinstance(v, (dt.datetime, dt.date)):
                        ws.write_datetime(
                            r, c, v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day), date_fmt
                        )
                    elif isinstance(v, bool):
                        ws.write_boolean(r, c, v)
                    elif isinstance(v, (int, float)):
                        ws.write_number(r, c, v)
                    else:
                        ws.write_string(r, c, str(v))
        wb.close()
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8", mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in r] for r in rows])
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def roster(rows: list[dict], title: bool = True) -> list[list]:
    """A sheet with a title block, the header row, the rows and a footer."""
    headers, grid = rows_to_grid(rows)
    top = [["申报专业技术资格人员汇总花名册"], ["填报单位：土默特左旗人社局"], []] if title else []
    return top + [headers] + grid + [["合计", len(grid)], ["填表人：王五", None, "审核人：赵六"]]


class Warehouse:
    def __init__(self, tmp_path: Path):
        self.inbox = tmp_path / "inbox"
        self.inbox.mkdir()
        self.con = duckdb.connect(str(tmp_path / "wh.duckdb"))

    def load(self):
        return load_inbox(self.inbox, self.con, KEY)

    def q(self, sql: str, *params):
        return self.con.execute(sql, list(params)).fetchall()

    def one(self, sql: str, *params):
        return self.con.execute(sql, list(params)).fetchone()

    def reasons(self, file_like: str = "%") -> list[tuple]:
        return self.q(
            "select _source_row, column_name, value, reason from raw.quarantine "
            "where _source_file like ? order by _source_row, column_name, reason",
            file_like,
        )


@pytest.fixture
def wh(tmp_path):
    w = Warehouse(tmp_path)
    yield w
    w.con.close()
