"""`zhicheng report`: the annual supervision report of one year, against an existing warehouse (read-only)."""

from __future__ import annotations

from pathlib import Path

import typer

from dagster_project.documents.errors import OutputError, exit_with


def report_command(
    year: int | None = typer.Option(None, "--year", help="报告年度（默认：有政策数据的最近年度）"),
    warehouse: Path | None = typer.Option(
        None, "--warehouse", help="DuckDB 数据仓库文件（只读打开），也可用环境变量 ZHICHENG_WAREHOUSE"
    ),
    out: Path | None = typer.Option(None, "--out", help="输出目录（默认 output/），报告写入 <输出目录>/report/<年度>/"),
) -> None:
    """生成年度职称评审监管报告（HTML、PDF、XLSX），数字全部取自数据仓库的 marts。"""
    from dagster_project.progress import say
    from dagster_project.report.build import build_report
    from dagster_project.settings import Settings

    settings = Settings.from_env()
    warehouse = (warehouse or settings.warehouse).resolve()
    out = (out or settings.out).resolve()
    try:
        say(f"生成监管报告：数据仓库 {warehouse}（只读）")
        files = build_report(warehouse, year, out)
    except OutputError as exc:
        exit_with(str(exc))
    say(f"{files.year} 年度监管报告已写入：")
    for path in (files.html, files.pdf, files.xlsx, *files.extracts):
        typer.echo(f"  {path}")
