"""The policy workbook: how a title-office clerk adds a policy year without touching CSV files.

``write_workbook`` writes an Excel workbook for a new year, pre-filled from the latest policy year
(dates moved to the new year, to be corrected from the new notice), with drop-downs and a 说明 sheet.
``import_workbook`` reads the filled workbook, replaces that year's rows of policy_calendar.csv,
policy_parameters.csv and committee_filings.csv, runs the reference check on the result and only then
writes the three files (each to a temporary file first, then renamed into place): all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import xlsxwriter

from dagster_project.forms import LEVELS
from dagster_project.policy.check import (
    COMMITTEE_FILINGS,
    POLICY_CALENDAR,
    POLICY_PARAMETERS,
    SCOPE_TYPES,
    SUBMITTER_KINDS,
    ReferenceDataError,
    check_reference,
    requirements,
)

CALENDAR_SHEET, PARAMETER_SHEET, FILING_SHEET, README_SHEET, LISTS_SHEET = (
    "申报时间",
    "参数",
    "评委会核准备案",
    "说明",
    "代码表",
)


@dataclass(frozen=True)
class SheetColumn:
    header: str
    seed_column: str | None  # None: shown to help, not imported
    kind: str = "text"  # text / date / number / year
    required: bool = False


SHEETS: dict[str, tuple[str, tuple[SheetColumn, ...]]] = {
    CALENDAR_SHEET: (
        POLICY_CALENDAR,
        (
            SheetColumn("年度", "year", "year", True),
            SheetColumn("要求代码", "requirement_code", required=True),
            SheetColumn("范围类型", "scope_type", required=True),
            SheetColumn("范围代码", "scope_code"),
            SheetColumn("级别", "levels"),
            SheetColumn("开始日期", "start_date", "date"),
            SheetColumn("结束日期", "end_date", "date", True),
        ),
    ),
    PARAMETER_SHEET: (
        POLICY_PARAMETERS,
        (
            SheetColumn("年度", "year", "year", True),
            SheetColumn("参数", "parameter", required=True),
            SheetColumn("数值", "value", "number", True),
            SheetColumn("上一年度数值", None, "number"),
        ),
    ),
    FILING_SHEET: (
        COMMITTEE_FILINGS,
        (
            SheetColumn("年度", "year", "year", True),
            SheetColumn("评委会代码", "committee_code", required=True),
            SheetColumn("评委会名称", None),
            SheetColumn("备案日期", "filed_date", "date", True),
        ),
    ),
}

REQUIREMENT_NAMES = {
    "APPLY-WINDOW": "申报时间窗口（开始、结束日期都填）",
    "FINISH-BY": "评审工作完成截止日",
    "DIRECTED-POSTS": "定向评价岗位报送截止日",
    "CUTOFF-SENIORITY": "资历计算截止日（通常为上一年 12 月 31 日）",
}
SCOPE_NAMES = {
    "committee_scope": "评委会范围（自治区 / 市级 / 旗县区 / 自主评审）",
    "submitter": "某个报送单位（填其代码）",
    "submitter_kind": "一类报送单位（region 地区 / department 市直部门 / unit 自主评审单位）",
    "all": "全部（截止日类要求，范围代码与级别留空）",
}


class WorkbookError(ValueError):
    """The workbook cannot be imported; the message lists every problem (sheet, row, column) in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"政策工作簿未导入（共 {len(problems)} 处问题，参考数据文件均未改动）：\n{lines}")


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _move_year(text: str, years: int) -> dt.date | None:
    if not text:
        return None
    day = dt.date.fromisoformat(text)
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def latest_year(seeds_dir: Path) -> int:
    _, rows = _read_csv(seeds_dir / POLICY_CALENDAR)
    return max(int(r["year"]) for r in rows)


