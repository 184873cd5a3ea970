"""The Superset asset bundle as code: database, datasets, charts and the two dashboards.

`python superset/bundle.py` writes the YAML bundle into superset/assets/ (committed; a
test checks that it matches this file). Every uuid is uuid5 of a fixed name, so the same
bundle imports onto the same objects every time. Runs with any Python that has PyYAML.

The database URI holds the placeholder ``{{SERVING_SNAPSHOT}}``; the provisioning script
(superset/provision.py) puts the absolute path of <out>/serving.duckdb there at import.
"""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from dagster_project.forms import GENERAL_GROUP  # noqa: E402  (stdlib-only modules: names and settings once)
from dagster_project.rule_registry import family_names  # noqa: E402
from dagster_project.settings import MIN_GROUP_SIZE  # noqa: E402

ASSETS = HERE / "assets"
NAMESPACE = uuid.UUID("5b0c3a52-6f0e-4c59-9d8a-2d6c1c0e2022")
SNAPSHOT_PLACEHOLDER = "{{SERVING_SNAPSHOT}}"
VERSION = "1.0.0"


def uid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"zhicheng/{kind}/{name}"))


DATABASE_NAME = "职称监管服务快照"
DATABASE_UUID = uid("database", "serving")

# ---------------------------------------------------------------- datasets


def col(name, typ, label, expression=None, groupby=True):
    return {"column_name": name, "type": typ, "verbose_name": label, "expression": expression, "groupby": groupby}


def metric(name, expression, label, d3format=None):
    return {"metric_name": name, "expression": expression, "verbose_name": label, "d3format": d3format}


def yes_no(column):
    return f"CASE WHEN {column} THEN '是' ELSE '否' END"


def count_when(condition):
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def count_unless(condition):
    return f"SUM(CASE WHEN {condition} THEN 0 ELSE 1 END)"


def share_when(condition):
    return f"AVG(CASE WHEN {condition} THEN 1.0 ELSE 0.0 END)"


# the five columns that every dashboard chart's dataset carries, so every native filter applies to every chart
DIMENSIONS = ("committee_name", "region_name", "series", "level")
FILTER_COLUMNS = ("year", *DIMENSIONS)
# the family names of the rules, from seeds/rule_families.csv (the one place)
RULE_FAMILIES = family_names()
# the yes/no columns of a submitter's filing, in the order the tables show them
FILING_LABELS = (
    "has_roster_label",
    "roster_publicity_label",
    "materials_label",
    "summary_report_label",
    "publicity_report_label",
    "complete_label",
)


def label_case(column: str, labels: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in labels.items())
    return f"CASE {column} {whens} ELSE {column} END"


def distinct_when(condition: str, key: str) -> str:
    return f"COUNT(DISTINCT CASE WHEN {condition} THEN {key} END)"


RATE = "SUM(passed_valid) * 1.0 / NULLIF(SUM(evaluated), 0)"
GENERAL_RATE = (
    "SUM(SUM(CASE WHEN is_general THEN passed_valid ELSE 0 END)) OVER ({window}) * 1.0 / "
    "NULLIF(SUM(SUM(CASE WHEN is_general THEN evaluated ELSE 0 END)) OVER ({window}), 0)"
)
SMALL = f"SUM(evaluated) < {MIN_GROUP_SIZE}"

