"""The Chinese summary page beside the Data Docs: each failing expectation with its failing rows by code."""

from __future__ import annotations

import re

import duckdb

from dagster_project.quality.runner import run_suites
from dagster_project.quality.summary import code_names

from .crafted import make_clean


def _run(tmp_path, breach: str | None = None):
    warehouse = make_clean(tmp_path / "w.duckdb")
    if breach:
        con = duckdb.connect(str(warehouse))
        con.execute(breach)
        con.close()
    docs = tmp_path / "data_docs"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        outcomes = run_suites(con, docs)
        names = code_names(con)
    finally:
        con.close()
    return docs, {o.dataset.name: o for o in outcomes}, names


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_summary_lists_failing_rows_by_code_with_names_and_values(tmp_path):
    docs, outcomes, names = _run(
        tmp_path,
        """
        update intermediate.int_quality_submitter_filing set roster_publicity_end = null where submitter_code = 'D-JYJ';
        update intermediate.int_quality_unit_publicity set unit_publicity_workdays = 4
            where application_no = 'HH20220002';
        update intermediate.int_quality_committee_filing set plan_lead_days = 13 where committee_code = 'C-ZXX-150121';
    """,
    )
    summary = docs / "summary.html"
    assert summary.is_file()
    text = _text(summary.read_text(encoding="utf-8"))
    assert "数据质量检查摘要" in text
    # the failing expectation, its count, and the row by code with the organisation's name
    assert "PUB-02" in text and "D-JYJ" in text and "（空）" in text
    assert "HH20220002" in text and "单位公示工作日数" in text
    assert "C-ZXX-150121" in text and "实施方案提前天数" in text and " 13 " in text
    named = [code for code in ("D-JYJ", "C-ZXX-150121") if code in names]
    assert named, "the crafted reference data names none of the codes"
    for code in named:  # a code the reference data knows is shown with its name
        assert f"{code}（{names[code]}）" in text
    # policy parameters in a note are shown with the year's value
    assert "（PUBLICITY_MIN_WORKDAYS）" in text and "不少于 PUBLICITY_MIN_WORKDAYS" not in text
    # nothing an engineer's screen would show instead of a code
    for word in ("NaT", "nan", "None", "Index "):
        assert word not in text, word
    # every failing expectation of the run has a section, and its rows are all listed
    for outcome in outcomes.values():
        for expectation in outcome.expectations:
            if not expectation.success:
                assert expectation.note in text or expectation.note.split("：")[0] in text
                assert len(expectation.failures) == expectation.unexpected_count


def test_index_links_the_summary_and_ge_footers_are_gone(tmp_path):
    docs, outcomes, _ = _run(tmp_path)
    assert all(o.success for o in outcomes.values())
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert 'href="summary.html"' in index
    assert "全部通过" in _text((docs / "summary.html").read_text(encoding="utf-8"))
    for page in docs.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<footer" not in html and 'ge-cta-footer")' not in html, page
        assert "newsletter" not in html.lower() and "tutorials" not in html.lower(), page
