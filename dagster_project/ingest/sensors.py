"""A sensor on the inbox: a run when files arrive or change (run key per set of file hashes)."""

from __future__ import annotations

import hashlib
import json
import stat

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from dagster_project.ingest import writer_lock
from dagster_project.policy.years import year_partition
from dagster_project.resources import SettingsResource
from dagster_project.settings import Settings


def _inbox_files(settings: Settings) -> dict[str, tuple[float, int]]:
    """Regular files only, by lstat: a link or a FIFO is never opened (the run lists them)."""
    files = {}
    if settings.inbox.is_dir():
        for path in settings.inbox.glob("[0-9][0-9][0-9][0-9]/*/*"):
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                files[str(path.relative_to(settings.inbox))] = (info.st_mtime, info.st_size)
    return files


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_inbox_sensor(job_name: str):
    # on by default, as the README says: files dropped into the inbox start a run without a click in the UI
    @sensor(
        name="inbox_sensor",
        job_name=job_name,
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description="监视收件箱：有新文件或文件内容变化时启动一次完整运行（按文件哈希去重）。默认开启。",
    )
    def inbox_sensor(context: SensorEvaluationContext, settings: SettingsResource):
        settings = settings.resolve()
        holder = writer_lock.holder(settings.warehouse)
        if holder is not None:  # one writer per warehouse: ask again at the next tick
            return SkipReason(f"数据仓库正被另一次运行使用（{holder.describe()}），本次不启动运行，稍后再检查")
        # cursor: relative path -> [mtime, size, sha256]; hashing only files whose stat changed
        known = json.loads(context.cursor) if context.cursor else {}
        current = {}
        new_hashes = []
        for rel, (mtime, size) in sorted(_inbox_files(settings).items()):
            previous = known.get(rel)
            if previous and previous[0] == mtime and previous[1] == size:
                current[rel] = previous
                continue
            digest = _sha256(settings.inbox / rel)
            current[rel] = [mtime, size, digest]
            if not previous or previous[2] != digest:
                new_hashes.append(digest)
        context.update_cursor(json.dumps(current))
        if not new_hashes:
            return SkipReason("收件箱没有新文件")
        run_key = hashlib.sha256("|".join(sorted(new_hashes)).encode()).hexdigest()
        # the documents of the latest policy year (its partition); the marts cover every year
        return RunRequest(
            run_key=run_key, partition_key=year_partition(None), tags={"zhicheng/new_files": str(len(new_hashes))}
        )

    return inbox_sensor
