"""Read one inbox file into Arrow: find each sheet's header row and recognise its form.

Spreadsheets (.xlsx/.xlsm/.xls/.xlsb/.ods) are read with fastexcel (calamine) straight
into Arrow, every cell as a string; CSV files are decoded (UTF-8, UTF-8-BOM, UTF-16 with
BOM — tab-separated, as Excel and WPS save "Unicode text" — or GB18030) and parsed with
the csv module. Reading runs in worker processes behind size checks (isolate.py, limits.py).
Every cell is NFKC-folded and trimmed; blank rows and footer rows are dropped.  The result
per sheet is an Arrow table of strings with one column per form field present, one per
unknown extra column, ``_row`` (the row number as Excel shows it, or the CSV line number)
and ``_id_numeric`` (true where the ID number cell was stored as a number).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from dagster_project.forms import FORMS, Form, header_key
from dagster_project.ingest.cell_types import Workbook

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
XML_SUFFIXES = {".xlsx", ".xlsm"}  # a zip of sheet XML (cell_types.py reads cell types from it)
CSV_SUFFIXES = {".csv"}
HEADER_SCAN_ROWS = 50
FOOTER_PREFIXES = ("合计", "总计", "填表人", "填报人", "审核人", "负责人", "联系人", "联系电话", "单位盖章")
# white space inside the word is tolerated (合　计, 填 表 人: spreadsheets space out short labels)
_FOOTER_RE = "^(" + "|".join(r"\s*".join(word) for word in FOOTER_PREFIXES) + ")"
# the white space trimmed from both ends of a cell after NFKC (which folds U+3000, no-break and the
# other fixed-width spaces to U+0020): ASCII and Unicode white space, the BOM and the zero-width space
TRIM_CHARACTERS = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\u1680\u2028\u2029\ufeff\u200b"
# An ID number cell that reads like a number may have been a number cell (fastexcel
# prints such a cell's exact double value, e.g. 150121198503070016, indistinguishable
# from text): when any value looks numeric and the sheet XML does not show the column to hold
# only text (cell_types.py), a second one-column pass asks calamine.
_NUMERIC_ID_CANDIDATE = r"^[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?$"


def normalise_header(cell: object) -> str:
    """The column name a header cell gives (forms.header_key: white space, ``*``, bracketed notes, other names)."""
    return header_key(cell)


@dataclass
class SheetRead:
    name: str
    form: Form | None = None
    table: pa.Table | None = None  # strings; see module docstring
    header_row: int | None = None  # 1-based
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written (normalised)
    extras: list[tuple[str, str]] = field(default_factory=list)  # (column in table, header label)
    note: str = ""  # why a sheet was not recognised (Chinese)
    unreadable: bool = False  # the sheet could not be read (not merely: no form header)

    @property
    def rows(self) -> int:
        return 0 if self.table is None else self.table.num_rows


@dataclass
class FileRead:
    sheets: list[SheetRead]
    error: str | None = None  # the whole file could not be read (Chinese)
    unreadable: bool = False  # the error is a failure to read (not merely: no spreadsheet)


# ---------------------------------------------------------------------------


def normalise_cells(columns: list[pa.Array]) -> list[pa.Array]:
    """NFKC + trim of all white space; empty -> null. All columns of a sheet at once (one call per step)."""
    if not columns:
        return []
    n = len(columns[0])
    whole = pa.concat_arrays([c if c.type == pa.string() else pc.cast(c, pa.string()) for c in columns])
    if pc.all(pc.string_is_ascii(whole)).as_py() is False:
        whole = pc.utf8_normalize(whole, form="NFKC")
    whole = pc.utf8_trim(whole, characters=TRIM_CHARACTERS)
    whole = pc.if_else(pc.equal(whole, ""), pa.scalar(None, pa.string()), whole)
    return [whole.slice(k * n, n) for k in range(len(columns))]


def recognise(header_cells: list[str]) -> Form | None:
    """The form whose required headers all appear (most required headers wins)."""
    present = set(header_cells)
    best: Form | None = None
    for form in FORMS.values():
        if all(h in present for h in form.required_headers):
            if best is None or len(form.required_headers) > len(best.required_headers):
                best = form
    return best


def _find_header(columns: list[pa.Array]) -> tuple[int, Form, list[str]] | None:
    n = min(HEADER_SCAN_ROWS, len(columns[0]) if columns else 0)
    heads = [c.slice(0, n).to_pylist() for c in columns]
    for r in range(n):
        cells = [normalise_header(h[r]) for h in heads]
        form = recognise(cells)
        if form is not None:
            return r, form, cells
    return None


def _closest_form_note(columns: list[pa.Array]) -> str:
    """Why no header was found: name the closest form and its missing required columns."""
    n = min(HEADER_SCAN_ROWS, len(columns[0]) if columns else 0)
    heads = [c.slice(0, n).to_pylist() for c in columns]
    best: tuple[int, Form, list[str]] | None = None
    for r in range(n):
        present = {normalise_header(h[r]) for h in heads}
        for form in FORMS.values():
            have = [h for h in form.required_headers if h in present]
            missing = [h for h in form.required_headers if h not in present]
            if len(have) * 2 >= len(form.required_headers) and (best is None or len(have) > best[0]):
                best = (len(have), form, missing)
    if best is None:
        return "未找到可识别的表头（不是七种报表之一）"
    _, form, missing = best
    return f"未找到完整的表头：最接近{form.code} {form.name}，但缺少必填列 {'、'.join(missing)}"


def _build_sheet(name: str, columns: list[pa.Array], row_numbers: pa.Array, numeric_id_loader=None) -> SheetRead | None:
    """From raw string columns (all rows of the sheet) to a SheetRead; None if empty."""
    columns = normalise_cells(columns)
    if not columns or all(c.null_count == len(c) for c in columns):
        return None
    found = _find_header(columns)
    if found is None:
        return SheetRead(name=name, note=_closest_form_note(columns))
    r, form, cells = found
    known = {c.header: c for c in form.columns}
    names: list[str] = []
    headers: dict[str, str] = {}
    extras: list[tuple[str, str]] = []
    id_index: int | None = None
    for j, label in enumerate(cells):
        col = known.get(label)
        if col is not None and col.field not in headers:
            headers[col.field] = label
            names.append(col.field)
            if col.kind == "id_number":
                id_index = j
        else:
            key = f"__x{j}"
            extras.append((key, label or f"未命名列{j + 1}"))
            names.append(key)
    data = [c.slice(r + 1) for c in columns]
    rows = row_numbers.slice(r + 1)
    # drop blank rows and footer rows
    if data:
        first = pc.coalesce(*data) if len(data) > 1 else data[0]
        non_blank = pc.is_valid(first)
        footer = pc.fill_null(pc.match_substring_regex(first, _FOOTER_RE), False)
        keep = pc.and_(non_blank, pc.invert(footer))
    else:
        keep = pa.array([], pa.bool_())
    table = pa.table(dict(zip(names, data, strict=False)) | {"_row": rows})
    numeric = pa.array([False] * len(rows), pa.bool_())
    if id_index is not None:
        ids = data[id_index]
        candidates = pc.fill_null(pc.match_substring_regex(ids, _NUMERIC_ID_CANDIDATE), False)
        if numeric_id_loader is not None and pc.any(pc.and_(candidates, keep)).as_py():
            numeric = numeric_id_loader(id_index).slice(r + 1)
    table = table.append_column("_id_numeric", numeric)
    table = table.filter(keep)
    return SheetRead(
        name=name, form=form, table=table, header_row=int(row_numbers[r].as_py()), headers=headers, extras=extras
    )


# ---------------------------------------------------------------------------


def read_spreadsheet(path: Path) -> FileRead:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheet_names = reader.sheet_names
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not raised
        return FileRead(
            [],
            error=f"无法打开电子表格（文件已损坏、加密，或并非真正的 Excel 文件；错误类型 {type(exc).__name__}）",
            unreadable=True,
        )
    sheets: list[SheetRead] = []
    workbook = Workbook(path) if path.suffix.lower() in XML_SUFFIXES else None
    for idx, name in enumerate(sheet_names):
        try:
            sheet = reader.load_sheet(idx, header_row=None, skip_rows=0, dtypes="string")
            width = sheet.width
            batch = sheet.to_arrow() if width else None
        except Exception as exc:  # noqa: BLE001
            sheets.append(
                SheetRead(name=name, note=f"无法读取该工作表（错误类型 {type(exc).__name__}）", unreadable=True)
            )
            continue
        if batch is None or batch.num_rows == 0:
            continue
        columns = [batch.column(i) for i in range(batch.num_columns)]
        row_numbers = pa.array(range(1, batch.num_rows + 1), pa.int32())
        # The batch starts at the first used column; use_columns counts from column A.
        absolute = [c.absolute_index for c in sheet.selected_columns]

        def load_numeric(j: int, _idx=idx, _name=name, _n=batch.num_rows, _abs=absolute) -> pa.Array:
            if workbook is not None and workbook.only_text(_idx, _name, _abs[j]):  # the sheet XML says so
                return pa.array([False] * _n, pa.bool_())
            # A second, one-column pass: boolean dtype keeps numeric cells, strings fail.
            s = reader.load_sheet(
                _idx, header_row=None, skip_rows=0, column_names=["v"], use_columns=[_abs[j]], dtypes={"v": "boolean"}
            )
            rb, _errors = s.to_arrow_with_errors()
            arr = rb.column(0).is_valid().slice(0, _n)
            if len(arr) < _n:
                arr = pa.concat_arrays([arr, pa.array([False] * (_n - len(arr)))])
            return arr

        built = _build_sheet(name, columns, row_numbers, load_numeric)
        if built is not None:
            sheets.append(built)
    return FileRead(sheets)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_csv(raw: bytes) -> str:
    if raw.startswith(UTF16_BOMS):  # Excel / WPS "Unicode text"
        return raw.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("gb18030", errors="replace")


def read_csv(path: Path) -> FileRead:
    raw = path.read_bytes()
    text = decode_csv(raw)
    # UTF-16 text from Excel / WPS is tab-separated
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if raw.startswith(UTF16_BOMS) else ",")
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            rows.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error:
        return FileRead(
            [],
            error=f"CSV 文件第 {reader.line_num} 行格式错误，无法解析（例如引号不成对导致单元格超长）",
            unreadable=True,
        )
    if not rows:
        return FileRead([])
    width = max(len(r) for r in rows)
    for r in rows:
        if len(r) < width:
            r.extend([""] * (width - len(r)))
    columns = [pa.array(col, pa.string()) for col in zip(*rows, strict=False)]
    name = os.fsencode(path.name).decode("utf-8", errors="replace")  # a CSV's sheet is its file name
    built = _build_sheet(name, columns, pa.array(lines, pa.int32()))
    return FileRead([built] if built is not None else [])


def read_file(path: Path) -> FileRead:
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return read_spreadsheet(path)
    if suffix in CSV_SUFFIXES:
        return read_csv(path)
    return FileRead([], error="不是电子表格文件（只接受 .xlsx、.xls、.csv）")
