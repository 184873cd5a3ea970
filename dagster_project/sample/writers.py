"""Write form rows the way submitters really send them: xlsx (with title blocks,
merged cells, footers, blank rows, several sheets) and CSV (UTF-8, UTF-8-BOM,
GB18030), with every date style of contract section 1.

Rows are dicts keyed by forms.py field names.  Special keys:
  ``__raw__``: {field: cell value} written as is (a str, int, float or None),
  ``__q__``: the reason the loader must quarantine this row (kept in the manifest).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from dagster_project import forms

EXCEL_EPOCH = dt.date(1899, 12, 30)
TZ = dt.timezone(dt.timedelta(hours=8))

# date styles of contract section 1
DATE_STYLES = ("date", "serial", "iso", "nopad", "slash", "dot", "cn", "ymd_text", "ymd_num", "fullwidth")
TEXT_DATE_STYLES = ("iso", "nopad", "slash", "dot", "cn", "ymd_text", "fullwidth")
DATE_KINDS = (forms.DATE, forms.EVENT_DATE)
FOOTER_LINES = ("填表人：王丽    审核人：赵刚    联系电话：0471-6961234", "单位盖章")

_FW = {ord(c): ord(c) + 0xFEE0 for c in "0123456789-."}


def fullwidth(text: str) -> str:
    return text.translate(_FW)


def excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def date_text(day: dt.date, style: str):
    if style == "iso":
        return day.isoformat()
    if style == "nopad":
        return f"{day.year}-{day.month}-{day.day}"
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "dot":
        return f"{day.year}.{day.month:02d}.{day.day:02d}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "ymd_text":
        return day.strftime("%Y%m%d")
    if style == "fullwidth":
        return fullwidth(day.isoformat())
    if style == "ymd_num":
        return int(day.strftime("%Y%m%d"))
    if style == "serial":
        return excel_serial(day)
    if style == "date":
        return day
    raise ValueError(style)


@dataclass
class SheetSpec:
    name: str
    form: forms.Form | None = None
    rows: list[dict] = field(default_factory=list)
    title: tuple[str, ...] = ()  # title block lines above the header (first is merged)
    footer: bool = False  # 合计 / 填表人 / 单位盖章 rows below the data
    blank_after: tuple[int, ...] = ()  # a blank row after these data row indexes
    date_style: str = "date"  # one of DATE_STYLES or "mixed"
    bool_style: str = "yesno"  # yesno / yn / check
    fullwidth_numbers: bool = False  # every third int/number cell as full-width text
    app_no_as_number: bool = False  # 网上申报编号 written as a number
    columns: tuple[str, ...] | None = None  # field names in order (default: every column)
    extra: tuple[str, ...] = ()  # unknown extra headers; values from row["__extra__"][header]
    star: bool = False  # required headers marked with a trailing *
    typed_headers: dict[str, str] = field(default_factory=dict)  # field → header as a person typed it
    formulas: tuple[str, ...] = ()  # number fields written as formula cells with their stored value
    text_lines: tuple[str, ...] = ()  # an instruction sheet (no form)


@dataclass
class FileSpec:
    relpath: str  # relative to the inbox root
    sheets: list[SheetSpec]
    kind: str = "xlsx"  # xlsx / xls / csv / raw
    encoding: str = "utf-8"  # csv: utf-8 / utf-8-sig / gb18030
    mtime: dt.datetime | None = None
    raw_bytes: bytes = b""


@dataclass
class WrittenRow:
    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it (CSV: line number)
    form: str
    quarantine: str | None


def _columns(sheet: SheetSpec) -> list[forms.Column]:
    form = sheet.form
    if sheet.columns is None:
        return list(form.columns)
    return [form.column(f) for f in sheet.columns]


def _cell(col: forms.Column, value, sheet: SheetSpec, r: int, c: int):
    """The cell value to write (str / int / float / date / None)."""
    if value is None or value == "":
        return None
    kind = col.kind
    if kind in DATE_KINDS and isinstance(value, dt.date):
        style = sheet.date_style
        if style == "mixed":
            style = DATE_STYLES[(r + c) % len(DATE_STYLES)]
        return date_text(value, style)
    if kind == forms.BOOL:
        if sheet.bool_style == "yn":
            return "Y" if value else "N"
        if sheet.bool_style == "check":
            return "√" if value else None
        return "是" if value else "否"
    if kind in (forms.INT, forms.NUMBER) and isinstance(value, (int, float)):
        if sheet.fullwidth_numbers and (r + c) % 3 == 0:
            text = str(int(value)) if float(value).is_integer() else str(value)
            return fullwidth(text)
        return value
    if kind == forms.APP_NO and sheet.app_no_as_number and str(value).isdigit():
        return int(value)
    return str(value)


def _header(col: forms.Column, sheet: SheetSpec) -> str:
    if col.field in sheet.typed_headers:
        return sheet.typed_headers[col.field]
    return col.header + ("*" if sheet.star and col.required else "")


def _formula(cols: list[forms.Column], row: dict, r: int, c: int, value) -> str:
    """A formula whose result is ``value``: 高级空岗数 as 已设 − 已聘 where that holds, else the value itself."""
    fields = [col.field for col in cols]
    if cols[c].field == "senior_posts_vacant" and {"senior_posts_set", "senior_posts_filled"} <= set(fields):
        if row.get("senior_posts_set", 0) - row.get("senior_posts_filled", 0) == value:
            set_cell = xl_rowcol_to_cell(r, fields.index("senior_posts_set"))
            return f"={set_cell}-{xl_rowcol_to_cell(r, fields.index('senior_posts_filled'))}"
    return f"=ROUND({value},0)"


def _rows_for(sheet: SheetSpec):
    """Yield ('data', index, row) / ('blank',) in sheet order."""
    for i, row in enumerate(sheet.rows):
        yield ("data", i, row)
        if i in sheet.blank_after:
            yield ("blank", None, None)


def _placed_rows(sheet: SheetSpec, first: int) -> tuple[list[tuple[int, int, dict]], int]:
    """The data rows as (0-based sheet row, index, row) from row ``first`` on, blank rows skipped; the row after."""
    placed: list[tuple[int, int, dict]] = []
    r = first
    for kind, i, row in _rows_for(sheet):
        if kind == "data":
            placed.append((r, i, row))
        r += 1
    return placed, r


@dataclass(frozen=True)
class _XlsxFormats:
    """The cell formats of a sample workbook (added in this order: the order shapes styles.xml)."""

    bold: object
    title: object
    date: object
    text: object
    plain: object

    @classmethod
    def add_to(cls, wb) -> _XlsxFormats:
        return cls(
            bold=wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1}),
            title=wb.add_format({"bold": True, "font_size": 16, "align": "center"}),
            date=wb.add_format({"num_format": "yyyy-mm-dd", "border": 1}),
            text=wb.add_format({"num_format": "@", "border": 1}),
            plain=wb.add_format({"border": 1}),
        )


def _xlsx_title(ws, sheet: SheetSpec, width: int, fmt: _XlsxFormats) -> int:
    """The title block (merged over the table's width); returns the header's row index."""
    r = 0
    for i, line in enumerate(sheet.title):
        if i == 0 and width > 1:
            ws.merge_range(r, 0, r, width - 1, line, fmt.title)
        elif width > 3:
            ws.merge_range(r, 0, r, min(width - 1, 5), line)
        else:
            ws.write_string(r, 0, line)
        r += 1
    if sheet.title:
        r += 1  # a blank line between the title block and the header
    return r


def _xlsx_value(ws, r: int, c: int, col, value, cols, row: dict, sheet: SheetSpec, fmt: _XlsxFormats) -> None:
    """One data cell, typed as a submitter's spreadsheet would hold it."""
    if isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt.date)
    elif col.field in sheet.formulas and isinstance(value, int) and not isinstance(value, bool):
        # saved as Excel or WPS would: the formula and the value it showed (openpyxl stores none)
        ws.write_formula(r, c, _formula(cols, row, r, c, value), fmt.plain, value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt.plain)
    elif col.kind in (forms.ID_NUMBER, forms.APP_NO):
        ws.write_string(r, c, value, fmt.text)
    else:
        ws.write_string(r, c, value, fmt.plain)