# every column a dataset may carry, once: name, type, Chinese label (DATE columns are temporal);
# a calculated column carries its expression. A dataset names its columns; a column labelled
# differently in one dataset is written there with col().
COLUMNS = {
    c["column_name"]: c
    for c in [
        col("year", "INTEGER", "年度"),
        col("application_no", "VARCHAR", "网上申报编号"),
        col("person_key", "VARCHAR", "人员编码"),
        col("submitter_code", "VARCHAR", "报送单位代码"),
        col("submitter_name", "VARCHAR", "报送单位"),
        col("region_code", "VARCHAR", "地区代码"),
        col("region_name", "VARCHAR", "地区"),
        col("unit_name", "VARCHAR", "工作单位"),
        col("series", "VARCHAR", "系列"),
        col("level", "VARCHAR", "层级"),
        col("route", "VARCHAR", "申报方式"),
        col("committee_code", "VARCHAR", "评委会代码"),
        col("committee_name", "VARCHAR", "评审委员会"),
        col("group_name", "VARCHAR", "评审分组"),
        col("outcome", "VARCHAR", "评审结果"),
        col("outcome_valid", "BOOLEAN", "结果有效"),
        col("is_evaluated", "BOOLEAN", "已参评"),
        col("is_passed", "BOOLEAN", "通过"),
        col("is_passed_valid", "BOOLEAN", "有效通过"),
        col("rule_id", "VARCHAR", "规则"),
        col("rule_family", "VARCHAR", "规则类别代码"),
        col("rule_family_label", "VARCHAR", "规则类别", label_case("rule_family", RULE_FAMILIES)),
        col("severity", "VARCHAR", "性质"),
        col("subject_type_label", "VARCHAR", "对象类型"),
        col("subject_key", "VARCHAR", "对象"),
        col("clause", "VARCHAR", "条款"),
        col("detail", "VARCHAR", "说明"),
        col("source_file", "VARCHAR", "来源文件"),
        col("source_row", "INTEGER", "来源行"),
        col("evaluated", "BIGINT", "参评人数"),
        col("passed", "BIGINT", "通过人数"),
        col("passed_valid", "BIGINT", "有效通过人数"),
        col("pass_rate", "DOUBLE", "通过率"),
        col("pass_rate_valid", "DOUBLE", "有效通过率"),
        col("quota_code", "VARCHAR", "限额规则"),
        col("scope_type", "VARCHAR", "范围类型"),
        col("scope_code", "VARCHAR", "范围代码"),
        col("scope_name", "VARCHAR", "范围"),
        col("limit_value", "DOUBLE", "限额"),
        col("actual_value", "DOUBLE", "实际"),
        col("compliant", "BOOLEAN", "达标"),
        col("compliant_label", "VARCHAR", "是否达标", yes_no("compliant")),
        col("requirement_code", "VARCHAR", "时限要求"),
        col("subject_type", "VARCHAR", "对象类型"),
        col("subject_code", "VARCHAR", "对象代码"),
        col("subject_name", "VARCHAR", "对象"),
        col("due_date", "DATE", "截止日期"),
        col("actual_date", "DATE", "实际日期"),
        col("status", "VARCHAR", "状态"),
        col("days_late", "INTEGER", "逾期天数"),
        col("has_roster", "BOOLEAN", "报送花名册"),
        col("roster_publicity_ok", "BOOLEAN", "花名册公示"),
        col("materials_ok", "BOOLEAN", "材料报送"),
        col("summary_report_ok", "BOOLEAN", "总结报告"),
        col("publicity_report_ok", "BOOLEAN", "公示结果报告"),
        col("complete", "BOOLEAN", "完整"),
        col("has_roster_label", "VARCHAR", "花名册", yes_no("has_roster")),
        col("roster_publicity_label", "VARCHAR", "花名册公示合格", yes_no("roster_publicity_ok")),
        col("materials_label", "VARCHAR", "材料报送合格", yes_no("materials_ok")),
        col("summary_report_label", "VARCHAR", "总结报告已报", yes_no("summary_report_ok")),
        col("publicity_report_label", "VARCHAR", "公示结果报告已报", yes_no("publicity_report_ok")),
        col("complete_label", "VARCHAR", "报送完整", yes_no("complete")),
        col("is_general", "BOOLEAN", "普通组"),
        col("group_order", "INTEGER", "分组顺序"),
        col("scope_type_label", "VARCHAR", "范围类型"),
        col("excess", "DOUBLE", "超出"),
        col("item_key", "VARCHAR", "要求编号"),
        col("missing_items", "INTEGER", "缺项数"),
    ]
}


def columns(*items) -> list[dict]:
    """A dataset's columns: a name stands for its entry in COLUMNS, a col() for itself."""
    return [COLUMNS[item] if isinstance(item, str) else item for item in items]