def _lists(seeds_dir: Path) -> dict[str, list[str]]:
    _, regions = _read_csv(seeds_dir / "regions.csv")
    _, departments = _read_csv(seeds_dir / "departments.csv")
    _, units = _read_csv(seeds_dir / "units.csv")
    _, committees = _read_csv(seeds_dir / "committees.csv")
    _, calendar = _read_csv(seeds_dir / POLICY_CALENDAR)
    req = requirements()
    scopes = sorted({c["scope"] for c in committees if c["scope"]})
    level_sets = sorted({r["levels"] for r in calendar if r["levels"]} | set(LEVELS), key=lambda s: (len(s), s))
    return {
        "要求代码": sorted(req.windows | req.deadlines),
        "范围类型": list(SCOPE_TYPES),
        "范围代码": [r["region_code"] for r in regions]
        + [r["department_code"] for r in departments]
        + [r["unit_code"] for r in units]
        + list(SUBMITTER_KINDS)
        + scopes,
        "级别": level_sets,
        "参数": sorted(req.parameters),
        "评委会代码": [c["committee_code"] for c in committees],
    }


def _readme(year: int, source: int) -> list[str]:
    return [
        f"{year} 年度政策工作簿（由 {source} 年度的参考数据预填）",
        "",
        "用途：新的年度通知印发后，职称办按通知填写本工作簿，再用 zhicheng policy-import 导入；"
        "导入前会自动做参考数据检查，有问题时不会改动任何文件，并指出工作表、行和列。",
        "",
        "填写步骤：",
        f"1. 申报时间：每行一个时间要求。预填的是 {source} 年度的行，日期已顺延到 {year} 年，请逐行对照新通知改正；"
        "通知取消的窗口整行删除，新增的窗口另起一行。",
        "   申报时间窗口（APPLY-WINDOW）的开始、结束日期须在本年度或次年内；截止日类要求只填结束日期。",
        "2. 参数：每个规则用到的数字一行（比例写小数，如 5% 写 0.05）。“上一年度数值”一列只供对照，不导入。",
        f"3. 评委会核准备案：{year} 年度已核准备案的评委会每个一行，填备案日期；本年度未备案的评委会整行删除"
        "（没有行即视为未备案，其评审结果按 CHN-03 无效）。",
        "4. 新设的地区、部门、自主评审单位或评委会，须先由管理员加入对应的参考数据文件（regions.csv 等），"
        "下拉列表才会出现该代码。",
        "5. 保存后运行：zhicheng policy-import 本文件.xlsx，然后照常运行 zhicheng run。",
        "",
        "各列说明：",
        *[f"  要求代码 {code}：{name}" for code, name in REQUIREMENT_NAMES.items()],
        *[f"  范围类型 {code}：{name}" for code, name in SCOPE_NAMES.items()],
        "  级别：一个或多个级别，用 | 分隔，如 中级|副高级|正高级。",
        "  日期：Excel 日期，或文本 2023-06-12。",
    ]


def _prefilled_rows(year: int, seeds_dir: Path) -> dict[str, list[list]]:
    source = latest_year(seeds_dir)
    shift = year - source
    _, calendar = _read_csv(seeds_dir / POLICY_CALENDAR)
    _, parameters = _read_csv(seeds_dir / POLICY_PARAMETERS)
    _, filings = _read_csv(seeds_dir / COMMITTEE_FILINGS)
    _, committees = _read_csv(seeds_dir / "committees.csv")
    names = {c["committee_code"]: c["committee_name"] for c in committees}
    return {
        CALENDAR_SHEET: [
            [
                year,
                r["requirement_code"],
                r["scope_type"],
                r["scope_code"],
                r["levels"],
                _move_year(r["start_date"], shift),
                _move_year(r["end_date"], shift),
            ]
            for r in calendar
            if int(r["year"]) == source
        ],
        PARAMETER_SHEET: [
            [year, r["parameter"], float(r["value"]), float(r["value"])] for r in parameters if int(r["year"]) == source
        ],
        FILING_SHEET: [
            [year, r["committee_code"], names.get(r["committee_code"], ""), _move_year(r["filed_date"], shift)]
            for r in filings
            if int(r["year"]) == source
        ],
    }


