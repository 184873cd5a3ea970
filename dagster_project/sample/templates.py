"""Blank templates for submitters: one .xlsx per form (F1 … F7).

Each template has the header row (forms.py headers, required ones marked with a
trailing *, which the reader strips), drop-down lists for enums and yes/no fields, for
评委会代码 (the committees of the reference data, listed with their names on the 说明
sheet) and for 评审分组 (forms.REVIEW_GROUPS), date-formatted date columns, text format
for ID and application numbers, an input prompt on every column (shown when a cell is
selected), a note on headers that need one, and a short Chinese instruction sheet (说明).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
import xlsxwriter.utility

from dagster_project import forms
from dagster_project.sample.reference_data import load_reference

FIRST_DATA_ROW = 1  # 0-based: the header is row 0
LAST_DATA_ROW = 2000
CREATED = dt.datetime(2022, 1, 1, 0, 0, 0)
YES_NO = ("是", "否")
CODE_LIST_COLUMN = 2  # 说明 sheet: committee codes in column C, names in D (the drop-down's source)
KIND_HINTS = {
    forms.DATE: "填写日期，如 2022-06-13。",
    forms.EVENT_DATE: "填写日期，如 2022-06-13（应为本年度或相邻年度）。",
    forms.ENUM: "请从下拉列表中选择。",
    forms.BOOL: "请选择“是”或“否”。",
    forms.ID_NUMBER: "18 位身份证号，末位可为 X；本列为文本格式，请勿改为数字。",
    forms.APP_NO: "网上申报系统生成的申报编号（字母、数字或“-”）；本列为文本格式。",
    forms.UNIT_NAME: "填写工作单位全称，与公章一致。",
    forms.CODE: "请从下拉列表中选择评委会代码（代码与名称见“说明”工作表）。",
    forms.TEXT: "请填写文字。",
}


def _values(column: forms.Column) -> tuple[str, ...]:
    if column.values == forms.SERIES:
        return tuple(load_reference().series)
    return tuple(column.values)


def _committees() -> list[tuple[str, str]]:
    """(code, name) of every committee of the reference data (seeds/committees.csv)."""
    return [(code, row["committee_name"]) for code, row in load_reference().committees.items()]


def _prompt(col: forms.Column, choices: tuple[str, ...]) -> dict:
    """The input prompt shown when a cell of the column is selected (Excel: title ≤ 32, text ≤ 255)."""
    parts = ["必填。" if col.required else "" if "必填" in col.note else "选填。"]
    if col.kind in (forms.INT, forms.NUMBER):
        parts.append(f"填写不小于{col.min_value}的{'整数' if col.kind == forms.INT else '数字'}。")
    elif col.kind == forms.TEXT and choices:
        parts.append("请从下拉列表中选择；列表中没有的可直接填写（会提示确认）。")
    else:
        parts.append(KIND_HINTS.get(col.kind, ""))
    if col.note:
        parts.append(col.note + "。")
    return {"input_title": col.header[:32], "input_message": "".join(parts)[:255]}


def _choices(col: forms.Column) -> tuple[str, ...]:
    if col.kind == forms.CODE and col.field == "committee_code":
        return tuple(code for code, _ in _committees())
    if col.kind == forms.TEXT and col.values:
        return tuple(col.values)
    return ()


def _column_rule(col: forms.Column, formats: dict) -> tuple[int, object, dict]:
    """(column width, cell format, data validation with its input prompt) of one template column."""
    choices = _choices(col)
    prompt = _prompt(col, choices)
    pick = {"error_title": "请从下拉列表选择"}
    if col.kind in (forms.DATE, forms.EVENT_DATE):
        return (
            13,
            formats[forms.DATE],
            {
                "validate": "date",
                "criteria": "between",
                "minimum": dt.date(1900, 1, 1),
                "maximum": dt.date(2100, 12, 31),
                "error_title": "日期格式",
                "error_message": "请填写日期，如 2022-06-13",
                **prompt,
            },
        )
    if col.kind == forms.ENUM:
        return (
            14,
            formats["text"],
            {
                "validate": "list",
                "source": list(_values(col)),
                **pick,
                "error_message": f"{col.header}须为下拉列表中的值",
                **prompt,
            },
        )
    if col.kind == forms.BOOL:
        return (
            10,
            formats["text"],
            {"validate": "list", "source": list(YES_NO), **pick, "error_message": "请选择“是”或“否”", **prompt},
        )
    if col.kind == forms.INT:
        return (
            12,
            formats[forms.INT],
            {
                "validate": "integer",
                "criteria": ">=",
                "value": col.min_value,
                "error_title": "整数",
                "error_message": f"请填写不小于{col.min_value}的整数",
                **prompt,
            },
        )
    if col.kind == forms.NUMBER:
        return (
            12,
            formats[forms.NUMBER],
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_title": "数字",
                "error_message": "请填写不小于0的数字（年）",
                **prompt,
            },
        )
    if choices:  # committee codes and review groups: a list, but another value is allowed after a warning
        letter = _letter(CODE_LIST_COLUMN)
        source = f"=说明!${letter}$2:${letter}${len(choices) + 1}" if col.kind == forms.CODE else list(choices)
        return (
            16,
            formats["text"],
            {
                "validate": "list",
                "source": source,
                "error_type": "warning",
                "error_title": "不在下拉列表中",
                "error_message": f"{col.header}不在下拉列表中，请核对；确认无误可选“是”保留。",
                **prompt,
            },
        )
    width = 22 if col.kind in (forms.ID_NUMBER, forms.UNIT_NAME, forms.APP_NO) else 14
    return width, formats["text"], {"validate": "any", **prompt}


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
    if any(c.kind == forms.CODE for c in form.columns):
        lines.append("8. 评委会代码请从下拉列表选择，代码与评审委员会名称见本工作表右侧（C、D 列）。")
    if any(c.field == "group_name" for c in form.columns):
        lines.append("9. 评审分组请从下拉列表选择（普通组以外的为单独分组）；确有其他分组的可直接填写。")
    notes = [f"   {c.header}：{c.note}" for c in form.columns if c.note]
    if notes:
        lines += ["", "各列说明："] + notes
    return lines


def write_template(form: forms.Form, path: Path, rows: list[dict] | None = None) -> Path:
    """Write the template of ``form`` to ``path``; ``rows`` (dicts by field name) fill it in."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties(
        {"title": f"{form.code} {form.name}", "author": "呼和浩特市人力资源和社会保障局", "created": CREATED}
    )
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "text_wrap": True})
    head_required = wb.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "border": 1, "align": "center", "text_wrap": True}
    )
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
        width, fmt, validation = _column_rule(
            col, {forms.DATE: fmt_date, "text": fmt_text, forms.INT: fmt_int, forms.NUMBER: fmt_num}
        )
        ws.set_column(c, c, width, fmt)
        ws.data_validation(FIRST_DATA_ROW, c, LAST_DATA_ROW, c, validation)
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
    if any(col.kind == forms.CODE for col in form.columns):  # the committee drop-down's source
        info.set_column(CODE_LIST_COLUMN, CODE_LIST_COLUMN, 14)
        info.set_column(CODE_LIST_COLUMN + 1, CODE_LIST_COLUMN + 1, 46)
        info.write_string(0, CODE_LIST_COLUMN, "评委会代码", head)
        info.write_string(0, CODE_LIST_COLUMN + 1, "评审委员会", head)
        for i, (code, name) in enumerate(_committees(), start=1):
            info.write_string(i, CODE_LIST_COLUMN, code)
            info.write_string(i, CODE_LIST_COLUMN + 1, name)
    wb.close()
    return path


def _letter(index: int) -> str:
    return xlsxwriter.utility.xl_col_to_name(index)


def template_name(form: forms.Form) -> str:
    return f"{form.code}_{form.name}_模板.xlsx"


def write_templates(out: Path) -> list[Path]:
    """One template per form into ``out``; returns the paths written (F1 … F7)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [write_template(form, out / template_name(form)) for form in forms.FORMS.values()]
