"""The size checks' count of stored cells (ingest/limits.py): the fast count agrees with the tag-by-tag one."""

from __future__ import annotations

import io

import pytest

from dagster_project.ingest import limits


def tag_by_tag(xml: bytes) -> tuple:
    extent = limits._Extent()
    for match in limits._TAG.finditer(xml):
        extent.tag(match.group(1), match.group(2))
    return extent.cells, extent.min_row, extent.min_col, extent.max_row, extent.max_col


def scanned(xml: bytes, chunk: int) -> tuple:
    extent = limits._scan_sheet(io.BytesIO(xml), [10**12], chunk)
    return extent.cells, extent.min_row, extent.min_col, extent.max_row, extent.max_col


def row(r: int) -> bytes:
    return b'<row r="%d">' % r + b"".join(b'<c r="%s%d" t="s"><v>1</v></c>' % (c, r) for c in (b"B", b"AA")) + b"</row>"


SHEETS = {
    "plain": b"".join(row(r) for r in range(3, 400)),
    "far apart": b'<row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "no references": b'<row r="2"><c t="s"><v>0</v></c><c/><c s="1"><v>2</v></c></row><row><c/></row>',
    "some references": b'<row r="4"><c r="C4"/><c><v>1</v></c><c s="2" r="F4"/></row>',
    "prefixed": b'<x:row r="7"><x:c r="D7"><x:v>1</x:v></x:c><x:c r="E9"/></x:row>',
    "lower case and zeros": b'<c r="b0012"/><c r="a1"/><c\nr="Q5"></c>',
    "other tags": b'<cols><col min="1"/></cols><c r="A2"><v>1</v></c><conditionalFormatting><cfRule/>',
    "row zero": b'<row r="0"><c r="A0"/><c r="C0"/></row>',
}  # fmt: skip


@pytest.mark.parametrize("name", list(SHEETS))
@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_the_fast_count_agrees_with_the_count_tag_by_tag(name, chunk):
    assert scanned(SHEETS[name], chunk) == tag_by_tag(SHEETS[name])
