"""Assembles the platform: ingestion, calendar, dbt, documents, jobs, sensors and resources. Nothing else."""

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from dagster_project.calendar.assets import workday_calendar
from dagster_project.ingest.assets import raw_inbox
from dagster_project.ingest.partitioned import partitioned_ingest_job
from dagster_project.ingest.sensors import build_inbox_sensor
from dagster_project.notices.assets import ASSETS as NOTICE_ASSETS
from dagster_project.notices.assets import NOTICES_KEY
from dagster_project.policy.assets import reference_check
from dagster_project.policy.years import POLICY_YEARS
from dagster_project.publish.assets import ASSETS as PUBLISH_ASSETS
from dagster_project.quality.checks import CHECKS as QUALITY_CHECKS
from dagster_project.report.assets import ASSETS as REPORT_ASSETS
from dagster_project.report.assets import REPORT_KEY
from dagster_project.resources import build_resources
from dagster_project.transform.assets import run_fingerprint, warehouse_dbt_assets

MAIN_JOB_NAME = "zhicheng_main"
DOCUMENTS_JOB_NAME = "zhicheng_documents"

main_job = define_asset_job(
    MAIN_JOB_NAME,
    selection=AssetSelection.all(),
    description="完整运行：载入收件箱 → 参考数据与工作日历 → dbt 模型与规则 → 质量检查 → 发布",
    executor_def=in_process_executor,
    partitions_def=POLICY_YEARS,  # a run's partition is the year of its report and notices
)

documents_job = define_asset_job(
    DOCUMENTS_JOB_NAME,
    selection=AssetSelection.assets(REPORT_KEY, NOTICES_KEY),
    description="某一年度的监管报告与一次性告知书（按年度分区），读取已有的 marts",
    executor_def=in_process_executor,
    partitions_def=POLICY_YEARS,
)

defs = Definitions(
    assets=[
        raw_inbox,
        reference_check,
        workday_calendar,
        warehouse_dbt_assets,
        *PUBLISH_ASSETS,
        *REPORT_ASSETS,
        *NOTICE_ASSETS,
        run_fingerprint,
    ],
    asset_checks=[*QUALITY_CHECKS],
    jobs=[main_job, documents_job, partitioned_ingest_job],
    sensors=[build_inbox_sensor(MAIN_JOB_NAME)],
    resources=build_resources(),
    executor=in_process_executor,
)
