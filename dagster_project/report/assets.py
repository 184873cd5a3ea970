"""Dagster asset: the annual supervision report of the run's year (reads the marts read-only)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from dagster_project.documents.db import run_year
from dagster_project.progress import say
from dagster_project.settings import WAREHOUSE_POOL, Settings

from .build import build_report

MART_KEYS = [
    AssetKey(["marts", name])
    for name in (
        "findings",
        "pass_rate_by_group",
        "quota_compliance",
        "schedule_adherence",
        "filing_completeness",
        "applications",
        "load_audit",
        "notice_recipients",
        "report_schedule",
        "submitters",
        "report_overview",
        "report_series_level",
        "report_regions",
        "report_groups",
        "report_rules",
        "report_data_quality",
    )
]
REPORT_KEY = AssetKey(["report", "annual_report"])


@asset(
    key=REPORT_KEY,
    deps=MART_KEYS,
    group_name="report",
    pool=WAREHOUSE_POOL,
    description="年度职称评审监管报告（HTML、PDF、XLSX），写入 <输出目录>/report/<年度>/；全部数字取自 marts",
)
def annual_report(context: AssetExecutionContext) -> MaterializeResult:
    settings = Settings.from_env()
    year = run_year(settings)
    say(f"生成 {year} 年度监管报告……")
    files = build_report(settings.warehouse, year, settings.out)
    say(f"监管报告已写入：{files.folder}")
    return MaterializeResult(
        metadata={
            "年度": year,
            "目录": MetadataValue.path(str(files.folder)),
            "PDF": MetadataValue.path(str(files.pdf)),
            "XLSX": MetadataValue.path(str(files.xlsx)),
            **{f"数字/{k}": v for k, v in files.numbers.items()},
        }
    )


ASSETS = [annual_report]
CHECKS: list = []
