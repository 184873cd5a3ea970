"""Size and dimension checks made before a file is handed to the reader (contract v3 §1).

A workbook is refused, with a Chinese reason, when its content would expand past what the
reader can hold: more than 100 MB uncompressed (a zip or XML bomb), a stored cell outside
Excel's grid (1,048,576 rows × 16,384 columns), or stored cells spread so far apart that the
reader's dense grid (from the first to the last stored cell) would exceed a cell budget — a
9 KB sheet with cells at A1 and XFD1048576 asks for 17 billion cells. The cells are counted
as stored in the sheet XML (streamed, never held whole), not as the sheet declares them.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

MB = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * MB
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# the reader expands a sheet to the rectangle of its stored cells; past this many it is refused
MAX_EXPANDED_CELLS = int(os.environ.get("ZHICHENG_READER_MAX_CELLS", str(25_000_000)))  # read by each worker

ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}
_SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.I)
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb'\br="([A-Za-z]*)([0-9]*)"')
# the common case, matched by Arrow: every cell tag of a chunk is unprefixed and says first where it is
# (<c r="B12" ...>); what follows "<c" in a cell tag is white space (as Python's \s), "/" or ">"
_CELL_TAIL = r"^[ \t\n\r\f\v/>]"
_CELL_PLACE = r'^ r="(?P<letters>[A-Za-z]+)(?P<digits>[0-9]{1,18})"'
_CHUNK = 1 << 20


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _fmt(n: int) -> str:
    return f"{n:,}"


class _Extent:
    """Stored cells of one sheet: their count and the rectangle they span."""

    def __init__(self) -> None:
        self.cells = 0
        self.row = 0  # current row (1-based)
        self.col = 0  # last column in the current row
        self.min_row = self.min_col = None
        self.max_row = self.max_col = 0

    def tag(self, name: bytes, attrs: bytes) -> None:
        match = _R_ATTR.search(attrs)
        if name == b"row":
            self.row = int(match.group(2)) if match and match.group(2) else self.row + 1
            self.col = 0
            return
        if match and match.group(1):
            self.col = _column_number(match.group(1))
            if match.group(2):
                self.row = int(match.group(2))
        else:
            self.col += 1
        row = max(self.row, 1)
        self.cells += 1
        self.min_row = row if self.min_row is None else min(self.min_row, row)
        self.min_col = self.col if self.min_col is None else min(self.min_col, self.col)
        self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, self.col)

    def cells_at(self, letters: pa.Array, digits: pa.Array) -> None:
        """Cells that each carry their reference (column letters, row digits): counted without a loop per tag."""
        if not len(letters):
            return
        rows = pc.min_max(pc.cast(digits, pa.int64())).as_py()
        cols = {c: _column_number(c) for c in pc.unique(letters).to_pylist()}
        low_row, low_col = max(rows["min"], 1), min(cols.values())
        self.cells += len(letters)
        self.min_row = low_row if self.min_row is None else min(self.min_row, low_row)
        self.min_col = low_col if self.min_col is None else min(self.min_col, low_col)
        self.max_row, self.max_col = max(self.max_row, rows["max"], 1), max(self.max_col, max(cols.values()))
        self.row, self.col = int(digits[-1].as_py()), cols[letters[-1].as_py()]

    def expanded(self) -> int:
        if not self.cells:
            return 0
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


def _scan_sheet(handle, budget: list[int], chunk_size: int = _CHUNK) -> _Extent:
    """Stream one sheet XML, ``chunk_size`` bytes at a time; `budget` holds the uncompressed bytes still allowed."""
    extent = _Extent()
    carry = b""
    while True:
        chunk = handle.read(chunk_size)
        if not chunk:
            break
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise _TooLarge()
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut != -1 and data.find(b">", cut) == -1:
            data, carry = data[:cut], data[cut:]
        else:
            carry = b""
        if len(carry) > _CHUNK:  # a tag longer than a megabyte: no sheet has one
            carry = b""
        places = _cell_places(data)
        if places is not None and len(places[0]):
            extent.cells_at(*places)
            for match in _TAG.finditer(data, data.rfind(b'<c r="') + 1):  # rows begun after the last cell
                if match.group(1) == b"row":
                    extent.tag(b"row", match.group(2))
            continue
        for match in _TAG.finditer(data):
            extent.tag(match.group(1), match.group(2))
    return extent


def _cell_places(data: bytes) -> tuple[pa.Array, pa.Array] | None:
    """(column letters, row digits) of every cell tag in ``data``, or None unless each is ``<c r="B12"``."""
    if b":c" in data:  # a prefixed tag (<x:c>) may be a cell: counted tag by tag
        return None
    parts = pc.list_flatten(pc.split_pattern(pa.array([data], pa.binary()), b"<c"))[1:]
    tags = parts.filter(pc.match_substring_regex(parts, _CELL_TAIL))
    places = pc.extract_regex(tags, _CELL_PLACE)
    if places.null_count:
        return None
    return places.field("letters"), places.field("digits")


class _TooLarge(Exception):
    pass


def _too_large(total: int | None = None) -> str:
    size = f"（解压后约 {total / MB:,.0f} MB）" if total else ""
    return (
        f"文件解压后的内容超过 {MAX_UNCOMPRESSED_BYTES // MB} MB 的读取上限{size}，"
        "可能是压缩炸弹或异常文件，未读取；如确为报送表，请拆分后重新报送"
    )


def _sheet_problem(sheet: str, extent: _Extent) -> str | None:
    if extent.max_row > MAX_ROWS or extent.max_col > MAX_COLUMNS:
        return (
            f"工作表「{sheet}」有单元格位于第 {_fmt(extent.max_row)} 行、第 {_fmt(extent.max_col)} 列，"
            f"超出 Excel 的范围（{_fmt(MAX_ROWS)} 行 × {_fmt(MAX_COLUMNS)} 列），文件异常，未读取"
        )
    if extent.expanded() > MAX_EXPANDED_CELLS:
        rows = extent.max_row - extent.min_row + 1
        cols = extent.max_col - extent.min_col + 1
        return (
            f"工作表「{sheet}」实际存储的 {_fmt(extent.cells)} 个单元格"
            f"分布在 {_fmt(rows)} 行 × {_fmt(cols)} 列的范围内，"
            f"展开后超过 {_fmt(MAX_EXPANDED_CELLS)} 个单元格的读取上限，未读取；请删除远处的零散单元格后重新报送"
        )
    return None


def _zip_problem(path: Path) -> str | None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip (an old .xls renamed, an encrypted workbook): the reader says what it is
    with archive:
        try:
            members = archive.infolist()
        except (zipfile.BadZipFile, ValueError):
            return None
        declared = sum(max(i.file_size, 0) for i in members)
        if declared > MAX_UNCOMPRESSED_BYTES:
            return _too_large(declared)
        budget = [MAX_UNCOMPRESSED_BYTES]
        for info in members:
            if not _SHEET_XML.match(info.filename):
                continue
            try:
                with archive.open(info) as handle:
                    extent = _scan_sheet(handle, budget)
            except _TooLarge:
                return _too_large()
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
                return None  # damaged: the reader reports it
            problem = _sheet_problem(info.filename, extent)
            if problem:
                return problem
    return None


def file_problem(path: Path) -> str | None:
    """Why `path` must not be read (Chinese), or None when it is within the limits."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        return _zip_problem(path)
    if size > MAX_UNCOMPRESSED_BYTES:
        return (
            f"文件大小 {size / MB:,.0f} MB，超过 {MAX_UNCOMPRESSED_BYTES // MB} MB 的读取上限，未读取；"
            "如确为报送表，请拆分后重新报送"
        )
    return None
