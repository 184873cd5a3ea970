"""Whether a column of an .xlsx sheet holds only text and empty cells, read from the sheet XML.

The reader reads every cell as a string. To know whether an ID number cell was stored as a
number, it asks the reader library a second time for that column (reader.py), which parses
the whole sheet again. An .xlsx workbook's sheet XML answers more cheaply: a cell's type is
its ``t`` attribute (``s``, ``str``, ``inlineStr``: text), and an empty cell is a tag without
content. ``only_text`` answers True only when that is certain for every cell of the column;
for any other layout of tags (a namespace prefix, a cell that does not begin with its
reference, an attribute it does not recognise) it answers False and the reader asks the
library, as before.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
TEXT_TYPES = {b"s", b"str", b"inlineStr"}
# a cell tag that does not begin with its reference (<c r="...): its column cannot be told from its start
_OTHER_CELL_TAG = re.compile(rb'<c(?:[\t\n\r\f\v/>]| (?!r="))')
_ATTRIBUTE = re.compile(rb'\s+([A-Za-z]+)="([^"<>&]*)"')
_ATTRIBUTES = re.compile(rb'^(?:\s+[A-Za-z]+="[^"<>&]*")*\s*(/?)$')


def column_letters(index: int) -> str:
    """A zero-based column number as Excel's letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _worksheet_members(archive: zipfile.ZipFile) -> list[tuple[str, str | None]]:
    """(sheet name, its worksheet XML member, or None when it is not a worksheet) in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for relation in relations.iter(f"{PACKAGE}Relationship"):
        if relation.get("Type") == WORKSHEET_TYPE and relation.get("TargetMode") != "External":
            target = relation.get("Target", "")
            member = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[relation.get("Id")] = member
    return [(sheet.get("name", ""), targets.get(sheet.get(RELATION))) for sheet in workbook.iter(f"{MAIN}sheet")]


def _only_text(xml: bytes, letters: str) -> bool:
    if b":c" in xml or _OTHER_CELL_TAG.search(xml):
        return False
    tags = re.findall(rb'<c r="' + letters.encode("ascii") + rb'[0-9]+"([^>]*)>', xml)
    for attributes in set(tags):
        shape = _ATTRIBUTES.match(attributes)
        if shape is None:
            return False
        found = _ATTRIBUTE.findall(attributes)
        names = [name for name, _ in found]
        if len(set(names)) != len(names):
            return False
        if not shape.group(1) and dict(found).get(b"t") not in TEXT_TYPES:  # a value, not of a text type
            return False
    return True


class Workbook:
    """The sheet XML of an .xlsx workbook, opened once for the questions about its sheets."""

    def __init__(self, path: Path):
        self.path = path
        self.members: list[tuple[str, str | None]] | None = None

    def only_text(self, sheet_index: int, sheet_name: str, column: int) -> bool:
        """True when every cell of the sheet's column (zero-based, from A) is text or empty."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                if self.members is None:
                    self.members = _worksheet_members(archive)
                if sheet_index >= len(self.members):
                    return False
                name, member = self.members[sheet_index]
                if member is None or name != sheet_name:
                    return False
                return _only_text(archive.read(member), column_letters(column))
        except (KeyError, OSError, ValueError, zipfile.BadZipFile, ElementTree.ParseError, EOFError, RuntimeError):
            return False
