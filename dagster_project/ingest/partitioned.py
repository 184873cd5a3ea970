"""Ingestion partitioned by year × submitter: each partition loaded into its own DuckDB file, in parallel.

A partition is one ``<inbox>/<year>/<submitter>/`` folder. ``load_partition`` runs the same loader
(``load_inbox`` restricted to that folder) into ``<partitions>/<year>/<submitter>.duckdb``, a file
with the warehouse's raw.* schema that no other partition writes: many partitions load at once, each
with its own single writer. ``merge_partitions`` then attaches the partition files one by one and
replaces each partition's rows in the warehouse's raw.* tables (the one warehouse writer), and
recomputes which files are superseded.

A partition is self-contained: a file is superseded only by a newer file of the same year, submitter
and form (``recompute_superseded`` joins on year and submitter_code), and a file is skipped as a copy
only of a file of the same year and submitter (``_plan``); so the merged tables equal those of one
``load_inbox`` over the whole inbox, load timestamps aside (tests/ingest/test_partitioned.py).

In Dagster, ``partitioned_ingest_job`` fans out over the inbox's partitions (``DynamicOut``), so the
multiprocess executor (here), or the Kubernetes or Celery executor of a deployment, runs the loads as
parallel processes; the merge step collects them. It is not part of the main job: ``zhicheng run``
still loads in process (docs/national-scale.md).
"""

import os
import resource
import time
from pathlib import Path

from dagster import (
    AssetMaterialization,
    Config,
    DynamicOut,
    DynamicOutput,
    JobDefinition,
    OpExecutionContext,
    Out,
    Output,
    graph,
    multiprocess_executor,
    op,
)

from dagster_project.resources import SettingsResource
from dagster_project.settings import WAREHOUSE_POOL

JOB_NAME = "zhicheng_partitioned_ingest"
PARTITIONS_SUFFIX = ".partitions"


def inbox_partitions(inbox: Path, messages: list[str] | None = None) -> list[tuple[int, str]]:
    """The (year, submitter code) pairs of the inbox's submitter folders that hold at least one entry; what
    the scan says about the rest of the inbox (links, stray files: no partition) goes to ``messages``."""
    from dagster_project.ingest.load import scan_inbox

    return sorted({(entry.year, entry.code) for entry in scan_inbox(Path(inbox), [] if messages is None else messages)})


def partition_path(folder: Path, year: int, code: str) -> Path:
    return Path(folder) / str(year) / f"{code}.duckdb"


def default_partitions_dir(warehouse: Path) -> Path:
    """Beside the warehouse: ``<warehouse>.partitions/``."""
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + PARTITIONS_SUFFIX)


def load_partition(inbox: Path, folder: Path, year: int, code: str, pii_key: bytes) -> dict:
    """Load one partition into its own file (incremental, like the warehouse); what was done, for the merge."""
    import duckdb

    from dagster_project.ingest.load import load_inbox

    path = partition_path(folder, year, code)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        summary = load_inbox(Path(inbox), con, pii_key, partitions={(year, code)})
    return {
        "year": year,
        "code": code,
        "path": str(path),
        "pid": os.getpid(),
        "seconds": round(time.perf_counter() - started, 3),
        "files_loaded": summary.files_loaded,
        "rows_loaded": summary.total_loaded,
        "rows_quarantined": summary.total_quarantined,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # this process so far
        "closing": summary.messages[-1] if summary.messages else "",
    }


def raw_table_names() -> list[str]:
    from dagster_project.ingest.load import RAW_TABLES

    return [*RAW_TABLES.values(), "quarantine", "load_audit"]


# What a partition's loads left in load_audit: the same in the warehouse and in the partition file means merged.
_AUDIT_STATE = (
    "SELECT file, sheet, sha256, loaded_at, superseded FROM {db}{raw}.load_audit "
    "WHERE year = ? AND submitter_code = ? ORDER BY ALL"
)


def _merged_already(con, year: int, code: str) -> bool:
    from dagster_project.ingest.load import RAW_SCHEMA

    here = con.execute(_AUDIT_STATE.format(db="", raw=RAW_SCHEMA), [year, code]).fetchall()
    return here == con.execute(_AUDIT_STATE.format(db="part.", raw=RAW_SCHEMA), [year, code]).fetchall()


def _replace_partition(con, year: int, code: str) -> int:
    """In one transaction: the partition's rows of every raw table replaced by the attached file's."""
    from dagster_project.ingest.load import RAW_SCHEMA as RAW

    written = 0
    con.execute("BEGIN TRANSACTION")
    try:
        for table in raw_table_names():
            con.execute(f"DELETE FROM {RAW}.{table} WHERE year = ? AND submitter_code = ?", [year, code])
            con.execute(f"INSERT INTO {RAW}.{table} BY NAME SELECT * FROM part.{RAW}.{table}")
            written += con.execute(f"SELECT count(*) FROM part.{RAW}.{table}").fetchone()[0]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return written


