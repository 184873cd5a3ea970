"""`zhicheng notices`: the one-time notices of one year, against an existing warehouse (read-only)."""

from __future__ import annotations

from pathlib import Path

import typer

from dagster_project.documents.errors import OutputError, exit_with


def notices_command(
    year: int | None = typer.Option(None, "--year", help="告知书年度（默认：有政策数据的最近年度）"),
    warehouse: Path | None = typer.Option(
        None, "--warehouse", help="DuckDB 数据仓库文件（只读打开），也可用环境变量 ZHICHENG_WAREHOUSE"
    ),
    out: Path | None = typer.Option(
        None, "--out", help="输出目录（默认 output/），告知书写入 <输出目录>/notices/<年度>/"
    ),
    inbox: Path | None = typer.Option(
        None, "--inbox", help="收件箱目录（可选）：该年度每个报送单位文件夹都会收到告知书，即使其中没有文件"
    ),
) -> None:
    """为每个收件单位生成一次性告知书（PDF 和 XLSX 各一份，另附全部文件的 zip）。"""
    from dagster_project.notices.build import build_notices
    from dagster_project.progress import say
    from dagster_project.settings import Settings

    settings = Settings.from_env()
    warehouse = (warehouse or settings.warehouse).resolve()
    out = (out or settings.out).resolve()
    inbox = (inbox or settings.inbox).resolve()
    try:
        say(f"生成一次性告知书：数据仓库 {warehouse}（只读）")
        files = build_notices(warehouse, year, out, inbox=inbox if inbox.is_dir() else None)
    except OutputError as exc:
        exit_with(str(exc))
    say(
        f"{files.year} 年度一次性告知书 {len(files.codes)} 份（其中无问题 {len(files.clean)} 份，"
        f"本次重新生成 PDF {len(files.printed)} 份）已写入：{files.folder}"
    )
    typer.echo(f"  汇总压缩包：{files.zip}")
