"""The Chinese summary page of one quality run, beside the Data Docs (data_docs/summary.html).

GE's own pages are for engineers (a failing row shows as ``Index 5`` or ``NaT``). This page
lists, for every expectation that failed, each failing row by its codes — committee,
submitter, region, application number, file — with the organisation's name, and the values
that were checked, an empty value written as （空）. index.html gets a link to it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import duckdb
from jinja2 import Environment, select_autoescape

SUMMARY_NAME = "summary.html"
MAX_ROWS = 300  # failing rows listed per expectation; the rest are counted
LOCAL_TIME = ZoneInfo("Asia/Shanghai")
EMPTY = "（空）"

COLUMN_LABELS = {
    "year": "年度",
    "committee_code": "评委会",
    "submitter_code": "报送单位",
    "region_code": "地区",
    "application_no": "网上申报编号",
    "file": "文件",
    "sheet": "工作表",
    "file_sheet": "文件 / 工作表",
    "outcome_key": "评审结果（评委会/申报编号）",
    "code_key": "代码",
    "person_key": "人员编码",
    "disposition": "处理情况",
    "sha256": "文件哈希",
    "approval_report_date": "核准备案报告日期",
    "directed_posts_due_date": "定向评价岗位表截止日期",
    "directed_posts_last_date": "定向评价岗位表报送日期",
    "evaluation_end": "评审结束日期",
    "materials_last_date": "材料报送日期",
    "materials_signed_date": "材料签字盖章日期",
    "materials_submitted_date": "材料报送日期",
    "plan_filed_date": "评审实施方案备案日期",
    "plan_lead_days": "实施方案提前天数",
    "publicity_report_date": "公示结果报告日期",
    "result_filing_due_date": "核准备案截止日期",
    "summary_report_date": "工作情况总结报告日期",
    "results_publicity_start": "评审结果公示开始",
    "results_publicity_end": "评审结果公示结束",
    "results_publicity_workdays": "评审结果公示工作日数",
    "roster_publicity_start": "花名册公示开始",
    "roster_publicity_end": "花名册公示结束",
    "roster_publicity_workdays": "花名册公示工作日数",
    "unit_publicity_start": "单位公示开始",
    "unit_publicity_end": "单位公示结束",
    "unit_publicity_workdays": "单位公示工作日数",
    "rows_accounted": "已对账行数",
    "rows_in_quarantine": "隔离表行数",
    "rows_in_raw": "原始层行数",
    "rows_loaded": "入库行数",
    "rows_quarantined": "隔离行数",
    "rows_read": "读取行数",
}
NAMED_CODES = {"committee_code", "submitter_code", "region_code"}

NAME_SOURCES = (
    "select region_code, region_name from reference.regions",
    "select department_code, department_name from reference.departments",
    "select unit_code, unit_name from reference.units",
    "select committee_code, committee_name from reference.committees",
)

PAGE = Path(__file__).parent / "templates" / "summary.html.j2"


def code_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Organisation code → name from the reference tables that exist (no person)."""
    names: dict[str, str] = {}
    for sql in NAME_SOURCES:
        try:
            names.update({str(code): str(name) for code, name in con.execute(sql).fetchall() if code and name})
        except duckdb.Error:
            continue
    return names


def _text(value, column: str, names: dict[str, str]) -> str:
    if value is None or value == "":
        return EMPTY
    if column in NAMED_CODES and str(value) in names:
        return f"{value}（{names[str(value)]}）"
    return str(value)


def _with_values(note: str, params: dict[int, dict]) -> str:
    """A note's parameter names (PUBLICITY_MIN_WORKDAYS …) followed by the year's value."""
    names = {name for values in params.values() for name in values}
    for name in sorted(names, key=len, reverse=True):
        if name in note:
            values = {year: v[name] for year, v in sorted(params.items()) if name in v}
            shown = (
                str(next(iter(values.values())))
                if len(set(values.values())) == 1
                else "，".join(f"{year}年 {value}" for year, value in values.items())
            )
            note = note.replace(name, f"{shown}（{name}）")
    return note


def _table(expectation, names: dict[str, str], params: dict[int, dict]) -> dict:
    failures = expectation.failures
    code_columns = list(dict.fromkeys(c for f in failures for c in f["codes"]))
    value_columns = [c for c in dict.fromkeys(c for f in failures for c in f["values"]) if c not in code_columns]
    with_year = any(f["year"] is not None for f in failures)
    headers = (["年度"] if with_year else []) + [COLUMN_LABELS.get(c, c) for c in code_columns + value_columns]
    rows = []
    for f in failures[:MAX_ROWS]:
        cells = [str(f["year"])] if with_year else []
        cells += [_text(f["codes"].get(c), c, names) for c in code_columns]
        cells += [_text(f["values"].get(c), c, names) for c in value_columns]
        rows.append(cells)
    return {
        "rule_id": expectation.rule_id,
        "note": _with_values(expectation.note, params),
        "unexpected_count": expectation.unexpected_count,
        "headers": headers,
        "rows": rows,
        "more": max(0, len(failures) - MAX_ROWS),
    }


def render_summary(
    outcomes, *, run_name: str, run_time: dt.datetime, names: dict[str, str], params: dict[int, dict] | None = None
) -> str:
    failing = []
    for outcome in outcomes:
        if outcome.success:
            continue
        failed = [_table(e, names, params or {}) for e in outcome.expectations if not e.success]
        failing.append(SimpleNamespace(dataset=outcome.dataset, error=outcome.error, failed=failed))
    local = run_time.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")
    env = Environment(autoescape=select_autoescape(default_for_string=True, default=True))
    return env.from_string(PAGE.read_text(encoding="utf-8")).render(
        outcomes=outcomes, failing=failing, run_name=run_name, run_time=local, empty=EMPTY
    )


def write_summary(
    docs_dir: Path,
    outcomes,
    *,
    run_name: str,
    run_time: dt.datetime,
    names: dict[str, str],
    params: dict[int, dict] | None = None,
) -> Path:
    """Write data_docs/summary.html and link it from the top of index.html."""
    docs_dir = Path(docs_dir)
    path = docs_dir / SUMMARY_NAME
    page = render_summary(outcomes, run_name=run_name, run_time=run_time, names=names, params=params)
    path.write_text(page, encoding="utf-8")
    index = docs_dir / "index.html"
    if index.exists():
        html = index.read_text(encoding="utf-8")
        link = (
            f'<div style="margin:.8em 1em;padding:.6em 1em;border:1px solid #c00;font-size:1.1em">'
            f'<a href="{SUMMARY_NAME}">数据质量检查摘要（中文）：'
            "按评委会、报送单位、申报编号列出每一条不符合项</a></div>"
        )
        if SUMMARY_NAME not in html:
            html = html.replace("<body>", "<body>\n" + link, 1) if "<body>" in html else link + html
            index.write_text(html, encoding="utf-8")
    return path
