"""`zhicheng notices`: the one-time notices of one year (its partition), from an existing warehouse."""

from __future__ import annotations

from pathlib import Path

import typer


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
    from dagster_project.launch import documents_settings, make_documents
    from dagster_project.notices.assets import NOTICES_KEY
    from dagster_project.progress import say

    settings = documents_settings(year, warehouse=warehouse, out=out, inbox=inbox)
    say(f"生成 {settings.year} 年度一次性告知书：数据仓库 {settings.warehouse}（只读）")
    made = make_documents(NOTICES_KEY, settings)
    say(
        f"{settings.year} 年度一次性告知书 {made['告知书份数']} 份（其中无问题 {made['无问题的报送单位数']} 份，"
        f"本次重新生成 PDF {made['本次重新生成 PDF']} 份）已写入：{made['目录']}"
    )
    typer.echo(f"  汇总压缩包：{made['zip']}")
