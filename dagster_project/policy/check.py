"""The reference check (contract v3 §3): before anything is computed, the seeds a run uses are validated.

What the rules read is derived from the dbt SQL itself, once, by the project's naming conventions:
``parameters.<name>`` (a column of int_policy_parameters = a parameter of policy_parameters.csv),
``deadlines.<name>`` (a column of int_policy_deadlines = a scope-``all`` requirement of policy_calendar.csv)
and ``requirement_code = '<CODE>'`` (a window requirement). Column names and types come from the seeds'
``column_types`` in dbt_project.yml. A problem names the file, the year and the missing or bad value.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from dagster_project import rule_registry
from dagster_project.forms import BUREAU_CODE, LEVELS
from dagster_project.settings import DBT_DIR

POLICY_CALENDAR = "policy_calendar.csv"
POLICY_PARAMETERS = "policy_parameters.csv"
COMMITTEE_FILINGS = "committee_filings.csv"

# the natural key of each seed (a repeated key is a problem); policy_calendar's key is per level
KEYS = {
    "regions.csv": ("region_code",),
    "departments.csv": ("department_code",),
    "units.csv": ("unit_code",),
    "series.csv": ("series",),
    "committees.csv": ("committee_code",),
    COMMITTEE_FILINGS: ("year", "committee_code"),
    POLICY_PARAMETERS: ("year", "parameter"),
    POLICY_CALENDAR: ("year", "requirement_code", "scope_type", "scope_code", "level"),
}
SCOPE_TYPES = ("committee_scope", "submitter", "submitter_kind", "all")
SUBMITTER_KINDS = ("region", "department", "unit")


class ReferenceDataError(RuntimeError):
    """The reference data cannot be used; the message lists every problem in Chinese."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"参考数据检查未通过（共 {len(problems)} 处），运行已停止，请改正后再运行：\n{lines}")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    year: int | None
    value: str
    message: str
    row: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = self.file + (f" 第 {self.row} 行" if self.row else "") + (f"（{self.year} 年度）" if self.year else "")
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class Requirements:
    parameters: frozenset[str]  # PLAN_LEAD_DAYS …
    deadlines: frozenset[str]  # FINISH-BY … (scope all, end_date)
    windows: frozenset[str]  # APPLY-WINDOW … (start_date and end_date)


def _sql_text(dbt_dir: Path) -> str:
    parts = []
    for folder in ("models", "macros"):
        for path in sorted((dbt_dir / folder).rglob("*.sql")):
            text = path.read_text(encoding="utf-8")
            parts.append(re.sub(r"--[^\n]*", "", text))  # comments name parameters in prose
    return "\n".join(parts)


@lru_cache
def requirements(dbt_dir: Path = DBT_DIR) -> Requirements:
    """The parameters and requirement codes the dbt models read, found in their SQL."""
    sql = _sql_text(dbt_dir)
    params = {m.upper() for m in re.findall(r"\bparameters\.([a-z][a-z0-9_]*)\b", sql)} - {"YEAR"}
    deadlines = {m.upper().replace("_", "-") for m in re.findall(r"\bdeadlines\.([a-z][a-z0-9_]*)\b", sql)} - {"YEAR"}
    windows = set(re.findall(r"\brequirement_code\s*=\s*'([A-Z][A-Z0-9-]*)'", sql))
    # the rule texts of notices and report name parameters and deadlines too, and notices read their 整改期限
    from dagster_project.documents.policy import CORRECTION_PARAMETER

    texts = rule_registry.placeholders()
    params |= {name for name in texts if "-" not in name} | {CORRECTION_PARAMETER}
    deadlines |= {name for name in texts if "-" in name}
    return Requirements(frozenset(params), frozenset(deadlines), frozenset(windows))


@lru_cache
def seed_columns(dbt_dir: Path = DBT_DIR) -> dict[str, dict[str, str]]:
    """file name → {column: dbt type} from the seeds' column_types in dbt_project.yml."""
    text = (dbt_dir / "dbt_project.yml").read_text(encoding="utf-8")
    project = yaml.safe_load(re.sub(r"\{\{.*?\}\}", "", text))
    seeds = project["seeds"][project["name"]]
    return {
        f"{name}.csv": dict(conf["+column_types"])
        for name, conf in seeds.items()
        if isinstance(conf, dict) and "+column_types" in conf
    }


