"""`zhicheng sql`: register on the typer app in cli.py with `app.command("sql")(sql)`."""

from __future__ import annotations

from pathlib import Path

import typer


def sql(
    command: str | None = typer.Option(
        None, "-c", "--command", help="执行一条 SQL 并以表格打印结果后退出；不给则进入交互式 SQL 窗口"
    ),
    snapshot: Path | None = typer.Option(None, "--snapshot", help="服务快照文件（默认 <输出目录>/serving.duckdb）"),
    out: Path | None = typer.Option(None, "--out", help="输出目录（默认 output/，也可用环境变量 ZHICHENG_OUT）"),
    fmt: str = typer.Option("table", "--format", help="输出格式：table（表格）或 csv"),
    max_rows: int = typer.Option(200, "--max-rows", help="表格最多显示的行数（csv 不限）"),
) -> None:
    """以只读方式查询服务快照（marts.* 与 analyst.* 视图，不含身份证号与姓名）。"""
    from dagster_project.analyst.shell import main_entry

    if fmt not in ("table", "csv"):
        typer.secho("错误：--format 只能是 table 或 csv", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        code = main_entry(command, snapshot, out, fmt, max_rows)
    except FileNotFoundError as error:
        typer.secho(f"错误：{error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    raise typer.Exit(code)
