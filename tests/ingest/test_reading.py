"""Reading: header detection, footers, encodings, file kinds, layout of the inbox."""

from __future__ import annotations

import datetime as dt

import xlwt

from tests.ingest.conftest import F1, f1_row, roster, rows_to_grid, write_csv, write_xlsx


def test_empty_inbox_creates_all_tables(wh):
    s = wh.load()
    assert s.files_seen == 0
    tables = {r[0] for r in wh.q("select table_name from information_schema.tables where table_schema = 'raw'")}
    assert tables == {
        "application_roster",
        "post_structure",
        "directed_posts",
        "work_events",
        "evaluation_outcomes",
        "evaluator_roster",
        "integrity_blacklist",
        "quarantine",
        "load_audit",
    }
    cols = [
        r[0]
        for r in wh.q(
            "select column_name from information_schema.columns where table_schema='raw' "
            "and table_name='post_structure' order by ordinal_position"
        )
    ]
    assert cols[:4] == ["year", "submitter_code", "unit_name", "unit_name_normalised"]
    assert cols[-7:] == [
        "extra_columns",
        "_source_file",
        "_source_sheet",
        "_source_row",
        "_file_sha256",
        "_loaded_at",
        "_superseded",
    ]


def test_title_block_footer_and_blank_rows(wh):
    grid = roster([f1_row(1), f1_row(2)])
    grid.insert(5, [])  # a blank line between the data rows
    write_xlsx(wh.inbox / "2022/150121/x.xlsx", {"花名册": grid})
    wh.load()
    audit = wh.one("select form, rows_read, rows_loaded, rows_quarantined from raw.load_audit")
    assert audit == ("F1", 2, 2, 0)
    # header is on Excel row 4, data rows 5 and 7 (row 6 blank), footer rows not read
    assert wh.q("select _source_row from raw.application_roster order by 1") == [(5,), (7,)]
    assert wh.q("select count(*) from raw.quarantine") == [(0,)]


def test_footer_words_all_excluded(wh):
    rows = [f1_row(1)]
    headers, grid = rows_to_grid(rows)
    footers = [
        [w + "：某某"]
        for w in ("合计", "总计", "填表人", "填报人", "审核人", "负责人", "联系人", "联系电话", "单位盖章")
    ]
    write_xlsx(wh.inbox / "2022/150121/x.xlsx", {"s": [headers] + grid + footers})
    wh.load()
    assert wh.one("select rows_read, rows_loaded from raw.load_audit") == (1, 1)


def test_header_cells_normalised(wh):
    rows = [f1_row(1)]
    headers, grid = rows_to_grid(rows)
    messy = {
        "网上申报编号": "网上申报\n编号*",
        "身份证号": "身份证号＊",
        "姓名": "姓\u3000名",
        "申报级别": " 申报级别 ",
    }
    headers = [messy.get(h, h) for h in headers]
    write_xlsx(wh.inbox / "2022/150121/x.xlsx", {"s": [headers] + grid})
    wh.load()
    assert wh.one("select application_no, name from raw.application_roster") == ("NM-0001", "张1")


def test_form_from_headers_not_file_name(wh):
    write_xlsx(wh.inbox / "2022/150121/评审结果F5.xlsx", {"F5": roster([f1_row(1)])})
    wh.load()
    assert wh.one("select form from raw.load_audit") == ("F1",)


def test_several_forms_in_one_workbook_and_instruction_sheet(wh):
    f4 = [["事项类型", "开始日期", "结束日期", "异议数"], ["花名册公示", "2022-06-20", "2022-06-27", 0]]
    write_xlsx(
        wh.inbox / "2022/150121/x.xlsx",
        {
            "填表说明": [["填表说明"], ["1. 身份证号请设为文本"]],
            "花名册": roster([f1_row(1)]),
            "公示": f4,
            "空表": [],
        },
    )
    wh.load()
    audit = wh.q("select sheet, form, rows_read from raw.load_audit order by sheet")
    assert sorted(audit) == sorted([("填表说明", "未识别", 0), ("花名册", "F1", 1), ("公示", "F4", 1)])
    assert wh.one("select event_type, start_date, objections, signed_sealed from raw.work_events") == (
        "花名册公示",
        dt.date(2022, 6, 20),
        0,
        False,
    )


def test_csv_encodings_and_line_numbers(wh):
    headers, grid = rows_to_grid([f1_row(1), f1_row(2), f1_row(3)])
    for i, enc in enumerate(("utf-8", "utf-8-sig", "gb18030")):
        rows = [["申报人员花名册"], headers, grid[i]]
        write_csv(wh.inbox / f"2022/150121/{enc}.csv", rows, encoding=enc)
    wh.load()
    got = wh.q("select _source_sheet, _source_row, name, unit_name from raw.application_roster order by 1")
    assert got == [
        ("gb18030.csv", 3, "张3", "土左旗第一中学"),
        ("utf-8-sig.csv", 3, "张2", "土左旗第一中学"),
        ("utf-8.csv", 3, "张1", "土左旗第一中学"),
    ]


