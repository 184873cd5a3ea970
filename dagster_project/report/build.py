"""The annual supervision report: every number read from the marts, nothing else.

``build_report(warehouse, year, out)`` writes ``<out>/report/<year>/`` :
监管报告_<year>.html, 监管报告_<year>.pdf, 监管报告数据_<year>.xlsx and charts/*.png.
Applications are named by their application number only; no ID number or name is
read (the marts hold none).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster_project import rule_registry
from dagster_project.documents import db
from dagster_project.documents.charts import bar_chart
from dagster_project.documents.errors import OutputError
from dagster_project.documents.files import building_folder
from dagster_project.documents.fonts import web_fonts, with_fonts
from dagster_project.documents.masking import ID_NUMBERS_MASKED, mask_id_numbers
from dagster_project.documents.office import office
from dagster_project.documents.pdf import Renderer, RendererPool, shared_renderer, start_early
from dagster_project.documents.policy import YearPolicy
from dagster_project.documents.text import chinese_date, jinja_env, pct, stylesheet, write_text_atomic
from dagster_project.documents.xlsx import percent, write_csv_batches, write_workbook
from dagster_project.forms import GENERAL_GROUP

MART_TABLES = [
    "marts.findings",
    "marts.report_overview",
    "marts.report_series_level",
    "marts.report_regions",
    "marts.report_groups",
    "marts.report_rules",
    "marts.report_data_quality",
    "marts.pass_rate_by_group",
    "marts.quota_compliance",
    "marts.schedule_adherence",
    "marts.filing_completeness",
    "marts.applications",
    "marts.load_audit",
    "marts.notice_recipients",
    "marts.report_schedule",
]
CHART_RULES = 20
CSV_BATCH_ROWS = 50_000  # rows of an extract converted at a time
NO_REGION = "市直部门及自主评审单位"


@dataclass
class ReportFiles:
    year: int
    folder: Path
    html: Path
    pdf: Path
    xlsx: Path
    charts: list[Path] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    extracts: list[Path] = field(default_factory=list)


def report_dir(out: Path, year: int) -> Path:
    return Path(out) / "report" / str(year)


def _empty_overview() -> dict[str, Any]:
    keys = (
        "applications evaluated passed passed_valid passed_void not_evaluated submitters committees files sheets "
        "sheets_unrecognised senders rows_read rows_loaded rows_quarantined sheets_superseded findings breaches "
        "advisories rules submitters_to_correct"
    ).split()
    return {**dict.fromkeys(keys, 0), "pass_rate": None, "pass_rate_valid": None}


@dataclass
class _Marts:
    """What every section of the report reads with: the connection, the year, names and the year's rule texts."""

    con: Any
    year: int
    names: db.Directory
    policy: YearPolicy

    def q(self, sql: str, *params) -> list[dict[str, Any]]:
        # the marts hold no ID number; a free-text field typed with one (破格依据, 申报专业) is masked all the same
        return [{k: mask_id_numbers(v) for k, v in r.items()} for r in db.rows(self.con, sql, params)]

    def rule_title(self, rule_id: str) -> str:
        return self.policy.rule_texts(rule_id)["title"]

    def quota_name(self, code: str) -> str:
        rule_id = next((r for r in rule_registry.rules() if code and code.upper().startswith(r)), None)
        return self.rule_title(rule_id) if rule_id else (code or "—")


def collect(con, year: int) -> dict[str, Any]:
    """Every table and number of the report for one year, read from the marts."""
    db.require_tables(con, MART_TABLES)
    names = db.Directory(con)
    m = _Marts(con, year, names, YearPolicy(con, year))
    rows = m.q("select * from marts.report_overview where year = ?", year)
    context = {
        "year": year,
        "overview": rows[0] if rows else _empty_overview(),
        **_applications(m),
        **_groups(m),
        **_quotas(m),
        **_schedule(m),
        **_filing(m),
    }
    by_rule = m.q("select * exclude (year) from marts.report_rules where year = ? order by rule_id, severity", year)
    for r in by_rule:
        r["title"] = m.rule_title(r["rule_id"])
    to_correct, committees_to_correct, upward, notified = _recipients(con, year, names, m.rule_title, m.q)
    context.update(
        by_rule=by_rule,
        to_correct=to_correct,
        committees_to_correct=committees_to_correct,
        upward=upward,
        notified=notified,
        quality=_quality(m),
        **_late_twice(m),
        trend=compare_with_previous(con, year, names, m.rule_title),
    )
    context["recommendations"] = recommendations(context, names)
    return context


