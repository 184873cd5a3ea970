"""Dagster asset: one-time notices to every submitter for the run's year."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from dagster_project.documents.db import run_year
from dagster_project.progress import say
from dagster_project.settings import WAREHOUSE_POOL, Settings

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
    pool=WAREHOUSE_POOL,
    description="一次性告知书：每个报送单位一份 PDF 和一份 XLSX，另附全部文件的 zip，写入 <输出目录>/notices/<年度>/",
)
def submitter_notices(context: AssetExecutionContext) -> MaterializeResult:
    settings = Settings.from_env()
    year = run_year(settings)
    say(f"生成 {year} 年度一次性告知书……")
    inbox = settings.inbox if settings.inbox.is_dir() else None
    files = build_notices(settings.warehouse, year, settings.out, inbox=inbox)
    say(f"一次性告知书 {len(files.codes)} 份已写入：{files.folder}")
    return MaterializeResult(
        metadata={
            "年度": year,
            "目录": MetadataValue.path(str(files.folder)),
            "告知书份数": len(files.codes),
            "无问题的报送单位数": len(files.clean),
            "zip": MetadataValue.path(str(files.zip)),
        }
    )


ASSETS = [submitter_notices]
CHECKS: list = []
