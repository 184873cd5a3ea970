"""Command-line pieces for the lead to register on the typer app (dagster_project/cli.py).

- ``print_check_summary(result)``: after ``job.execute_in_process`` in ``zhicheng run``, prints
  every asset check with passed / warned / failed and its counts (Chinese).
- ``quality``: ``zhicheng quality --warehouse W --out O`` re-runs the suites on an existing
  warehouse (read-only) and rebuilds <out>/data_docs, without the pipeline.
"""

from __future__ import annotations

from pathlib import Path

import typer


def check_summary_lines(result) -> list[str]:
    """One Chinese line per asset check evaluated in a run (GE suites and dbt tests)."""
    lines = []
    evaluations = result.get_asset_check_evaluations()
    counts = {"通过": 0, "警告": 0, "失败": 0}
    for evaluation in sorted(evaluations, key=lambda e: (e.passed, e.asset_key.to_user_string(), e.check_name)):
        severity = getattr(evaluation.severity, "value", str(evaluation.severity))
        status = "通过" if evaluation.passed else ("警告" if severity == "WARN" else "失败")
        counts[status] += 1
        metadata = evaluation.metadata or {}
        if "evaluated" not in metadata:  # dbt tests: summarised in the totals only, unless they failed
            if not evaluation.passed:
                lines.append(f"  [{status}] {evaluation.asset_key.to_user_string()} · {evaluation.check_name}")
            continue
        evaluated = metadata["evaluated"].value
        unexpected = metadata["unexpected_count"].value
        subjects = metadata.get("first_unexpected_subjects")
        example = "、".join(map(str, (subjects.value if subjects else [])[:5]))
        text = f"  [{status}] {evaluation.asset_key.to_user_string()} · {evaluation.check_name}：检查 {evaluated} 条"
        if not evaluation.passed:
            text += f"，{unexpected} 条不符合" + (f"（如 {example}）" if example else "")
        page = metadata.get("data_docs_page")
        if page is not None and not evaluation.passed:
            text += f"\n      详见 {page.value}"
        lines.append(text)
    header = f"资产检查：通过 {counts['通过']} 项，警告 {counts['警告']} 项，失败 {counts['失败']} 项"
    return [header, *lines]


def print_check_summary(result) -> None:
    for line in check_summary_lines(result):
        typer.echo(line)


def quality(
    warehouse: Path | None = typer.Option(
        None, "--warehouse", help="DuckDB 数据仓库文件（只读打开），也可用环境变量 ZHICHENG_WAREHOUSE"
    ),
    out: Path | None = typer.Option(
        None, "--out", help="输出目录，数据质量报告写到 <out>/data_docs/，也可用环境变量 ZHICHENG_OUT"
    ),
) -> None:
    """对已有的数据仓库重新运行数据质量检查（报送与备案、公示、装载完整性），并生成可离线浏览的报告。"""
    import duckdb

    from dagster_project.quality.checks import DOCS_FOLDER, blocking_failure_message
    from dagster_project.quality.runner import run_suites
    from dagster_project.settings import Settings

    settings = Settings.defaults()
    warehouse = warehouse or settings.warehouse
    out = out or settings.out
    if not warehouse.is_file():
        typer.secho(f"错误：数据仓库文件不存在：{warehouse}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    docs = out / DOCS_FOLDER
    with duckdb.connect(str(warehouse), read_only=True) as con:
        outcomes = run_suites(con, docs)
    for outcome in outcomes:
        typer.echo(("  " if outcome.success else "! ") + outcome.summary_zh())
    typer.echo(f"数据质量报告：{docs / 'index.html'}")
    message = blocking_failure_message(outcomes)
    if message:
        typer.secho(message, fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
