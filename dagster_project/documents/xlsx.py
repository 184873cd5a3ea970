"""XLSX workbooks (xlsxwriter, streaming ``constant_memory`` mode) and CSV extracts.

A sheet is (name, columns, rows).  A column is a header text, or ``(header, kind)`` with kind
``pct`` (a rate in [0,1] stored as a number, shown as a percentage), ``int`` or ``num`` (stored
as numbers), ``text`` (always text).  Rows are streamed: written as they come, never held.
Every text that a spreadsheet could run as a formula is neutralised; the header is bold and
frozen.  A sheet never holds more rows than Excel can open: ``limit`` rows at most (by default
Excel's own limit), and ``write_workbook`` says how many it left off.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .masking import TextRewrite

EXCEL_MAX_ROWS = 1_048_576
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
WIDTH_SAMPLE = 2000  # rows looked at for column widths
# xlsxwriter's streaming mode keeps a temporary file per sheet and part: in memory (tmpfs) when the machine has one
MEMORY_TMPDIR = Path("/dev/shm")
Column = str | tuple[str, str]


class Percent(float):
    """A rate in [0,1] written as a number in percent format, whatever its column."""


def percent(value: Any) -> Percent | None:
    return None if value is None else Percent(value)


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet could run as a formula gets a leading single quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, Percent):
        return value
    if isinstance(value, int | float):
        return value
    try:  # Decimal and numpy numbers
        from decimal import Decimal

        if isinstance(value, Decimal):
            return float(value)
    except ImportError:  # pragma: no cover
        pass
    return neutralise(str(value))


def safe_sheet_name(name: str, used: set[str]) -> str:
    base = SHEET_NAME_BAD.sub("_", name)[:31] or "表"
    candidate, i = base, 2
    while candidate in used:
        suffix = f"_{i}"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(candidate)
    return candidate


def display_width(value: Any) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


def _split(column: Column) -> tuple[str, str]:
    return (column, "") if isinstance(column, str) else (column[0], column[1])


def write_workbook(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[Column], Iterable[Sequence[Any]]] | tuple],
    limit: int | None = None,
) -> dict[str, int]:
    """Write an XLSX, streaming; returns sheet name → rows left off because of the row limit.

    A sheet is ``(name, columns, rows)`` or ``(name, columns, rows, limit)``.
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    options["strings_to_numbers"] = False
    if MEMORY_TMPDIR.is_dir() and os.access(MEMORY_TMPDIR, os.W_OK):
        options["tmpdir"] = str(MEMORY_TMPDIR)
    workbook = xlsxwriter.Workbook(str(tmp), options)
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
    header_fmt = workbook.add_format(
        {
            **base,
            "bold": True,
            "font_size": 11,
            "bg_color": "#DDE4EE",
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    formats = {
        "": workbook.add_format({**base, "text_wrap": True}),
        "text": workbook.add_format({**base, "text_wrap": True}),
        "pct": workbook.add_format({**base, "num_format": "0.0%"}),
        "int": workbook.add_format({**base, "num_format": "0"}),
        "num": workbook.add_format({**base, "num_format": "0.##"}),
    }
    left_off: dict[str, int] = {}
    used: set[str] = set()
    for sheet in sheets:
        name, columns, rows = sheet[0], sheet[1], sheet[2]
        sheet_limit = min(sheet[3] if len(sheet) > 3 and sheet[3] else EXCEL_MAX_ROWS - 1, limit or EXCEL_MAX_ROWS - 1)
        ws = workbook.add_worksheet(safe_sheet_name(name, used))
        heads = [_split(c) for c in columns]
        widths = [max(6, min(40, display_width(h) + 2)) for h, _ in heads]
        ws.set_row(0, 24)
        for c, (h, _) in enumerate(heads):
            ws.write_string(0, c, neutralise(str(h)), header_fmt)
        r, skipped = 0, 0
        for row in rows:
            if r >= sheet_limit:
                skipped += 1
                continue
            r += 1
            for c, value in enumerate(row):
                kind = heads[c][1] if c < len(heads) else ""
                v = cell_value(value)
                fmt = formats["pct"] if isinstance(v, Percent) else formats.get(kind, formats[""])
                if isinstance(v, str):
                    ws.write_string(r, c, v, formats["text"] if v else fmt)
                else:
                    ws.write_number(r, c, v, fmt)
                if r <= WIDTH_SAMPLE and c < len(widths):
                    widths[c] = max(widths[c], min(50, display_width(v) + 2))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        if heads:
            ws.autofilter(0, 0, max(r, 0), len(heads) - 1)
        if skipped:
            left_off[name] = skipped
    workbook.close()
    os.replace(tmp, path)
    return left_off


def write_csv(path: Path, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """A UTF-8 CSV with BOM (opens in Excel and WPS), streamed; returns the number of rows."""
    return _write_csv(path, columns, ([cell_value(v) for v in row] for row in rows))


def write_csv_batches(
    path: Path, columns: Sequence[Column], batches: Iterable[Any], text: TextRewrite | None = None
) -> int:
    """``write_csv`` of Arrow record batches, converted column by column (``csv_cells``)."""
    rows = (row for batch in batches for row in zip(*(csv_cells(c, text) for c in batch.columns), strict=True))
    return _write_csv(path, columns, rows)


def _write_csv(path: Path, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    n = 0
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_split(c)[0] for c in columns])
        for row in rows:
            writer.writerow(row)
            n += 1
    os.replace(tmp, path)
    return n


def csv_cells(column: Any, text: TextRewrite | None = None) -> list:
    """An Arrow column's cells as ``cell_value`` gives them, converted once for the column, not cell by cell;
    ``text`` (a masking) rewrites the column's texts first when one of them is a candidate."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_boolean(kind):
        column = pc.if_else(column, "是", "否")
    elif pa.types.is_timestamp(kind) and kind.tz is None:  # whole seconds, as strftime writes them
        column = pc.strftime(pc.cast(column, pa.timestamp("s"), safe=False), "%Y-%m-%d %H:%M:%S")
    elif pa.types.is_date(kind):
        column = pc.strftime(pc.cast(column, pa.timestamp("s")), "%Y-%m-%d")
    elif pa.types.is_floating(kind):
        column = pc.if_else(pc.is_nan(column), None, column)
    elif pa.types.is_decimal(kind):
        column = pc.cast(column, pa.float64())
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        values = column.to_pylist()
        if text is not None and pc.any(pc.match_substring_regex(column, text.candidate)).as_py():
            values = [text.rewrite(v) for v in values]
        return ["" if v is None else ("'" + v if v.startswith(FORMULA_PREFIXES) else v) for v in values]
    elif not pa.types.is_integer(kind):  # any other type (a time zone, a list): cell by cell
        return [cell_value(v) for v in column.to_pylist()]
    return ["" if v is None else v for v in column.to_pylist()]
