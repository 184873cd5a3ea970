"""CHN: which committee an application goes to (one person or unit to two committees, unknown or
unfiled committee codes, a committee outside its series or level, 驻呼 units without an entrust letter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.vocabulary import ADVISORY, DAY, VIOLATION, normalise_unit

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def chn_01(g: Generator) -> None:
    """CHN-01: one person, same level, two committees (two series, no CHN-02)"""
    pid = g.new_id("150121")
    a1 = g.app("150121", "工程", "副高级", id_number=pid, committee="C-GC-NMG")
    a2 = g.app("150121", "农牧业", "副高级", id_number=pid, committee="C-NMY-NMG")
    a2["name"] = a1["name"]
    g.find("CHN-01", ADVISORY, "application", a1["application_no"])
    g.find("CHN-01", ADVISORY, "application", a2["application_no"])


def chn_02(g: Generator) -> None:
    """CHN-02: one unit, series and level to two committees"""
    school = ("土默特左旗察素齐镇第三中学", "事业单位")
    g.app("150121", "中小学教师", "中级", unit=school, committee="C-ZXX-150121")
    g.app("150121", "中小学教师", "中级", unit=school, committee="C-ZXX-M")
    g.find("CHN-02", VIOLATION, "unit", normalise_unit(school[0]))
    # directed and not directed are compared separately: no finding
    school2 = ("土默特左旗毕克齐镇中学", "事业单位")
    g.app("150121", "中小学教师", "副高级", "定向评价", unit=school2, workplace_level="乡镇及以下")
    g.app("150121", "中小学教师", "副高级", unit=school2)


def chn_03(g: Generator) -> None:
    """CHN-03: an unknown code (one inside, one outside the submitter's window), an unfiled committee"""
    w = g.ref.window("150124", None, "中级")
    odd = ("清水河县交通工程质量监督站", "事业单位")
    g.app("150124", "工程", "中级", committee="C-GC-999", date=w.start, _f5=None, unit=odd)
    a = g.app("150124", "工程", "中级", committee="C-GC-999", date=w.start - DAY, _f5=None, unit=odd)
    g.find("CHN-03", VIOLATION, "committee", "C-GC-999")
    g.find("SCH-01", VIOLATION, "application", a["application_no"])
    g.app("U-SYY", "卫生", "中级", committee="C-WS-SYY", _f5=None)
    g.find("CHN-03", VIOLATION, "committee", "C-WS-SYY")
    # CHN-02 counts the codes as written, unknown and unfiled ones too: the unit of the unknown code
    # also goes to C-GC-M, and the unit of the unfiled committee also to C-WS-M (two CHN-02 findings)
    g.app("150124", "工程", "中级", committee="C-GC-M", unit=odd)
    g.find("CHN-02", VIOLATION, "unit", normalise_unit(odd[0]))
    g.app("U-SYY", "卫生", "中级", committee="C-WS-M")
    g.find("CHN-02", VIOLATION, "unit", normalise_unit(g.subs["U-SYY"]["name"]))
    g.find("CHN-03", VIOLATION, "committee", "C-YS-NMG")  # its evaluation starts before filed_date (see outcomes)


def chn_04(g: Generator) -> None:
    """CHN-04"""
    a = g.app("150103", "出版", "副高级", committee="C-YS-NMG", unit=("回民区图书馆", "事业单位"))
    g.find("CHN-04", VIOLATION, "application", a["application_no"])
    a = g.app("150103", "工程", "副高级", committee="C-GC-M", unit=("回民区市政工程设计所", "事业单位"))
    g.find("CHN-04", VIOLATION, "application", a["application_no"])
    g.app(
        "150103",
        "工程",
        "初级",
        "考核认定",
        committee="C-GC-M",
        unit=("个体执业(钱工)", "自由职业"),
        professional_years=2,
    )  # 中级 committee covers 初级


def chn_05(g: Generator) -> None:
    """CHN-05 (void)"""
    a = g.app(
        "D-GXJ",
        "工程",
        "副高级",
        unit=("中国移动内蒙古分公司呼和浩特工程部", "国有企业"),
        unit_affiliation="驻呼中央单位",
        has_entrust_letter=False,
    )
    g.find("CHN-05", VIOLATION, "application", a["application_no"])
    g.app(
        "D-GXJ",
        "工程",
        "副高级",
        unit=("中国联通呼和浩特分公司工程部", "国有企业"),
        unit_affiliation="外省区驻呼单位",
        has_entrust_letter=True,
    )


# in the order the generator injects them
CASES = (chn_01, chn_02, chn_03, chn_04, chn_05)
