"""`zhicheng policy-workbook` and `zhicheng policy-import`: adding a policy year (README「新年度」)."""

from __future__ import annotations

from pathlib import Path

import typer

from dagster_project.settings import seeds_dir

SEEDS_HELP = "参考数据目录（默认 seeds/，或环境变量 ZHICHENG_SEEDS）"


def policy_workbook(
    year: int = typer.Option(..., "--year", help="新年度，例如 2024"),
    out: Path = typer.Option(..., "--out", help="写入的 Excel 工作簿，例如 2024年度政策.xlsx"),
    seeds: Path | None = typer.Option(None, "--seeds", help=SEEDS_HELP),
) -> None:
    """生成新年度的政策工作簿（申报时间、参数、评委会核准备案三张表，按最近一个年度预填，含下拉选项与说明）。"""
    from dagster_project.policy.workbook import latest_year, write_workbook

    folder = seeds or seeds_dir()
    if year <= latest_year(folder):
        typer.echo(f"注意：{year} 年度不晚于已有的最近年度 {latest_year(folder)}，导入时将替换该年度已有的行。")
    path = write_workbook(year, out, folder)
    typer.echo(f"政策工作簿已写入：{path}（按 {latest_year(folder)} 年度预填，请对照 {year} 年度通知逐项改正）")
    typer.echo(f"填好后运行：zhicheng policy-import {path}")


def policy_import(
    workbook: Path = typer.Argument(..., help="填好的政策工作簿（.xlsx）"),
    seeds: Path | None = typer.Option(None, "--seeds", help=SEEDS_HELP),
) -> None:
    """导入填好的政策工作簿：先做参考数据检查，全部通过才写入 policy_calendar、policy_parameters、committee_filings。"""
    from dagster_project.policy.workbook import WorkbookError, import_workbook

    folder = seeds or seeds_dir()
    if not workbook.is_file():
        typer.secho(f"错误：找不到政策工作簿 {workbook}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    try:
        year, counts = import_workbook(workbook, folder)
    except WorkbookError as exc:
        typer.secho(f"错误：{exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{year} 年度参考数据已导入 {folder}（已通过参考数据检查）：")
    for name, n in counts.items():
        typer.echo(f"  {name}：{n} 行")
    typer.echo("下一步：zhicheng run（每个政策年度在同一次运行中计算）")