def _write_lists(wb, lists: dict[str, list[str]], head) -> dict[str, str]:
    """The hidden 代码表 sheet; returns the drop-down source range of each list."""
    sheet = wb.add_worksheet(LISTS_SHEET)
    ranges = {}
    for c, (title, values) in enumerate(lists.items()):
        sheet.write_string(0, c, title, head)
        for r, v in enumerate(values, start=1):
            sheet.write_string(r, c, v)
        col = xlsxwriter.utility.xl_col_to_name(c)
        ranges[title] = f"={LISTS_SHEET}!${col}$2:${col}${len(values) + 1}"
    sheet.hide()
    return ranges


def _validation(col: SheetColumn, year: int, ranges: dict[str, str]) -> dict | None:
    if col.header in ranges:
        return {
            "validate": "list",
            "source": ranges[col.header],
            "error_title": "请从下拉列表选择",
            "error_message": f"{col.header}须为代码表中的值",
        }
    if col.kind == "date":
        first, last = dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31)
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": first,
            "maximum": last,
            "error_message": f"日期须在 {first.year}–{last.year} 年之间",
        }
    if col.kind == "year":
        return {"validate": "integer", "criteria": "==", "value": year, "error_message": f"本工作簿只填 {year} 年度"}
    return None


def _write_sheet(wb, name: str, columns: tuple[SheetColumn, ...], rows: list[list], validations, formats) -> None:
    head, date_fmt, plain = formats
    ws = wb.add_worksheet(name)
    for c, col in enumerate(columns):
        ws.write_string(0, c, col.header + ("*" if col.required else ""), head)
        ws.set_column(c, c, 48 if col.header == "评委会名称" else 16)
        if validations[c]:
            ws.data_validation(1, c, 1000, c, validations[c])
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, plain)
            else:
                ws.write_string(r, c, value, plain)


