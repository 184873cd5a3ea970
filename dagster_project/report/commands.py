"""`zhicheng report` and `zhicheng notices`: run on their own against an existing warehouse.

Both open the warehouse read-only, so they never need the pipeline's write lock.
Register on the typer app in cli.py:

    from dagster_project.report.commands import notices_command, report_command
    app.command("report")(report_command)
    app.command("notices")(notices_command)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer


def _settings(warehouse: Optional[Path], out: Optional[Path], inbox: Optional[Path] = None):
    if warehouse is not None:
        os.environ["ZHICHENG_WAREHOUSE"] = str(warehouse.resolve())
    if out is not None:
        os.environ["ZHICHENG_OUT"] = str(out.resolve())
    if inbox is not None:
        os.environ["ZHICHENG_INBOX"] = str(inbox.resolve())
    from dagster_project.settings import Settings

    return Settings.from_env()


def _fail(message: str) -> None:
    typer.secho(f"错误：{message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def report_command(
    year: Optional[int] = typer.Option(None, "--year", help="报告年度（默认：有政策数据的最近年度）"),
    warehouse: Optional[Path] = typer.Option(None, "--warehouse", help="DuckDB 数据仓库文件（只读打开），也可用环境变量 ZHICHENG_WAREHOUSE"),
    out: Optional[Path] = typer.Option(None, "--out", help="输出目录（默认 output/），报告写入 <输出目录>/report/<年度>/"),
) -> None:
    """生成年度职称评审监管报告（HTML、PDF、XLSX），数字全部取自数据仓库的 marts。"""
    from dagster_project.progress import say
    from dagster_project.report.build import build_report
    from dagster_project.report.render import OutputError

    settings = _settings(warehouse, out)
    try:
        say(f"生成监管报告：数据仓库 {settings.warehouse}（只读）")
        files = build_report(settings.warehouse, year, settings.out)
    except OutputError as exc:
        _fail(str(exc))
    say(f"{files.year} 年度监管报告已写入：")
    for path in (files.html, files.pdf, files.xlsx):
        typer.echo(f"  {path}")


def notices_command(
    year: Optional[int] = typer.Option(None, "--year", help="告知书年度（默认：有政策数据的最近年度）"),
    warehouse: Optional[Path] = typer.Option(None, "--warehouse", help="DuckDB 数据仓库文件（只读打开），也可用环境变量 ZHICHENG_WAREHOUSE"),
    out: Optional[Path] = typer.Option(None, "--out", help="输出目录（默认 output/），告知书写入 <输出目录>/notices/<年度>/"),
    inbox: Optional[Path] = typer.Option(None, "--inbox", help="收件箱目录（可选）：该年度每个报送单位文件夹都会收到告知书，即使其中没有文件"),
) -> None:
    """为每个报送单位生成一次性告知书（PDF 和 XLSX 各一份，另附全部文件的 zip）。"""
    from dagster_project.notices.build import build_notices
    from dagster_project.progress import say
    from dagster_project.report.render import OutputError

    settings = _settings(warehouse, out, inbox)
    inbox_dir = settings.inbox if settings.inbox.is_dir() else None
    try:
        say(f"生成一次性告知书：数据仓库 {settings.warehouse}（只读）")
        files = build_notices(settings.warehouse, year, settings.out, inbox=inbox_dir)
    except OutputError as exc:
        _fail(str(exc))
    say(f"{files.year} 年度一次性告知书 {len(files.codes)} 份（其中无问题 {len(files.clean)} 份）已写入：{files.folder}")
    typer.echo(f"  汇总压缩包：{files.zip}")
