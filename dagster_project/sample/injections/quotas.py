"""QTA: the year's quotas: over-post applications per submitter (QTA-02) and the city's passes of
中小学教师 正高级 (QTA-01).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.vocabulary import SENIOR, SPECIALTIES, VIOLATION

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def qta_02(g: Generator) -> None:
    """QTA-02: exactly 5 % (D-WJW) vs one more (D-NMJ); F2 sized in f2()"""
    g.qta02 = {}
    for code, series, extra in (("D-WJW", "卫生", 0), ("D-NMJ", "农牧业", 1)):
        senior = [x for x in g.apps if x["_sub"] == code and x["level"] in SENIOR and x["unit_nature"] == "事业单位"]
        need = sum(1 for x in senior if not x["over_post"])
        c = max(2, (need + len({x["unit_name"] for x in senior}) + 25) // 20 + 1)
        g.qta02[code] = c
        unit = [u for u in g.units_for(code, series) if u[1] == "事业单位"][0]
        for _ in range(c + extra):
            g.app(code, series, "副高级", over_post=True, unit=unit, specialty=SPECIALTIES[series][0])
    g.find("QTA-02", VIOLATION, "submitter", "D-NMJ")


def qta_01(g: Generator) -> None:
    """QTA-01: 13 valid passes of 中小学教师 正高级 (limit 12) and a 14th pass that is void"""
    for i in range(14):
        sub = ("D-JYJ", "150121", "150123", "150104")[i % 4]
        a = g.app(sub, "中小学教师", "正高级", _f5={"outcome": "通过"})
        if i == 13:
            a["_f5"] = {"outcome": "通过", "members_expected": 9, "members_present": 5, "votes_for": 5}
            g.find("COM-03", VIOLATION, "application", a["application_no"])
    g.find("QTA-01", VIOLATION, "city", "1501")


# in the order the generator injects them
CASES = (qta_02, qta_01)