def _xlsx_row(ws, r: int, i: int, row: dict, cols, sheet: SheetSpec, fmt: _XlsxFormats) -> None:
    raw = row.get("__raw__", {})
    for c, col in enumerate(cols):
        value = raw[col.field] if col.field in raw else _cell(col, row.get(col.field), sheet, i, c)
        if value is not None:
            _xlsx_value(ws, r, c, col, value, cols, row, sheet, fmt)
    for k, h in enumerate(sheet.extra):
        value = row.get("__extra__", {}).get(h)
        if value is not None:
            ws.write_string(r, len(cols) + k, str(value), fmt.plain)


def _xlsx_footer(ws, r: int, sheet: SheetSpec) -> None:
    ws.write_string(r, 0, f"合计：{len(sheet.rows)}人")
    ws.write_string(r + 1, 0, FOOTER_LINES[0])
    ws.write_string(r + 2, 0, FOOTER_LINES[1])


def _xlsx_sheet(ws, sheet: SheetSpec, relpath: str, fmt: _XlsxFormats) -> list[WrittenRow]:
    """Title block, header, data rows (with blank rows) and footer of one form sheet."""
    written: list[WrittenRow] = []
    cols = _columns(sheet)
    headers = [_header(c, sheet) for c in cols] + list(sheet.extra)
    r = _xlsx_title(ws, sheet, len(headers), fmt)
    for c, h in enumerate(headers):
        ws.write_string(r, c, h, fmt.bold)
    for c, col in enumerate(cols):
        ws.set_column(c, c, 14 if col.kind not in (forms.ID_NUMBER, forms.UNIT_NAME) else 22)
    placed, r = _placed_rows(sheet, r + 1)
    for at, i, row in placed:
        _xlsx_row(ws, at, i, row, cols, sheet, fmt)
        written.append(WrittenRow(relpath, sheet.name, at + 1, sheet.form.code, row.get("__q__")))
    if sheet.footer:
        _xlsx_footer(ws, r, sheet)
    return written


