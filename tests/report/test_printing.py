"""Printing many documents at once (documents/combined.py) and its fallback, with the real Chromium."""

from __future__ import annotations

import re
import subprocess

from report_checks import pdf_text

from dagster_project.documents.pdf import Renderer

PAGE = '<p style="break-before: page">{text}</p>'  # each on a page of its own


def _html(path, title, body):
    path.write_text(
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>@page {{ size: A4; margin: 30mm 24mm 26mm 26mm; }}</style></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def _page_texts(pdf):
    text = pdf_text(pdf)
    return [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]


def test_a_batch_is_split_into_its_documents_each_numbered(tmp_path):
    jobs = []
    for i, pages in enumerate((1, 3, 2)):
        rest = "".join(PAGE.format(text=f"文档{i}内容{k}") for k in range(1, pages))
        body = f"<h1>文档{i}</h1><p>文档{i}内容0</p>{rest}"
        jobs.append((_html(tmp_path / f"d{i}.html", f"标题{i}", body), tmp_path / f"d{i}.pdf"))
    done = []
    with Renderer() as renderer:
        renderer.print_many(jobs, lambda html, pdf: done.append(pdf.name))
        assert renderer.printed == 2  # the content of all three, then their page numbers
    assert done == ["d0.pdf", "d1.pdf", "d2.pdf"]
    for i, (_, pdf) in enumerate(jobs):
        pages = _page_texts(pdf)
        assert all(f"文档{i}" in page for page in pages)
        assert [f"第{k}页共{len(pages)}页" in page for k, page in enumerate(pages, 1)] == [True] * len(pages)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"标题{i}" in info
    assert [len(_page_texts(pdf)) for _, pdf in jobs] == [1, 3, 2]


def test_a_batch_that_cannot_be_split_is_printed_document_by_document(tmp_path):
    # the second document has no <h1>: the outline cannot tell where it begins
    jobs = [
        (_html(tmp_path / "a.html", "甲", "<h1>甲</h1><p>甲的内容</p>"), tmp_path / "a.pdf"),
        (_html(tmp_path / "b.html", "乙", "<p>乙的内容</p>" + PAGE.format(text="乙的内容")), tmp_path / "b.pdf"),
    ]
    with Renderer() as renderer:
        renderer.print_many(jobs)
        assert renderer.printed == 1 + len(jobs)  # the combined print, then each alone
    assert all("甲" in page for page in _page_texts(jobs[0][1]))
    pages = _page_texts(jobs[1][1])
    assert len(pages) == 2 and all("乙的内容" in page for page in pages)
    assert "第2页共2页" in pages[1]


def test_documents_printed_one_at_a_time_reuse_the_running_browser(tmp_path):
    """A pool starts a browser at its first print; a document printed alone afterwards (the report after
    one reprinted notice) goes to that browser, not to one that would first have to start."""
    from dagster_project.documents.pdf import RendererPool

    with RendererPool(size=2) as pool:
        for name in ("a", "b", "c"):
            pool.print(_html(tmp_path / f"{name}.html", name, f"<h1>{name}</h1>"), tmp_path / f"{name}.pdf")
        assert pool.printed == 3 and pool.running == 1
        jobs = [(_html(tmp_path / f"m{i}.html", f"m{i}", f"<h1>m{i}</h1>"), tmp_path / f"m{i}.pdf") for i in range(4)]
        pool.print_all(jobs)  # several documents: both browsers print side by side
        assert pool.running == 2
    assert all(_page_texts(tmp_path / f"{name}.pdf") for name in ("a", "b", "c", "m0", "m3"))


def test_a_browser_started_early_is_the_one_that_prints_next(tmp_path):
    """``start_early`` starts the browser the next print takes (it starts while a document is composed)."""
    from dagster_project.documents.pdf import RendererPool, start_early

    with RendererPool(size=2) as pool:
        start_early(pool)
        assert pool.running == 1 and pool.printed == 0
        pool.print(_html(tmp_path / "a.html", "a", "<h1>a</h1>"), tmp_path / "a.pdf")
        assert pool.running == 1 and pool.printed == 1
    assert _page_texts(tmp_path / "a.pdf")