DATASETS = {
    "applications": {
        "description": "申报：一行一个当前、无歧义的申报（人员只以 person_key 出现）",
        "columns": columns(
            "year",
            "application_no",
            "person_key",
            "submitter_code",
            "submitter_name",
            "region_code",
            "region_name",
            "unit_name",
            "series",
            "level",
            "route",
            "committee_code",
            "committee_name",
            "group_name",
            "outcome",
            "outcome_valid",
            "is_evaluated",
            "is_passed",
            "is_passed_valid",
        ),
        "metrics": [
            metric("applications", "COUNT(*)", "申报人数", ",d"),
            metric("evaluated", count_when("is_evaluated"), "参评人数", ",d"),
            metric("passed", count_when("is_passed"), "通过人数", ",d"),
            metric("passed_valid", count_when("is_passed_valid"), "有效通过人数", ",d"),
            metric(
                "pass_rate_valid",
                f"{count_when('is_passed_valid')} * 1.0 / NULLIF({count_when('is_evaluated')}, 0)",
                "有效通过率",
                ".1%",
            ),
        ],
    },
    "findings": {
        "description": "违规与提示：一行一条（规则、条款、说明、来源文件与行）",
        "columns": columns(
            "year",
            "rule_id",
            "rule_family",
            "rule_family_label",
            "severity",
            col("subject_type", "VARCHAR", "对象类型代码"),
            "subject_type_label",
            "subject_key",
            "application_no",
            "submitter_code",
            "submitter_name",
            "committee_code",
            "committee_name",
            "region_code",
            "region_name",
            "series",
            "level",
            "clause",
            "detail",
            "source_file",
            "source_row",
        ),
        "metrics": [
            metric("findings", "COUNT(*)", "问题条数", ",d"),
            metric("violations", count_when("severity = '违规'"), "违规条数", ",d"),
            metric("advisories", count_when("severity = '提示'"), "提示条数", ",d"),
            metric("applications_involved", "COUNT(DISTINCT application_no)", "涉及申报数", ",d"),
        ],
    },
    "pass_rates": {
        "description": "通过率：年度 × 评委会 × 层级 × 评审分组",
        "columns": columns(
            "year",
            "committee_code",
            "committee_name",
            "level",
            "group_name",
            "evaluated",
            "passed",
            "passed_valid",
            "pass_rate",
            "pass_rate_valid",
        ),
        "metrics": [
            metric("sum_evaluated", "SUM(evaluated)", "参评人数", ",d"),
            metric("sum_passed", "SUM(passed)", "通过人数", ",d"),
            metric("rate", "SUM(passed) * 1.0 / NULLIF(SUM(evaluated), 0)", "通过率", ".1%"),
            metric("rate_valid", "SUM(passed_valid) * 1.0 / NULLIF(SUM(evaluated), 0)", "有效通过率", ".1%"),
        ],
    },
    "quota_compliance": {
        "description": "指标控制：每个限额一行，限额与实际",
        "columns": columns(
            "year",
            "quota_code",
            "scope_type",
            "scope_code",
            "scope_name",
            "region_name",
            "limit_value",
            "actual_value",
            "compliant",
            "compliant_label",
        ),
        "metrics": [
            metric("limit_sum", "SUM(limit_value)", "限额", ",.1f"),
            metric("actual_sum", "SUM(actual_value)", "实际", ",.1f"),
            metric("breaches", count_unless("compliant"), "超限个数", ",d"),
        ],
    },
    "schedule_adherence": {
        "description": "时限执行：年度 × 要求 × 对象（评委会、地区、申报）",
        "columns": columns(
            "year",
            "requirement_code",
            "subject_type",
            "subject_code",
            "subject_name",
            "region_name",
            "due_date",
            "actual_date",
            col("compliant", "BOOLEAN", "按时"),
            "status",
            "days_late",
        ),
        "metrics": [
            metric("on_time", count_when("compliant"), "按时", ",d"),
            metric("late", count_unless("compliant"), "逾期或缺失", ",d"),
            metric("on_time_rate", share_when("compliant"), "按时率", ".0%"),
        ],
    },
    "filing_completeness": {
        "description": "报送完整性：年度 × 报送单位",
        "columns": columns(
            "year",
            "submitter_code",
            "submitter_name",
            "region_name",
            "has_roster",
            "roster_publicity_ok",
            "materials_ok",
            "summary_report_ok",
            "publicity_report_ok",
            "complete",
            *FILING_LABELS,
        ),
        "metrics": [
            metric("submitters", "COUNT(*)", "报送单位数", ",d"),
            metric("incomplete", count_unless("complete"), "不完整单位数", ",d"),
            metric("complete_rate", share_when("complete"), "完整率", ".0%"),
        ],
    },
    "group_pass_rates": {
        "description": (
            "分组通过率（仪表板）：年度 × 评委会 × 层级 × 系列 × 地区 × 评审分组，只计已参评；is_general 为普通组"
        ),
        "columns": columns(
            "year",
            *DIMENSIONS,
            "committee_code",
            "group_name",
            "is_general",
            "group_order",
            "evaluated",
            "passed",
            "passed_valid",
        ),
        "metrics": [
            metric("group_evaluated", "SUM(evaluated)", "参评人数", ",d"),
            metric("group_passed_valid", "SUM(passed_valid)", "有效通过人数", ",d"),
            metric("group_rate", RATE, "有效通过率", ".1%"),
            metric("group_rate_reliable", f"CASE WHEN NOT ({SMALL}) THEN {RATE} END", "本组通过率", ".0%"),
            metric(
                "group_rate_small",
                f"CASE WHEN {SMALL} THEN {RATE} END",
                f"本组通过率（不足{MIN_GROUP_SIZE}人，仅供参考）",
                ".0%",
            ),
            metric("general_rate_all", GENERAL_RATE.format(window=""), f"{GENERAL_GROUP}通过率", ".0%"),
            metric(
                "general_rate_same",
                GENERAL_RATE.format(window="PARTITION BY committee_name, level"),
                f"{GENERAL_GROUP}有效通过率（同评委会同层级）",
                ".1%",
            ),
            metric(
                "rate_gap_points",
                f"({RATE} - {GENERAL_RATE.format(window='PARTITION BY committee_name, level')}) * 100",
                f"高于{GENERAL_GROUP}（百分点）",
                "+.1f",
            ),
            metric(
                "separate_first",
                "MAX(CASE WHEN is_general THEN 0 ELSE 1 END) * 1000000 + SUM(evaluated)",
                "排序：单独分组在前、人数多的在前",
                ",d",
            ),
            metric(
                "small_group_note",
                f"CASE WHEN {SMALL} THEN '参评不足{MIN_GROUP_SIZE}人，仅供参考' ELSE '' END",
                "样本提示",
            ),
        ],
    },
    "quota_scopes": {
        "description": "指标控制（仪表板）：每个限额 × 其范围内申报涉及的评委会、系列、层级；excess = 实际 − 限额",
        "columns": columns(
            "year",
            *DIMENSIONS,
            "quota_code",
            col("scope_type", "VARCHAR", "范围类型代码"),
            "scope_type_label",
            "scope_code",
            "scope_name",
            "limit_value",
            "actual_value",
            "excess",
            "compliant",
            "compliant_label",
        ),
        "metrics": [
            metric("quota_limit", "MAX(limit_value)", "限额", ",.1f"),
            metric("quota_actual", "MAX(actual_value)", "实际", ",.1f"),
            metric("quota_excess", "MAX(excess)", "超出", "+,.1f"),
        ],
    },
    "schedule_scopes": {
        "description": "时限执行（仪表板）：每项时限要求 × 其对象的申报涉及的评委会、系列、层级；计数按 item_key 去重",
        "columns": columns(
            "year",
            col("committee_name", "VARCHAR", "评审委员会（所涉申报）"),
            "region_name",
            "series",
            "level",
            "requirement_code",
            "subject_type",
            "subject_code",
            "subject_name",
            col("compliant", "BOOLEAN", "按时"),
            "status",
            "item_key",
        ),
        "metrics": [
            metric("items_on_time", distinct_when("compliant", "item_key"), "按时", ",d"),
            metric("items_late", distinct_when("NOT compliant", "item_key"), "逾期或缺失", ",d"),
            metric(
                "items_on_time_rate",
                f"{distinct_when('compliant', 'item_key')} * 1.0 / NULLIF(COUNT(DISTINCT item_key), 0)",
                "按时率",
                ".0%",
            ),
        ],
    },
    "filing_scopes": {
        "description": (
            "报送完整性（仪表板）：报送单位 × 其申报涉及的评委会、系列、层级；missing_items 为缺少的材料项数"
        ),
        "columns": columns(
            "year", *DIMENSIONS, "submitter_code", "submitter_name", "complete", "missing_items", *FILING_LABELS
        ),
        "metrics": [
            metric("filing_missing", "MAX(missing_items)", "缺项数", ",d"),
        ],
    },
}