def _applications(m: _Marts) -> dict[str, Any]:
    """Applications by series and level, and by region."""
    by_level = m.q(
        "select * exclude (year) from marts.report_series_level where year = ? order by series, level_order, level",
        m.year,
    )
    by_region = m.q(
        "select * exclude (year) from marts.report_regions where year = ? "
        "order by region_order, region_code nulls last",
        m.year,
    )
    for r in by_region:
        r["region_code"] = r["region_code"] or ""
        r["name"] = m.names.name(r["region_code"]) if r["region_code"] else NO_REGION
    return {
        "by_series": [r for r in by_level if r["grain"] == "series_level"],
        "series_totals": sorted(
            (r for r in by_level if r["grain"] == "series"), key=lambda r: (-r["applications"], str(r["series"]))
        ),
        "level_totals": [r for r in by_level if r["grain"] == "level"],
        "by_region": by_region,
    }


def _groups(m: _Marts) -> dict[str, Any]:
    """Pass rates per group, against the general group of the same committee and level."""
    groups = m.q(
        """
        select * exclude (year) from marts.report_groups where year = ?
        order by committee_code, case level when '正高级' then 0 when '副高级' then 1 when '中级' then 2 else 3 end,
                 not is_general, group_name
        """,
        m.year,
    )
    for g in groups:
        g["committee_name"] = m.names.name(g["committee_code"])
    group_totals = m.q(
        """
        select group_name, sum(evaluated)::bigint as evaluated, sum(passed)::bigint as passed,
            sum(passed_valid)::bigint as passed_valid, sum(passed) / nullif(sum(evaluated), 0) as pass_rate,
            sum(passed_valid) / nullif(sum(evaluated), 0) as pass_rate_valid
        from marts.report_groups where year = ? group by group_name order by evaluated desc, group_name
        """,
        m.year,
    )
    separate_higher = sorted(
        (g for g in groups if g["diff_pp"] is not None and g["diff_pp"] > 0), key=lambda g: -g["diff_pp"]
    )
    return {"groups": groups, "group_totals": group_totals, "separate_higher": separate_higher}


def _quotas(m: _Marts) -> dict[str, Any]:
    quotas = m.q(
        """
        select quota_code, scope_type, scope_code, limit_value, actual_value, compliant
        from marts.quota_compliance where year = ?
        order by quota_code, compliant, scope_type, scope_code
        """,
        m.year,
    )
    for r in quotas:
        r["quota_name"] = m.quota_name(r["quota_code"])
        r["scope_name"] = _scope_label(m.names, r["scope_type"], r["scope_code"])
    return {
        "quotas": quotas,
        "quota_summary": _summarise(quotas, "quota_code", lambda r: m.quota_name(r["quota_code"])),
        "quotas_failed": [r for r in quotas if not r["compliant"]],
    }


def _schedule(m: _Marts) -> dict[str, Any]:
    """Application-level rows are many: the document and the XLSX list the other subjects, count the
    applications per requirement and state; every row goes to the CSV extract."""
    schedule = m.q(
        """
        select requirement_code, requirement_name, subject_type, subject_code, due_date, actual_date, compliant,
               timing_status, days_late, days_early
        from marts.report_schedule where year = ? and subject_type <> 'application'
        order by requirement_code, compliant, subject_type, subject_code
        """,
        m.year,
    )
    for r in schedule:
        r["subject_name"] = _subject_label(m.names, r["subject_type"], r["subject_code"])
    schedule_summary = m.q(
        """
        select requirement_code as code, any_value(requirement_name) as name, count(*) as total,
            count(*) filter (where compliant) as compliant,
            count(*) filter (where not coalesce(compliant, false)) as failed
        from marts.report_schedule where year = ? group by requirement_code order by requirement_code
        """,
        m.year,
    )
    schedule_apps = m.q(
        """
        select requirement_code, any_value(requirement_name) as requirement_name, timing_status, compliant,
            count(*) as applications, max(days_late) as max_days_late, max(days_early) as max_days_early
        from marts.report_schedule where year = ? and subject_type = 'application'
        group by requirement_code, timing_status, compliant order by requirement_code, compliant, timing_status
        """,
        m.year,
    )
    return {
        "schedule_summary": schedule_summary,
        "schedule_all": schedule,
        "schedule_apps": schedule_apps,
        "schedule_late": [r for r in schedule if r["compliant"] is False or r["compliant"] is None],
        "schedule_late_apps": sum(int(r["applications"]) for r in schedule_apps if not r["compliant"]),
    }


