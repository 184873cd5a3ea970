"""CSV extracts converted column by column (documents/xlsx.csv_cells) write what the cell-by-cell writer writes."""

from __future__ import annotations

import duckdb

from dagster_project.documents.masking import ID_NUMBERS_MASKED, mask_id_numbers
from dagster_project.documents.xlsx import write_csv, write_csv_batches

VALUES = """
    select * from (values
        (true, date '2022-06-13', timestamp '2022-06-13 08:30:05.25', 1.5::double, 'nan'::double, 12.30::decimal(9,2),
         7, 9000000000::bigint, '普通文字', '=1+1', '身份证 150121198503070012 已核', '-3'),
        (false, null, null, null, 2.0::double, null, null, -1::bigint, null, '+x', '150121198503070012', '@a'),
        (null, date '1999-01-01', null, 0.1::double, -0.0::double, 0.00::decimal(9,2),
         0, null, '号码15012119850307001X之后', '\tTab', 'ab150121198503070012', ''),
        (null, null, null, null, null, null, null, null, null, null, null, '全角１５０１２１１９８５０３０７００１２')
    ) as t(b, d, ts, f, nan, dec, i, big, s, formula, id_text, dash)
"""
HEADERS = ["是否", "日期", "时间", "小数", "非数", "定点数", "整数", "大整数", "文字", "公式", "含身份证号", "负号"]


def test_the_extract_of_batches_is_byte_for_byte_the_extract_of_rows(tmp_path):
    con = duckdb.connect()
    rows = con.execute(VALUES).fetchall()
    by_row = tmp_path / "rows.csv"
    write_csv(by_row, HEADERS, ([mask_id_numbers(v) for v in row] for row in rows))
    by_column = tmp_path / "batches.csv"
    n = write_csv_batches(by_column, HEADERS, con.sql(VALUES).to_arrow_reader(2), ID_NUMBERS_MASKED)
    assert n == 4
    text = by_column.read_text(encoding="utf-8-sig")
    assert "号码150121********001X之后" in text and ",150121********0012," in text  # masked, also inside a text
    assert "ab150121198503070012" in text  # not an ID number (a letter before it): left alone
    assert "2022-06-13 08:30:05," in text  # whole seconds
    assert "全角１５０１２１********００１２" in text  # any decimal digits (the only ID number of its column)
    assert "'=1+1" in text and "否" in text
    assert by_column.read_bytes() == by_row.read_bytes()