def dataset_uuid(name: str) -> str:
    return uid("dataset", f"analyst.{name}")


def dataset_yaml(name: str, spec: dict) -> dict:
    return {
        "table_name": name,
        "main_dttm_col": None,
        "description": spec["description"],
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": "analyst",
        "sql": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": dataset_uuid(name),
        "metrics": [
            {
                "metric_name": m["metric_name"],
                "verbose_name": m["verbose_name"],
                "metric_type": None,
                "expression": m["expression"],
                "description": None,
                "d3format": m["d3format"],
                "currency": None,
                "extra": {"warning_markdown": ""},
                "warning_text": None,
            }
            for m in spec["metrics"]
        ],
        "columns": [
            {
                "column_name": c["column_name"],
                "verbose_name": c["verbose_name"],
                "is_dttm": c["type"] == "DATE",
                "is_active": True,
                "type": c["type"],
                "advanced_data_type": None,
                "groupby": c["groupby"],
                "filterable": True,
                "expression": c["expression"],
                "description": None,
                "python_date_format": None,
                "extra": {},
            }
            for c in spec["columns"]
        ],
        "version": VERSION,
        "database_uuid": DATABASE_UUID,
    }


def database_yaml() -> dict:
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": f"duckdb:///{SNAPSHOT_PLACEHOLDER}",
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "extra": {
            # the snapshot is opened read-only and cannot reach any other file
            "engine_params": {
                "connect_args": {
                    "read_only": True,
                    "config": {"enable_external_access": False},
                }
            },
            "metadata_params": {},
            "metadata_cache_timeout": {},
            "schemas_allowed_for_file_upload": [],
            "allows_virtual_table_explore": True,
            "disable_data_preview": False,
        },
        "uuid": DATABASE_UUID,
        "version": VERSION,
    }