def _filing(m: _Marts) -> dict[str, Any]:
    """Filing and publicity per submitter."""
    filing = m.q(
        """
        select submitter_code, has_roster, roster_publicity_ok, materials_ok, summary_report_ok,
               publicity_report_ok, complete
        from marts.filing_completeness where year = ? order by complete, submitter_code
        """,
        m.year,
    )
    for r in filing:
        r["name"] = m.names.name(r["submitter_code"])
    filing_summary = {
        "submitters": len(filing),
        "complete": sum(1 for r in filing if r["complete"]),
        "incomplete": sum(1 for r in filing if not r["complete"]),
        "no_roster": sum(1 for r in filing if not r["has_roster"]),
        "roster_publicity_bad": sum(1 for r in filing if r["has_roster"] and not r["roster_publicity_ok"]),
    }
    return {
        "filing": filing,
        "filing_summary": filing_summary,
        "filing_incomplete": [r for r in filing if not r["complete"]],
    }


def _quality(m: _Marts) -> list[dict[str, Any]]:
    """Data quality per sender (quarantine)."""
    quality = m.q(
        """
        select submitter_code, files, rows_read, rows_quarantined, quarantined_share as share, unrecognised
        from marts.report_data_quality where year = ? order by rows_quarantined desc, submitter_code
        """,
        m.year,
    )
    for r in quality:
        r["name"] = m.names.label(r["submitter_code"])
    return quality


def _late_twice(m: _Marts) -> dict[str, Any]:
    """History: the subjects late this year and the year before."""
    history_years = sorted(db.scalar(m.con, "select list(distinct year) from marts.schedule_adherence") or [])
    has_previous = (m.year - 1) in history_years
    late_twice = []
    if has_previous:
        late_twice = m.q(
            """
            select cur.requirement_code, cur.subject_type, cur.subject_code
            from marts.schedule_adherence cur
            join marts.schedule_adherence prev
              on prev.year = cur.year - 1
             and prev.requirement_code = cur.requirement_code
             and prev.subject_type = cur.subject_type
             and prev.subject_code = cur.subject_code
            where cur.year = ? and not coalesce(cur.compliant, false) and not coalesce(prev.compliant, false)
              and cur.subject_type <> 'application'
            order by 1, 2, 3
            """,
            m.year,
        )
        for r in late_twice:
            r["subject_name"] = _subject_label(m.names, r["subject_type"], r["subject_code"])
            r["requirement_name"] = rule_registry.label("requirement", r["requirement_code"])
    return {"has_previous": has_previous, "late_twice": late_twice}


FINDINGS_DETAIL_SQL = """
    select rule_id, severity, clause, subject_type, subject_key, submitter_code, committee_code,
        region_code, series, level, detail, source_file, source_row
    from marts.findings where year = ? order by rule_id, submitter_code, subject_key
"""
# the columns of FINDINGS_DETAIL_SQL, for the XLSX sheet and the CSV extract alike
FINDINGS_DETAIL_HEADERS = [
    "规则",
    "性质",
    "条款",
    "对象类型",
    "对象（申报编号/代码）",
    "报送单位",
    "评委会",
    "地区",
    "系列",
    "级别",
    "说明",
    "来源文件",
    ("来源行", "int"),
]
SCHEDULE_EXTRACT_SQL = """
    select requirement_code, requirement_name, subject_type, subject_code, due_date, actual_date, compliant,
        timing_status, days_early, days_late
    from marts.report_schedule where year = ? order by requirement_code, subject_type, subject_code
"""


def _stream(con, sql: str, params: list, convert=None):
    cur = con.cursor()
    cur.execute(sql, params)
    while True:
        batch = cur.fetchmany(5000)
        if not batch:
            break
        for row in batch:
            yield convert(row) if convert else row
    cur.close()


