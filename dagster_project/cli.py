"""The `zhicheng` command line (help texts in Chinese)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from dagster_project.settings import PROJECT_ROOT


def _chinese_framework_words() -> None:
    """typer prints a few words of its own (panel titles, usage, the help option): say them in Chinese."""
    from typer import rich_utils
    from typer._click import core, formatting

    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    write_usage = formatting.HelpFormatter.write_usage
    get_help_option = core.Command.get_help_option

    def chinese_usage(self, prog, args="", prefix=None):
        return write_usage(self, prog, args, "用法：" if prefix is None else prefix)

    def chinese_help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    formatting.HelpFormatter.write_usage = chinese_usage
    core.Command.get_help_option = chinese_help_option


_chinese_framework_words()

app = typer.Typer(
    help="呼和浩特市职称评审监管数据平台：载入各单位报送材料、计算规则与指标、生成报告。",
    no_args_is_help=True,
    add_completion=False,
)

DAGSTER_HOME = PROJECT_ROOT / "dagster_home"


def _fail(message: str, code: int = 1) -> None:
    from dagster_project.documents.errors import exit_with

    exit_with(message, code)


def _prepare_environment(inbox: Path | None, warehouse: Path | None, out: Path | None, year: int | None) -> None:
    """Paths go to the environment, where Settings.from_env (and dbt's profile) read them."""
    if inbox is not None:
        os.environ["ZHICHENG_INBOX"] = str(inbox.resolve())
    if warehouse is not None:
        os.environ["ZHICHENG_WAREHOUSE"] = str(warehouse.resolve())
    if out is not None:
        os.environ["ZHICHENG_OUT"] = str(out.resolve())
    if year is not None:
        os.environ["ZHICHENG_YEAR"] = str(year)
    os.environ.setdefault("DAGSTER_HOME", str(DAGSTER_HOME))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)


def _failure_messages(result) -> list[str]:
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            # the innermost cause carries the message the asset raised
            while error.cause is not None:
                error = error.cause
            messages.append(f"步骤 {event.step_key} 失败：{error.message.strip()}")
    return messages


@app.command()
def run(
    inbox: Optional[Path] = typer.Option(None, "--inbox", help="收件箱目录（<年度>/<报送单位代码>/文件），也可用环境变量 ZHICHENG_INBOX"),
    warehouse: Optional[Path] = typer.Option(None, "--warehouse", help="DuckDB 数据仓库文件，也可用环境变量 ZHICHENG_WAREHOUSE"),
    out: Optional[Path] = typer.Option(None, "--out", help="输出目录（默认 output/），也可用环境变量 ZHICHENG_OUT"),
    year: Optional[int] = typer.Option(None, "--year", help="报告与告知书的年度（默认：有政策数据的最近年度）"),
) -> None:
    """运行完整流程：载入收件箱、计算全部规则与指标、检查数据质量、发布结果。"""
    _prepare_environment(inbox, warehouse, out, year)
    from dagster_project.settings import Settings, ensure_local_key

    settings = Settings.from_env()
    if not settings.inbox.is_dir():
        _fail(f"收件箱目录不存在：{settings.inbox}")
    _, created = ensure_local_key()
    if created:
        typer.echo("未设置 ZHICHENG_PII_KEY：已生成随机本地密钥文件 .local/pii_key（未纳入版本库，请妥善保管）")
    settings.out.mkdir(parents=True, exist_ok=True)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)

    from dagster import DagsterInstance

    from dagster_project.definitions import MAIN_JOB_NAME, defs
    from dagster_project.progress import say

    say(f"开始运行：收件箱 {settings.inbox}，数据仓库 {settings.warehouse}，输出 {settings.out}")
    job = defs.resolve_job_def(MAIN_JOB_NAME)
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            # Dagster's own event log stays in the instance (make ui); the terminal shows Chinese progress.
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        )
    from dagster_project.quality.commands import print_check_summary

    print_check_summary(result)
    if not result.success:
        for message in _failure_messages(result) or ["运行失败（详见 Dagster 日志）"]:
            typer.secho(message, fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    say("运行完成。请打开：")
    from dagster_project.documents.outputs import closing_lines

    for line in closing_lines(settings.warehouse, settings.out, settings.year):
        typer.echo(f"  {line}")


@app.command()
def sample(
    out: Path = typer.Option(..., "--out", help="写入示例收件箱的目录"),
    seed: int = typer.Option(2022, "--seed", help="随机种子（相同种子生成完全相同的文件）"),
    applications: int = typer.Option(400, "--applications", help="申报人数（背景数据规模）"),
) -> None:
    """生成 2022 年的示例收件箱（含各种不规范情形、违规注入与标准答案 ground_truth.csv）。"""
    from dagster_project.sample.generator import generate_inbox

    truth = generate_inbox(out, seed=seed, applications=applications)
    typer.echo(f"示例收件箱已写入：{out}")
    typer.echo(f"注入违规的标准答案：{truth}")


@app.command()
def templates(out: Path = typer.Option(..., "--out", help="写入报送模板的目录")) -> None:
    """为每种报送表生成 Excel 模板（表头、下拉选项、日期格式与填表说明）。"""
    from dagster_project.sample.templates import write_templates

    for path in write_templates(out):
        typer.echo(f"模板：{path}")


from dagster_project.analyst.commands import sql  # noqa: E402
from dagster_project.quality.commands import quality  # noqa: E402
from dagster_project.notices.commands import notices_command  # noqa: E402
from dagster_project.report.commands import report_command  # noqa: E402

app.command(name="quality")(quality)
app.command(name="sql")(sql)
app.command(name="report")(report_command)
app.command(name="notices")(notices_command)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
