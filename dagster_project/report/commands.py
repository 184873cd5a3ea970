"""`zhicheng report`: the annual supervision report of one year (its partition), from an existing warehouse."""

from __future__ import annotations

from pathlib import Path

import typer


def report_command(
    year: int | None = typer.Option(None, "--year", help="报告年度（默认：有政策数据的最近年度）"),
    warehouse: Path | None = typer.Option(
        None, "--warehouse", help="DuckDB 数据仓库文件（只读打开），也可用环境变量 ZHICHENG_WAREHOUSE"
    ),
    out: Path | None = typer.Option(None, "--out", help="输出目录（默认 output/），报告写入 <输出目录>/report/<年度>/"),
) -> None:
    """生成年度职称评审监管报告（HTML、PDF、XLSX），数字全部取自数据仓库的 marts。"""
    from dagster_project.launch import documents_settings, make_documents
    from dagster_project.progress import say
    from dagster_project.report.assets import REPORT_KEY

    settings = documents_settings(year, warehouse=warehouse, out=out)
    say(f"生成 {settings.year} 年度监管报告：数据仓库 {settings.warehouse}（只读）")
    folder = Path(make_documents(REPORT_KEY, settings)["目录"])
    say(f"{settings.year} 年度监管报告已写入：")
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        typer.echo(f"  {path}")