# ---------------------------------------------------------------- charts
# Each chart: dataset, viz, form-data extras; the query context is derived from them.
CHARTS: dict[str, dict] = {}


def chart(
    key,
    title,
    dataset,
    viz,
    *,
    metrics=None,
    metric=None,
    groupby=None,
    x_axis=None,
    columns=None,
    filters=None,
    orderby=None,
    row_limit=1000,
    extra=None,
):
    CHARTS[key] = {
        "title": title,
        "dataset": dataset,
        "viz": viz,
        "metrics": metrics or [],
        "metric": metric,
        "groupby": groupby or [],
        "x_axis": x_axis,
        "columns": columns or [],
        "filters": filters or [],
        "orderby": orderby,
        "row_limit": row_limit,
        "extra": extra or {},
    }


def _kpi(key, title, dataset, metric_name, fmt=",d"):
    chart(
        key,
        title,
        dataset,
        "big_number_total",
        metric=metric_name,
        extra={"header_font_size": 0.3, "subheader_font_size": 0.125, "subtitle": "", "y_axis_format": fmt},
    )


def _grouped_table(key, title, dataset, *, groupby, metrics, order_by, page_length=20, red_above_zero=None, **options):
    """A table of grouped rows, largest `order_by` first; `red_above_zero` names a metric drawn red when above 0."""
    extra = {
        "query_mode": "aggregate",
        "server_page_length": page_length,
        "show_cell_bars": options.pop("cell_bars", False),
        "order_desc": True,
        "table_timestamp_format": "%Y-%m-%d",
    }
    if red_above_zero:
        extra["conditional_formatting"] = [
            {"column": red_above_zero, "operator": ">", "targetValue": 0, "colorScheme": "#E04355"}
        ]
    chart(
        key,
        title,
        dataset,
        "table",
        groupby=groupby,
        metrics=metrics,
        orderby=[[order_by, False]],
        extra=extra,
        **options,
    )


_kpi("kpi_applications", "申报人数", "applications", "applications")
_kpi("kpi_evaluated", "参评人数", "applications", "evaluated")
_kpi("kpi_passed", "通过人数", "applications", "passed")
_kpi("kpi_pass_rate_valid", "有效通过率", "applications", "pass_rate_valid", ".1%")
_kpi("kpi_violations", "违规（条）", "findings", "violations")
_kpi("kpi_advisories", "提示（条）", "findings", "advisories")

