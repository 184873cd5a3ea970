"""Dagster asset: the annual supervision report, one partition per policy year (reads the marts read-only)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from dagster_project.contract import CONTRACT_MARTS
from dagster_project.policy.years import POLICY_YEARS
from dagster_project.progress import say
from dagster_project.resources import SettingsResource
from dagster_project.settings import WAREHOUSE_POOL

from .build import build_report

MART_KEYS = [
    AssetKey(["marts", name])
    for name in (
        *CONTRACT_MARTS,
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
    partitions_def=POLICY_YEARS,
    pool=WAREHOUSE_POOL,
    description="年度职称评审监管报告（HTML、PDF、XLSX），写入 <输出目录>/report/<年度>/；全部数字取自 marts",
)
def annual_report(
    context: AssetExecutionContext, settings: SettingsResource, warehouse: DuckDBResource
) -> MaterializeResult:
    year = int(context.partition_key)
    say(f"生成 {year} 年度监管报告……")
    files = build_report(warehouse, year, settings.resolve(year).out)
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
