"""Submitter templates: headers from forms.py, drop-downs, formats, instructions."""

from __future__ import annotations

import openpyxl

from dagster_project import forms
from dagster_project.sample.reference_data import load_reference
from dagster_project.sample.templates import write_templates


def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng.rstrip("0123456789").split(":")[0].rstrip("0123456789")] = dv
    return out


def _column_format(ws, index: int) -> str:
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= index <= dim.max:
            return dim.number_format
    return "General"


def test_one_template_per_form_with_validations(tmp_path):
    paths = write_templates(tmp_path / "templates")
    assert [p.name.split("_")[0] for p in paths] == list(forms.FORMS)
    for path, form in zip(paths, forms.FORMS.values(), strict=False):
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["填报", "说明"]
        ws = wb["填报"]
        headers = [c.value for c in ws[1]]
        assert [h.rstrip("*") for h in headers] == list(form.headers)
        assert [h.endswith("*") for h in headers] == [c.required for c in form.columns]
        dvs = _validations(ws)
        for i, col in enumerate(form.columns, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            if col.kind == forms.ENUM:
                values = load_reference().series if col.values == forms.SERIES else col.values
                assert dvs[letter].type == "list"
                assert dvs[letter].formula1.strip('"').split(",") == list(values)
            elif col.kind == forms.BOOL:
                assert dvs[letter].formula1 == '"是,否"'
            elif col.kind in (forms.DATE, forms.EVENT_DATE):
                assert dvs[letter].type == "date"
                assert _column_format(ws, i) == "yyyy-mm-dd"
            elif col.kind in (forms.ID_NUMBER, forms.APP_NO):
                assert _column_format(ws, i) == "@"
            if col.field == "committee_code":  # the committees of the reference data, listed on 说明
                assert dvs[letter].type == "list" and dvs[letter].errorStyle == "warning"
                sheet, cells = dvs[letter].formula1.split("!")
                codes = [c.value for row in wb[sheet][cells.replace("$", "")] for c in row]
                assert codes == list(load_reference().committees)
                names = {r[0].value: r[1].value for r in wb[sheet]["C2:D40"] if r[0].value}
                assert names == {k: v["committee_name"] for k, v in load_reference().committees.items()}
            if col.field == "group_name":  # the review groups named once, in forms.py
                assert dvs[letter].type == "list"
                assert dvs[letter].formula1.strip('"').split(",") == list(forms.REVIEW_GROUPS)
            # every column prompts when a cell is selected: its header, required or not, what to write
            assert dvs[letter].showInputMessage and dvs[letter].promptTitle == col.header[:32]
            assert dvs[letter].prompt and len(dvs[letter].prompt) <= 255
            assert ("必填" in dvs[letter].prompt) == (col.required or "必填" in col.note), (form.code, col.header)
        text = "\n".join(str(r[0].value) for r in wb["说明"].iter_rows() if r[0].value)
        assert form.name in text and "必填" in text


def test_templates_are_deterministic(tmp_path):
    a = write_templates(tmp_path / "a")
    b = write_templates(tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
