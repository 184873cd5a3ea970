"""SCH: applications inside and outside the submitter's application window (SCH-01)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.vocabulary import DAY, VIOLATION

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def sch_01(g: Generator) -> None:
    """SCH-01: first and last day of the window (clean) and one day outside (breach)"""
    for sub, series, level in (
        ("150121", "中小学教师", "中级"),
        ("D-ZJJ", "工程", "中级"),
        ("U-HHVC", "高校教师", "副高级"),
        ("150122", "卫生", "副高级"),
    ):
        committee = g.committee_for(sub, series, level)
        w = g.ref.window(sub, committee, level)
        g.app(sub, series, level, date=w.start)
        g.app(sub, series, level, date=w.end)
        a = g.app(sub, series, level, date=w.start - DAY)
        g.find("SCH-01", VIOLATION, "application", a["application_no"])
        a = g.app(sub, series, level, date=w.end + DAY)
        g.find("SCH-01", VIOLATION, "application", a["application_no"])


# in the order the generator injects them
CASES = (sch_01,)
