"""FIL: the application's own papers: the integrity pledge and one number from two submitters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.vocabulary import VIOLATION

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def fil_02(g: Generator) -> None:
    """FIL-02 integrity pledge"""
    a = g.app("150105", "工程", "中级", integrity_pledge=False)
    g.find("FIL-02", VIOLATION, "application", a["application_no"])
    a = g.app("150105", "工程", "中级", integrity_pledge=None)  # blank takes the default 否
    g.find("FIL-02", VIOLATION, "application", a["application_no"])


def fil_03(g: Generator) -> None:
    """FIL-03: one number from two submitters (left out of everything else)"""
    a1 = g.app("150102", "工程", "中级", _f5=None, _counts=False)
    a2 = g.app("150103", "工程", "中级", _f5=None, _counts=False)
    a2["application_no"] = a1["application_no"]
    g.find("FIL-03", VIOLATION, "application", a1["application_no"])


# in the order the generator injects them
CASES = (fil_02, fil_03)
