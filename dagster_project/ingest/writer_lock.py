"""One writer per warehouse: an operating-system file lock beside the warehouse file.

``<warehouse>.lock`` is locked with ``flock`` by the process that runs the pipeline on that
warehouse (``zhicheng run``, or the run process Dagster starts for the inbox sensor). The lock
belongs to the process: whatever way it ends (kill -9, the OOM killer, an abort), the kernel
releases it, so a dead run never blocks the next one. The file also records who holds it
(pid, start time, command) so a refused run can say which run is in the way.

A process that already holds the lock may ask for it again (re-entrant per process), so the
command line and the ingestion asset of the same run do not refuse each other.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

LOCK_SUFFIX = ".lock"

# warehouse lock path -> file descriptor held by this process
_HELD: dict[str, int] = {}


@dataclass(frozen=True)
class Holder:
    pid: int
    started: str
    host: str = ""
    command: str = ""

    def describe(self) -> str:
        text = f"进程 {self.pid}，开始于 {self.started}"
        if self.command:
            text += f"，命令 {self.command}"
        return text


class WarehouseBusy(RuntimeError):
    """Another live process holds the warehouse lock."""

    def __init__(self, warehouse: Path, holder: Holder | None):
        self.warehouse, self.holder = warehouse, holder
        who = holder.describe() if holder else "另一进程"
        super().__init__(f"数据仓库 {warehouse} 正在被另一次运行使用（{who}）")


def lock_path(warehouse: Path) -> Path:
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + LOCK_SUFFIX)


def _read_holder(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 65536).decode("utf-8") or "{}")
        return Holder(
            int(data["pid"]), str(data.get("started", "")), str(data.get("host", "")), str(data.get("command", ""))
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def holder(warehouse: Path) -> Holder | None:
    """Who holds the warehouse lock now (None: nobody)."""
    path = lock_path(warehouse)
    if str(path) in _HELD:
        return _read_holder(_HELD[str(path)])
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def held_here(warehouse: Path) -> bool:
    return str(lock_path(warehouse)) in _HELD


def acquire(warehouse: Path, *, wait: bool = False, on_wait=None) -> bool:
    """Take the warehouse lock for this process. True: taken now; False: this process had it.

    Raises WarehouseBusy when another process holds it (``wait=False``); with ``wait=True``
    calls ``on_wait(holder)`` once and blocks until the lock is free.
    """
    path = lock_path(warehouse)
    if str(path) in _HELD:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            current = _read_holder(fd)
            if not wait:
                raise WarehouseBusy(Path(warehouse), current) from None
            if on_wait:
                on_wait(current)
            fcntl.flock(fd, fcntl.LOCK_EX)
        record = {
            "pid": os.getpid(),
            "started": _dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
            "host": socket.gethostname(),
            "command": " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:2]) if sys.argv else "",
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record, ensure_ascii=False).encode("utf-8"), 0)
    except BaseException:
        os.close(fd)
        raise
    _HELD[str(path)] = fd
    return True


def release(warehouse: Path) -> None:
    fd = _HELD.pop(str(lock_path(warehouse)), None)
    if fd is not None:
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


# --- what a dead run may leave behind --------------------------------------------------------


def process_start_ticks(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (tells a reused pid apart), None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def process_alive(pid: int, start_ticks: int | None = None) -> bool:
    ticks = process_start_ticks(pid)
    if ticks is None:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    if state in ("Z", "X"):  # a zombie has ended
        return False
    return start_ticks is None or ticks == start_ticks


def processes_using(paths: list[Path]) -> list[int]:
    """Pids of other processes that have one of `paths` open (Linux /proc; [] elsewhere)."""
    wanted = {str(Path(p).resolve()) for p in paths}
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            for fd in (entry / "fd").iterdir():
                try:
                    if os.readlink(fd) in wanted:
                        found.append(int(entry.name))
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return sorted(found)


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


# processes of this platform (the CLI, dbt, Dagster's run process, reading workers)
_OURS = ("zhicheng", "dbt", "dagster", "dagster_project")


def end_leftover_writers(warehouse: Path, say=print, grace: float = 5.0) -> list[int]:
    """With the lock held: end processes a dead run left with the warehouse open (e.g. its dbt).

    Every writer of a warehouse runs under its lock, so a process of this platform that has the
    file open while this process holds the lock belongs to a run that has died. Any other
    process is named and left alone (DuckDB will then refuse to open the file, in its words).
    """
    warehouse = Path(warehouse)
    pids = processes_using([warehouse, warehouse.with_name(warehouse.name + ".wal")])
    ours = [p for p in pids if any(word in _command_line(p) for word in _OURS)]
    others = [p for p in pids if p not in ours]
    if others:
        say(f"注意：进程 {'、'.join(map(str, others))} 正打开着数据仓库 {warehouse}，可能导致本次运行无法写入")
    if not ours:
        return []
    say(f"上次中断的运行留下的进程 {'、'.join(map(str, ours))} 仍打开着数据仓库，已将其结束")
    for pid in ours:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(process_alive(p) for p in ours):
        time.sleep(0.1)
    for pid in ours:
        if process_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    return ours


# --- Dagster runs whose process has died ------------------------------------------------------

PID_TAG, START_TAG, HOST_TAG = "zhicheng/pid", "zhicheng/pid_start", "zhicheng/host"


def run_tags() -> dict[str, str]:
    """Tags that let a later run tell whether this run's process is still alive."""
    return {
        PID_TAG: str(os.getpid()),
        START_TAG: str(process_start_ticks(os.getpid()) or ""),
        HOST_TAG: socket.gethostname(),
    }


def recover_stale_runs(instance, say=print) -> list[str]:
    """Mark failed every unfinished run of this host whose process is gone; free its pool slots."""
    from dagster import DagsterRunStatus, RunsFilter

    unfinished = [
        DagsterRunStatus.QUEUED,
        DagsterRunStatus.NOT_STARTED,
        DagsterRunStatus.STARTING,
        DagsterRunStatus.STARTED,
        DagsterRunStatus.CANCELING,
    ]
    recovered = []
    for run in instance.get_runs(filters=RunsFilter(statuses=unfinished)):
        pid, start = run.tags.get(PID_TAG), run.tags.get(START_TAG)
        if not pid or run.tags.get(HOST_TAG) != socket.gethostname():
            continue  # not started by this platform here (the daemon's run monitoring looks after those)
        if process_alive(int(pid), int(start) if start else None):
            continue
        message = f"运行进程 {pid} 已不存在（被强制结束或崩溃），由后续运行标记为失败"
        instance.report_run_failed(run, message=message)
        try:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        except NotImplementedError:  # pragma: no cover - storages without pools
            pass
        say(f"发现上次中断的运行 {run.run_id[:8]}（进程 {pid} 已不存在）：已标记为失败，并释放其占用的并发槽位")
        recovered.append(run.run_id)
    return recovered


def descendants(pid: int) -> list[int]:
    """Every living descendant of `pid` (Linux /proc), children first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