def _parse(kind: str, text: str):
    """The value of a seed cell as dbt would type it; raises ValueError. Blank → None."""
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "double":
        return float(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    return text


TYPE_WORDS = {"integer": "整数", "double": "数值", "date": "日期（如 2022-06-13）", "boolean": "true 或 false"}


def read_seed(path: Path, columns: dict[str, str], problems: list[Problem]) -> list[dict]:
    """Rows of one seed file, typed; each row also carries its line number as ``_row``."""
    name = path.name
    if not path.exists():
        problems.append(Problem(name, None, name, f"缺少参考数据文件 {name}"))
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            problems.append(Problem(name, None, "、".join(missing), f"缺少列：{'、'.join(missing)}"))
            return []
        rows = []
        for line, raw in enumerate(reader, start=2):
            row: dict = {"_row": line}
            year = raw.get("year", "")
            for col, kind in columns.items():
                text = (raw.get(col) or "").strip()
                try:
                    row[col] = _parse(kind, text)
                except ValueError:
                    problems.append(
                        Problem(
                            name,
                            int(year) if year.isdigit() else None,
                            text,
                            f"列 {col} 的值“{text}”不是{TYPE_WORDS.get(kind, kind)}",
                            line,
                        )
                    )
                    row[col] = None
            rows.append(row)
    return rows


def _duplicates(name: str, rows: list[dict], problems: list[Problem]) -> None:
    key_cols = KEYS.get(name)
    if not key_cols:
        return
    expanded = []
    for r in rows:
        if name == POLICY_CALENDAR:
            for level in (r.get("levels") or "").split("|"):
                expanded.append((r, tuple(str(r.get(c) or "") for c in key_cols[:-1]) + (level,)))
        else:
            expanded.append((r, tuple(str(r.get(c) or "") for c in key_cols)))
    counts = Counter(k for _, k in expanded)
    seen = set()
    for r, k in expanded:
        if counts[k] > 1 and k not in seen:
            seen.add(k)
            shown = "、".join(f"{c}={v}" for c, v in zip(key_cols, k, strict=True) if v)
            problems.append(Problem(name, r.get("year"), shown, f"键重复（{shown}）出现 {counts[k]} 次", r["_row"]))


def _in_years(day: dt.date | None, years: tuple[int, ...]) -> bool:
    return day is None or day.year in years


def _check_scope(r: dict, codes: dict[str, set[str]], problems: list[Problem]) -> None:
    year, line, code = r["year"], r["_row"], r["requirement_code"]
    scope_type, scope_code = r["scope_type"], r["scope_code"] or ""
    bad = None
    if scope_type not in SCOPE_TYPES:
        scope_code, bad = str(scope_type), f"范围类型“{scope_type}”未知（应为 {'、'.join(SCOPE_TYPES)}）"
    elif scope_type == "submitter" and scope_code not in codes["submitter"]:
        bad = f"报送单位代码“{scope_code}”不在地区、市直部门或自主评审单位名单中"
    elif scope_type == "submitter_kind" and scope_code not in SUBMITTER_KINDS:
        bad = f"报送单位类别“{scope_code}”未知（应为 {'、'.join(SUBMITTER_KINDS)}）"
    elif scope_type == "committee_scope" and scope_code not in codes["committee_scope"]:
        bad = f"评委会范围“{scope_code}”不在 committees.csv 中"
    if bad:
        problems.append(Problem(POLICY_CALENDAR, year, scope_code, f"{code} 的{bad}", line))
    for level in filter(None, (r["levels"] or "").split("|")):
        if level not in LEVELS:
            problems.append(Problem(POLICY_CALENDAR, year, level, f"{code} 的级别“{level}”未知", line))


def _check_dates(r: dict, problems: list[Problem]) -> None:
    year, line, code = r["year"], r["_row"], r["requirement_code"]
    start, end = r["start_date"], r["end_date"]
    if start is not None:
        # a window lies in its policy year or the next
        for label, day in (("开始日期", start), ("结束日期", end)):
            if not _in_years(day, (year, year + 1)):
                problems.append(
                    Problem(
                        POLICY_CALENDAR,
                        year,
                        str(day),
                        f"{code} 的{label} {day} 不在 {year} 年或 {year + 1} 年内",
                        line,
                    )
                )
        if end is None or end < start:
            problems.append(
                Problem(
                    POLICY_CALENDAR,
                    year,
                    str(end or ""),
                    f"{code} 的结束日期 {end or '（空）'} 早于开始日期 {start}",
                    line,
                )
            )
    elif end is None:
        problems.append(Problem(POLICY_CALENDAR, year, code, f"{code} 没有截止日期（end_date）", line))
    elif not _in_years(end, (year - 1, year, year + 1)):
        # deadlines: the seniority cutoff is the end of the year before
        problems.append(
            Problem(POLICY_CALENDAR, year, str(end), f"{code} 的截止日期 {end} 不在 {year - 1}–{year + 1} 年内", line)
        )


def _check_calendar(rows: list[dict], codes: dict[str, set[str]], problems: list[Problem]) -> None:
    for r in rows:
        if r["year"] is not None:
            _check_scope(r, codes, problems)
            _check_dates(r, problems)


def _check_years(tables: dict[str, list[dict]], req: Requirements, problems: list[Problem]) -> list[int]:
    calendar, parameters = tables[POLICY_CALENDAR], tables[POLICY_PARAMETERS]
    years = sorted({r["year"] for r in calendar if r["year"] is not None})
    if not years:
        problems.append(Problem(POLICY_CALENDAR, None, "year", "没有任何政策年度的行"))
    for name in (POLICY_PARAMETERS, COMMITTEE_FILINGS):
        for y in sorted({r["year"] for r in tables[name] if r["year"] is not None} - set(years)):
            message = f"有 {y} 年度的行，但 {POLICY_CALENDAR} 没有该年度（先补申报时间）"
            problems.append(Problem(name, y, str(y), message))
    for year in years:
        given = {r["parameter"] for r in parameters if r["year"] == year}
        for p in sorted(req.parameters - given):
            problems.append(Problem(POLICY_PARAMETERS, year, p, f"缺少参数 {p}（规则读取它）"))
        for p in sorted(given - req.parameters):
            problems.append(Problem(POLICY_PARAMETERS, year, p, f"参数 {p} 没有任何规则读取（名称写错了？）"))
        rows = [r for r in calendar if r["year"] == year]
        deadlines = {r["requirement_code"] for r in rows if r["scope_type"] == "all" and r["end_date"]}
        for code in sorted(req.deadlines - deadlines):
            problems.append(Problem(POLICY_CALENDAR, year, code, f"缺少要求 {code}（范围 all，须有截止日期）"))
        windows = {r["requirement_code"] for r in rows if r["start_date"]}
        for code in sorted(req.windows - windows):
            problems.append(Problem(POLICY_CALENDAR, year, code, f"缺少要求 {code} 的时间窗口"))
        for code in sorted({r["requirement_code"] for r in rows} - req.deadlines - req.windows):
            problems.append(Problem(POLICY_CALENDAR, year, code, f"要求代码 {code} 没有任何规则读取（代码写错了？）"))
    return years


def _check_parameters(rows: list[dict], problems: list[Problem]) -> None:
    for r in rows:
        name = r["parameter"] or ""
        if r["value"] is None:
            problems.append(Problem(POLICY_PARAMETERS, r["year"], name, f"参数 {name} 没有值", r["_row"]))
        elif r["value"] < 0:
            problems.append(
                Problem(
                    POLICY_PARAMETERS,
                    r["year"],
                    str(r["value"]),
                    f"参数 {name} 的值 {r['value']:g} 不能为负数",
                    r["_row"],
                )
            )


def _check_filings(rows: list[dict], codes: dict[str, set[str]], problems: list[Problem]) -> None:
    for r in rows:
        year, code, filed, line = r["year"], r["committee_code"], r["filed_date"], r["_row"]
        if code not in codes["committee"]:
            message = f"评委会代码“{code}”不在 committees.csv 中"
            problems.append(Problem(COMMITTEE_FILINGS, year, str(code), message, line))
        if filed is None:
            problems.append(Problem(COMMITTEE_FILINGS, year, str(code), f"评委会 {code} 没有备案日期", line))
        elif year is not None and filed.year not in (year - 1, year):
            problems.append(
                Problem(
                    COMMITTEE_FILINGS,
                    year,
                    str(filed),
                    f"评委会 {code} 的备案日期 {filed} 不在 {year - 1} 年或 {year} 年内",
                    line,
                )
            )


def _check_committees(rows: list[dict], codes: dict[str, set[str]], problems: list[Problem]) -> None:
    name = "committees.csv"
    for r in rows:
        code, line = r["committee_code"], r["_row"]
        for s in filter(None, (r["series"] or "").split("|")):
            if s not in codes["series"]:
                problems.append(Problem(name, None, s, f"评委会 {code} 的系列“{s}”不在 series.csv 中", line))
        for level in filter(None, (r["levels"] or "").split("|")):
            if level not in LEVELS:
                problems.append(Problem(name, None, level, f"评委会 {code} 的级别“{level}”未知", line))
        host = r["host_code"]
        if host and host not in codes["submitter"] | {BUREAU_CODE}:
            problems.append(Problem(name, None, host, f"评委会 {code} 的主办单位代码“{host}”不在参考数据中", line))


def check_reference(seeds_dir: Path, dbt_dir: Path = DBT_DIR) -> list[int]:
    """Validate the seeds in ``seeds_dir``; returns the policy years, or raises ReferenceDataError."""
    problems: list[Problem] = []
    tables = {name: read_seed(seeds_dir / name, cols, problems) for name, cols in seed_columns(dbt_dir).items()}
    for name, rows in tables.items():
        _duplicates(name, rows, problems)
    codes = {
        "submitter": {r["region_code"] for r in tables["regions.csv"]}
        | {r["department_code"] for r in tables["departments.csv"]}
        | {r["unit_code"] for r in tables["units.csv"]},
        "committee": {r["committee_code"] for r in tables["committees.csv"]},
        "committee_scope": {r["scope"] for r in tables["committees.csv"] if r["scope"]},
        "series": {r["series"] for r in tables["series.csv"]},
    }
    _check_calendar(tables[POLICY_CALENDAR], codes, problems)
    years = _check_years(tables, requirements(dbt_dir), problems)
    _check_parameters(tables[POLICY_PARAMETERS], problems)
    _check_filings(tables[COMMITTEE_FILINGS], codes, problems)
    _check_committees(tables["committees.csv"], codes, problems)
    if problems:
        raise ReferenceDataError(sorted(set(problems), key=lambda p: (p.file, p.year or 0, p.row or 0, p.value)))
    return years
