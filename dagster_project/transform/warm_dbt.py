#!/usr/bin/env python3
"""dbt started before it is needed: its imports and parse (about 3 s) paid while Dagster starts and the inbox loads.

`zhicheng run` starts a dbt *server* at once (``start``): a process of dbt's environment that imports dbt,
parses the project as the run's build will (its environment given by the command line: warehouse, seeds,
project, profiles and target folders), and then waits for one command on a Unix socket. A command whose
environment, folder and options agree with that parse runs on its manifest (dbt's `dbtRunner(manifest=…)`)
instead of parsing again (about 1.3 s of a re-run on a slow machine); any other is parsed as dbt would.

dagster-dbt runs this file as its dbt executable (the *client*): the client hands the server its command line,
environment, folder and output streams, and exits with the server's exit code, so dagster-dbt reads the same
event stream as from dbt itself. Without a server (a run started from the Dagster UI, a server that failed to
start or is still busy), the client becomes dbt (``exec``). The server serves one command and exits; it also
exits when the run that started it ends.

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
# Options that change what a parse gives: a command with one of them is parsed again.
PARSE_OPTIONS = (
    "--project-dir",
    "--profiles-dir",
    "--profile",
    "--target",
    "--target-path",
    "--vars",
    "--no-partial-parse",
)
# Variables dagster-dbt sets for dbt's output only: they do not change the parse.
OUTPUT_VARIABLES = {"DBT_LOG_FORMAT", "DBT_LOG_PATH", "DBT_SEND_ANONYMOUS_USAGE_STATS", "DBT_INDIRECT_SELECTION"}


# --------------------------------------------------------------------------- the run's side


@contextlib.contextmanager
def start(python: Path, parse_environment: dict[str, str] | None = None) -> Iterator[subprocess.Popen | None]:
    """A dbt server (``python``: dbt's environment) for the first dbt command of this block; the client finds it
    through the environment. With ``parse_environment`` (variables over this process's, ``DBT_PROJECT_DIR`` among
    them) it parses the project beforehand. A server that has not served ends with the block, or with this
    process (its standard input closes)."""
    folder = Path(tempfile.mkdtemp(prefix="zhicheng-dbt-"))
    path = folder / "dbt.sock"
    ahead = ["--parse", json.dumps(parse_environment)] if parse_environment else []
    try:
        server = subprocess.Popen(
            [str(python), CLIENT, "--serve", str(path), *ahead],
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


def serve(path: str, parse_environment: dict[str, str] | None = None) -> int:
    """Listen first (a client that comes early waits), import dbt, parse the project when given its environment,
    then serve one command or end with stdin."""
    import selectors

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    import dbt.adapters.duckdb.impl  # noqa: F401 - the adapter dbt loads for the profile
    from dbt.cli.main import dbtRunner  # the imports this server is for

    parsed = _parse(dbtRunner, parse_environment) if parse_environment else None

    watch = selectors.DefaultSelector()
    watch.register(listener, selectors.EVENT_READ)
    watch.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in watch.select():
            if key.fileobj is sys.stdin:
                return 0  # the run ended without a command for dbt
            connection, _ = listener.accept()
            listener.close()
            return _serve_one(connection, dbtRunner, parsed)


def _parse(runner_class, variables: dict[str, str]):  # noqa: ANN001, ANN202 - dbtRunner; (manifest, environment, folder)
    """The project parsed with ``variables`` over this process's environment, in its project folder; None when the
    parse fails (the command then parses, and reports what fails)."""
    environment = {**os.environ, **variables}
    folder = variables["DBT_PROJECT_DIR"]
    saved = dict(os.environ)
    os.environ.update(variables)
    os.chdir(folder)
    try:
        result = runner_class().invoke(["parse", "--quiet", "--log-level-file", "error"])
    except BaseException:  # noqa: BLE001 - a failed parse is left to the command
        return None
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return (result.result, environment, folder) if result.success else None


def _same_parse(parsed, request: dict) -> bool:  # noqa: ANN001 - (manifest, environment, folder)
    """Whether ``request`` would parse the project as ``parsed`` was: the same folder, no option that changes the
    parse, and the same values of the parse's own variables and of every other dbt variable."""
    _, environment, folder = parsed
    given = request["env"]
    if request["cwd"] != folder or any(a.split("=")[0] in PARSE_OPTIONS for a in request["args"]):
        return False
    names = {n for n in (*environment, *given) if n.startswith("DBT_")} - OUTPUT_VARIABLES
    names |= {n for n in environment if n.startswith("ZHICHENG_")} - {SERVER_ENV, EXECUTABLE_ENV}
    return all(environment.get(n) == given.get(n) for n in names)


def _serve_one(connection: socket.socket, runner_class, parsed=None) -> int:  # noqa: ANN001 - dbtRunner, _parse
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
        manifest = parsed[0] if parsed is not None and _same_parse(parsed, request) else None
        result = runner_class(manifest=manifest).invoke(request["args"])
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
        return serve(argv[1], json.loads(argv[3]) if argv[2:3] == ["--parse"] else None)
    return client(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
