"""Every command of `zhicheng` explains itself in Chinese."""

import re

from typer.testing import CliRunner

from dagster_project.cli import app

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_command_has_chinese_help():
    runner = CliRunner()
    top = runner.invoke(app, ["--help"], env={"COLUMNS": "160"})
    assert top.exit_code == 0 and "命令" in top.output and "用法" in top.output
    commands = ["run", "sample", "templates", "quality", "sql", "report", "notices", "policy-workbook", "policy-import"]
    for command in commands:
        assert command in top.output
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "160"})
        assert result.exit_code == 0, command
        assert "选项" in result.output and "显示本帮助并退出" in result.output
        option_lines = [line for line in result.output.splitlines() if "--" in line and "--help" not in line]
        assert option_lines, command
        assert all(CJK.search(line) for line in option_lines), (command, option_lines)


def test_run_with_a_missing_inbox_fails_in_chinese(tmp_path, monkeypatch):
    for name in ("ZHICHENG_INBOX", "ZHICHENG_WAREHOUSE", "ZHICHENG_OUT", "DAGSTER_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name))  # the deployment's settings point into tmp_path
    result = CliRunner().invoke(
        app, ["run", "--inbox", str(tmp_path / "无此目录"), "--warehouse", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 1
    assert "收件箱目录不存在" in result.output
