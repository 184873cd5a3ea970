"""Many documents by one print: their content in one HTML page, their page numbers in another.

Chromium spends about as long on a one-page print as on a fifty-page one, so the notices of a
run are printed in batches.  The bodies of a batch's documents go into one HTML document, each
beginning on a new page, printed with a document outline: its top entries are the documents'
titles (their ``<h1>``), and so their first pages.  A second print has, for every page, only its
number within its own document ("第 N 页　共 M 页", where Chromium's footer stands on a
document printed alone).  pikepdf lays each number page over its content page and writes the
pages of each document to its own file, under the document's own title.

When the outline does not give one first page per document (a document without an ``<h1>``,
or with a second one), ``Unsplittable`` is raised and the caller prints each document alone.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .fonts import FONT_FACE_MARK, web_fonts, with_fonts

# where Chromium's footer (pdf.FOOTER) stands on an A4 page printed alone: the top of its line
NUMBER_TOP = "283.8mm"
NUMBER_CSS = f"""{FONT_FACE_MARK}
@page {{ size: A4; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
.zc-page {{ position: relative; height: 297mm; overflow: hidden; break-after: page; }}
.zc-page:last-child {{ break-after: auto; }}
.zc-number {{ position: absolute; left: 0; right: 0; top: {NUMBER_TOP}; text-align: center; }}
"""
NEW_PAGE = ' style="break-before: page"'
TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
BODY_RE = re.compile(r"<body[^>]*>(.*)</body>", re.S)

PrintTo = Callable[[Path, Path, dict[str, Any]], None]


class Unsplittable(Exception):
    """The combined print cannot be cut back into its documents."""


def _parts(text: str) -> tuple[str, str, str]:
    """(everything before <body>, the body's content, the title) of one document."""
    body = BODY_RE.search(text)
    if body is None:
        raise Unsplittable("没有 <body>")
    title = TITLE_RE.search(text)
    return text[: body.start()], body.group(1), html.unescape(title.group(1)) if title else ""


def _first_pages(pdf) -> list[int]:
    """The page index of every top entry of the outline."""
    import pikepdf

    with pdf.open_outline() as outline:
        items = list(outline.root)
    pages = []
    for item in items:
        dest = item.destination
        if not isinstance(dest, pikepdf.Array) or len(dest) == 0:
            raise Unsplittable("目录项没有页面位置")
        pages.append(pikepdf.Page(dest[0]).index)
    return pages


def _numbers_html(counts: list[int], footer_style: str, page_number: str) -> str:
    pages = "".join(
        f'<div class="zc-page"><div class="zc-number" style="{footer_style}">'
        f"{page_number.format(page=n, pages=count)}</div></div>"
        for count in counts
        for n in range(1, count + 1)
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{NUMBER_CSS}</style></head><body>{pages}</body></html>\n"
    )


def print_combined(
    print_to: PrintTo,
    jobs: list[tuple[Path, Path]],
    tmp: Path,
    done: Callable[[Path, Path], None] | None,
    *,
    footer_style: str,
    page_number: str,
) -> None:
    """Print ``jobs`` (html, pdf) by two prints; each PDF is written atomically, then ``done`` is called."""
    import pikepdf

    parts = [_parts(Path(h).read_text(encoding="utf-8")) for h, _ in jobs]
    sections = "".join(
        f'<section class="zc-document"{NEW_PAGE if i else ""}>{body}</section>' for i, (_, body, _) in enumerate(parts)
    )
    content_html, content_pdf = tmp / "content.html", tmp / "content.pdf"
    content_html.write_text(f"{parts[0][0]}<body>{sections}</body>\n</html>\n", encoding="utf-8")
    print_to(content_html, content_pdf, {"generateDocumentOutline": True})
    with pikepdf.open(content_pdf) as pdf:
        starts = _first_pages(pdf)
        total = len(pdf.pages)
        if len(starts) != len(jobs) or starts[0] != 0 or any(b <= a for a, b in zip(starts, starts[1:], strict=False)):
            raise Unsplittable(f"{len(jobs)} 份文档，目录给出 {len(starts)} 个起始页")
        ends = [*starts[1:], total]
        counts = [end - start for start, end in zip(starts, ends, strict=True)]
        numbers_html, numbers_pdf = tmp / "numbers.html", tmp / "numbers.pdf"
        text = _numbers_html(counts, footer_style, page_number)
        numbers_html.write_text(with_fonts(text, web_fonts(page_number)), encoding="utf-8")
        print_to(numbers_html, numbers_pdf, {})
        with pikepdf.open(numbers_pdf) as numbers:
            if len(numbers.pages) != total or any(
                list(a.mediabox) != list(b.mediabox) for a, b in zip(pdf.pages, numbers.pages, strict=True)
            ):
                raise Unsplittable("页码页与内容页不一致")
            for page, number in zip(pdf.pages, numbers.pages, strict=True):
                page.add_overlay(number)
            for (html_path, pdf_path), start, end, (_, _, title) in zip(jobs, starts, ends, parts, strict=True):
                out = pikepdf.new()
                out.pages.extend(pdf.pages[start:end])
                out.docinfo["/Title"] = title
                for key in ("/Creator", "/Producer"):
                    if key in pdf.docinfo:
                        out.docinfo[key] = pdf.docinfo[key]
                part = pdf_path.with_name(pdf_path.name + ".part")
                pdf_path.parent.mkdir(parents=True, exist_ok=True)
                out.save(part, compress_streams=True)
                out.close()
                os.replace(part, pdf_path)
                if done is not None:
                    done(html_path, pdf_path)