def test_csv_line_number_counts_embedded_newlines(wh):
    headers, grid = rows_to_grid([f1_row(1), f1_row(2, 姓名="abc")])
    headers.append("备注")
    grid[0].append("第一行\n第二行")
    grid[1].append("")
    write_csv(wh.inbox / "2022/150121/a.csv", [headers] + grid)
    wh.load()
    assert wh.q("select _source_row from raw.application_roster order by 1") == [(2,), (4,)]


def test_xls_file(wh, tmp_path):
    headers, grid = rows_to_grid([f1_row(1)])
    book = xlwt.Workbook()
    sheet = book.add_sheet("花名册")
    sheet.write(0, 0, "申报人员花名册")
    for c, h in enumerate(headers):
        sheet.write(2, c, h)
    for c, v in enumerate(grid[0]):
        if v is not None:
            sheet.write(3, c, v)
    path = wh.inbox / "2022/150121/old.xls"
    path.parent.mkdir(parents=True)
    book.save(str(path))
    wh.load()
    assert wh.one("select application_no, _source_row, _source_sheet from raw.application_roster") == (
        "NM-0001",
        4,
        "花名册",
    )


def test_non_spreadsheet_and_layout(wh):
    (wh.inbox / "2022/150121").mkdir(parents=True)
    (wh.inbox / "2022/150121/说明.pdf").write_bytes(b"%PDF-1.4 not a sheet")
    (wh.inbox / "2022/150121/broken.xlsx").write_bytes(b"not a zip")
    (wh.inbox / "ground_truth.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    write_xlsx(wh.inbox / "archive/150121/x.xlsx", {"s": roster([f1_row(1)])})  # not a year folder
    write_xlsx(wh.inbox / "22/150121/x.xlsx", {"s": roster([f1_row(1)])})  # not 4 digits
    s = wh.load()
    assert s.files_seen == 2
    assert sorted(wh.q("select file, form, rows_read from raw.load_audit")) == [
        ("2022/150121/broken.xlsx", "未识别", 0),
        ("2022/150121/说明.pdf", "未识别", 0),
    ]
    assert wh.one("select count(*) from raw.application_roster") == (0,)


def test_f1_headers_come_from_forms():
    # the helper builds rows with the headers of forms.py: a renamed header would break every test
    assert set(f1_row(1)) <= set(F1.headers)


def test_missing_required_header_named(wh):
    headers, grid = rows_to_grid([f1_row(1)])
    i = headers.index("身份证号")
    headers[i] = "身份证"  # not one of its alternative names (证件号码 is one since contract v3)
    write_xlsx(wh.inbox / "2022/150121/x.xlsx", {"s": [headers] + grid})
    s = wh.load()
    assert wh.one("select form, rows_read from raw.load_audit") == ("未识别", 0)
    assert any("最接近F1 申报人员花名册，但缺少必填列 身份证号" in m for m in s.messages)


def test_xls_numeric_id_cell(wh):
    headers, grid = rows_to_grid([f1_row(1), f1_row(2)])
    grid[1][headers.index("身份证号")] = 150121198503070012.0
    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    for c, h in enumerate(headers):
        sheet.write(0, c, h)
    for r, row in enumerate(grid, start=1):
        for c, v in enumerate(row):
            if v is not None:
                sheet.write(r, c, v)
    path = wh.inbox / "2022/150121/a.xls"
    path.parent.mkdir(parents=True)
    book.save(str(path))
    wh.load()
    assert wh.q("select _source_row, column_name from raw.quarantine") == [(3, "身份证号")]
    assert wh.one("select count(*) from raw.application_roster") == (1,)


def test_numeric_id_cell_found_when_the_sheet_starts_right_of_column_a(wh):
    # the used range starts at column C and row 3: the second, numeric pass must address the same column
    headers, grid = rows_to_grid([f1_row(1), f1_row(2), f1_row(3)])
    grid[1][headers.index("身份证号")] = 150121198503070012.0
    rows = [[None, None] + headers] + [[None, None] + r for r in grid]
    write_xlsx(wh.inbox / "2022/150121/x.xlsx", {"s": [[], []] + rows})
    wh.load()
    assert [(r[0], r[1], r[3][:10]) for r in wh.reasons()] == [(5, "身份证号", "身份证号被存成了数字")]
    assert wh.q("select _source_row from raw.application_roster order by 1") == [(4,), (6,)]


def test_footer_words_with_inner_white_space(wh):
    headers, grid = rows_to_grid([f1_row(1)])
    footers = [["合  计", 1], [None, "填\u3000表\u3000人：王五"], ["单位 盖章"]]
    write_xlsx(wh.inbox / "2022/150121/x.xlsx", {"s": [headers] + grid + footers})
    wh.load()
    assert wh.one("select rows_read, rows_loaded, rows_quarantined from raw.load_audit") == (1, 1, 0)


def test_unparsable_csv_listed_as_unrecognised_with_chinese_reason(wh):
    path = wh.inbox / "2022/150121/坏.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(('网上申报编号,姓名\nNM-0001,"' + "张" * 200_000 + '"\n').encode("utf-8"))  # over the field limit
    s = wh.load()
    assert wh.one("select sheet, form, rows_read from raw.load_audit") == ("坏.csv", "未识别", 0)
    assert any(m.startswith("2022/150121/坏.csv：CSV 文件第") and "格式错误" in m for m in s.messages)
