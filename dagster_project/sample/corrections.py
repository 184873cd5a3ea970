"""A submitter's corrected file, as people send one: the same workbook with one cell changed, saved as a
newer file beside the old one (the loader then supersedes the old file whole). Used by the benchmark's
re-run after one file and by the tests of what such a re-run rebuilds."""

from __future__ import annotations

import os
from pathlib import Path

ROSTER = "申报人员花名册.xlsx"
ROSTER_SHEET = "花名册"
PLEDGE = "诚信承诺书"  # a 是/否 column: flipping it adds or removes a finding (FIL-02)


def correct_roster(inbox: Path, code: str = "150125", year: int = 2022, row: int = 1, label: str = "更正") -> Path:
    """Flip the integrity pledge (是 ↔ 否) of the ``row``-th application of the submitter's roster; the corrected
    workbook is written as ``申报人员花名册(<label>).xlsx``, a day newer than the file it corrects."""
    import openpyxl

    roster = Path(inbox) / str(year) / code / ROSTER
    book = openpyxl.load_workbook(roster)
    sheet = book[ROSTER_SHEET]
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value and "序号" in str(sheet.cell(r, 1).value))
    columns = {str(sheet.cell(header_row, c).value).strip("*"): c for c in range(1, sheet.max_column + 1)}
    cell = sheet.cell(header_row + row, columns[PLEDGE])
    cell.value = "否" if cell.value == "是" else "是"
    corrected = roster.with_name(f"{roster.stem}({label}){roster.suffix}")
    book.save(corrected)
    later = max(p.stat().st_mtime for p in roster.parent.iterdir()) + 86400
    os.utime(corrected, (later, later))
    return corrected
