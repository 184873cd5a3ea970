"""The Chinese summary page of one quality run, beside the Data Docs (data_docs/summary.html).

GE's own pages are for engineers (a failing row shows as ``Index 5`` or ``NaT``). This page
lists, for every expectation that failed, each failing row by its codes — committee,
submitter, region, application number, file — with the organisation's name, and the values
that were checked, an empty value written as （空）. index.html gets a link to it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
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

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>数据质量检查摘要</title>
<style>
body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; border-bottom: 3px solid #c00; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 1.8em; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.ok { color: #1a7f37; font-weight: bold; }
.bad { color: #c00; font-weight: bold; }
.warn { color: #b35900; font-weight: bold; }
.note { color: #555; font-size: .9em; }
.empty { color: #c00; }
</style></head><body>
<h1>数据质量检查摘要</h1>
<p>运行：{{ run_name }}，检查时间：{{ run_time }}。共检查 {{ outcomes|length }} 组数据，
{% if failing %}<span class="bad">{{ failing|length }} 组有不符合项</span>{% else %}<span class="ok">全部通过</span>{% endif %}。
下表每项可点开 Great Expectations 的详细页面；本页按代码列出每一条不符合的记录。</p>
<table><thead><tr><th>检查项</th><th>结果</th><th>性质</th><th>检查条数</th><th>不符合条数</th><th>未满足的期望</th><th>详细页面</th></tr></thead><tbody>
{% for o in outcomes %}<tr>
<td>{{ o.dataset.title }}</td>
<td>{% if o.error %}<span class="bad">无法检查</span>{% elif o.success %}<span class="ok">通过</span>{% else %}<span class="bad">不通过</span>{% endif %}</td>
<td>{% if o.dataset.blocking %}阻断{% else %}警告{% endif %}</td>
<td>{{ o.evaluated }}</td><td>{{ o.unexpected_rows }}</td><td>{{ o.failed_expectations }}</td>
<td>{% if o.pages %}<a href="{{ o.pages[0] }}">查看</a>{% endif %}</td>
</tr>{% endfor %}
</tbody></table>
{% for o in failing %}
<h2>{{ o.dataset.title }}</h2>
<p class="note">{{ o.dataset.notes }}{% if o.dataset.blocking %}（阻断：未通过时不发布后续结果）{% else %}（警告：问题已列入监管报告与告知书）{% endif %}</p>
{% if o.error %}<p class="bad">无法检查：{{ o.error }}</p>{% endif %}
{% for e in o.failed %}
<h3>{{ e.note or e.rule_id }}：{{ e.unexpected_count }} 条不符合</h3>
<table><thead><tr>{% for h in e.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in e.rows %}<tr>{% for cell in row %}<td{% if cell == empty %} class="empty"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% if e.more %}<p class="note">另有 {{ e.more }} 条未列出，见详细页面。</p>{% endif %}
{% endfor %}
{% endfor %}
<p class="note">“（空）”表示该项未填写或没有对应的记录。代码后的括号内为参考数据中的单位名称。</p>
</body></html>
"""


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
            shown = (str(next(iter(values.values()))) if len(set(values.values())) == 1
                     else "，".join(f"{year}年 {value}" for year, value in values.items()))
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
    return {"rule_id": expectation.rule_id, "note": _with_values(expectation.note, params), "unexpected_count": expectation.unexpected_count,
            "headers": headers, "rows": rows, "more": max(0, len(failures) - MAX_ROWS)}


def render_summary(outcomes, *, run_name: str, run_time: dt.datetime, names: dict[str, str],
                   params: dict[int, dict] | None = None) -> str:
    failing = []
    for outcome in outcomes:
        if outcome.success:
            continue
        failed = [_table(e, names, params or {}) for e in outcome.expectations if not e.success]
        failing.append(type("Failing", (), {"dataset": outcome.dataset, "error": outcome.error, "failed": failed})())
    local = run_time.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")
    env = Environment(autoescape=select_autoescape(default_for_string=True, default=True))
    return env.from_string(PAGE).render(outcomes=outcomes, failing=failing, run_name=run_name, run_time=local,
                                        empty=EMPTY)


def write_summary(docs_dir: Path, outcomes, *, run_name: str, run_time: dt.datetime, names: dict[str, str],
                  params: dict[int, dict] | None = None) -> Path:
    """Write data_docs/summary.html and link it from the top of index.html."""
    docs_dir = Path(docs_dir)
    path = docs_dir / SUMMARY_NAME
    page = render_summary(outcomes, run_name=run_name, run_time=run_time, names=names, params=params)
    path.write_text(page, encoding="utf-8")
    index = docs_dir / "index.html"
    if index.exists():
        html = index.read_text(encoding="utf-8")
        link = (f'<div style="margin:.8em 1em;padding:.6em 1em;border:1px solid #c00;font-size:1.1em">'
                f'<a href="{SUMMARY_NAME}">数据质量检查摘要（中文）：按评委会、报送单位、申报编号列出每一条不符合项</a></div>')
        if SUMMARY_NAME not in html:
            html = html.replace("<body>", "<body>\n" + link, 1) if "<body>" in html else link + html
            index.write_text(html, encoding="utf-8")
    return path
