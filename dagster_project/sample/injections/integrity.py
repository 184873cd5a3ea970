"""INT: blacklist records (F7) within three years before the application."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.reference_data import add_years
from dagster_project.sample.vocabulary import ADVISORY, DAY

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def int_01(g: Generator) -> None:
    """INT-01 blacklist: within 3 years (breach), exactly 3 years and after the application (none)"""
    for delta, hit in ((1, True), (0, False)):
        a = g.app("150102", "中小学教师", "中级")
        rec = add_years(a["application_date"], -3) + delta * DAY
        g.f7.append(g._f7_row(a, rec, history=rec.year < g.year))
        if hit:
            g.find("INT-01", ADVISORY, "application", a["application_no"])
    a = g.app("150102", "中小学教师", "中级")
    g.f7.append(g._f7_row(a, a["application_date"] + 5 * DAY))
    g.int01_superseded = g.app("150102", "中小学教师", "中级")  # only in the superseded F7 file


# in the order the generator injects them
CASES = (int_01,)
