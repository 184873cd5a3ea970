"""Ingestion as Dagster assets: one asset per raw table, all written by one load of the inbox."""

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, multi_asset
from dagster_duckdb import DuckDBResource

from dagster_project.forms import FORMS
from dagster_project.progress import say
from dagster_project.resources import SettingsResource
from dagster_project.settings import WAREHOUSE_POOL, Settings

RAW_DESCRIPTIONS = {
    **{
        form.table: f"原始层：{form.code} {form.name}（每行带来源文件、工作表、行号与加载时间）"
        for form in FORMS.values()
    },
    "quarantine": "原始层：隔离记录，每个问题一条（文件、工作表、行、列、值、原因）",
    "load_audit": "原始层：加载审计，每个文件×工作表一行（读取行数 = 载入行数 + 隔离行数）",
}

RAW_SPECS = [
    AssetSpec(key=["raw", table], description=description, group_name="raw")
    for table, description in RAW_DESCRIPTIONS.items()
]


@multi_asset(specs=RAW_SPECS, pool=WAREHOUSE_POOL, name="raw_inbox")
def raw_inbox(context: AssetExecutionContext, settings: SettingsResource, warehouse: DuckDBResource):
    """Load every new or changed file of the inbox into raw.* (idempotent by content hash)."""
    from dagster_project.ingest import load_inbox

    key = settings.key()
    settings = settings.resolve()
    if not settings.inbox.is_dir():
        raise FileNotFoundError(f"收件箱目录不存在：{settings.inbox}（请用 --inbox 或 ZHICHENG_INBOX 指定）")
    _hold_warehouse(context, settings)
    say(f"读取收件箱：{settings.inbox}")
    with warehouse.get_connection() as con:
        summary = load_inbox(settings.inbox, con, key, log=say)
        counts = {table: con.execute(f'select count(*) from raw."{table}"').fetchone()[0] for table in RAW_DESCRIPTIONS}
        unreconciled = con.execute(
            "select count(*) from raw.load_audit where rows_read <> rows_loaded + rows_quarantined"
        ).fetchone()[0]
    context.log.info(str(summary))
    say(
        "收件箱已载入："
        + "，".join(f"{table} {count} 行" for table, count in counts.items())
        + (f"；{unreconciled} 个文件×工作表未对账" if unreconciled else "；每个文件×工作表均已对账")
    )
    for table, count in counts.items():
        metadata = {"rows": count}
        if table == "load_audit":
            metadata |= {"files_seen": summary.files_seen, "files_unreadable": summary.files_unreadable}
        yield MaterializeResult(asset_key=["raw", table], metadata=metadata)


def _hold_warehouse(context: AssetExecutionContext, settings: Settings) -> None:
    """A run not started by `zhicheng run` (the sensor's, the UI's) takes the warehouse lock here and
    keeps it until its process ends; its run is tagged so that a later run can recover it if it dies."""
    from dagster_project.ingest import writer_lock

    if writer_lock.acquire(settings.warehouse):  # raises WarehouseBusy (Chinese) when another run holds it
        writer_lock.end_leftover_writers(settings.warehouse, say)
    run = context.run
    if writer_lock.PID_TAG not in run.tags:
        context.instance.add_run_tags(run.run_id, writer_lock.run_tags())