def write_workbook(year: int, out: Path, seeds_dir: Path) -> Path:
    """Write the policy workbook for ``year`` pre-filled from the latest policy year; returns its path."""
    rows = _prefilled_rows(year, seeds_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    formats = (head, wb.add_format({"num_format": "yyyy-mm-dd", "border": 1}), wb.add_format({"border": 1}))
    readme = wb.add_worksheet(README_SHEET)
    readme.set_column(0, 0, 120)
    for i, line in enumerate(_readme(year, latest_year(seeds_dir))):
        readme.write_string(i, 0, line)
    ranges = _write_lists(wb, _lists(seeds_dir), head)
    for sheet_name, (_, columns) in SHEETS.items():
        validations = [_validation(col, year, ranges) for col in columns]
        _write_sheet(wb, sheet_name, columns, rows[sheet_name], validations, formats)
    readme.activate()
    wb.close()
    return out


# ----------------------------------------------------------------------------------------------------- import


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date_text(value) -> str:
    """ISO text of an Excel date or a typed date (2023-06-12, 2023/6/12, 2023.06.12, 2023年6月12日, 20230612)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", _text(value))
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})", text)
    if match is None:
        raise ValueError(text)
    y, m, d = (int(g) for g in match.groups() if g is not None)
    return dt.date(y, m, d).isoformat()


def _number_text(value, kind: str) -> str:
    text = _text(value)
    number = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    if kind == "year":
        if not number.is_integer():
            raise ValueError(text)
        return str(int(number))
    return str(int(number)) if number.is_integer() else repr(number)


def _cell(col: SheetColumn, value, where: str, problems: list[str]) -> str:
    """The seed text of one cell, or "" (and a problem) when it is bad."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if col.required:
            problems.append(f"{where}：{col.header}为必填项")
        return ""
    try:
        if col.kind == "date":
            return _date_text(value)
        if col.kind in ("number", "year"):
            return _number_text(value, col.kind)
    except ValueError:
        word = {"date": "日期（如 2023-06-12）", "year": "年份"}.get(col.kind, "数字")
        problems.append(f"{where}：“{_text(value)}”不是{word}")
        return ""
    return _text(value)


def _read_sheet(ws, sheet_name: str, columns: tuple[SheetColumn, ...], problems: list[str]) -> list[dict[str, str]]:
    grid = list(ws.iter_rows(values_only=True))
    header = [_text(h).rstrip("*") for h in (grid[0] if grid else ())]
    index = {col.header: header.index(col.header) for col in columns if col.header in header}
    problems += [
        f"工作表“{sheet_name}”缺少列“{col.header}”" for col in columns if col.seed_column and col.header not in index
    ]
    rows = []
    for r, values in enumerate(grid[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue
        row = {"_where": f"工作表“{sheet_name}”第 {r} 行"}
        for col in columns:
            if col.seed_column and col.header in index:
                i = index[col.header]
                value = values[i] if i < len(values) else None
                row[col.seed_column] = _cell(col, value, f"工作表“{sheet_name}”第 {r} 行“{col.header}”列", problems)
        rows.append(row)
    return rows


def read_workbook(path: Path) -> tuple[int, dict[str, list[dict[str, str]]]]:
    """The year and the seed rows per seed file; raises WorkbookError naming sheet, row and column."""
    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=True)  # formulas count as their stored values
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one Chinese message
        raise WorkbookError([f"无法打开政策工作簿 {path.name}（{type(exc).__name__}）"]) from exc
    problems: list[str] = []
    out: dict[str, list[dict[str, str]]] = {}
    for sheet_name, (seed, columns) in SHEETS.items():
        if sheet_name in wb.sheetnames:
            out[seed] = _read_sheet(wb[sheet_name], sheet_name, columns, problems)
        else:
            problems.append(f"缺少工作表“{sheet_name}”")
    wb.close()
    years = {r["year"] for rows in out.values() for r in rows if r.get("year")}
    if len(years) > 1:
        problems.append(f"“年度”列有多个年度：{'、'.join(sorted(years))}（一个工作簿只填一个年度）")
    if not years and not problems:
        problems.append("工作簿中没有任何数据行")
    if problems:
        raise WorkbookError(problems)
    return int(years.pop()), out


def _csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def import_workbook(path: Path, seeds_dir: Path) -> tuple[int, dict[str, int]]:
    """Replace the workbook year's rows in the three seed files, after the reference check passes.

    Returns (year, rows per file). Nothing is written when the workbook or the resulting reference data has a
    problem (WorkbookError / ReferenceDataError with Chinese messages).
    """
    year, new_rows = read_workbook(path)
    texts: dict[str, str] = {}
    counts: dict[str, int] = {}
    where: dict[tuple[str, int], str] = {}  # (seed, line in the staged seed) → sheet and row of the workbook
    for seed, rows in new_rows.items():
        header, existing = _read_csv(seeds_dir / seed)
        kept = [r for r in existing if r["year"] != str(year)]
        texts[seed] = _csv_text(header, kept + rows)
        counts[seed] = len(rows)
        where.update({(seed, len(kept) + i + 2): row["_where"] for i, row in enumerate(rows)})
    with tempfile.TemporaryDirectory(prefix="zhicheng-policy-") as tmp:
        staged = Path(tmp) / "seeds"
        shutil.copytree(seeds_dir, staged)
        for seed, text in texts.items():
            (staged / seed).write_text(text, encoding="utf-8")
        try:
            check_reference(staged)
        except ReferenceDataError as exc:
            sheet_of = {seed: name for name, (seed, _) in SHEETS.items()}
            problems = []
            for p in exc.problems:
                place = where.get((p.file, p.row)) or (f"工作表“{sheet_of[p.file]}”" if p.file in sheet_of else str(p))
                if p.file in sheet_of or (p.file, p.row) in where:
                    problems.append(f"{place}（{p.file}{f'，{p.year} 年度' if p.year else ''}）：{p.message}")
                else:
                    problems.append(place)
            raise WorkbookError(problems) from exc
    # every file is written beside its target first, then all are renamed into place
    temps = []
    try:
        for seed, text in texts.items():
            fd, name = tempfile.mkstemp(prefix=f".{seed}.", suffix=".tmp", dir=seeds_dir)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.chmod(name, 0o644)
            temps.append((Path(name), seeds_dir / seed))
    except BaseException:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in temps:
        os.replace(temp, target)
    return year, counts