def _recipients(con, year: int, names: db.Directory, rule_title, q) -> tuple[list, list, list, int]:
    """Who must correct, who was told, what goes upward: all from marts.notice_recipients."""
    # ---- who must correct: the recipients of 违规 findings to correct, as marts.notice_recipients routes them
    # (the notices read the same table, so that what the report says of the notices is true by construction)
    routed = q(
        """
        select r.recipient_code, count(*) as breaches, count(distinct f.rule_id) as rules,
            string_agg(distinct f.rule_id, '、' order by f.rule_id) as rule_ids,
            count(*) filter (where f.subject_type = 'application') as applications
        from marts.notice_recipients r join marts.findings f on f.finding_id = r.finding_id
        where r.year = ? and f.severity = '违规' and r.role = '整改' and r.channel = '告知书'
        group by r.recipient_code order by breaches desc, r.recipient_code
        """,
        year,
    )
    to_correct, committees_to_correct = [], []
    for r in routed:
        code = r["recipient_code"]
        if names.kind(code) == "committee":
            committees_to_correct.append({**r, "committee_code": code, "name": names.label(code)})
        else:
            to_correct.append({**r, "submitter_code": code, "name": names.kind_name(code) + "：" + names.label(code)})
    upward = q(
        """
        select r.recipient_code as committee_code, f.rule_id, f.severity, f.clause, count(*) as findings,
            count(*) filter (where f.subject_type = 'application') as applications,
            any_value(f.detail order by f.detail) as example
        from marts.notice_recipients r join marts.findings f on f.finding_id = r.finding_id
        where r.year = ? and r.channel = '向自治区反映'
        group by r.recipient_code, f.rule_id, f.severity, f.clause order by r.recipient_code, f.rule_id
        """,
        year,
    )
    for r in upward:
        r["name"] = names.label(r["committee_code"])
        r["title"] = rule_title(r["rule_id"])
    notified = db.scalar(
        con,
        "select count(distinct recipient_code) from marts.notice_recipients where year = ? and channel = '告知书'",
        [year],
    )
    voids = {
        r["committee_code"]: r["void"]
        for r in q(
            """
            select committee_code, count(*) as void from marts.applications
            where year = ? and outcome = '通过' and not coalesce(outcome_valid, true)
            group by committee_code
            """,
            year,
        )
    }
    for r in committees_to_correct:
        r["void"] = voids.get(r["committee_code"], 0)
    return to_correct, committees_to_correct, upward, notified


def compare_with_previous(con, year: int, names: db.Directory, rule_title) -> dict[str, Any] | None:
    """Year Y against Y−1, where the warehouse has Y−1: totals, series × level, separate groups, breaches per rule,
    and the submitters whose filing was incomplete both years (every number from the report marts)."""
    prev = year - 1
    # only a policy year of its own with applications is a year to compare with (files of earlier years,
    # such as evaluator rosters, are history, not a year's work)
    if prev not in db.policy_years(con) or not db.scalar(
        con, "select applications from marts.report_overview where year = ?", [prev]
    ):
        return None

    def both(sql: str) -> list[dict[str, Any]]:
        return [{k: mask_id_numbers(v) for k, v in r.items()} for r in db.rows(con, sql, [year, prev])]

    totals = both(
        """
        select cur.applications, prev.applications as prev_applications, cur.passed, prev.passed as prev_passed,
            cur.pass_rate, prev.pass_rate as prev_pass_rate, cur.breaches, prev.breaches as prev_breaches
        from marts.report_overview cur, marts.report_overview prev where cur.year = ? and prev.year = ?
        """
    )[0]
    series = both(
        """
        select coalesce(cur.series, prev.series) as series, coalesce(cur.level, prev.level) as level,
            coalesce(cur.level_order, prev.level_order) as level_order,
            coalesce(cur.applications, 0) as applications, coalesce(prev.applications, 0) as prev_applications,
            coalesce(cur.passed, 0) as passed, coalesce(prev.passed, 0) as prev_passed
        from (select * from marts.report_series_level where year = ? and grain = 'series_level') cur
        full join (select * from marts.report_series_level where year = ? and grain = 'series_level') prev
            on cur.series = prev.series and cur.level = prev.level
        order by 1, 3
        """
    )
    groups = both(
        """
        select coalesce(cur.group_name, prev.group_name) as group_name,
            sum(cur.passed) / nullif(sum(cur.evaluated), 0) as pass_rate,
            sum(prev.passed) / nullif(sum(prev.evaluated), 0) as prev_pass_rate,
            coalesce(sum(cur.evaluated), 0)::bigint as evaluated,
            coalesce(sum(prev.evaluated), 0)::bigint as prev_evaluated
        from (select * from marts.report_groups where year = ?) cur
        full join (select * from marts.report_groups where year = ?) prev
            on cur.committee_code = prev.committee_code and cur.level = prev.level and cur.group_name = prev.group_name
        group by 1 order by 1
        """
    )
    rules = both(
        """
        select coalesce(cur.rule_id, prev.rule_id) as rule_id, coalesce(cur.findings, 0)::bigint as findings,
            coalesce(prev.findings, 0)::bigint as prev_findings
        from (select rule_id, sum(findings) as findings from marts.report_rules where year = ? and severity = '违规'
              group by rule_id) cur
        full join (select rule_id, sum(findings) as findings from marts.report_rules
                   where year = ? and severity = '违规' group by rule_id) prev on cur.rule_id = prev.rule_id
        order by 1
        """
    )
    for r in rules:
        r["title"] = rule_title(r["rule_id"])
    incomplete = both(
        """
        select cur.submitter_code from marts.filing_completeness cur
        join marts.filing_completeness prev on prev.submitter_code = cur.submitter_code and prev.year = $2
        where cur.year = $1 and not cur.complete and not prev.complete order by 1
        """
    )
    return {
        "previous": prev,
        "totals": totals,
        "series": series,
        "groups": groups,
        "rules": rules,
        "incomplete_twice": [names.label(r["submitter_code"]) for r in incomplete],
    }


