"""Checks of rendered outputs shared by the report tests: PDF pages, fonts, text; XLSX."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

CJK_FONT = re.compile(r"(CJK|Noto ?Sans ?SC|Noto ?Serif ?SC|SourceHan|WenQuanYi|SimSun|FangSong)", re.I)
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = []
    for line in out[2:]:
        parts = line.split()
        if len(parts) >= 7:
            # name, type…, encoding, emb, sub, uni, object id, gen
            fonts.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:-6])})
    return fonts


def page_ink(pdf: Path, dpi: int = 30) -> list[float]:
    """Share of non-white pixels on each page, rendered with pdftoppm."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{tmp}/p"], check=True, capture_output=True)
        shares = []
        for png in sorted(Path(tmp).glob("p-*.png")):
            img = Image.open(png).convert("L")
            hist = img.histogram()
            dark = sum(hist[:200])
            shares.append(dark / (img.width * img.height))
        return shares


def assert_pdf_ok(pdf: Path, headings: list[str]) -> str:
    assert pdf.exists() and pdf.stat().st_size > 1000, pdf
    ink = page_ink(pdf)
    assert ink, f"{pdf} has no pages"
    assert all(share > 0.0003 for share in ink), f"blank page in {pdf}: {ink}"
    fonts = pdf_fonts(pdf)
    cjk = [f for f in fonts if CJK_FONT.search(f["name"]) and f["emb"] == "yes"]
    assert cjk, f"no embedded CJK font in {pdf}: {fonts}"
    text = pdf_text(pdf)
    squeezed = re.sub(r"\s+", "", text)
    for heading in headings:
        assert re.sub(r"\s+", "", heading) in squeezed, f"{heading!r} not in the text of {pdf}"
    return text


def xlsx_text(path: Path) -> tuple[dict[str, list[list]], str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    sheets, chunks = {}, []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        sheets[ws.title] = rows
        for r in rows:
            chunks.extend("" if v is None else str(v) for v in r)
    return sheets, "\n".join(chunks)


def assert_xlsx_safe(path: Path) -> None:
    """Header bold and frozen, no cell is a formula, no text starts with = + - @."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", (path, ws.title, ws.freeze_panes)
        assert ws.max_column >= 1
        if ws.max_row >= 1 and ws.cell(1, 1).value is not None:
            assert ws.cell(1, 1).font.bold, (path, ws.title)
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path, ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (
                        path,
                        ws.title,
                        cell.coordinate,
                        cell.value,
                    )


def xlsx_rows_with_cells(path: Path, sheet: str, min_row: int = 2) -> int:
    """How many rows from `min_row` on of a sheet hold at least one value, read by calamine (another reader than
    the writer; openpyxl parses every cell into Python objects: minutes for a sheet of hundreds of thousands of
    rows, and a streamed parse of the sheet's XML took about 18 s for 200,000 rows)."""
    from python_calamine import CalamineWorkbook

    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    first = cells.start[0] + 1 if cells.start else 1  # the 1-based number of the range's first row
    return sum(1 for i, row in enumerate(cells.iter_rows(), first) if i >= min_row and any(v != "" for v in row))
