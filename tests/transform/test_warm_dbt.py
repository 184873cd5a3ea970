"""dbt started before it is needed (transform/warm_dbt.py): a command given to the client runs in the server
started beforehand, with the client's arguments, environment, folder and output streams and dbt's exit code;
without a server, or with one that has ended, the client runs dbt itself."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest

from dagster_project.settings import DBT_DIR, DBT_PYTHON, Settings, dbt_build_environment
from dagster_project.transform import warm_dbt
from dagster_project.transform.project import DBT_EXECUTABLE

PYTHON = DBT_PYTHON
# a dbt command that needs neither a parse nor the warehouse; its events name the process that ran it
CONFIG_DIR = ["--log-format", "json", "debug", "--config-dir", "--profiles-dir", str(DBT_DIR)]


def _client(*args: str, cwd: Path = DBT_DIR, **env: str) -> tuple[subprocess.CompletedProcess, int]:
    """The client as dagster-dbt starts it; with the pid of its process."""
    process = subprocess.Popen(
        [warm_dbt.CLIENT, *args],
        cwd=cwd,
        env={**os.environ, warm_dbt.EXECUTABLE_ENV: DBT_EXECUTABLE, "DO_NOT_TRACK": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), process.pid


def _events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_a_command_runs_in_the_server_started_before_it(tmp_path):
    with warm_dbt.start(PYTHON):
        result, pid = _client(*CONFIG_DIR, cwd=tmp_path, ZHICHENG_TEST_MARK="由客户端传入")
    assert result.returncode == 0, result.stderr
    events = _events(result.stdout)
    assert events and {e["info"]["pid"] for e in events} != {pid}  # not the client's process: the server's
    profiles = next(e for e in events if e["info"]["name"] == "OpenCommand")["data"]["profiles_dir"]
    assert profiles == str(DBT_DIR)
    # the same command by dbt itself prints the same events
    alone = subprocess.run(
        [DBT_EXECUTABLE, *CONFIG_DIR],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "DO_NOT_TRACK": "1"},
    )
    assert [e["info"]["msg"] for e in _events(alone.stdout)] == [e["info"]["msg"] for e in events]


def test_the_server_takes_the_clients_environment_and_folder(tmp_path):
    """The profile reads the warehouse path from the environment: the server's `debug` reports the client's. dbt
    looks for profiles.yml in the folder it runs in: the client's folder is the server's."""
    warehouse = tmp_path / "由客户端指定.duckdb"
    with warm_dbt.start(PYTHON):
        result, _ = _client(
            "debug", "--profiles-dir", str(DBT_DIR), "--project-dir", str(DBT_DIR), ZHICHENG_WAREHOUSE=str(warehouse)
        )
    assert str(warehouse) in result.stdout, result.stdout[-3000:]
    with warm_dbt.start(PYTHON):
        here, _ = _client("--log-format", "json", "debug", "--config-dir", cwd=DBT_DIR)
    opened = next(e for e in _events(here.stdout) if e["info"]["name"] == "OpenCommand")
    assert opened["data"]["profiles_dir"] == str(DBT_DIR)


def test_a_failed_command_ends_with_dbts_exit_code_and_message(tmp_path):
    missing = str(tmp_path / "无此目录")
    alone = subprocess.run([DBT_EXECUTABLE, "ls", "--profiles-dir", missing], capture_output=True, text=True)
    with warm_dbt.start(PYTHON):
        result, _ = _client("ls", "--profiles-dir", missing)
    assert alone.returncode == result.returncode == 2
    assert "does not exist" in alone.stderr and "does not exist" in result.stderr


def test_a_command_that_parses_as_the_server_did_beforehand_runs_on_that_parse(tmp_path):
    """The server parses the project with the run's environment before the command comes: a command with that
    environment runs on that manifest (dbt's parse events, debug level, are not among its events); one with another
    warehouse (its relations are named after the file) is parsed again. Both list the same models."""
    run = replace(Settings.defaults(), warehouse=tmp_path / "仓库.duckdb")
    environment = {**dbt_build_environment(run), "DBT_TARGET_PATH": str(tmp_path / "target")}
    listing = ["--log-format", "json", "--log-level", "debug", "ls", "--resource-type", "model"]
    with warm_dbt.start(PYTHON, environment):
        same, _ = _client(*listing, **environment)
    with warm_dbt.start(PYTHON, environment):
        other, _ = _client(*listing, **{**environment, "ZHICHENG_WAREHOUSE": str(tmp_path / "另一个.duckdb")})
    assert same.returncode == other.returncode == 0, same.stderr + other.stderr

    def names(result: subprocess.CompletedProcess) -> set[str]:
        return {e["info"]["name"] for e in _events(result.stdout)}

    def models(result: subprocess.CompletedProcess) -> list[str]:
        return [e["info"]["msg"] for e in _events(result.stdout) if e["info"]["name"] == "PrintEvent"]

    assert "StateCheckVarsHash" in names(other) and "StateCheckVarsHash" not in names(same)
    assert models(same) == models(other) and len(models(same)) > 50


@pytest.mark.parametrize("server", ["none", "killed", "ended"])
def test_without_a_server_the_client_runs_dbt_itself(server):
    if server == "none":
        result, pid = _client(*CONFIG_DIR, **{warm_dbt.SERVER_ENV: ""})
    elif server == "killed":  # its socket is still there
        with warm_dbt.start(PYTHON) as process:
            socket = Path(os.environ[warm_dbt.SERVER_ENV])
            for _ in range(3000):  # the server listens before it imports dbt
                if socket.exists():
                    break
                time.sleep(0.01)
            process.kill()
            process.wait()
            assert socket.exists()
            result, pid = _client(*CONFIG_DIR)
    else:  # the run that started it has ended
        with warm_dbt.start(PYTHON):
            path = os.environ[warm_dbt.SERVER_ENV]
        result, pid = _client(*CONFIG_DIR, **{warm_dbt.SERVER_ENV: path})
    assert result.returncode == 0, result.stderr
    assert {e["info"]["pid"] for e in _events(result.stdout)} == {pid}  # dbt in the client's own process
