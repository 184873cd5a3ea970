"""COM: the committees' results (F5): applications surely evaluated, the two-thirds vote and F5 rows
that do not match the roster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.vocabulary import VIOLATION

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def evaluated_applications(g: Generator) -> None:
    """Every committee with outcomes gets a few applications that are surely evaluated"""
    for sub, series, level, route in (
        ("D-WLJ", "艺术", "中级", "正常申报"),
        ("D-WLJ", "群众文化", "中级", "正常申报"),
        ("D-WLJ", "群众文化", "副高级", "正常申报"),
        ("D-WLJ", "新闻", "副高级", "正常申报"),
        ("150125", "中小学教师", "中级", "正常申报"),
        ("150122", "卫生", "中级", "正常申报"),
        ("U-HLSC", "工程", "中级", "正常申报"),
        ("150105", "中小学教师", "中级", "正常申报"),
        ("D-KJJ", "会计", "副高级", "正常申报"),
        ("D-WJW", "卫生", "副高级", "正常申报"),
        ("D-NMJ", "农牧业", "副高级", "正常申报"),
        ("D-JYJ", "中小学教师", "中级", "正常申报"),
        ("150121", "农牧业", "副高级", "定向评价"),
        ("150123", "卫生", "副高级", "定向评价"),
        ("U-HHVC", "高校教师", "中级", "正常申报"),
        ("D-ZJJ", "工程", "中级", "正常申报"),
        ("150124", "农牧业", "中级", "正常申报"),
        ("D-WJW", "卫生", "中级", "正常申报"),
        ("150121", "中小学教师", "中级", "正常申报"),
        ("D-LCJ", "林业", "副高级", "正常申报"),
        ("150104", "工程", "副高级", "正常申报"),
        ("D-SWJ", "水利", "中级", "正常申报"),
    ):
        for _ in range(2):
            kw = {"unit": g._directed_unit(sub, series)} if route == "定向评价" else {}
            g.app(sub, series, level, route, _f5={}, **kw)


def com_03(g: Generator) -> None:
    """COM-03 votes: exactly two thirds (clean) and one fewer (breach)"""
    a = g.app(
        "D-ZJJ", "工程", "副高级", _f5={"outcome": "通过", "members_expected": 9, "members_present": 6, "votes_for": 4}
    )
    a = g.app(
        "D-ZJJ", "工程", "副高级", _f5={"outcome": "通过", "members_expected": 9, "members_present": 5, "votes_for": 5}
    )
    g.find("COM-03", VIOLATION, "application", a["application_no"])
    a = g.app(
        "D-ZJJ", "工程", "副高级", _f5={"outcome": "通过", "members_expected": 9, "members_present": 6, "votes_for": 3}
    )
    g.find("COM-03", VIOLATION, "application", a["application_no"])
    g.app(
        "D-ZJJ",
        "工程",
        "副高级",
        _f5={"outcome": "未通过", "members_expected": 9, "members_present": 6, "votes_for": 3},
    )


def com_04_mismatch(g: Generator) -> None:
    """COM-04: F5 differs from F1 (ID, level, committee); F5 without F1 comes from the superseded roster"""
    a = g.app("D-SWJ", "水利", "副高级", _f5={**{"id_number": g.new_id("150102")}, "_unmatched": True})
    g.find("COM-04", VIOLATION, "application", a["application_no"])
    a = g.app("D-SWJ", "水利", "副高级", _f5={**{"level": "正高级"}, "_unmatched": True})
    g.find("COM-04", VIOLATION, "application", a["application_no"])
    a = g.app("D-SWJ", "水利", "中级", _f5={**{"committee_code": "C-NMY-M"}, "_unmatched": True})
    g.find("COM-04", VIOLATION, "application", a["application_no"])


def com_04_superseded(g: Generator) -> None:
    """COM-04: an F5 row whose application only the superseded roster of 150103 lists"""
    g.gone = gone = g.app("150103", "卫生", "中级", _f5=None, _counts=False)
    g.apps.remove(gone)
    g.f5_extra["C-WS-M"].append({**g.outcome_row(gone, evaluation_date=g.eval_days["C-WS-M"][1]), "_unmatched": True})
    g.find("COM-04", VIOLATION, "application", gone["application_no"])


# in the order the generator injects them
CASES = (com_03, com_04_mismatch, com_04_superseded)