BAR_COMMON = {
    "orientation": "vertical",
    "show_legend": True,
    "legendOrientation": "top",
    "legendType": "scroll",
    "rich_tooltip": True,
    "xAxisForceCategorical": True,
    "x_axis_sort_asc": True,
    "truncateXAxis": True,
    "y_axis_bounds": [None, None],
    "show_value": True,
    "only_total": True,
    "color_scheme": "supersetColors",
    "xAxisLabelRotation": 45,
}
chart(
    "pass_rate_by_group",
    f"单独分组与{GENERAL_GROUP}有效通过率对比",
    "group_pass_rates",
    "echarts_timeseries_bar",
    metrics=["group_rate_reliable", "group_rate_small", "general_rate_all"],
    x_axis="group_name",
    extra={**BAR_COMMON, "y_axis_format": ".0%", "xAxisLabelRotation": 0, "only_total": False, "y_axis_bounds": [0, 1]},
)
_grouped_table(
    "group_comparison",
    f"各评委会分组通过率与{GENERAL_GROUP}比较（含人数）",
    "group_pass_rates",
    groupby=["committee_name", "level", "group_name"],
    metrics=[
        "group_evaluated",
        "group_passed_valid",
        "group_rate",
        "general_rate_same",
        "rate_gap_points",
        "small_group_note",
    ],
    order_by="separate_first",
    page_length=15,
    red_above_zero="rate_gap_points",
)
_grouped_table(
    "quota_breaches",
    "超出限额的范围（限额与实际）",
    "quota_scopes",
    groupby=["year", "quota_code", "scope_type_label", "scope_name", "region_name"],
    metrics=["quota_limit", "quota_actual", "quota_excess"],
    order_by="quota_excess",
    red_above_zero="quota_excess",
    filters=[{"col": "compliant_label", "op": "==", "val": "否"}],
)
chart(
    "schedule_by_committee",
    "评委会时限执行",
    "schedule_scopes",
    "echarts_timeseries_bar",
    metrics=["items_on_time", "items_late"],
    x_axis="subject_name",
    filters=[{"col": "subject_type", "op": "==", "val": "committee"}],
    extra={
        **BAR_COMMON,
        "stack": "Stack",
        "y_axis_format": "SMART_NUMBER",
        "orientation": "horizontal",
        "xAxisLabelRotation": 0,
        "show_value": False,
    },
)
chart(
    "schedule_by_region",
    "各地区时限按时率",
    "schedule_scopes",
    "echarts_timeseries_bar",
    metrics=["items_on_time_rate"],
    x_axis="region_name",
    extra={**BAR_COMMON, "y_axis_format": ".0%"},
)
_grouped_table(
    "filing_by_submitter",
    "报送完整性（缺项多的在前）",
    "filing_scopes",
    groupby=["year", "submitter_name", "region_name", *FILING_LABELS],
    metrics=["filing_missing"],
    order_by="filing_missing",
    red_above_zero="filing_missing",
)
chart(
    "findings_by_rule",
    "违规与提示（按规则）",
    "findings",
    "echarts_timeseries_bar",
    metrics=["findings"],
    x_axis="rule_id",
    groupby=["severity"],
    extra={**BAR_COMMON, "stack": "Stack", "y_axis_format": ",d", "show_value": False},
)
chart(
    "findings_by_region",
    "违规与提示（按地区）",
    "findings",
    "echarts_timeseries_bar",
    metrics=["violations", "advisories"],
    x_axis="region_name",
    extra={**BAR_COMMON, "stack": "Stack", "y_axis_format": ",d", "show_value": False},
)
# trends across the policy years
chart(
    "trend_pass_rate",
    "历年各评审分组有效通过率",
    "group_pass_rates",
    "echarts_timeseries_bar",
    metrics=["group_rate"],
    x_axis="year",
    groupby=["group_name"],
    extra={**BAR_COMMON, "y_axis_format": ".0%", "xAxisLabelRotation": 0, "only_total": False},
)
chart(
    "trend_breaches",
    "历年违规条数（按规则类别）",
    "findings",
    "echarts_timeseries_bar",
    metrics=["violations"],
    x_axis="year",
    groupby=["rule_family_label"],
    extra={**BAR_COMMON, "stack": "Stack", "y_axis_format": ",d", "xAxisLabelRotation": 0},
)
# title office
_grouped_table(
    "findings_by_submitter",
    "各报送单位违规情况（点击单位查看明细）",
    "findings",
    groupby=["submitter_name"],
    metrics=["violations", "advisories", "applications_involved"],
    order_by="violations",
    cell_bars=True,
)
chart(
    "finding_details",
    "违规明细（申报编号与条款）",
    "findings",
    "table",
    columns=[
        "year",
        "submitter_name",
        "application_no",
        "rule_id",
        "severity",
        "clause",
        "detail",
        "source_file",
        "source_row",
    ],
    row_limit=5000,
    extra={
        "query_mode": "raw",
        "server_page_length": 25,
        "order_by_cols": [],
        "show_cell_bars": False,
        "table_timestamp_format": "%Y-%m-%d",
    },
)