def _summarise(items: list[dict], key: str, label) -> list[dict]:
    out: dict[str, dict] = {}
    for r in items:
        s = out.setdefault(r[key], {"code": r[key], "name": label(r), "total": 0, "compliant": 0, "failed": 0})
        s["total"] += 1
        if r["compliant"]:
            s["compliant"] += 1
        else:
            s["failed"] += 1
    return list(out.values())


def _scope_label(names: db.Directory, scope_type: str, scope_code: str) -> str:
    if scope_type == "city":
        return "全市"
    if scope_type == "region_field" and scope_code and "/" in scope_code:
        region, fieldname = scope_code.split("/", 1)
        return f"{names.name(region)}·{fieldname}"
    return names.label(scope_code)


def _subject_label(names: db.Directory, subject_type: str, code: str) -> str:
    if subject_type == "application":
        return f"申报 {code}"
    if subject_type == "city":
        return "全市"
    return names.label(code)


def recommendations(ctx: dict[str, Any], names: db.Directory) -> list[str]:
    """Recommendations derived from the data; each sentence cites the numbers it rests on."""
    out: list[str] = []
    ov = ctx["overview"]
    breaches = sorted((r for r in ctx["by_rule"] if r["severity"] == "违规"), key=lambda r: -r["findings"])
    if breaches:
        top = "；".join(f"{r['rule_id']}“{r['title']}”{r['findings']}条（{r['clause']}）" for r in breaches[:3])
        out.append(
            f"本年度共发现违规问题{ov['breaches']}条，集中在：{top}。建议对上述问题开展专项督导，逐条督促整改到位。"
        )
    else:
        out.append("本年度未发现违规问题，建议继续保持现有审核和公示工作机制。")
    if ctx["has_previous"]:
        if ctx["late_twice"]:
            listed = "、".join(f"{r['subject_name']}（{r['requirement_name']}）" for r in ctx["late_twice"][:10])
            out.append(f"连续两年未按期完成的有{len(ctx['late_twice'])}项：{listed}。建议约谈相关单位，纳入年度考核。")
        else:
            out.append("与上一年度相比，没有连续两年未按期完成同一事项的单位。")
    else:
        out.append(
            f"数据仓库中尚无{ctx['year'] - 1}年度的进度数据，暂不能判断连续两年逾期情况；"
            "自下一年度起本报告将据此提出建议。"
        )
    if ctx["filing_incomplete"]:
        listed = "、".join(r["name"] for r in ctx["filing_incomplete"][:12])
        out.append(
            f"材料报送和公示不完整的报送单位{len(ctx['filing_incomplete'])}个（{listed}），"
            "建议督促其补报花名册公示、签字盖章材料、工作情况总结报告和公示结果报告。"
        )
    void_committees = [r for r in ctx["committees_to_correct"] if r["void"]]
    if ov["passed_void"]:
        listed = "、".join(f"{r['name']}{r['void']}人" for r in void_committees[:8])
        out.append(
            f"评审通过但结果无效或不予核准备案的共{ov['passed_void']}人"
            + (f"（{listed}）" if listed else "")
            + "，建议对相关评委会的评审结果不予核准备案，并责成其规范评审程序。"
        )
    if ctx["quotas_failed"]:
        out.append(
            f"数额和岗位控制不达标{len(ctx['quotas_failed'])}项，建议按控制数核减，并在下一年度申报前下达岗位和数额控制要求。"
        )
    if ctx["separate_higher"]:
        g = ctx["separate_higher"][0]
        out.append(
            f"单独分组通过率高于同一评委会同级别普通组的共{len(ctx['separate_higher'])}组，差距最大的是"
            f"{g['committee_name']}{g['level']}{g['group_name']}（{pct(g['pass_rate'])}，普通组{pct(g['general_rate'])}），"
            "建议核查单独分组评审标准的执行情况。"
        )
    worst = [r for r in ctx["quality"] if r["rows_quarantined"]]
    if worst:
        listed = "、".join(f"{r['name']}{r['rows_quarantined']}行" for r in worst[:5])
        out.append(
            f"报送数据中有{ov['rows_quarantined']}行因缺项或格式错误未能入库（{listed}等），"
            "建议统一使用规定模板填报，并已通过一次性告知书逐条告知各报送单位。"
        )
    return out


