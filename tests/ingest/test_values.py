"""Cell values: dates, yes/no, NFKC and trimming, numbers in text columns, defaults, ID numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from dagster_project.ingest import idcard, keyed
from tests.ingest.conftest import ID_F, ID_M, KEY, f1_row, f5_row, roster, rows_to_grid, write_csv, write_xlsx


def load_f1(wh, rows, name="x.xlsx", folder="2022/150121"):
    write_xlsx(wh.inbox / folder / name, {"花名册": roster(rows)})
    return wh.load()


def test_every_date_format_means_the_same_day(wh):
    day = dt.date(2022, 6, 13)
    serial = (day - dt.date(1899, 12, 30)).days
    forms = [
        dt.datetime(2022, 6, 13),
        serial,
        float(serial),
        "2022-06-13",
        "2022-6-13",
        "2022/6/13",
        "2022.06.13",
        "2022年6月13日",
        "20220613",
        20220613,
        "2022-06-13 00:00:00",
    ]
    load_f1(wh, [f1_row(i + 1, 申报日期=v) for i, v in enumerate(forms)])
    assert wh.q("select count(*) from raw.quarantine") == [(0,)]
    assert wh.q("select distinct application_date from raw.application_roster") == [(day,)]
    assert wh.one("select count(*) from raw.application_roster") == (len(forms),)


@pytest.mark.parametrize("bad", ["2022-02-30", "六月十三日", "2022/13/01", "13/06/2022"])
def test_bad_dates_quarantined(wh, bad):
    load_f1(wh, [f1_row(1, 毕业时间=bad)])
    assert wh.reasons() == [
        (5, "毕业时间", bad, "毕业时间不是可识别的日期（可写作 2022-06-13、2022/6/13、2022年6月13日、20220613 等）")
    ]


def test_event_date_year_check(wh):
    load_f1(
        wh,
        [
            f1_row(1, 申报日期="2021-12-31"),
            f1_row(2, 申报日期="2020-12-31"),
            f1_row(3, 申报日期="2024-01-01"),
            f1_row(4, 申报日期="2023-12-31", 毕业时间="1990-07-01"),
        ],
    )
    assert wh.reasons() == [
        (6, "申报日期", "2020-12-31", "申报日期的年份与报送年度（2022年）相差超过1年"),
        (7, "申报日期", "2024-01-01", "申报日期的年份与报送年度（2022年）相差超过1年"),
    ]
    assert wh.one("select count(*) from raw.application_roster") == (2,)


def test_yes_no_variants_and_defaults(wh):
    variants = {"是": True, "否": False, "Y": True, "N": False, "√": True, None: False, "ｙ": True}
    rows = [f1_row(i + 1, 诚信承诺书=v) for i, v in enumerate(variants)]
    load_f1(wh, rows)
    got = [r[0] for r in wh.q("select integrity_pledge from raw.application_roster order by _source_row")]
    assert got == list(variants.values())
    assert wh.q(
        "select distinct id_type, unit_affiliation, education_mode, exam_passed, over_post from raw.application_roster"
    ) == [("居民身份证", "本市", "全日制", "不适用", False)]


def test_bad_yes_no(wh):
    load_f1(wh, [f1_row(1, 诚信承诺书="已签")])
    assert wh.reasons() == [(5, "诚信承诺书", "已签", "诚信承诺书应填“是”或“否”（也可填 Y/N、√）")]


def test_nfkc_and_white_space(wh):
    load_f1(
        wh,
        [
            f1_row(
                1,
                网上申报编号="ＮＭ－０００１",
                姓名="\u3000张\u00a0三 \n",
                工作单位=" 土左旗 第一\u3000中学 ",
                申报级别="副高级\u00a0",
            )
        ],
    )
    assert wh.reasons() == []
    assert wh.one(
        "select application_no, name, unit_name, unit_name_normalised, level from raw.application_roster"
    ) == ("NM-0001", "张\u0020三", "土左旗 第一 中学", "土左旗第一中学", "副高级")


def test_every_kind_of_white_space_is_trimmed_in_every_column(wh):
    # control white space (vertical tab, NEL, separators), the BOM and the zero-width space are trimmed
    # alike, whether the column holds Chinese text or only ASCII below its header
    load_f1(
        wh,
        [
            f1_row(1, 网上申报编号="\vNM-0001\x85", 姓名="\u200b张三\ufeff", 申报级别="\x1c副高级\u2028"),
            f1_row(2, 网上申报编号="\ufeff NM-0002\u200b", 姓名="李四\v"),
        ],
    )
    assert wh.reasons() == []
    assert wh.q("select application_no, name, level from raw.application_roster order by 1") == [
        ("NM-0001", "张三", "副高级"),
        ("NM-0002", "李四", "副高级"),
    ]


def test_numbers_in_text_columns(wh):
    load_f1(wh, [f1_row(1, 网上申报编号=1001), f1_row(2, 网上申报编号="1002.0", 姓名=3)])
    assert wh.q("select application_no, name from raw.application_roster order by 1") == [
        ("1001", "张1"),
        ("1002", "3"),
    ]


@pytest.mark.parametrize(
    "value,reason",
    [
        ("NM1", "网上申报编号应为4–32位字母、数字或“-”"),
        ("NM_0001", "网上申报编号应为4–32位字母、数字或“-”"),
        ("A" * 33, "网上申报编号应为4–32位字母、数字或“-”"),
        ("150121198503070012", "网上申报编号不能是18位数字（疑似误填了身份证号）"),
    ],
)
def test_application_number(wh, value, reason):
    load_f1(wh, [f1_row(1, 网上申报编号=value)])
    assert wh.reasons() == [(5, "网上申报编号", value, reason)]


def test_enums(wh):
    load_f1(wh, [f1_row(1, 申报系列="教师"), f1_row(2, 单位性质="企业")])
    got = wh.reasons()
    assert got[0][:3] == (5, "申报系列", "教师") and got[0][3].startswith("申报系列不是允许的取值（应为：经济、会计")
    assert got[1] == (
        6,
        "单位性质",
        "企业",
        "单位性质不是允许的取值（应为：机关、事业单位、国有企业、非公有制企业、社会组织、自由职业）",
    )


def test_numbers(wh):
    load_f1(
        wh,
        [
            f1_row(1, 专业技术工作年限="十年"),
            f1_row(2, 专业技术工作年限=-1),
            f1_row(3, 专业技术工作年限="7.5"),
            f1_row(4, 序号="1.5"),
        ],
    )
    assert wh.reasons() == [
        (5, "专业技术工作年限", "十年", "专业技术工作年限应为数字"),
        (6, "专业技术工作年限", "-1", "专业技术工作年限不能小于0"),
        (8, "序号", "1.5", "序号应为整数"),
    ]
    assert wh.one("select professional_years from raw.application_roster") == (7.5,)


def test_required_and_conditionally_required(wh):
    load_f1(
        wh,
        [
            f1_row(1, 姓名=None),
            f1_row(2, 现职称取得时间=None),
            f1_row(3, 现职称级别="无", 现职称取得时间=None),
            f1_row(4, 姓名="  "),
        ],
    )
    assert wh.reasons() == [
        (5, "姓名", None, "姓名为必填项，不能为空"),
        (6, "现职称取得时间", None, "现职称级别不是“无”时，现职称取得时间为必填项"),
        (8, "姓名", None, "姓名为必填项，不能为空"),
    ]


def test_missing_optional_column_takes_defaults(wh):
    row = f1_row(1)
    headers, grid = rows_to_grid([row])
    write_xlsx(wh.inbox / "2022/150121/x.xlsx", {"s": [headers] + grid})
    wh.load()
    assert wh.one("select has_entrust_letter, exam_passed, seq_no from raw.application_roster") == (False, "不适用", 1)


# ---- ID numbers --------------------------------------------------------------


def test_id_lower_case_x_accepted_and_stored_upper(wh):
    first17 = "15012119850307001"
    number = first17 + idcard.check_digit(first17)
    while not number.endswith("X"):  # find a number whose check character is X
        first17 = str(int(first17) + 2)
        number = first17 + idcard.check_digit(first17)
    load_f1(wh, [f1_row(1, 身份证号=number.lower(), 性别="男" if int(number[16]) % 2 else "女", 出生日期=None)])
    assert wh.reasons() == []
    assert wh.one("select id_number, person_key from raw.application_roster") == (number, keyed(number, KEY))


@pytest.mark.parametrize(
    "number,reason",
    [
        (ID_M[:17] + ("1" if ID_M[17] != "1" else "2"), "身份证号校验位错误"),
        ("150121198502300011", "身份证号出生日期部分不是真实日期"),
        ("15012119850307001", "身份证号应为18位（前17位数字，末位数字或X）"),
        ("1501211985030700AX", "身份证号应为18位（前17位数字，末位数字或X）"),
    ],
)
def test_bad_id_numbers(wh, number, reason):
    load_f1(wh, [f1_row(1, 身份证号=number, 出生日期=None)])
    got = [r for r in wh.reasons() if r[1] == "身份证号"]
    assert got == [(5, "身份证号", number, reason)]


def test_passport_not_checked(wh):
    load_f1(wh, [f1_row(1, 证件类型="护照", 身份证号="E12345678", 出生日期=None)])
    assert wh.reasons() == []
    assert wh.one("select id_type, id_number from raw.application_roster") == ("护照", "E12345678")


def test_id_stored_as_number_or_scientific_text(wh):
    load_f1(
        wh,
        [
            f1_row(1, 身份证号=150121198503070012),
            f1_row(2, 身份证号="1.50121E+17"),
            f1_row(3, 身份证号=ID_M, 性别="男", 出生日期="1985-03-07"),
        ],
    )
    reason = "身份证号被存成了数字（数值单元格或科学计数法），末几位已丢失；请把该列设为文本格式后重新填写"
    got = wh.reasons()
    assert [(r[0], r[1], r[3]) for r in got] == [(5, "身份证号", reason), (6, "身份证号", reason)]
    assert wh.one("select id_number from raw.application_roster") == (ID_M,)


def test_digit_text_id_ending_in_zero_is_not_numeric(wh):
    first17 = "15012119850307001"
    while idcard.check_digit(first17) != "0":
        first17 = str(int(first17) + 2)
    number = first17 + "0"
    load_f1(
        wh,
        [
            f1_row(1, 身份证号=number, 性别="男" if int(number[16]) % 2 else "女", 出生日期=None),
            f1_row(2, 身份证号=15012119850307001.0),
        ],
    )
    got = wh.reasons()
    assert [r[0] for r in got] == [6]


def test_gender_and_birth_date_against_id(wh):
    load_f1(
        wh,
        [
            f1_row(1, 身份证号=ID_M, 性别="女", 出生日期="1985-03-07"),
            f1_row(2, 身份证号=ID_F, 性别="女", 出生日期="1990-11-29"),
        ],
    )
    assert wh.reasons() == [
        (5, "性别", "女", "性别与身份证号第17位不符（奇数为男，偶数为女）"),
        (6, "出生日期", "1990-11-29", "出生日期与身份证号中的出生日期不符"),
    ]


def test_all_problems_of_a_row_recorded_row_counted_once(wh):
    load_f1(wh, [f1_row(1, 姓名=None, 申报级别="高级", 申报日期="2019-1-1"), f1_row(2)])
    assert len(wh.reasons()) == 3
    assert wh.one("select rows_read, rows_loaded, rows_quarantined from raw.load_audit") == (2, 1, 1)
    rec = wh.one(
        "select _source_file, _source_sheet, _source_row, year, submitter_code, form, _file_sha256 is not null "
        "from raw.quarantine limit 1"
    )
    assert rec == ("2022/150121/x.xlsx", "花名册", 5, 2022, "150121", "F1", True)


def test_duplicate_natural_key_in_file_quarantines_every_such_row(wh):
    load_f1(wh, [f1_row(1), f1_row(2, 网上申报编号="NM-0001"), f1_row(3), f1_row(4, 网上申报编号="NM-0001")])
    got = wh.reasons()
    assert [(r[0], r[1], r[2]) for r in got] == [
        (5, "网上申报编号", "NM-0001"),
        (6, "网上申报编号", "NM-0001"),
        (8, "网上申报编号", "NM-0001"),
    ]
    assert got[0][3] == "网上申报编号在本文件中重复出现（共3行），这些行均未入库"
    assert wh.one("select count(*) from raw.application_roster") == (1,)


def test_extra_columns_kept_as_json(wh):
    row = f1_row(1)
    row["联系电话号码"] = 13800000000
    row["备注"] = "补报"
    row2 = f1_row(2)
    load_f1(wh, [row, row2])
    import json

    got = [r[0] for r in wh.q("select extra_columns from raw.application_roster order by _source_row")]
    assert json.loads(got[0]) == {"联系电话号码": "13800000000", "备注": "补报"}
    assert got[1] is None


def test_csv_text_values(wh):
    headers, grid = rows_to_grid([f1_row(1, 申报日期="2022/7/5", 诚信承诺书="Y")])
    write_csv(wh.inbox / "2022/150121/a.csv", [headers] + grid, encoding="gb18030")
    wh.load()
    assert wh.one("select application_date, integrity_pledge from raw.application_roster") == (
        dt.date(2022, 7, 5),
        True,
    )


# ---- F4, F5, F6, F7 ------------------------------------------------------------

F4_HEADERS = ["事项类型", "评委会代码", "开始日期", "结束日期", "报送日期", "签字盖章", "异议数"]


def test_f4_conditionally_required(wh):
    rows = [
        ["花名册公示", None, "2022-06-20", None, None, None, 0],
        ["材料报送", None, None, None, None, "√", None],
        ["评审实施方案备案", None, None, None, "2022-07-01", None, None],
        ["评审结果公示", "C-ZXX-150121", "2022-08-22", "2022-08-26", None, None, 1],
    ]
    write_xlsx(wh.inbox / "2022/C-ZXX-150121/f4.xlsx", {"s": [F4_HEADERS] + rows})
    wh.load()
    assert wh.reasons() == [
        (2, "结束日期", None, "公示类事项（花名册公示）的结束日期为必填项"),
        (3, "报送日期", None, "事项类型为“材料报送”时，报送日期为必填项"),
        (4, "评委会代码", None, "事项类型为“评审实施方案备案”时，评委会代码为必填项"),
    ]
    assert wh.one("select event_type, committee_code, objections from raw.work_events") == (
        "评审结果公示",
        "C-ZXX-150121",
        1,
    )


def test_f5_committee_folder_fills_code_and_contradictions(wh):
    headers, grid = rows_to_grid(
        [
            f5_row(1, 评委会代码=None),
            f5_row(2, 实到评委数=10),
            f5_row(3, 赞成票数=9),
            f5_row(4, 应到评委数=0, 实到评委数=0, 赞成票数=0),
        ]
    )
    write_xlsx(wh.inbox / "2022/C-ZXX-150121/f5.xlsx", {"s": [headers] + grid})
    wh.load()
    assert wh.reasons() == [
        (3, "实到评委数", "10", "实到评委数大于应到评委数"),
        (4, "赞成票数", "9", "赞成票数大于实到评委数"),
        (5, "应到评委数", "0", "应到评委数应不小于1"),
    ]
    assert wh.one("select committee_code, application_no, person_key is not null from raw.evaluation_outcomes") == (
        "C-ZXX-150121",
        "NM-0001",
        True,
    )


def test_f5_from_non_committee_needs_code(wh):
    headers, grid = rows_to_grid([f5_row(1, 评委会代码=None), f5_row(2, 评委会代码="C-ZXX-150121")])
    write_xlsx(wh.inbox / "2022/150121/f5.xlsx", {"s": [headers] + grid})
    wh.load()
    assert wh.reasons() == [(2, "评委会代码", None, "报送单位不是评委会时，评委会代码为必填项")]
    assert wh.one("select committee_code, submitter_code from raw.evaluation_outcomes") == ("C-ZXX-150121", "150121")


def test_f6_evaluator_key_and_f7_from_bureau(wh):
    f6 = [["年度", "评委编号", "姓名", "是否本单位"], [2022, "P001", "李四", None], [2022, 1002, "王五", "否"]]
    write_xlsx(wh.inbox / "2022/C-GX-ZP/f6.xlsx", {"s": f6})
    f7 = [["身份证号", "姓名", "记录日期", "事由"], [ID_M, "赵六", "2015-03-01", "材料造假"]]
    write_xlsx(wh.inbox / "2022/B-RSJ/f7.xlsx", {"s": f7})
    wh.load()
    assert wh.reasons() == []
    assert wh.q(
        "select committee_code, roster_year, evaluator_no, evaluator_key, is_own_unit from raw.evaluator_roster "
        "order by 3"
    ) == [("C-GX-ZP", 2022, "1002", keyed("1002", KEY), False), ("C-GX-ZP", 2022, "P001", keyed("P001", KEY), None)]
    assert wh.one("select record_date, person_key from raw.integrity_blacklist") == (
        dt.date(2015, 3, 1),
        keyed(ID_M, KEY),
    )


def test_f2_duplicate_by_normalised_unit_name_and_f3(wh):
    f2 = [
        ["单位名称", "已设高级岗位数", "已聘高级岗位数", "高级空岗数"],
        ["土左旗 第一中学", 10, 8, 2],
        ["土左旗第一中学", 10, 8, 2],
        ["土左旗第二中学", "5", "5.0", 0],
    ]
    f3 = [["专业领域", "定向评价岗位数", "空岗数", "拟推荐申报数", "报送日期"], ["基层卫生", 5, 2, 2, "2022-06-15"]]
    write_xlsx(wh.inbox / "2022/150121/f2f3.xlsx", {"岗位": f2, "定向": f3})
    write_xlsx(wh.inbox / "2022/D-JYJ/f3.xlsx", {"定向": f3})  # departments may not send F3
    wh.load()
    got = wh.q("select _source_file, _source_row, column_name, value, reason from raw.quarantine order by 1, 2")
    assert got == [
        (
            "2022/150121/f2f3.xlsx",
            2,
            "单位名称",
            "土左旗第一中学",
            "单位名称在本文件中重复出现（共2行），这些行均未入库",
        ),
        (
            "2022/150121/f2f3.xlsx",
            3,
            "单位名称",
            "土左旗第一中学",
            "单位名称在本文件中重复出现（共2行），这些行均未入库",
        ),
        (
            "2022/D-JYJ/f3.xlsx",
            2,
            None,
            "D-JYJ",
            "市直主管部门“D-JYJ”不能报送定向评价岗位表（F3），本工作表的数据不予入库",
        ),
    ]
    assert wh.one("select unit_name_normalised, senior_posts_filled, senior_recommended from raw.post_structure") == (
        "土左旗第二中学",
        5,
        None,
    )
    assert wh.one("select field, submitted_date from raw.directed_posts") == ("基层卫生", dt.date(2022, 6, 15))


def test_id_number_cell_written_by_openpyxl(wh):
    # openpyxl writes the number as 1.5012119850307e+17; it reads back as 150121198503070016
    rows = [f1_row(1), f1_row(2)]
    grid = roster(rows)
    headers = grid[3]
    grid[5][headers.index("身份证号")] = 150121198503070016
    write_xlsx(wh.inbox / "2022/150121/o.xlsx", {"s": grid}, openpyxl_writer=True)
    wh.load()
    assert [(r[0], r[1], r[3][:10]) for r in wh.reasons()] == [(6, "身份证号", "身份证号被存成了数字")]


def test_exam_result_takes_yes_no_variants(wh):
    # 考试成绩合格 is a yes/no field with a third value: Y/N and √ read as 是/否, blank is 不适用
    load_f1(
        wh,
        [
            f1_row(1, 考试成绩合格="Y"),
            f1_row(2, 考试成绩合格="n"),
            f1_row(3, 考试成绩合格="√"),
            f1_row(4, 考试成绩合格=None),
            f1_row(5, 考试成绩合格="不适用"),
            f1_row(6, 考试成绩合格="合格"),
        ],
    )
    assert [r[:3] for r in wh.reasons()] == [(10, "考试成绩合格", "合格")]
    assert [r[0] for r in wh.q("select exam_passed from raw.application_roster order by _source_row")] == [
        "是",
        "否",
        "是",
        "不适用",
        "不适用",
    ]