def merge_partitions(con, loads: list[dict]) -> int:
    """Replace each partition's rows of the warehouse's raw.* tables by its file's (a partition whose file holds
    the loads the warehouse already has is left as it is), then recompute superseding; the rows written."""
    from dagster_project.ingest.load import ensure_schema, recompute_superseded

    ensure_schema(con)
    written = 0
    for load in sorted(loads, key=lambda item: (item["year"], item["code"])):
        con.execute("ATTACH ? AS part (READ_ONLY)", [load["path"]])
        try:
            if not _merged_already(con, load["year"], load["code"]):
                written += _replace_partition(con, load["year"], load["code"])
        finally:
            con.execute("DETACH part")
    recompute_superseded(con)
    return written


# --- Dagster: fan out over the partitions, merge what the steps loaded --------------------------------


class PartitionedIngestConfig(Config):
    """Where the partition files go (empty: ``<warehouse>.partitions/``) and how many load steps at most
    (0: one per core of the machine that plans; each step is a process that starts in seconds, so each takes
    a share of the partitions; as many steps as partitions gives one step per partition)."""

    partitions_dir: str = ""
    steps: int = 0


@op(out=DynamicOut(dict), description="列出收件箱中的 年度×报送单位 分区，分给各载入步骤")
def plan_partitions(context: OpExecutionContext, config: PartitionedIngestConfig, settings: SettingsResource):
    resolved = settings.resolve()
    if not resolved.inbox.is_dir():
        raise FileNotFoundError(f"收件箱目录不存在：{resolved.inbox}（请用 ZHICHENG_INBOX 或运行配置指定）")
    folder = Path(config.partitions_dir) if config.partitions_dir else default_partitions_dir(resolved.warehouse)
    messages: list[str] = []
    partitions = inbox_partitions(resolved.inbox, messages)
    for message in messages:
        context.log.info(message)
    count = min(config.steps if config.steps > 0 else os.cpu_count() or 1, len(partitions))
    context.log.info(f"收件箱共 {len(partitions)} 个 年度×报送单位 分区，分为 {count} 个载入步骤")
    for index in range(count):
        share = partitions[index::count]
        yield DynamicOutput(
            {"dir": str(folder), "partitions": [list(p) for p in share]},
            mapping_key=f"part_{index}",
        )


@op(description="把分到的每个 年度×报送单位 分区载入它自己的 DuckDB 文件（与数据仓库相同的 raw 表）")
def load_partitions(context: OpExecutionContext, settings: SettingsResource, share: dict) -> list[dict]:
    inbox, key = settings.resolve().inbox, settings.key()
    loads = []
    for year, code in share["partitions"]:
        load = load_partition(inbox, Path(share["dir"]), int(year), code, key)
        context.log.info(f"{year}/{code}：{load['closing']}（{load['seconds']} 秒，进程 {load['pid']}）")
        loads.append(load)
    return loads


@op(
    pool=WAREHOUSE_POOL,
    out=Out(dict),
    description="把各分区文件的 raw 表并入数据仓库，并重新判定被替代的文件",
)
def merge_partition_files(context: OpExecutionContext, settings: SettingsResource, shares: list[list[dict]]):
    import duckdb

    from dagster_project.ingest import writer_lock

    warehouse = settings.resolve().warehouse
    loads = [load for share in shares for load in share]
    taken = writer_lock.acquire(warehouse)  # raises WarehouseBusy (Chinese) when another run writes it
    started = time.perf_counter()
    try:
        with duckdb.connect(str(warehouse)) as con:
            written = merge_partitions(con, loads)
            counts = {t: con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for t in raw_table_names()}
    finally:
        if taken:
            writer_lock.release(warehouse)
    seconds = round(time.perf_counter() - started, 3)
    context.log.info(f"已把 {len(loads)} 个分区（写入 {written} 行）并入数据仓库 {warehouse}，用时 {seconds} 秒")
    for table, rows in counts.items():  # the raw assets of the main job, written here by this job
        yield AssetMaterialization(asset_key=["raw", table], metadata={"rows": rows, "partitions": len(loads)})
    yield Output({"partitions": len(loads), "rows": written, "seconds": seconds, "loads": loads})


@graph
def partitioned_ingest():
    merge_partition_files(plan_partitions().map(load_partitions).collect())