def charts(ctx: dict[str, Any], folder: Path, previous: Path | None = None) -> dict[str, str]:
    """The report's charts as PNG files; returns name → path relative to the HTML. A chart of the ``previous``
    report's chart folder drawn from the same data is carried over (documents/charts.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}
    if ctx["series_totals"]:
        s = ctx["series_totals"]
        bar_chart(
            folder / "series.png",
            f"{ctx['year']}年度各系列申报与评审通过人数",
            [r["series"] for r in s],
            {
                "申报": [r["applications"] for r in s],
                "参评": [r["evaluated"] for r in s],
                "通过": [r["passed"] for r in s],
            },
            ylabel="人数",
            horizontal=len(s) > 8,
            previous=previous,
        )
        made["series"] = "charts/series.png"
    regions = ctx["by_region"]
    if regions:
        bar_chart(
            folder / "regions.png",
            f"{ctx['year']}年度各旗县区申报人数",
            [r["name"] for r in regions],
            {"申报": [r["applications"] for r in regions], "通过": [r["passed"] for r in regions]},
            horizontal=True,
            ylabel="人数",
            previous=previous,
        )
        made["regions"] = "charts/regions.png"
    if ctx["group_totals"]:
        g = ctx["group_totals"]
        general = next((r["pass_rate"] for r in g if r["group_name"] == GENERAL_GROUP), None)
        bar_chart(
            folder / "groups.png",
            "各评审分组通过率（全部评委会合计）",
            [r["group_name"] for r in g],
            {"通过率": [r["pass_rate"] or 0 for r in g], "有效通过率": [r["pass_rate_valid"] or 0 for r in g]},
            percent=True,
            ylabel="通过率（%）",
            reference_line=general,
            reference_label="普通组通过率" if general is not None else "",
            previous=previous,
        )
        made["groups"] = "charts/groups.png"
    trend = ctx.get("trend")
    if trend and trend["series"]:
        totals: dict[str, list[int]] = {}
        for r in trend["series"]:
            pair = totals.setdefault(str(r["series"]), [0, 0])
            pair[0] += int(r["prev_passed"])
            pair[1] += int(r["passed"])
        rows = sorted(totals.items(), key=lambda kv: -max(kv[1]))
        bar_chart(
            folder / "trend.png",
            f"{trend['previous']}与{ctx['year']}年度各系列评审通过人数",
            [name for name, _ in rows],
            {f"{trend['previous']}年度": [v[0] for _, v in rows], f"{ctx['year']}年度": [v[1] for _, v in rows]},
            ylabel="人数",
            horizontal=len(rows) > 8,
            previous=previous,
        )
        made["trend"] = "charts/trend.png"
    rules: dict[str, dict[str, int]] = {}
    for r in ctx["by_rule"]:
        counts = rules.setdefault(r["rule_id"], {"违规": 0, "提示": 0})
        counts[r["severity"]] = counts.get(r["severity"], 0) + r["findings"]
    if rules:
        # the rules with most findings, so that the chart fits beside its table (all of them are in 表8)
        ids = sorted(sorted(rules, key=lambda i: -sum(rules[i].values()))[:CHART_RULES])
        bar_chart(
            folder / "rules.png",
            "各规则发现的问题数" if len(rules) <= CHART_RULES else f"发现问题最多的{CHART_RULES}项规则",
            [f"{i} {title}" for i in ids for title in [next(r["title"] for r in ctx["by_rule"] if r["rule_id"] == i)]],
            {"违规": [rules[i].get("违规", 0) for i in ids], "提示": [rules[i].get("提示", 0) for i in ids]},
            horizontal=True,
            stacked=True,
            ylabel="条数",
            previous=previous,
        )
        made["rules"] = "charts/rules.png"
    return made


def xlsx_sheets(ctx: dict[str, Any], con, year: int) -> list:
    """The report's workbook: typed columns (rates as numbers in percent format), every code with its name;
    long lists streamed from the warehouse."""
    ov = ctx["overview"]
    label = rule_registry.label
    overview_rows = [
        ["申报人数", ov["applications"]],
        ["参加评审人数", ov["evaluated"]],
        ["评审通过人数", ov["passed"]],
        ["有效通过人数", ov["passed_valid"]],
        ["通过但无效人数", ov["passed_void"]],
        ["未评审人数", ov["not_evaluated"]],
        ["报送单位数（有申报）", ov["submitters"]],
        ["开展评审的评委会数", ov["committees"]],
        ["收到文件数", ov["files"]],
        ["读取数据行", ov["rows_read"]],
        ["入库数据行", ov["rows_loaded"]],
        ["隔离数据行", ov["rows_quarantined"]],
        ["发现问题总数", ov["findings"]],
        ["其中违规", ov["breaches"]],
        ["其中提示", ov["advisories"]],
    ]
    overview_rows[6:6] = [["通过率", percent(ov["pass_rate"])], ["有效通过率", percent(ov["pass_rate_valid"])]]
    detail = _stream(
        con,
        FINDINGS_DETAIL_SQL,
        [year],
        lambda r: [r[0], r[1], r[2], label("subject_type", r[3]), *(mask_id_numbers(v) for v in r[4:])],
    )
    return [
        ("总体情况", ["指标", "数值"], overview_rows),
        (
            "系列级别",
            [
                "申报系列",
                "申报级别",
                ("申报人数", "int"),
                ("参评人数", "int"),
                ("通过人数", "int"),
                ("有效通过人数", "int"),
                ("通过率", "pct"),
            ],
            [
                [
                    r["series"],
                    r["level"],
                    r["applications"],
                    r["evaluated"],
                    r["passed"],
                    r["passed_valid"],
                    r["pass_rate"],
                ]
                for r in ctx["by_series"]
            ],
        ),
        (
            "旗县区",
            [
                "地区代码",
                "地区",
                ("申报人数", "int"),
                ("参评人数", "int"),
                ("通过人数", "int"),
                ("有效通过人数", "int"),
                ("通过率", "pct"),
            ],
            [
                [
                    r["region_code"],
                    r["name"],
                    r["applications"],
                    r["evaluated"],
                    r["passed"],
                    r["passed_valid"],
                    r["pass_rate"],
                ]
                for r in ctx["by_region"]
            ],
        ),
        (
            "分组通过率",
            [
                "评委会代码",
                "评委会",
                "级别",
                "评审分组",
                ("参评人数", "int"),
                ("通过人数", "int"),
                ("有效通过人数", "int"),
                ("通过率", "pct"),
                ("有效通过率", "pct"),
                ("普通组通过率", "pct"),
                ("高于普通组（百分点）", "num"),
            ],
            [
                [
                    g["committee_code"],
                    g["committee_name"],
                    g["level"],
                    g["group_name"],
                    g["evaluated"],
                    g["passed"],
                    g["passed_valid"],
                    g["pass_rate"],
                    g["pass_rate_valid"],
                    g["general_rate"],
                    None if g["diff_pp"] is None else round(g["diff_pp"], 1),
                ]
                for g in ctx["groups"]
            ],
        ),
        (
            "数额控制",
            ["控制项目", "项目名称", "范围类型", "范围代码", "范围", ("限额", "num"), ("实际", "num"), "是否达标"],
            [
                [
                    r["quota_code"],
                    r["quota_name"],
                    label("scope_type", r["scope_type"]),
                    r["scope_code"],
                    r["scope_name"],
                    r["limit_value"],
                    r["actual_value"],
                    r["compliant"],
                ]
                for r in ctx["quotas"]
            ],
        ),
        (
            "时间进度",
            [
                "要求",
                "要求名称",
                "对象类型",
                "对象代码",
                "对象",
                "规定日期",
                "实际日期",
                "是否按期",
                "状态",
                ("提前天数", "int"),
                ("逾期天数", "int"),
                ("申报件数", "int"),
            ],
            [
                *[
                    [
                        r["requirement_code"],
                        r["requirement_name"],
                        label("subject_type", r["subject_type"]),
                        r["subject_code"],
                        r["subject_name"],
                        r["due_date"],
                        r["actual_date"],
                        r["compliant"],
                        r["timing_status"],
                        r["days_early"],
                        r["days_late"],
                        None,
                    ]
                    for r in ctx["schedule_all"]
                ],
                *[
                    [
                        r["requirement_code"],
                        r["requirement_name"],
                        "申报（按状态汇总）",
                        "",
                        f"申报{r['applications']}件",
                        None,
                        None,
                        r["compliant"],
                        r["timing_status"],
                        r["max_days_early"],
                        r["max_days_late"],
                        r["applications"],
                    ]
                    for r in ctx["schedule_apps"]
                ],
            ],
        ),
        (
            "公示与报送",
            [
                "报送单位代码",
                "报送单位",
                "报送花名册",
                "花名册公示合格",
                "材料报送合格",
                "工作总结报告",
                "公示结果报告",
                "完整",
            ],
            [
                [
                    r["submitter_code"],
                    r["name"],
                    r["has_roster"],
                    r["roster_publicity_ok"],
                    r["materials_ok"],
                    r["summary_report_ok"],
                    r["publicity_report_ok"],
                    r["complete"],
                ]
                for r in ctx["filing"]
            ],
        ),
        (
            "问题汇总",
            ["规则", "问题", "性质", "条款", ("条数", "int"), ("涉及报送单位数", "int"), ("涉及申报数", "int")],
            [
                [
                    r["rule_id"],
                    r["title"],
                    r["severity"],
                    r["clause"],
                    r["findings"],
                    r["submitters"],
                    r["applications"],
                ]
                for r in ctx["by_rule"]
            ],
        ),
        (
            "问题明细",
            FINDINGS_DETAIL_HEADERS,
            detail,
        ),
        (
            "整改对象",
            ["收件单位代码", "收件单位", ("违规条数", "int"), "涉及规则", ("涉及申报数", "int")],
            [
                [r["submitter_code"], r["name"], r["breaches"], r["rule_ids"], r["applications"]]
                for r in ctx["to_correct"]
            ]
            + [
                [r["committee_code"], "评委会：" + r["name"], r["breaches"], r["rule_ids"], r["applications"]]
                for r in ctx["committees_to_correct"]
            ],
        ),
        (
            "数据质量",
            [
                "报送单位代码",
                "报送单位",
                ("文件数", "int"),
                ("读取行", "int"),
                ("隔离行", "int"),
                ("隔离比例", "pct"),
                ("未识别工作表", "int"),
            ],
            [
                [
                    r["submitter_code"],
                    r["name"],
                    r["files"],
                    r["rows_read"],
                    r["rows_quarantined"],
                    r["share"],
                    r["unrecognised"],
                ]
                for r in ctx["quality"]
            ],
        ),
    ]


def build_report(
    warehouse: Path,
    year: int | None,
    out: Path,
    *,
    issue_date: dt.date | None = None,
    pdf: bool = True,
    renderer: Renderer | RendererPool | None = None,
) -> ReportFiles:
    """Read the marts (read-only) and write the HTML, PDF, XLSX, CSV extracts and charts of one year."""
    the_office = office()
    if pdf:
        start_early(renderer)  # the browser starts while the report is composed
    with db.read_only(warehouse) as con:
        year = year or db.latest_policy_year(con)
        ctx = collect(con, year)
        folder = report_dir(out, year)
        with building_folder(folder) as staging:
            chart_paths = charts(ctx, staging / "charts", previous=folder / "charts")
            html = (
                jinja_env()
                .get_template("report.html.j2")
                .render(
                    **ctx,
                    charts=chart_paths,
                    css=stylesheet(),
                    office=the_office,
                    number=the_office.report_number(year),
                    issue_date=chinese_date(issue_date or db.today()),
                )
            )
            extracts = [
                (
                    f"时间进度明细_{year}.csv",
                    SCHEDULE_EXTRACT_SQL,
                    [
                        "要求",
                        "要求名称",
                        "对象类型",
                        "对象代码",
                        "规定日期",
                        "实际日期",
                        "是否按期",
                        "状态",
                        "提前天数",
                        "逾期天数",
                    ],
                ),
                (
                    f"问题明细_{year}.csv",
                    FINDINGS_DETAIL_SQL,
                    [header if isinstance(header, str) else header[0] for header in FINDINGS_DETAIL_HEADERS],
                ),
            ]
            write_text_atomic(staging / f"监管报告_{year}.html", html)
            # the browser prints the PDF in its own process while this one writes the workbook and extracts
            with ThreadPoolExecutor(1, thread_name_prefix="report-print") as printer:
                printed = None
                if pdf:
                    printable = staging / f".监管报告_{year}.print.html"
                    write_text_atomic(printable, with_fonts(html, web_fonts(html)))
                    pdf_path = staging / f"监管报告_{year}.pdf"
                    printed = printer.submit((renderer or shared_renderer()).print, printable, pdf_path)
                write_workbook(staging / f"监管报告数据_{year}.xlsx", xlsx_sheets(ctx, con, year))
                for name, sql, headers in extracts:
                    batches = con.sql(sql, params=[year]).to_arrow_reader(CSV_BATCH_ROWS)
                    write_csv_batches(staging / name, headers, batches, ID_NUMBERS_MASKED)
                if printed is not None:
                    printed.result()
                    printable.unlink()
    ov = ctx["overview"]
    return ReportFiles(
        year=year,
        folder=folder,
        html=folder / f"监管报告_{year}.html",
        pdf=folder / f"监管报告_{year}.pdf",
        xlsx=folder / f"监管报告数据_{year}.xlsx",
        charts=sorted((folder / "charts").glob("*.png")),
        numbers={k: ov[k] for k in ("applications", "evaluated", "passed", "passed_valid", "findings", "breaches")},
        extracts=[folder / name for name, _, _ in extracts],
    )


__all__ = ["build_report", "collect", "report_dir", "ReportFiles", "OutputError", "MART_TABLES"]
