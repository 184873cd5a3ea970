"""ELG: who may apply at which level by which route (status, exam, grassroots years, 直接申报, 考核认定,
破格, 转系列, seniority cutoff, 定向评价); each breach with its clean boundary twins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.vocabulary import ADVISORY, DAY, VIOLATION

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def elg_01(g: Generator) -> None:
    """ELG-01 (void) / clean 高技能人才 twin"""
    a = g.app("150121", "工程", "副高级", personnel_status="离退休")
    g.find("ELG-01", VIOLATION, "application", a["application_no"])
    g.app(
        "150121", "工程", "正高级", personnel_status="高技能人才", current_level="中级", current_title="工程师"
    )  # ELG-09 exempt: no finding


def elg_02(g: Generator) -> None:
    """ELG-02: 蒙医 at 中级 (exam-only); twin: 临床医学 at 中级"""
    a = g.app("D-WJW", "卫生", "中级", specialty="蒙医内科")
    g.find("ELG-02", VIOLATION, "application", a["application_no"])


def elg_03(g: Generator) -> None:
    """ELG-03"""
    a = g.app("150122", "经济", "副高级", exam_passed="否")
    g.find("ELG-03", VIOLATION, "application", a["application_no"])
    a = g.app("D-KJJ", "会计", "正高级", exam_passed="不适用")
    g.find("ELG-03", VIOLATION, "application", a["application_no"])
    a = g.app("150123", "卫生", "副高级", specialty="蒙药", exam_passed="否")
    g.find("ELG-03", VIOLATION, "application", a["application_no"])
    g.app("150123", "卫生", "副高级", specialty="蒙药", exam_passed="是")  # clean twin
    g.app("150121", "审计", "正高级", exam_passed="不适用")  # 审计 needs the exam only at 副高级
    g.app(
        "D-GXJ",
        "经济",
        "正高级",
        "破格申报",
        exception_basis="四(四)3",
        exam_passed="不适用",
        current_level="副高级",
        current_title="高级经济师",
    )  # 四(四)3 exempts the exam


def elg_04(g: Generator) -> None:
    """ELG-04 (urban, not township, grassroots < 1 or missing)"""
    a = g.app("D-JYJ", "中小学教师", "副高级", workplace_level="市直", grassroots_years=0.5)
    g.find("ELG-04", ADVISORY, "application", a["application_no"])
    a = g.app("150102", "卫生", "副高级", specialty="内科", workplace_level="市直", grassroots_years=None)
    g.find("ELG-04", ADVISORY, "application", a["application_no"])
    g.app("D-JYJ", "中小学教师", "副高级", workplace_level="市直", grassroots_years=1)  # boundary: exactly 1
    g.app("150121", "中小学教师", "副高级", workplace_level="旗县区直", grassroots_years=0)  # not urban
    g.app("150103", "卫生", "副高级", specialty="护理", workplace_level="市直", grassroots_years=0)  # not a doctor


def elg_05(g: Generator) -> None:
    """ELG-05 直接申报"""
    gx = g.subs["D-GXJ"]["place"]
    priv = (gx + "恒达建筑工程有限公司", "非公有制企业")
    a = g.app(
        "D-GXJ",
        "工程",
        "中级",
        "直接申报",
        unit=(gx + "建筑设计院", "事业单位"),
        unit_nature="事业单位",
        professional_years=9,
    )
    g.find("ELG-05", VIOLATION, "application", a["application_no"])
    a = g.app("D-GXJ", "工程", "中级", "直接申报", unit=priv, professional_years=4.5)
    g.find("ELG-05", VIOLATION, "application", a["application_no"])
    a = g.app("D-GXJ", "工程", "正高级", "直接申报", unit=priv, professional_years=20, committee="C-GC-NMG")
    g.find("ELG-05", VIOLATION, "application", a["application_no"])
    g.app("D-GXJ", "工程", "中级", "直接申报", unit=priv, professional_years=5)  # boundary: exactly 5
    g.app("D-GXJ", "工程", "中级", "直接申报", unit=priv, education="大学专科", professional_years=8)
    g.app("D-GXJ", "工程", "副高级", "直接申报", unit=priv, professional_years=12)  # boundary: exactly 12


def elg_06(g: Generator) -> None:
    """ELG-06 考核认定"""
    a = g.app(
        "D-ZJJ", "工程", "中级", "考核认定", education="硕士研究生", professional_years=1.5, workplace_level="市直"
    )
    g.find("ELG-06", VIOLATION, "application", a["application_no"])
    a = g.app(
        "D-ZJJ", "工程", "中级", "考核认定", education="博士研究生", education_mode="非全日制", professional_years=3
    )
    g.find("ELG-06", VIOLATION, "application", a["application_no"])
    g.app("D-ZJJ", "工程", "中级", "考核认定", education="博士研究生", professional_years=0)
    g.app("D-ZJJ", "工程", "中级", "考核认定", education="硕士研究生", professional_years=2)  # boundary
    g.app(
        "150124",
        "农牧业",
        "中级",
        "考核认定",
        education="硕士研究生",
        professional_years=1,
        workplace_level="乡镇及以下",
        committee="C-NMY-M",
    )  # grassroots boundary
    g.app("D-WJW", "卫生", "副高级", "考核认定", personnel_status="博士后", education="博士研究生", specialty="药学")
    g.app(
        "150172",
        "工程",
        "初级",
        "考核认定",
        unit=("个体执业(赵工)", "自由职业"),
        professional_years=3,
        grassroots_years=1,
    )  # 初级 for 自由职业: no ELG-06, no ELG-11; no window applies


def elg_07(g: Generator) -> None:
    """ELG-07"""
    a = g.app(
        "150121",
        "工程",
        "副高级",
        "破格申报",
        exception_basis="四(四)4",
        had_exception_before=True,
        workplace_level="乡镇及以下",
    )
    g.find("ELG-07", ADVISORY, "application", a["application_no"])
    # history-based ELG-07 and its twins are made in history()


def elg_08(g: Generator) -> None:
    """ELG-08 转系列"""
    a = g.app("150125", "农牧业", "中级", "转系列", current_post_years=0.5, committee="C-NMY-M")
    g.find("ELG-08", VIOLATION, "application", a["application_no"])
    a = g.app(
        "150125", "农牧业", "中级", "转系列", current_level="副高级", current_title="高级工程师", committee="C-NMY-M"
    )
    g.find("ELG-08", VIOLATION, "application", a["application_no"])
    g.app("150125", "农牧业", "中级", "转系列", current_post_years=1, committee="C-NMY-M")  # boundary


def elg_09(g: Generator) -> None:
    """ELG-09"""
    a = g.app("150104", "工程", "正高级", current_level="中级", current_title="工程师")
    g.find("ELG-09", VIOLATION, "application", a["application_no"])
    a = g.app("150104", "工程", "副高级", "破格申报", exception_basis=None)
    g.find("ELG-09", VIOLATION, "application", a["application_no"])
    untitled = {
        "personnel_status": "军转干部",
        "current_level": "无",
        "current_title": "无",
        "current_title_date": None,
    }
    a = g.app("150104", "工程", "副高级", **untitled, transfer_in_date=g.d(3, 1, g.year - 7))
    g.find("ELG-09", VIOLATION, "application", a["application_no"])
    # exempt: transferred in within the exemption years
    g.app("150104", "工程", "副高级", **untitled, transfer_in_date=g.d(3, 1, g.year - 3))


def elg_10(g: Generator) -> None:
    """ELG-10 (cutoff 2021-12-31)"""
    cutoff = g.ref.deadlines["CUTOFF-SENIORITY"]
    a = g.app("150105", "卫生", "副高级", graduation_date=cutoff + DAY)
    g.find("ELG-10", VIOLATION, "application", a["application_no"])
    a = g.app("150105", "卫生", "副高级", current_title_date=cutoff + 60 * DAY)
    g.find("ELG-10", VIOLATION, "application", a["application_no"])
    g.app("150105", "卫生", "副高级", graduation_date=cutoff, current_title_date=cutoff)  # boundary


def elg_11(g: Generator) -> None:
    """ELG-11"""
    a = g.app(
        "150122",
        "工程",
        "初级",
        current_level="无",
        current_title="无",
        current_title_date=None,
        unit=("托克托县建筑设计院", "事业单位"),
        committee="C-GC-M",
    )
    g.find("ELG-11", ADVISORY, "application", a["application_no"])


def elg_12(g: Generator) -> None:
    """ELG-12 定向评价"""
    a = g.app("150121", "卫生", "副高级", "定向评价", unit=("土默特左旗医疗投资有限公司", "国有企业"))
    g.find("ELG-12", VIOLATION, "application", a["application_no"])
    a = g.app("150125", "艺术", "副高级", "定向评价", specialty="声乐", unit=g._directed_unit("150125", "艺术"))
    g.find("ELG-12", VIOLATION, "application", a["application_no"])
    a = g.app("D-WJW", "卫生", "副高级", "定向评价", unit=g._directed_unit("D-WJW", "卫生"), workplace_level="旗县区直")
    g.find("ELG-12", VIOLATION, "application", a["application_no"])
    a = g.app(
        "150122",
        "中小学教师",
        "副高级",
        "定向评价",
        workplace_level="市直",
        unit=g._directed_unit("150122", "中小学教师"),
    )
    g.find("ELG-12", VIOLATION, "application", a["application_no"])


def elg_13(g: Generator) -> None:
    """ELG-13 破格: four breaches, then clean twins of each basis (series, level, the application's fields)"""
    township_mid = {"workplace_level": "乡镇及以下", "committee": "C-NMY-M"}
    breaches = (
        ("工程", "副高级", {"exception_basis": "四(四)4", "workplace_level": "市直"}),
        ("工程", "副高级", {"exception_basis": "四(七)9"}),
        ("农牧业", "中级", {"exception_basis": "四(五)3", "education": "大学本科", "grassroots_years": 1.5}),
        ("工程", "副高级", {"exception_basis": "四(四)3"}),
    )
    clean = (
        ("工程", "副高级", {"exception_basis": "四(四)1"}),
        ("工程", "副高级", {"exception_basis": "四(四)2"}),
        ("工程", "副高级", {"exception_basis": "四(四)4", "workplace_level": "乡镇及以下"}),
        ("农牧业", "中级", {"exception_basis": "四(五)3", "education": "大学本科", "grassroots_years": 2}),
        ("农牧业", "中级", {"exception_basis": "四(五)3", "education": "大学专科", "grassroots_years": 4}),
        ("农牧业", "副高级", {"exception_basis": "四(五)2", "workplace_level": "旗县区直", "professional_years": 30}),
        (
            "农牧业",
            "副高级",
            {
                "exception_basis": "四(五)2",
                "workplace_level": "乡镇及以下",
                "professional_years": 22,
                "grassroots_years": 20,
            },
        ),
        ("工程", "副高级", {"exception_basis": "四(九)4"}),
        (
            "工程",
            "副高级",
            {
                "exception_basis": "四(四)5",
                "personnel_status": "原公务员调入",
                "transfer_in_date": g.d(5, 1, g.year - 2),
            },
        ),
    )
    for series, level, fields in breaches:
        extra = township_mid if fields["exception_basis"] == "四(五)3" else {}
        a = g.app("150123", series, level, "破格申报", **(extra | fields))
        g.find("ELG-13", VIOLATION, "application", a["application_no"])
    for series, level, fields in clean:
        extra = township_mid if fields["exception_basis"] == "四(五)3" else {}
        g.app("150123", series, level, "破格申报", **(extra | fields))


# in the order the generator injects them
CASES = (elg_01, elg_02, elg_03, elg_04, elg_05, elg_06, elg_07, elg_08, elg_09, elg_10, elg_11, elg_12, elg_13)
