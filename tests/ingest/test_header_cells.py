"""Header cells as people type them, and formula cells (contract v3 §1)."""

from __future__ import annotations

import json

import openpyxl
import xlsxwriter

from dagster_project.forms import ALTERNATIVE_NAMES, FORMS, header_key

from .conftest import f1_row, f5_row, rows_to_grid

TYPED = {
    "网上申报编号": "网上申报\n编号*",  # a line break inside the cell and the template's star
    "身份证号": "身份证号码（必填）",  # an alternative name with a note in brackets
    "工作单位": " 工作单位名称 ",
    "申报系列": "申报职称系列",
    "申报级别": "申报\u3000级别",  # an ideographic space
    "专业技术工作年限": "从事专业技术工作年限(年)",
    "评委会代码": "评审委员会代码*",
    "申报日期": "申报日期（年月日）",
    "姓名": "姓\u00a0名",  # a no-break space
}


def test_alternative_names_are_no_column_of_another_form():
    canonical = {c.header for form in FORMS.values() for c in form.columns}
    assert set(ALTERNATIVE_NAMES) <= canonical
    for name, alternatives in ALTERNATIVE_NAMES.items():
        for alt in alternatives:
            assert alt not in canonical
            assert header_key(alt) == name
            assert header_key(f" {alt}\n（人才库）*") == name


def test_tolerant_headers_and_the_leftmost_duplicate(wh):
    headers, grid = rows_to_grid([f1_row(1), f1_row(2)])
    typed = [TYPED.get(h, h) for h in headers] + ["姓名", "备注（其他）"]
    rows = [row + [f"重复{i}", "无"] for i, row in enumerate(grid, 1)]
    path = wh.inbox / "2022/150121/花名册.xlsx"
    path.parent.mkdir(parents=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("花名册")
    ws.write_row(0, 0, ["申报专业技术资格人员汇总花名册"])
    for r, row in enumerate([typed, *rows], start=2):
        ws.write_row(r, 0, ["" if v is None else str(v) for v in row])
    wb.close()
    wh.load()
    assert wh.one("select form, rows_read, rows_loaded, rows_quarantined from raw.load_audit") == ("F1", 2, 2, 0)
    loaded = wh.q(
        "select application_no, name, id_number, unit_name, series, level, professional_years, "
        "committee_code, extra_columns from raw.application_roster order by application_no"
    )
    first = f1_row(1)
    assert loaded[0][:8] == (
        "NM-0001",
        "张1",
        first["身份证号"],
        "土左旗第一中学",
        "中小学教师",
        "副高级",
        18.0,
        "C-ZXXGJ-M",
    )
    # the second 姓名 (right of the first) is kept as an unknown extra column, like 备注（其他）
    assert json.loads(loaded[0][8]) == {"姓名_2": "重复1", "备注": "无"}  # a repeated label gets a suffix


def test_formula_cells_count_as_their_stored_values(wh):
    headers, grid = rows_to_grid([f5_row(1), f5_row(2)])
    path = wh.inbox / "2022/C-ZXX-150121/评审结果.xlsx"
    path.parent.mkdir(parents=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("评审结果")
    ws.write_row(0, 0, headers)
    for r, row in enumerate(grid, start=1):
        ws.write_row(r, 0, row)
    votes, present = headers.index("赞成票数"), headers.index("实到评委数")
    # what Excel or WPS saved: the formula and the value it showed
    ws.write_formula(1, votes, f"={xlsxwriter.utility.xl_rowcol_to_cell(1, present)}-1", None, 7)
    ws.write_formula(2, present, "=4*2", None, 8)
    wb.close()
    wh.load()
    assert wh.q(
        "select application_no, members_present, votes_for from raw.evaluation_outcomes order by application_no"
    ) == [("NM-0001", 8, 7), ("NM-0002", 8, 7)]


def test_formula_without_a_stored_value_is_an_empty_cell(wh):
    headers, grid = rows_to_grid([f5_row(1)])
    path = wh.inbox / "2022/C-ZXX-150121/评审结果.xlsx"
    path.parent.mkdir(parents=True)
    wb = openpyxl.Workbook()  # openpyxl stores formulas without any value
    ws = wb.active
    ws.append(headers)
    ws.append(grid[0])
    ws.cell(row=2, column=headers.index("应到评委数") + 1, value="=3*3")
    wb.save(path)
    wh.load()
    assert wh.one("select rows_read, rows_loaded, rows_quarantined from raw.load_audit") == (1, 0, 1)
    assert wh.q("select column_name, reason from raw.quarantine") == [("应到评委数", "应到评委数为必填项，不能为空")]


def test_templates_keep_the_canonical_names(tmp_path):
    from dagster_project.sample.templates import write_templates

    for path in write_templates(tmp_path):
        wb = openpyxl.load_workbook(path)
        form = next(f for f in FORMS.values() if f.name in path.name or f.code in path.name)
        header = [c.value for c in wb[wb.sheetnames[0]][1] if c.value]
        # the header as forms.py names the columns (required ones with a trailing *), never another name
        assert header == [c.header + ("*" if c.required else "") for c in form.columns], path.name