def write_xlsx(path: Path, spec: FileSpec, created: dt.datetime) -> list[WrittenRow]:
    written: list[WrittenRow] = []
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"title": spec.sheets[0].name, "author": "填报单位", "created": created})
    fmt = _XlsxFormats.add_to(wb)
    for sheet in spec.sheets:
        ws = wb.add_worksheet(sheet.name)
        if sheet.form is None:
            for i, line in enumerate(sheet.text_lines):
                ws.write_string(i, 0, line)
            ws.set_column(0, 0, 90)
            continue
        written += _xlsx_sheet(ws, sheet, spec.relpath, fmt)
    wb.close()
    return written


def write_xls(path: Path, spec: FileSpec) -> list[WrittenRow]:
    """An old-style .xls workbook (Excel 97–2003), as some offices still send."""
    import xlwt

    written: list[WrittenRow] = []
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for sheet in spec.sheets:
        ws = book.add_sheet(sheet.name)
        cols = _columns(sheet)
        r = 0
        for line in sheet.title:
            ws.write(r, 0, line)
            r += 1
        for c, col in enumerate(cols):
            ws.write(r, c, _header(col, sheet))
        placed, r = _placed_rows(sheet, r + 1)
        for at, i, row in placed:
            raw = row.get("__raw__", {})
            for c, col in enumerate(cols):
                value = raw[col.field] if col.field in raw else _cell(col, row.get(col.field), sheet, i, c)
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write(at, c, dt.datetime(value.year, value.month, value.day), date_style)
                else:
                    ws.write(at, c, value)
            written.append(WrittenRow(spec.relpath, sheet.name, at + 1, sheet.form.code, row.get("__q__")))
        if sheet.footer:
            ws.write(r, 0, FOOTER_LINES[0])
    book.save(str(path))
    return written


def write_csv(path: Path, spec: FileSpec) -> list[WrittenRow]:
    sheet = spec.sheets[0]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    line = 0
    for text in sheet.title:
        w.writerow([text])
        line += 1
    cols = _columns(sheet)
    w.writerow([_header(c, sheet) for c in cols] + list(sheet.extra))
    line += 1
    written: list[WrittenRow] = []
    for item in _rows_for(sheet):
        if item[0] == "blank":
            w.writerow([])
            line += 1
            continue
        _, i, row = item
        raw = row.get("__raw__", {})
        out = []
        for c, col in enumerate(cols):
            if col.field in raw:
                value = raw[col.field]
            else:
                v = row.get(col.field)
                if col.kind in DATE_KINDS and isinstance(v, dt.date):
                    style = sheet.date_style
                    if style == "mixed":
                        style = TEXT_DATE_STYLES[(i + c) % len(TEXT_DATE_STYLES)]
                    elif style not in TEXT_DATE_STYLES:
                        style = "iso"
                    value = date_text(v, style)
                else:
                    value = _cell(col, v, sheet, i, c)
            out.append("" if value is None else str(value))
        out += [str(row.get("__extra__", {}).get(h, "")) for h in sheet.extra]
        w.writerow(out)
        line += 1
        written.append(WrittenRow(spec.relpath, sheet.name, line, sheet.form.code, row.get("__q__")))
    if sheet.footer:
        w.writerow([FOOTER_LINES[0]])
    data = buf.getvalue().encode(spec.encoding)
    path.write_bytes(data)
    return written


def write_file(root: Path, spec: FileSpec) -> list[WrittenRow]:
    path = root / spec.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    created = spec.mtime or dt.datetime(2022, 1, 1, 9, 0, tzinfo=TZ)
    if spec.kind == "xlsx":
        written = write_xlsx(path, spec, created.astimezone(dt.UTC).replace(tzinfo=None))
    elif spec.kind == "xls":
        written = write_xls(path, spec)
    elif spec.kind == "csv":
        for sheet in spec.sheets:
            sheet.name = path.name  # a CSV's sheet name is its file name
        written = write_csv(path, spec)
    else:
        path.write_bytes(spec.raw_bytes)
        written = []
    if spec.mtime is not None:
        ts = spec.mtime.timestamp()
        os.utime(path, (ts, ts))
    return written
