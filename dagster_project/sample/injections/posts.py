"""POS: senior applications against the unit's posts (F2): over the posts, more applications than vacant
posts, post arithmetic that does not add up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.vocabulary import ADVISORY, VIOLATION, normalise_unit

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def pos_01(g: Generator) -> None:
    """POS-01 (teacher 副高级 over the posts); counts for QTA-02 of a region with many posts"""
    a = g.app("150121", "中小学教师", "副高级", over_post=True, unit=g._directed_unit("150121", "中小学教师"))
    g.find("POS-01", VIOLATION, "application", a["application_no"])


def pos_02(g: Generator) -> None:
    """POS-02: a unit's senior applications outnumber its vacant posts (F2 built below)"""
    g.pos02_unit = ("和林格尔县第二人民医院", "150123")
    for _ in range(3):
        g.app("150123", "卫生", "副高级", unit=(g.pos02_unit[0], "事业单位"))
    g.find("POS-02", VIOLATION, "unit", normalise_unit(g.pos02_unit[0]))


def pos_03(g: Generator) -> None:
    """POS-03: F2 arithmetic (below) and an over-post application outside 事业单位"""
    g.pos03_unit = ("清水河县水务服务中心", "150124")
    g.find("POS-03", ADVISORY, "unit", normalise_unit(g.pos03_unit[0]))
    unit = ("武川县城市建设投资有限公司", "国有企业")
    g.app("150125", "工程", "副高级", over_post=True, unit=unit)
    g.find("POS-03", ADVISORY, "unit", normalise_unit(unit[0]))


# in the order the generator injects them
CASES = (pos_01, pos_02, pos_03)
