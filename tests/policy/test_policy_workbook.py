"""Adding a year: the policy workbook is written, filled by a clerk, imported after the reference check."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from dagster_project.cli import app
from dagster_project.policy.check import check_reference, requirements
from dagster_project.policy.workbook import WorkbookError, import_workbook, write_workbook
from dagster_project.settings import SEEDS_DIR

FILES = ("policy_calendar.csv", "policy_parameters.csv", "committee_filings.csv")


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, folder)
    return folder


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_workbook_is_prefilled_from_the_latest_year_with_drop_downs(seeds, tmp_path):
    path = write_workbook(2024, tmp_path / "2024.xlsx", seeds)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["说明", "代码表", "申报时间", "参数"] and "评委会核准备案" in wb.sheetnames
    assert wb["代码表"].sheet_state == "hidden"
    assert "2024 年度政策工作簿（由 2022 年度的参考数据预填）" == wb["说明"]["A1"].value
    calendar = _rows(wb["申报时间"])
    assert len(calendar) == 20
    assert calendar[0] == [
        2024,
        "APPLY-WINDOW",
        "committee_scope",
        "自治区",
        "副高级|正高级",
        dt.datetime(2024, 6, 13),
        dt.datetime(2024, 6, 24),
    ]
    assert {r[1] for r in _rows(wb["参数"])} == requirements().parameters
    filings = _rows(wb["评委会核准备案"])
    assert filings[0] == [2024, "C-GC-NMG", "内蒙古自治区工程系列高级职称评审委员会", dt.datetime(2024, 4, 20)]
    validated = {str(dv.sqref).split(":")[0]: dv.type for dv in wb["申报时间"].data_validations.dataValidation}
    assert validated == {
        "A2": "whole",
        "B2": "list",
        "C2": "list",
        "D2": "list",
        "E2": "list",
        "F2": "date",
        "G2": "date",
    }
    assert {dv.type for dv in wb["评委会核准备案"].data_validations.dataValidation} == {"whole", "list", "date"}


def test_filled_workbook_round_trip(seeds, tmp_path):
    path = write_workbook(2024, tmp_path / "2024.xlsx", seeds)
    before = {name: (seeds / name).read_text(encoding="utf-8") for name in FILES}
    parameters = before["policy_parameters.csv"].count("\n2022,")  # the new year has one row per 2022 parameter
    wb = openpyxl.load_workbook(path)
    for row in wb["参数"].iter_rows(min_row=2):
        if row[1].value == "PLAN_LEAD_DAYS":
            row[2].value = 21
        if row[1].value == "OVERPOST_RATIO":
            row[2].value = "6%"
    wb["申报时间"]["F2"].value = "2024/6/11"  # typed as text
    ws = wb["评委会核准备案"]
    ws.delete_rows(next(c.row for c in ws["B"] if c.value == "C-ZH-150105"))  # not filed in 2024
    wb.save(path)
    year, counts = import_workbook(path, seeds)
    assert (year, counts) == (
        2024,
        {"policy_calendar.csv": 20, "policy_parameters.csv": parameters, "committee_filings.csv": 17},
    )
    assert check_reference(seeds) == [2022, 2024]
    for name in FILES:  # 2022's rows stay as they were, the new year's follow
        after = (seeds / name).read_text(encoding="utf-8")
        assert after.startswith(before[name])
    text = (seeds / "policy_parameters.csv").read_text(encoding="utf-8")
    assert "2024,PLAN_LEAD_DAYS,21\n" in text and "2024,OVERPOST_RATIO,0.06\n" in text
    assert "2024,APPLY-WINDOW,committee_scope,自治区,副高级|正高级,2024-06-11,2024-06-24\n" in (
        seeds / "policy_calendar.csv"
    ).read_text(encoding="utf-8")
    assert "2024,C-ZH-150105" not in (seeds / "committee_filings.csv").read_text(encoding="utf-8")
    # importing again replaces the year's rows instead of adding them twice
    assert import_workbook(path, seeds)[1]["policy_parameters.csv"] == parameters
    assert (seeds / "policy_parameters.csv").read_text(encoding="utf-8").count("2024,PLAN_LEAD_DAYS") == 1


def test_bad_cells_name_sheet_row_and_column_and_nothing_is_written(seeds, tmp_path):
    path = write_workbook(2024, tmp_path / "2024.xlsx", seeds)
    wb = openpyxl.load_workbook(path)
    wb["参数"]["C3"].value = "十四"
    wb["评委会核准备案"]["D4"].value = "五月"
    wb["申报时间"]["B5"].value = None
    wb.save(path)
    untouched = _digest(seeds)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(path, seeds)
    assert caught.value.problems == [
        "工作表“申报时间”第 5 行“要求代码”列：要求代码为必填项",
        "工作表“参数”第 3 行“数值”列：“十四”不是数字",
        "工作表“评委会核准备案”第 4 行“备案日期”列：“五月”不是日期（如 2023-06-12）",
    ]
    assert _digest(seeds) == untouched


def test_reference_check_problems_point_at_the_workbook(seeds, tmp_path):
    path = write_workbook(2024, tmp_path / "2024.xlsx", seeds)
    wb = openpyxl.load_workbook(path)
    wb["申报时间"]["G3"].value = dt.datetime(2026, 6, 24)  # a window two years on
    ws = wb["参数"]
    ws.delete_rows(next(c.row for c in ws["B"] if c.value == "BLACKLIST_YEARS"))
    wb["评委会核准备案"]["B2"].value = "C-GC-XX"
    wb.save(path)
    untouched = _digest(seeds)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(path, seeds)
    assert caught.value.problems == [
        "工作表“评委会核准备案”第 2 行（committee_filings.csv，2024 年度）：评委会代码“C-GC-XX”不在 committees.csv 中",
        "工作表“申报时间”第 3 行（policy_calendar.csv，2024 年度）："
        "APPLY-WINDOW 的结束日期 2026-06-24 不在 2024 年或 2025 年内",
        "工作表“参数”（policy_parameters.csv，2024 年度）：缺少参数 BLACKLIST_YEARS（规则读取它）",
    ]
    assert _digest(seeds) == untouched


def test_commands(seeds, tmp_path):
    runner = CliRunner()
    out = tmp_path / "2024.xlsx"
    result = runner.invoke(app, ["policy-workbook", "--year", "2024", "--out", str(out), "--seeds", str(seeds)])
    assert result.exit_code == 0, result.output
    assert "政策工作簿已写入" in result.output
    wb = openpyxl.load_workbook(out)
    wb["参数"]["A2"].value = 2025
    wb.save(out)
    result = runner.invoke(app, ["policy-import", str(out), "--seeds", str(seeds)])
    assert result.exit_code == 1
    assert "“年度”列有多个年度：2024、2025" in result.output
    assert "参考数据文件均未改动" in result.output
    wb["参数"]["A2"].value = 2024
    wb.save(out)
    result = runner.invoke(app, ["policy-import", str(out), "--seeds", str(seeds)])
    assert result.exit_code == 0, result.output
    assert "2024 年度参考数据已导入" in result.output
