"""`zhicheng sql`: read-only queries on the snapshot, printed as a table or CSV."""

from __future__ import annotations

import subprocess
import sys

import typer
from typer.testing import CliRunner

from dagster_project.analyst.commands import sql

app = typer.Typer()
app.command("sql")(sql)


@app.command("noop")
def _noop() -> None:  # a second command keeps `sql` a subcommand, as in the real CLI
    pass


runner = CliRunner()


def test_sql_prints_a_table(fixture_snapshot):
    result = runner.invoke(
        app,
        [
            "sql",
            "--snapshot",
            str(fixture_snapshot),
            "-c",
            "select severity as 性质, count(*) as 条数 from analyst.findings group by 1 order by 1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "性质" in result.output and "违规" in result.output and "提示" in result.output


def test_sql_csv(fixture_snapshot):
    result = runner.invoke(
        app,
        [
            "sql",
            "--snapshot",
            str(fixture_snapshot),
            "--format",
            "csv",
            "-c",
            "select year, applications from analyst.headline order by year",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "year,applications"
    assert len(lines) == 3


def test_sql_refuses_writes_and_file_access(fixture_snapshot, tmp_path):
    for statement in (
        "delete from marts.findings",
        f"copy marts.findings to '{tmp_path / 'x.csv'}'",
        "select * from read_csv('/etc/hostname')",
    ):
        result = runner.invoke(app, ["sql", "--snapshot", str(fixture_snapshot), "-c", statement])
        assert result.exit_code == 1, statement
        assert "错误" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_sql_without_snapshot_explains(tmp_path):
    result = runner.invoke(app, ["sql", "--out", str(tmp_path), "-c", "select 1"])
    assert result.exit_code == 1
    assert "服务快照不存在" in result.output


def test_interactive_shell_reads_statements_from_a_terminal_session(fixture_snapshot):
    script = "\n".join(
        [
            "import os, sys",
            "os.environ['ZHICHENG_SQL_FORCE_INTERACTIVE'] = '1'",
            "from dagster_project.analyst.shell import main_entry",
            f"sys.exit(main_entry(None, {str(fixture_snapshot)!r}, None, 'table', 50))",
        ]
    )
    session = ".tables\nselect count(*) as 申报数\n  from marts.applications;\n.schema analyst.headline\n.quit\n"
    result = subprocess.run([sys.executable, "-c", script], input=session, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "analyst.findings" in result.stdout  # .tables
    assert "申报数" in result.stdout and "500" in result.stdout  # the multi-line query (250 × 2 years)
    assert "pass_rate_valid" in result.stdout  # .schema


def test_sql_errors_are_said_in_chinese(fixture_snapshot):
    cases = {
        "selec 1": "SQL 语法错误",
        "select * from analyst.no_such_view": "找不到表、视图或函数",
        "select no_such_column from analyst.headline": "列名或表达式有误",
        "select 'x'::integer": "数据类型转换失败",
        "set enable_external_access = true": "服务快照的连接设置已锁定，不能更改",
    }
    for statement, meaning in cases.items():
        result = runner.invoke(app, ["sql", "--snapshot", str(fixture_snapshot), "-c", statement])
        assert result.exit_code == 1, statement
        assert f"错误：{meaning}（" in result.output, result.output
