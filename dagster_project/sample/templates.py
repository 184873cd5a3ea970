"""Blank templates for submitters: one .xlsx per form (F1 … F7).

Each template has the header row (forms.py headers, required ones marked with a
trailing *, which the reader strips), drop-down lists for enums and yes/no fields,
date-formatted date columns, text format for ID and application numbers, a note on
headers that need one, and a short Chinese instruction sheet (说明).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from dagster_project import forms
from dagster_project.sample.reference_data import load_reference

FIRST_DATA_ROW = 1  # 0-based: the header is row 0
LAST_DATA_ROW = 2000
CREATED = dt.datetime(2022, 1, 1, 0, 0, 0)
YES_NO = ("是", "否")


def _values(column: forms.Column) -> tuple[str, ...]:
    if column.values == forms.SERIES:
        return tuple(load_reference().series)
    return tuple(column.values)


def _instructions(form: forms.Form) -> list[str]:
    required = "、".join(form.required_headers)
    lines = [
        f"{form.code} {form.name} 填写说明",
        "",
        "1. 请在“填报”工作表第一行表头下方逐行填写，一行一条记录；不要修改、删除或调换表头，不要合并单元格。",
        f"2. 表头带 * 的为必填列：{required}。",
        "3. 日期请按 2022-06-13 的格式填写（也可用 2022/6/13、2022年6月13日）。",
        "4. 带下拉箭头的列请从下拉列表中选择；“是/否”列留空按“否”处理（是否本单位除外）。",
        "5. 身份证号、网上申报编号等列已设为文本格式，请勿改为数字格式，否则身份证号末几位会丢失。",
        "6. 文件名可以自定，系统根据表头识别表格；同一报送单位重新报送更正表时，会以新文件替换旧文件中相同编号的记录。",
        "7. 表格下方可写“填表人：…  审核人：…”，系统会自动忽略。",
    ]
    notes = [f"   {c.header}：{c.note}" for c in form.columns if c.note]
    if notes:
        lines += ["", "各列说明："] + notes
    return lines


def write_template(form: forms.Form, path: Path, rows: list[dict] | None = None) -> Path:
    """Write the template of ``form`` to ``path``; ``rows`` (dicts by field name) fill it in."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"title": f"{form.code} {form.name}", "author": "呼和浩特市人力资源和社会保障局",
                       "created": CREATED})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "text_wrap": True})
    head_required = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "align": "center",
                                   "text_wrap": True})
    fmt_date = wb.add_format({"num_format": "yyyy-mm-dd"})
    fmt_text = wb.add_format({"num_format": "@"})
    fmt_int = wb.add_format({"num_format": "0"})
    fmt_num = wb.add_format({"num_format": "0.0"})
    ws = wb.add_worksheet("填报")
    ws.freeze_panes(1, 0)
    for c, col in enumerate(form.columns):
        ws.write_string(0, c, col.header + ("*" if col.required else ""), head_required if col.required else head)
        if col.note:
            ws.write_comment(0, c, col.note)
        rng = (FIRST_DATA_ROW, c, LAST_DATA_ROW, c)
        if col.kind in (forms.DATE, forms.EVENT_DATE):
            ws.set_column(c, c, 13, fmt_date)
            ws.data_validation(*rng, {"validate": "date", "criteria": "between",
                                      "minimum": dt.date(1900, 1, 1), "maximum": dt.date(2100, 12, 31),
                                      "error_title": "日期格式", "error_message": "请填写日期，如 2022-06-13"})
        elif col.kind == forms.ENUM:
            ws.set_column(c, c, 14, fmt_text)
            ws.data_validation(*rng, {"validate": "list", "source": list(_values(col)),
                                      "error_title": "请从下拉列表选择", "error_message": f"{col.header}须为下拉列表中的值"})
        elif col.kind == forms.BOOL:
            ws.set_column(c, c, 10, fmt_text)
            ws.data_validation(*rng, {"validate": "list", "source": list(YES_NO),
                                      "error_title": "请从下拉列表选择", "error_message": "请选择“是”或“否”"})
        elif col.kind == forms.INT:
            ws.set_column(c, c, 12, fmt_int)
            ws.data_validation(*rng, {"validate": "integer", "criteria": ">=", "value": col.min_value,
                                      "error_title": "整数", "error_message": f"请填写不小于{col.min_value}的整数"})
        elif col.kind == forms.NUMBER:
            ws.set_column(c, c, 12, fmt_num)
            ws.data_validation(*rng, {"validate": "decimal", "criteria": ">=", "value": 0,
                                      "error_title": "数字", "error_message": "请填写不小于0的数字（年）"})
        else:
            width = 22 if col.kind in (forms.ID_NUMBER, forms.UNIT_NAME, forms.APP_NO) else 14
            ws.set_column(c, c, width, fmt_text)
    for r, row in enumerate(rows or [], start=FIRST_DATA_ROW):
        for c, col in enumerate(form.columns):
            value = row.get(col.field)
            if value is None or value == "":
                continue
            if isinstance(value, bool) or col.kind == forms.BOOL:
                ws.write_string(r, c, "是" if value else "否", fmt_text)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt_date)
            elif isinstance(value, (int, float)) and col.kind in (forms.INT, forms.NUMBER):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value), fmt_text)
    info = wb.add_worksheet("说明")
    info.set_column(0, 0, 110)
    for i, line in enumerate(_instructions(form)):
        info.write_string(i, 0, line)
    wb.close()
    return path


def template_name(form: forms.Form) -> str:
    return f"{form.code}_{form.name}_模板.xlsx"


def write_templates(out: Path) -> list[Path]:
    """One template per form into ``out``; returns the paths written (F1 … F7)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [write_template(form, out / template_name(form)) for form in forms.FORMS.values()]
