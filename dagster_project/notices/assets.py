"""Dagster asset: the one-time notices to every party that must act, one partition per policy year."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from dagster_project.policy.years import POLICY_YEARS
from dagster_project.progress import say
from dagster_project.resources import SettingsResource
from dagster_project.settings import WAREHOUSE_POOL

from .build import build_notices

NOTICES_KEY = AssetKey(["notices", "submitter_notices"])


@asset(
    key=NOTICES_KEY,
    deps=[
        AssetKey(["marts", "findings"]),
        AssetKey(["marts", "notice_recipients"]),
        AssetKey(["marts", "submitters"]),
        AssetKey(["marts", "load_audit"]),
        AssetKey(["raw", "quarantine"]),
        AssetKey(["staging", "stg_application_roster__applications"]),
    ],
    group_name="report",
    partitions_def=POLICY_YEARS,
    pool=WAREHOUSE_POOL,
    description="一次性告知书：每个报送单位一份 PDF 和一份 XLSX，另附全部文件的 zip，写入 <输出目录>/notices/<年度>/",
)
def submitter_notices(
    context: AssetExecutionContext, settings: SettingsResource, warehouse: DuckDBResource
) -> MaterializeResult:
    year = int(context.partition_key)
    run = settings.resolve(year)
    say(f"生成 {year} 年度一次性告知书……")
    inbox = run.inbox if run.inbox.is_dir() else None
    files = build_notices(warehouse, year, run.out, inbox=inbox)
    say(f"一次性告知书 {len(files.codes)} 份已写入：{files.folder}")
    return MaterializeResult(
        metadata={
            "年度": year,
            "目录": MetadataValue.path(str(files.folder)),
            "告知书份数": len(files.codes),
            "无问题的报送单位数": len(files.clean),
            "本次重新生成 PDF": len(files.printed),
            "zip": MetadataValue.path(str(files.zip)),
        }
    )


ASSETS = [submitter_notices]
CHECKS: list = []
