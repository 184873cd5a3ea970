#!/usr/bin/env python3
"""dbt started before it is needed: its imports (about 1.5 s) paid while Dagster starts and the inbox loads.

`zhicheng run` starts a dbt *server* at once (``start``): a process of dbt's environment that imports dbt and
then waits for one command on a Unix socket. dagster-dbt runs this file as its dbt executable (the *client*):
the client hands the server its command line, environment, folder and output streams, and exits with the
server's exit code, so dagster-dbt reads the same event stream as from dbt itself. Without a server (a run
started from the Dagster UI, a server that failed to start or is still busy), the client becomes dbt
(``exec``). The server serves one command and exits; it also exits when the run that started it ends.

Standard library only at the top: the client runs with any Python 3, the server with dbt's.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

SERVER_ENV = "ZHICHENG_DBT_SERVER"  # the server's socket, for the client
EXECUTABLE_ENV = "ZHICHENG_DBT_EXECUTABLE"  # dbt itself, for the client without a server
CLIENT = str(Path(__file__).resolve())
READY = b"R"  # the server's first byte to a client: it has taken the command
MESSAGE_LIMIT = 1 << 22


# --------------------------------------------------------------------------- the run's side


@contextlib.contextmanager
def start(python: Path) -> Iterator[subprocess.Popen | None]:
    """A dbt server (``python``: dbt's environment) for the first dbt command of this block; the client finds it
    through the environment. A server that has not served ends with the block, or with this process (its
    standard input closes)."""
    folder = Path(tempfile.mkdtemp(prefix="zhicheng-dbt-"))
    path = folder / "dbt.sock"
    try:
        server = subprocess.Popen(
            [str(python), CLIENT, "--serve", str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    except OSError:  # no dbt environment: the client runs dbt itself
        yield None
        return
    previous = os.environ.get(SERVER_ENV)
    os.environ[SERVER_ENV] = str(path)
    try:
        yield server
    finally:
        if previous is None:
            os.environ.pop(SERVER_ENV, None)
        else:
            os.environ[SERVER_ENV] = previous
        # a server that served has ended with its command; one still waiting (or importing) is not needed
        server.kill()
        server.wait()
        server.stdin.close()
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()


# --------------------------------------------------------------------------- the server


def serve(path: str) -> int:
    """Listen first (a client that comes early waits), import dbt, then serve one command or end with stdin."""
    import selectors

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    import dbt.adapters.duckdb.impl  # noqa: F401 - the adapter dbt loads for the profile
    from dbt.cli.main import dbtRunner  # the imports this server is for

    watch = selectors.DefaultSelector()
    watch.register(listener, selectors.EVENT_READ)
    watch.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in watch.select():
            if key.fileobj is sys.stdin:
                return 0  # the run ended without a command for dbt
            connection, _ = listener.accept()
            listener.close()
            return _serve_one(connection, dbtRunner)


def _serve_one(connection: socket.socket, runner_class) -> int:  # noqa: ANN001 - dbtRunner
    message, fds, _, _ = socket.recv_fds(connection, MESSAGE_LIMIT, 2)
    while not message.endswith(b"\n"):
        more = connection.recv(MESSAGE_LIMIT)
        if not more:
            return 2
        message += more
    request = json.loads(message)
    connection.sendall(READY + str(os.getpid()).encode() + b"\n")
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in fds:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["dbt", *request["args"]]
    try:
        result = runner_class().invoke(request["args"])
        code = 0 if result.success else (1 if result.exception is None else 2)
        if type(result.exception).__name__ == "DbtUsageException":  # dbt's command line prints these itself
            print(f"Error: {result.exception}", file=sys.stderr)
    except BaseException as exc:  # noqa: BLE001 - whatever dbt raises ends the command as dbt's CLI would
        print(f"dbt 异常结束：{exc!r}", file=sys.stderr)
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    os.close(1)  # the reader's end of file comes when the client exits too
    os.close(2)
    connection.sendall(bytes([code]))
    connection.close()
    return code


# --------------------------------------------------------------------------- the client


def client(args: list[str]) -> int:
    """Run the command by the server when there is one that takes it, else become dbt."""
    path = os.environ.get(SERVER_ENV)
    if path:
        code = _by_server(path, args)
        if code is not None:
            return code
    executable = os.environ[EXECUTABLE_ENV]
    os.execv(executable, [executable, *args])
    return 2  # not reached


def _by_server(path: str, args: list[str]) -> int | None:
    """The server's exit code; None when no server took the command (nothing of it has run)."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
        request = json.dumps({"args": args, "env": dict(os.environ), "cwd": os.getcwd()}).encode() + b"\n"
        sent = socket.send_fds(connection, [request], [1, 2])
        connection.sendall(request[sent:])
        answer = connection.makefile("rb")
        ready = answer.readline()
    except OSError:
        return None
    if not ready.startswith(READY):
        return None  # the server ended before it took the command
    pid = int(ready[len(READY) :])

    def forward(signum: int, _frame) -> None:  # noqa: ANN001 - signal handler
        with contextlib.suppress(OSError):
            os.kill(pid, signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    code = answer.read(1)
    if not code:
        print("dbt 服务进程异常退出，命令未完成", file=sys.stderr)
        return 2
    return code[0]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve"]:
        return serve(argv[1])
    return client(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