def build_job(resource_defs: dict | None = None) -> JobDefinition:
    return partitioned_ingest.to_job(
        name=JOB_NAME,
        description="按 年度×报送单位 分区并行载入收件箱（多进程），再并入数据仓库的 raw 表；不在完整运行之内",
        executor_def=multiprocess_executor,
        resource_defs=resource_defs,
    )


# The code location's job: its settings resource comes from definitions.py's resources.
partitioned_ingest_job = build_job()


def standalone_job() -> JobDefinition:
    """The job with its own settings resource (configured by run config), for
    ``execute_job(reconstructable(standalone_job), ...)`` outside the code location."""
    return build_job({"settings": SettingsResource()})


# --- by hand: one run of the job (or of the in-process load) on an inbox, with its times -----------------


def main(argv: list[str] | None = None) -> int:
    """``python -m dagster_project.ingest.partitioned --inbox DIR --warehouse FILE [--steps N] [--in-process]``:
    runs the job with the multiprocess executor in a temporary Dagster instance (or ``load_inbox`` in this
    process) and prints the times docs/national-scale.md quotes; wrap it in ``/usr/bin/time`` for CPU time."""
    import argparse

    parser = argparse.ArgumentParser(description="按 年度×报送单位 分区并行载入收件箱（或在本进程内载入），并打印用时")
    parser.add_argument("--inbox", required=True, type=Path)
    parser.add_argument("--warehouse", required=True, type=Path)
    parser.add_argument("--steps", type=int, default=0, help="载入步骤数上限（0：本机核数）")
    parser.add_argument("--in-process", action="store_true", help="改为在本进程内用 load_inbox 载入整个收件箱")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.in_process:
        import duckdb

        from dagster_project.ingest.load import load_inbox
        from dagster_project.settings import pii_key

        with duckdb.connect(str(args.warehouse)) as con:
            summary = load_inbox(args.inbox, con, pii_key())
        print(f"本进程内载入：{time.perf_counter() - started:.2f} 秒；{summary.messages[-1]}")
        return 0
    outcome = _run_job(args.inbox, args.warehouse, args.steps)
    if outcome is None:
        print("分区载入失败，详见上方 Dagster 日志")
        return 1
    merged, times = outcome
    for step, (boot, run) in times.items():
        print(f"  步骤 {step}：进程启动 {boot:.2f} 秒，运行 {run:.2f} 秒")
    loads = merged["loads"]
    seconds = sorted(load["seconds"] for load in loads)
    print(
        f"分区载入：{len(loads)} 个分区，{len({load['pid'] for load in loads})} 个进程，"
        f"共 {time.perf_counter() - started:.2f} 秒；各分区用时合计 {sum(seconds):.2f} 秒"
        f"（中位数 {seconds[len(seconds) // 2]:.3f} 秒，最长 {seconds[-1]:.3f} 秒）；"
        f"并入数据仓库 {merged['seconds']:.2f} 秒（写入 {merged['rows']} 行）；"
        f"载入步骤内存峰值 {max(load['peak_rss_mb'] for load in loads):.0f} MB"
    )
    return 0


def _run_job(inbox: Path, warehouse: Path, steps: int) -> tuple[dict, dict[str, tuple[float, float]]] | None:
    """The merge step's output and each step's (process start, run) seconds; None if the run failed."""
    import tempfile

    from dagster import DagsterEventType, execute_job, instance_for_test, reconstructable

    from dagster_project.ingest import partitioned  # by its module name: the step processes import it so

    config = {
        "resources": {"settings": {"config": {"inbox": str(inbox), "warehouse": str(warehouse)}}},
        "ops": {"plan_partitions": {"config": {"steps": steps}}},
        "execution": {"config": {"max_concurrent": os.cpu_count() or 1}},
    }
    at: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="partitioned-ingest-") as home:
        with instance_for_test(temp_dir=home) as instance:
            job = reconstructable(partitioned.standalone_job)
            with execute_job(job, instance=instance, run_config=config) as result:
                if not result.success:
                    return None
                merged = result.output_for_node("merge_partition_files")
                for record in instance.all_logs(result.run_id):
                    event = record.dagster_event
                    if event is not None and event.step_key:
                        at.setdefault(event.step_key, {})[event.event_type_value] = record.timestamp
    worker, start, success = (
        DagsterEventType.STEP_WORKER_STARTING.value,
        DagsterEventType.STEP_START.value,
        DagsterEventType.STEP_SUCCESS.value,
    )
    times = {step: (t.get(start, 0) - t.get(worker, 0), t.get(success, 0) - t.get(start, 0)) for step, t in at.items()}
    return merged, times


if __name__ == "__main__":
    raise SystemExit(main())
