"""`make serve` stops everything it started on Ctrl-C: SIGINT to its process group, as a terminal sends it."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(root: int) -> set[int]:
    table = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout.split()
    children: dict[int, list[int]] = {}
    for pid, ppid in zip(table[::2], table[1::2], strict=True):
        children.setdefault(int(ppid), []).append(int(pid))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive.add(pid)
        except ProcessLookupError:
            pass
    return alive


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_ctrl_c_stops_superset_and_dagster(tmp_path):
    superset_port, dagster_port = _free_port(), _free_port()
    (tmp_path / "inbox").mkdir()  # an empty inbox: the sensor (on by default) starts no run
    env = {
        **os.environ,
        "SUPERSET_PORT": str(superset_port),
        "DAGSTER_PORT": str(dagster_port),
        "SUPERSET_DATA": str(tmp_path / "superset"),
        "SUPERSET_ADMIN_PASSWORD": secrets.token_urlsafe(12),
        "SUPERSET_WORKERS": "1",
        "SUPERSET_ACCESS_LOG": "/dev/null",
    }
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        serve = subprocess.Popen(
            [
                "make",
                "serve",
                f"INBOX={tmp_path / 'inbox'}",
                f"WAREHOUSE={tmp_path / 'w.duckdb'}",
                f"OUT={tmp_path / 'out'}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
        )
    try:
        deadline = time.monotonic() + 900
        while "按 Ctrl-C 停止" not in log_path.read_text(encoding="utf-8"):
            assert serve.poll() is None, log_path.read_text(encoding="utf-8")[-3000:]
            assert time.monotonic() < deadline, "make serve 未能在 15 分钟内启动"
            time.sleep(2)
        assert _listening(superset_port) and _listening(dagster_port)
        started = _descendants(serve.pid)
        assert len(started) >= 4, started  # serve.sh, gunicorn (+ worker), dagster dev (+ webserver, daemon)
        stop = time.monotonic()
        os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C
        serve.wait(timeout=120)
        while _alive(started) and time.monotonic() - stop < 60:
            time.sleep(0.5)
        print(f"Ctrl-C 后 {time.monotonic() - stop:.1f} 秒全部停止；启动的进程 {len(started)} 个")
        left = _alive(started)
        assert left == set(), subprocess.run(
            ["ps", "-o", "pid,cmd", "-p", ",".join(map(str, left))], capture_output=True, text=True
        ).stdout
        assert not _listening(superset_port) and not _listening(dagster_port)
        assert "已停止 Superset 与 Dagster 界面" in log_path.read_text(encoding="utf-8")
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        for pid in _alive(_descendants(serve.pid)):
            os.kill(pid, signal.SIGKILL)
