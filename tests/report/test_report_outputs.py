"""Report and notices built from a synthetic warehouse with the contract's tables."""

from __future__ import annotations

import hashlib
import re

import duckdb
from report_checks import ID_NUMBER, assert_pdf_ok, assert_xlsx_safe, pdf_text, xlsx_text

from dagster_project.documents.masking import mask_id_numbers
from dagster_project.documents.text import chinese_numeral
from dagster_project.documents.xlsx import neutralise

REPORT_HEADINGS = [
    "呼和浩特市人力资源和社会保障局",
    "职称评审工作监管报告",
    "一、总体情况",
    "二、申报和评审情况",
    "三、单独分组评审通过率",
    "四、岗位和数额控制情况",
    "五、工作进度情况",
    "六、公示和材料报送情况",
    "七、违规问题及政策依据",
    "八、需整改的评委会和报送单位",
    "九、工作建议",
]
REPORT_SHEETS = [
    "总体情况",
    "系列级别",
    "旗县区",
    "分组通过率",
    "数额控制",
    "时间进度",
    "公示与报送",
    "问题汇总",
    "问题明细",
    "整改对象",
    "数据质量",
]
NOTICE_HEADINGS = ["呼和浩特市人力资源和社会保障局", "一次性告知书"]


def html_text(path) -> str:
    return re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))


