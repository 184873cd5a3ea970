"""The sheet XML's cell types (ingest/cell_types.py) against the reader library's own answer."""

from __future__ import annotations

import fastexcel
import pytest

from dagster_project.ingest.cell_types import Workbook, _only_text, column_letters
from tests.ingest.conftest import f1_row, rows_to_grid, write_xlsx


def numeric_cells(path, sheet: int, column: int) -> int:
    """How many cells of the column the reader library reads as a number or a truth value."""
    s = fastexcel.read_excel(str(path)).load_sheet(
        sheet, header_row=None, skip_rows=0, column_names=["v"], use_columns=[column], dtypes={"v": "boolean"}
    )
    return s.to_arrow_with_errors()[0].column(0).is_valid().sum().as_py() or 0


def test_column_letters():
    assert [column_letters(i) for i in (0, 1, 25, 26, 27, 701, 702, 16383)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA", "XFD",
    ]  # fmt: skip


@pytest.mark.parametrize("openpyxl_writer", [False, True])
def test_text_ids_are_told_from_a_numeric_one_as_the_library_tells_them(tmp_path, openpyxl_writer):
    headers, grid = rows_to_grid([f1_row(1), f1_row(2), f1_row(3)])
    column = headers.index("身份证号")
    numeric = [row[:] for row in grid]
    numeric[2][column] = 150121198503070012.0
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {"文字": [headers, *grid], "数字": [headers, *numeric], "说明": [["填表说明"]]},
        openpyxl_writer=openpyxl_writer,
    )
    book = Workbook(path)
    assert numeric_cells(path, 0, column) == 0 and book.only_text(0, "文字", column)
    assert numeric_cells(path, 1, column) == 1 and not book.only_text(1, "数字", column)
    # the serial numbers are numbers in both sheets; a sheet name that does not match is not answered
    serial = headers.index("序号")
    assert numeric_cells(path, 0, serial) == 3 and not book.only_text(0, "文字", serial)
    assert not book.only_text(0, "数字", column)
    assert not book.only_text(5, "文字", column)


@pytest.mark.parametrize(
    "xml,text",
    [
        (b'<row r="1"><c r="B1" t="s"><v>0</v></c><c r="B2" s="3" t="inlineStr"><is><t>x</t></is></c></row>', True),
        (b'<c r="B1" t="str"><f>A1</f><v>x</v></c><c r="B2" s="1"/><c r="BA3"><v>1</v></c>', True),
        (b'<c r="B1" t="s"><v>0</v></c><c r="B2"><v>150121198503070012</v></c>', False),  # a number
        (b'<c r="B1" t="n"><v>1</v></c>', False),
        (b'<c r="B1" t="b"><v>1</v></c>', False),  # a truth value: the library reads it too
        (b'<c r="B1" s="1"></c>', False),  # an empty tag that is not self-closing: not certain
        (b'<c s="1" r="B1"><v>1</v></c>', False),  # the reference is not the first attribute
        (b"<c><v>1</v></c>", False),  # no reference
        (b'<x:c r="B1"><x:v>1</x:v></x:c>', False),  # a namespace prefix
        (b"<c r=\"B1\" t='s'><v>0</v></c>", False),  # an attribute in single quotes
        (b'<c r="B1" t="s" t="n"><v>0</v></c>', False),  # the same attribute twice
    ],
)
def test_only_text_is_certain_or_says_no(xml, text):
    assert _only_text(xml, "B") is text


def test_a_damaged_workbook_is_not_answered(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert not Workbook(path).only_text(0, "花名册", 0)
