"""Reading in worker processes, so that no file can take the run down (contract v3 §1).

Each file is read by a worker process with a memory limit (RLIMIT_AS) and a time limit; the
workers read different files at once (one per core, at most 8; ZHICHENG_READERS sets the
number, 0 reads in this process without isolation). A worker that dies while
reading (an abort in the reader library, the memory limit, a signal) or overruns its time is
replaced, and the file gets a Chinese reason instead of a result — it is then recorded as
``未识别`` like any unreadable file, so it is never read again (its hash is in load_audit).

    with ReaderPool(workers) as pool:
        for path, result in pool.read_all(paths):
            ...

Results come back in the order of ``paths``; at most a few results wait in memory at a time.
"""

from __future__ import annotations

import atexit
import os
import pickle
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait
from pathlib import Path

from dagster_project.ingest.reader import FileRead

MB = 1024 * 1024
MEMORY_LIMIT_MB = 3072  # per reading process (RLIMIT_AS); ZHICHENG_READER_MEMORY_MB overrides
TIME_LIMIT_SECONDS = 300.0  # per file; ZHICHENG_READER_TIMEOUT overrides


def memory_limit_mb() -> int:
    return int(os.environ.get("ZHICHENG_READER_MEMORY_MB", MEMORY_LIMIT_MB))


def time_limit_seconds() -> float:
    return float(os.environ.get("ZHICHENG_READER_TIMEOUT", TIME_LIMIT_SECONDS))


def _signature() -> tuple:
    """What a worker was started with (its limits come from its environment)."""
    return (memory_limit_mb(), os.environ.get("ZHICHENG_READER_MAX_CELLS"))


def default_workers() -> int:
    configured = os.environ.get("ZHICHENG_READERS")
    if configured:
        return max(0, int(configured))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))  # the loader validates a batch after its files are read: every core reads


def read_checked(path: Path) -> FileRead:
    """The limits first, then the reader; every failure becomes a FileRead with a Chinese error."""
    from dagster_project.ingest.limits import file_problem
    from dagster_project.ingest.reader import read_file

    try:
        problem = file_problem(path)
        if problem:
            return FileRead([], error=problem, unreadable=True)
        return read_file(path)
    except MemoryError:
        return FileRead(
            [], error=f"读取该文件所需内存超过 {memory_limit_mb()} MB 的上限，文件可能异常，未读取", unreadable=True
        )
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not raised
        return FileRead([], error=f"无法读取该文件（错误类型 {type(exc).__name__}）", unreadable=True)


def _limit_self(memory_mb: int) -> None:
    import resource

    if memory_mb > 0:
        limit = memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort leaves no core file
    try:  # end with the parent (Linux)
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class _WithoutPandas:
    """An import finder that refuses pandas. pyarrow imports pandas (if installed) the first time it converts a
    Python sequence, only to ask whether it is a pandas object: 0.3–0.5 s in each new worker, which reads files
    into Arrow and never needs pandas. Refused, pyarrow takes it for not installed."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError("读取进程不使用 pandas", name=name)
        return None


def serve(memory_mb: int) -> None:
    """The worker's loop: a path in, a FileRead out, until the parent closes the pipe."""
    _limit_self(memory_mb)
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _WithoutPandas)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies on the pipe
    while True:
        try:
            path = _receive(requests)
        except EOFError:
            return
        _send(replies, read_checked(Path(path)))


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        how = f"被信号 {name} 终止"
    else:
        how = f"以状态 {exitcode} 退出"
    return (
        f"读取程序在读取该文件时异常终止（{how}；内存上限 {memory_limit_mb()} MB），"
        "文件可能损坏或尺寸异常（例如单元格分布范围过大），未读取"
    )


class _Worker:
    """One reading process (``python -m dagster_project.ingest.isolate``)."""

    def __init__(self, memory_mb: int):
        self.signature, self.memory_mb = _signature(), memory_mb
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.ingest.isolate", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.task: int | None = None
        self.deadline = 0.0

    def fileno(self) -> int:
        return self.process.stdout.fileno()

    def give(self, index: int, path: Path, seconds: float) -> bool:
        self.task, self.deadline = index, time.monotonic() + seconds
        try:
            _send(self.process.stdin, str(path))
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.task is not None:
            self.process.kill()
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


_IDLE: list[_Worker] = []  # kept between loads of one process (tests, re-runs), ended at exit


@atexit.register
def _end_idle() -> None:
    while _IDLE:
        _IDLE.pop().stop()


class ReaderPool:
    """A few reading processes (0 workers: read in this process, without isolation)."""

    def __init__(self, workers: int | None = None, *, memory_mb: int | None = None, seconds: float | None = None):
        self.size = default_workers() if workers is None else workers
        self.memory_mb = memory_limit_mb() if memory_mb is None else memory_mb
        self.seconds = time_limit_seconds() if seconds is None else seconds
        self.workers: list[_Worker] = []

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *exc) -> None:
        for worker in self.workers:
            if (
                worker.task is None
                and worker.process.poll() is None
                and len(_IDLE) < 8
                and worker.signature == _signature()
                and worker.memory_mb == memory_limit_mb()
            ):
                _IDLE.append(worker)
            else:
                worker.stop()
        self.workers = []

    def _spawn(self) -> _Worker:
        worker = None
        while _IDLE and worker is None:
            candidate = _IDLE.pop()
            if (
                candidate.process.poll() is None
                and candidate.signature == _signature()
                and candidate.memory_mb == self.memory_mb
            ):
                worker = candidate
            else:
                candidate.stop()
        if worker is None:
            worker = _Worker(self.memory_mb)
        self.workers.append(worker)
        return worker

    def read_all(self, paths: Iterable[Path]) -> Iterator[tuple[Path, FileRead]]:
        paths = list(paths)
        if self.size == 0:
            for path in paths:
                yield path, read_checked(path)
            return
        while len(self.workers) < min(self.size, len(paths)):
            self._spawn()
        done: dict[int, FileRead] = {}
        queue = list(range(len(paths)))[::-1]
        following = 0
        window = 2 * len(self.workers) if self.workers else 1
        while following < len(paths):
            for worker in list(self.workers):  # keep every worker busy, within the window
                if worker.task is None and queue and queue[-1] < following + window:
                    index = queue.pop()
                    if not worker.give(index, paths[index], self.seconds):
                        self._replace(worker, done, _death_reason(worker.process.wait()))
            while following in done:
                yield paths[following], done.pop(following)
                following += 1
            if following < len(paths):
                self._collect(done)

    def _collect(self, done: dict[int, FileRead]) -> None:
        busy = [w for w in self.workers if w.task is not None]
        if not busy:
            return
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = wait(busy, timeout)
        for worker in busy:
            if worker in ready:
                try:
                    done[worker.task] = _receive(worker.process.stdout)
                    worker.task = None
                except (EOFError, OSError, pickle.UnpicklingError):
                    self._replace(worker, done, _death_reason(worker.process.wait()))
            elif time.monotonic() >= worker.deadline:
                worker.process.kill()
                worker.process.wait()
                self._replace(worker, done, f"读取该文件超过 {self.seconds:.0f} 秒仍未完成，已中止，未读取")

    def _replace(self, worker: _Worker, done: dict[int, FileRead], reason: str) -> None:
        done[worker.task] = FileRead([], error=reason, unreadable=True)
        worker.task = None
        worker.stop()
        self.workers.remove(worker)
        self._spawn()


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else memory_limit_mb())