def test_helpers():
    assert [chinese_numeral(i) for i in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("@SUM") == "'@SUM" and neutralise("-1+2") == "'-1+2" and neutralise("+1") == "'+1"
    assert neutralise("普通组") == "普通组" and neutralise(5) == 5
    assert mask_id_numbers("证件 15010219900101123X 有误") == "证件 150102********123X 有误"


def test_report_pdf_renders(fx_outputs):
    report = fx_outputs["report"]
    assert report.year == 2022  # default: the latest year with policy rows
    assert_pdf_ok(report.pdf, REPORT_HEADINGS)
    assert len(report.charts) >= 3 and all(p.stat().st_size > 5000 for p in report.charts)
    html = report.html.read_text(encoding="utf-8")
    for chart in report.charts:
        assert f"charts/{chart.name}" in html


def test_report_xlsx(fx_outputs):
    sheets, _ = xlsx_text(fx_outputs["report"].xlsx)
    assert list(sheets) == REPORT_SHEETS
    assert_xlsx_safe(fx_outputs["report"].xlsx)


def test_report_numbers_come_from_marts(fx_outputs):
    """Recompute numbers from the warehouse with independent SQL and find them in the HTML."""
    con = duckdb.connect(str(fx_outputs["warehouse"]), read_only=True)
    text = html_text(fx_outputs["report"].html)
    n_apps = con.execute("select count(*) from marts.applications where year = 2022").fetchone()[0]
    n_passed = con.execute("select count(*) from marts.applications where year = 2022 and outcome = '通过'").fetchone()[
        0
    ]
    n_valid = con.execute(
        "select count(*) from marts.applications where year = 2022 and outcome = '通过' and outcome_valid"
    ).fetchone()[0]
    n_eval = con.execute(
        "select count(*) from marts.applications where year = 2022 and outcome <> '未评审'"
    ).fetchone()[0]
    n_breach = con.execute("select count(*) from marts.findings where year = 2022 and severity = '违规'").fetchone()[0]
    fil02 = con.execute("select count(*) from marts.findings where year = 2022 and rule_id = 'FIL-02'").fetchone()[0]
    assert f"受理职称申报{n_apps}人" in text
    assert f"评审通过{n_passed}人，通过率{n_passed / n_eval * 100:.1f}%" in text
    assert f"有效通过{n_valid}人" in text
    assert f"违规{n_breach}条" in text
    assert re.search(r"FIL-02\s*</td>|FIL-02", text) and f"“缺少诚信承诺书”{fil02}条" in text
    series_row = con.execute(
        "select count(*) from marts.applications where year = 2022 and series = '工程' and level = '中级'"
    ).fetchone()[0]
    assert re.search(rf"工程\s+中级\s+{series_row}\s", text)
    con.close()


def test_report_has_no_names_or_id_numbers(fx_outputs):
    facts = fx_outputs["facts"]
    report = fx_outputs["report"]
    texts = [report.html.read_text(encoding="utf-8"), pdf_text(report.pdf), xlsx_text(report.xlsx)[1]]
    for text in texts:
        assert not ID_NUMBER.search(text)
        for row in facts["roster"]:
            assert row[3] not in text, row[3]


def test_warehouse_untouched(fx_warehouse, tmp_path):
    """The report and the notices only read: the file's bytes do not change, and a reader may be open beside."""
    from dagster_project.notices.build import build_notices
    from dagster_project.report.build import build_report

    warehouse, _ = fx_warehouse
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    beside = duckdb.connect(str(warehouse), read_only=True)
    try:
        build_report(warehouse, 2022, tmp_path, pdf=False)
        build_notices(warehouse, 2022, tmp_path, pdf=False)
    finally:
        beside.close()
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert (tmp_path / "report" / "2022" / "监管报告数据_2022.xlsx").exists()


def test_one_notice_per_submitter(fx_outputs):
    notices = fx_outputs["notices"]
    con = duckdb.connect(str(fx_outputs["warehouse"]), read_only=True)
    expected = {
        r[0]
        for r in con.execute(
            "select submitter_code from marts.load_audit where year = 2022 union select submitter_code "
            "from marts.findings where year = 2022"
        ).fetchall()
    } | {"150123"}
    con.close()
    assert set(notices.codes) == expected
    pdfs = sorted(p.name for p in notices.folder.glob("*.pdf"))
    xlsxs = sorted(p.name for p in notices.folder.glob("*.xlsx"))
    assert len(pdfs) == len(xlsxs) == len(expected)
    import zipfile

    with zipfile.ZipFile(notices.zip) as zf:
        assert sorted(zf.namelist()) == sorted(pdfs + xlsxs)
    # the region that sent nothing hears what it owes; the unknown folder hears why nothing was loaded
    assert "SCH-05" in pdf_text(notices.pdfs["150124"])
    assert "未在参考数据中登记" in pdf_text(notices.pdfs["999999"])
    assert "未收到" in pdf_text(notices.pdfs["150123"])


def test_notice_pdfs_render(fx_outputs):
    notices = fx_outputs["notices"]
    text = assert_pdf_ok(
        notices.pdfs["150102"], NOTICE_HEADINGS + ["报送文件接收情况", "未能入库的数据行", "审核发现的问题", "整改要求"]
    )
    squeezed = re.sub(r"\s+", "", text)
    # grouped by file and by rule, with the clause and what to correct
    assert "2022/150102/花名册.xlsx" in squeezed
    assert "FIL-02缺少诚信承诺书" in squeezed and "七(三)" in squeezed and "诚信承诺书" in squeezed
    assert "身份证号校验位错误" in squeezed
    for _code, pdf in notices.pdfs.items():
        assert_pdf_ok(pdf, NOTICE_HEADINGS)


def test_clean_submitter_gets_short_notice(fx_outputs):
    notices = fx_outputs["notices"]
    assert "D-WJW" in notices.clean
    text = re.sub(r"\s+", "", pdf_text(notices.pdfs["D-WJW"]))
    assert "未发现需要更正的问题" in text and "审核发现的问题" not in text
    sheets, _ = xlsx_text(notices.xlsx["D-WJW"])
    assert sheets["未入库数据行"][1:] == [] and sheets["审核问题"][1:] == []


def test_superseded_file_not_reported(fx_outputs):
    text = pdf_text(fx_outputs["notices"].pdfs["150121"])
    assert "必填项为空" not in text
    assert "已被更新的文件替换" in re.sub(r"\s+", "", text)


def test_notice_xlsx(fx_outputs):
    notices = fx_outputs["notices"]
    for _code, path in notices.xlsx.items():
        sheets, _ = xlsx_text(path)
        assert list(sheets) == ["告知事项", "报送文件", "未入库数据行", "审核问题"]
        assert_xlsx_safe(path)
    sheets, _ = xlsx_text(notices.xlsx["C-ZXX-M"])
    assert any(row[5] == "'=1+1" for row in sheets["未入库数据行"][1:])  # shown, never run


def test_notice_correction_of_whole_row_reasons():
    """The reasons the loader writes (ingest/load.py) for a whole row, and what the notice asks."""
    from dagster_project.notices.build import correction

    code_advice = "请核实报送单位代码和可报送的表种，通过本单位代码目录重新报送"
    row_advice = "请核对并更正整行数据（如重复行只保留一行）"
    assert correction(None, "报送目录“X-1”不是已知的报送单位代码，本文件的数据不予入库") == code_advice
    assert correction(None, "旗县区“150121”不能报送评审结果（F5），本工作表的数据不予入库") == code_advice
    assert (
        correction(None, "事项类型、评委会代码、开始日期、报送日期在本文件中重复出现（共2行），这些行均未入库")
        == row_advice
    )
    assert correction(None, "评委会代码、网上申报编号在本文件中重复出现（共3行），这些行均未入库") == row_advice
    assert correction("身份证号", "身份证号校验位错误") == "更正该行“身份证号”的填报值"


def test_notices_mask_id_numbers_of_any_shape(fx_outputs):
    """A quarantined ID number that is no valid ID (17 or 15 digits) is still most of one: masked."""
    notices = fx_outputs["notices"]
    malformed = fx_outputs["facts"]["malformed_ids"]
    for code in notices.codes:
        text = pdf_text(notices.pdfs[code]) + "\n" + xlsx_text(notices.xlsx[code])[1]
        for value in malformed:
            assert value not in text, (code, value)
    committee = xlsx_text(notices.xlsx["C-ZXX-M"])[0]["未入库数据行"]
    assert [malformed[0][:6] + "*" * 7 + malformed[0][-4:]] == [r[5] for r in committee[1:] if r[4] == "身份证号"]
    bureau = xlsx_text(notices.xlsx["B-RSJ"])[0]["未入库数据行"]
    assert {r[5] for r in bureau[1:]} == {f"身份证号={malformed[1][:6]}*****{malformed[1][-4:]}；记录日期=2021-03-01"}


def test_no_notice_has_another_submitters_applicant(fx_outputs):
    facts = fx_outputs["facts"]
    notices = fx_outputs["notices"]
    names_by_sub, apps_by_sub = {}, {}
    for _year, sub, app_no, name, _id_number, *_ in facts["roster"]:
        names_by_sub.setdefault(sub, set()).add(name)
        apps_by_sub.setdefault(sub, set()).add(app_no)
    all_ids = {row[4] for row in facts["roster"]}
    for code in notices.codes:
        text = pdf_text(notices.pdfs[code]) + "\n" + xlsx_text(notices.xlsx[code])[1]
        assert not ID_NUMBER.search(text), code
        own_names, own_apps = names_by_sub.get(code, set()), apps_by_sub.get(code, set())
        for sub, names in names_by_sub.items():
            if sub == code:
                continue
            for name in names - own_names:
                assert name not in text, (code, name)
            for app in apps_by_sub[sub] - own_apps:
                assert not re.search(rf"(?<![0-9A-Za-z]){re.escape(app)}(?![0-9A-Za-z])", text), (code, app)
        assert not any(i in text for i in all_ids)
    # and its own applicants are named where a finding concerns them
    _first_app, first_sub, first_name = facts["roster"][0][2], facts["roster"][0][1], facts["roster"][0][3]
    assert first_name in xlsx_text(notices.xlsx[first_sub])[1]
    assert "（他单位申报编号）" in xlsx_text(notices.xlsx[first_sub])[1]