def _form_and_query(spec: dict) -> tuple[dict, dict]:
    """The chart's form data and its query context: what each kind of chart asks, in one place."""
    viz = spec["viz"]
    form = {
        "viz_type": viz,
        "datasource": "1__table",  # replaced at import
        "adhoc_filters": [
            {
                "clause": "WHERE",
                "expressionType": "SIMPLE",
                "subject": f["col"],
                "operator": f["op"],
                "comparator": f["val"],
                "isExtra": False,
                "filterOptionName": f"filter_{spec['title']}_{f['col']}",
            }
            for f in spec["filters"]
        ],
        "extra_form_data": {},
        "dashboards": [],
        "row_limit": spec["row_limit"],
    }
    query = {
        "filters": [{"col": f["col"], "op": f["op"], "val": f["val"]} for f in spec["filters"]],
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "columns": [],
        "metrics": [],
        "orderby": [],
        "annotation_layers": [],
        "row_limit": spec["row_limit"],
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
    }
    if viz == "big_number_total":
        form["metric"] = spec["metric"]
        query["metrics"] = [spec["metric"]]
    elif viz == "table" and spec["extra"].get("query_mode") == "raw":  # rows as they are
        form.update(all_columns=spec["columns"], groupby=[], metrics=[])
        query["columns"] = spec["columns"]
    elif viz == "table":  # grouped rows
        form.update(
            groupby=spec["groupby"],
            metrics=spec["metrics"],
            percent_metrics=[],
            timeseries_limit_metric=spec["orderby"][0][0] if spec["orderby"] else None,
        )
        query.update(columns=spec["groupby"], metrics=spec["metrics"], orderby=spec["orderby"] or [])
    else:  # bar chart: x axis and series
        form.update(metrics=spec["metrics"], groupby=spec["groupby"], x_axis=spec["x_axis"])
        query.update(
            columns=[spec["x_axis"], *spec["groupby"]],
            metrics=spec["metrics"],
            orderby=[[spec["metrics"][0], False]],
            series_columns=spec["groupby"],
        )
    form.update(spec["extra"])
    context = {
        "datasource": {"id": 1, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": form,
        "result_format": "json",
        "result_type": "full",
    }
    return form, context


def chart_uuid(key: str) -> str:
    return uid("chart", key)


def chart_yaml(key: str, spec: dict) -> dict:
    form, query_context = _form_and_query(spec)
    return {
        "slice_name": spec["title"],
        "description": None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": spec["viz"],
        "params": form,
        "query_context": json.dumps(query_context, ensure_ascii=False, sort_keys=True),
        "cache_timeout": None,
        "uuid": chart_uuid(key),
        "version": VERSION,
        "dataset_uuid": dataset_uuid(spec["dataset"]),
    }


# ---------------------------------------------------------------- dashboards
def _native_filter(dashboard: str, name: str, label: str, dataset: str, column: str):
    return {
        "id": "NATIVE_FILTER-" + uid("filter", f"{dashboard}/{name}")[:13].replace("-", ""),
        "name": label,
        "filterType": "filter_select",
        "targets": [{"column": {"name": column}, "datasetUuid": dataset_uuid(dataset)}],
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
        "controlValues": {
            "enableEmptyFilter": False,
            "defaultToFirstItem": False,
            "multiSelect": True,
            "searchAllOptions": False,
            "inverseSelection": False,
            "sortAscending": True,
        },
        "type": "NATIVE_FILTER",
        "description": "",
        "chartsInScope": [],
        "tabsInScope": [],
    }


# 年度、评委会、地区、系列、层级: on both dashboards, and every chart's dataset has these columns
COMMON_FILTERS = [
    ("year", "年度", "applications", "year"),
    ("committee", "评委会", "applications", "committee_name"),
    ("region", "地区", "applications", "region_name"),
    ("series", "系列", "applications", "series"),
    ("level", "层级", "applications", "level"),
]

DASHBOARDS = {
    "leadership": {
        "title": "职称评审监管总览（局领导）",
        "slug": "zhicheng-overview",
        "rows": [
            [("markdown", "header_leadership", 12, 12)],
            [
                ("kpi_applications", 2, 28),
                ("kpi_evaluated", 2, 28),
                ("kpi_passed", 2, 28),
                ("kpi_pass_rate_valid", 2, 28),
                ("kpi_violations", 2, 28),
                ("kpi_advisories", 2, 28),
            ],
            [("pass_rate_by_group", 5, 70), ("group_comparison", 7, 70)],
            [("quota_breaches", 12, 32)],
            [("schedule_by_committee", 7, 70), ("schedule_by_region", 5, 70)],
            [("findings_by_rule", 6, 60), ("findings_by_region", 6, 60)],
            [("trend_pass_rate", 6, 55), ("trend_breaches", 6, 55)],
            [("filing_by_submitter", 12, 70)],
        ],
        "filters": COMMON_FILTERS,
        "markdown": {
            "header_leadership": "## 职称评审监管总览\n数据来自服务快照（只读）；不含身份证号与姓名。"
            "左侧筛选可按年度、评委会、地区、系列、层级查看，每个图表都随之变化。"
            f"参评不足{MIN_GROUP_SIZE}人的分组通过率以浅色标出、仅供参考；"
            "超出限额的范围以红色列出。",
        },
    },
    "title_office": {
        "title": "违规问题清单（职称科）",
        "slug": "zhicheng-findings",
        "rows": [
            [("markdown", "header_office", 12, 16)],
            [("findings_by_submitter", 5, 90), ("findings_by_rule", 7, 90)],
            [("finding_details", 12, 110)],
        ],
        "filters": COMMON_FILTERS
        + [
            ("submitter", "报送单位", "findings", "submitter_name"),
            ("rule", "规则", "findings", "rule_id"),
            ("severity", "性质", "findings", "severity"),
        ],
        "markdown": {
            "header_office": "## 违规问题清单\n点击左表中的报送单位，下方明细即只显示该单位的申报编号、规则与条款。",
        },
    },
}


# the list of scopes over their limit is drawn in red (the chart holder carries the chart's name)
DASHBOARD_CSS = (
    f'[data-test-chart-name="{CHARTS["quota_breaches"]["title"]}"] td {{ color: #C8102E; font-weight: 600; }}\n'
)
SERIES_COLORS = {
    "违规": "#E04355",
    "提示": "#FCC700",
    "本组通过率": "#1F77B4",
    f"本组通过率（不足{MIN_GROUP_SIZE}人，仅供参考）": "#B8C4D6",
    f"{GENERAL_GROUP}通过率": "#4D4D4D",
}


def dashboard_uuid(key: str) -> str:
    return uid("dashboard", key)


def _grid_item(item_id: str, item_type: str, meta: dict, parents: list[str]) -> dict:
    return {"children": [], "id": item_id, "meta": meta, "parents": parents, "type": item_type}


def dashboard_yaml(key: str, spec: dict) -> dict:
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"children": ["GRID_ID"], "id": "ROOT_ID", "type": "ROOT"},
        "GRID_ID": {"children": [], "id": "GRID_ID", "parents": ["ROOT_ID"], "type": "GRID"},
        "HEADER_ID": {"id": "HEADER_ID", "meta": {"text": spec["title"]}, "type": "HEADER"},
    }
    chart_number = 0
    for r, row in enumerate(spec["rows"]):
        row_id = f"ROW-{key}-{r}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = _grid_item(row_id, "ROW", {"background": "BACKGROUND_TRANSPARENT"}, ["ROOT_ID", "GRID_ID"])
        for item in row:
            if item[0] == "markdown":
                _, name, width, height = item
                item_id, item_type = f"MARKDOWN-{name}", "MARKDOWN"
                meta = {"code": spec["markdown"][name], "height": height, "width": width}
            else:
                chart_key, width, height = item
                chart_number += 1
                item_id, item_type = f"CHART-{chart_key}", "CHART"
                meta = {
                    "chartId": chart_number,
                    "height": height,
                    "width": width,
                    "sliceName": CHARTS[chart_key]["title"],
                    "uuid": chart_uuid(chart_key),
                }
            position[item_id] = _grid_item(item_id, item_type, meta, ["ROOT_ID", "GRID_ID", row_id])
            position[row_id]["children"].append(item_id)
    filters = [_native_filter(key, name, label, dataset, column) for name, label, dataset, column in spec["filters"]]
    return {
        "dashboard_title": spec["title"],
        "description": None,
        "css": DASHBOARD_CSS,
        "slug": spec["slug"],
        "certified_by": "",
        "certification_details": "",
        "published": True,
        "uuid": dashboard_uuid(key),
        "position": position,
        "metadata": {
            "color_scheme": "supersetColors",
            "cross_filters_enabled": True,
            "refresh_frequency": 0,
            "expanded_slices": {},
            "timed_refresh_immune_slices": [],
            "default_filters": "{}",
            "label_colors": SERIES_COLORS,
            "shared_label_colors": [],
            "color_scheme_domain": [],
            "chart_configuration": {},
            "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}, "chartsInScope": []},
            "native_filter_configuration": filters,
        },
        "version": VERSION,
    }


def dashboard_charts(key: str) -> list[str]:
    return [item[0] for row in DASHBOARDS[key]["rows"] for item in row if item[0] != "markdown"]


# ---------------------------------------------------------------- writing
def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=120)


def bundle_files() -> dict[str, str]:
    """Relative path → YAML text, for the whole bundle (deterministic)."""
    files = {"metadata.yaml": _dump({"version": VERSION, "type": "assets", "timestamp": "2022-01-01T00:00:00+00:00"})}
    files["databases/zhicheng_serving.yaml"] = _dump(database_yaml())
    for name, spec in DATASETS.items():
        files[f"datasets/zhicheng_serving/{name}.yaml"] = _dump(dataset_yaml(name, spec))
    for key, spec in CHARTS.items():
        files[f"charts/{key}.yaml"] = _dump(chart_yaml(key, spec))
    for key, spec in DASHBOARDS.items():
        files[f"dashboards/{key}.yaml"] = _dump(dashboard_yaml(key, spec))
    return files


def write(target: Path = ASSETS) -> list[Path]:
    if target.exists():
        shutil.rmtree(target)
    written = []
    for relative, text in bundle_files().items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ASSETS
    paths = write(target)
    print(f"已写入 {len(paths)} 个文件：{target}")
