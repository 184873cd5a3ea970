"""The `zhicheng` command line (help texts in Chinese)."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import typer


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

# At exit Python's last garbage collection walks every object of the run (Dagster's definitions,
# the dbt manifest): about 2 s spent after the run has finished. Frozen objects are not walked.
atexit.register(gc.freeze)

app = typer.Typer(
    help="呼和浩特市职称评审监管数据平台：载入各单位报送材料、计算规则与指标、生成报告。",
    no_args_is_help=True,
    add_completion=False,
)

# Exit status of `zhicheng run` (README, 输出).
EXIT_FAILED = 1  # a step failed (details printed); the previous snapshot stays
EXIT_UNREADABLE = 3  # the run completed, but some inbox files could not be read (recorded as 未识别)
EXIT_BUSY = 4  # another run holds the warehouse: nothing was done
EXIT_STOPPED = 130  # stopped by Ctrl-C / SIGTERM; the previous snapshot stays
STOP_GRACE_SECONDS = 10.0


def _fail(message: str, code: int = 1) -> None:
    from dagster_project.documents.errors import exit_with

    exit_with(message, code)


def _unreadable_files(result) -> int:
    """How many inbox files could not be read (the ingestion asset's count; 0 when it did not run)."""
    for materialization in result.asset_materializations_for_node("raw_inbox"):
        if materialization.asset_key.path == ["raw", "load_audit"]:
            entry = materialization.metadata.get("files_unreadable")
            return int(entry.value) if entry is not None else 0
    return 0


class _Stopped(Exception):
    pass


def _watch_signals(receiver, stop_seen) -> None:
    """Read signal numbers written by the wakeup fd; call stop_seen for each stop signal."""
    import signal

    while True:
        try:
            data = receiver.recv(64)
        except OSError:
            return
        if not data:
            return
        for number in data:
            if number in (signal.SIGINT, signal.SIGTERM):
                stop_seen()


@contextmanager
def _stop_on_signals(say):
    """Ctrl-C and SIGTERM stop the run: Dagster interrupts the running step (it handles both
    signals while it executes), and if the process has not ended after a grace period, or at a
    second signal, it ends its children and itself at once — a run killed at any point is
    recovered by the next one. Yields a dict whose "signals" counts the stop signals received."""
    import signal
    import socket
    import threading

    from dagster_project.ingest.writer_lock import descendants

    state = {"signals": 0}

    def hard_stop() -> None:
        for pid in reversed(descendants(os.getpid())):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        say("运行已强制停止：上次发布的结果保持不变，下次运行会自动恢复")
        os._exit(EXIT_STOPPED)

    def stop_seen() -> None:
        state["signals"] += 1
        if state["signals"] > 1:
            hard_stop()
        say("收到停止信号，正在停止本次运行（上次发布的结果保持不变）……")
        timer = threading.Timer(STOP_GRACE_SECONDS, hard_stop)
        timer.daemon = True
        timer.start()

    # Whoever's Python handler runs (ours or Dagster's), the signal number reaches this socket.
    receiver, sender = socket.socketpair()
    sender.setblocking(False)

    def on_signal(signum, frame) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    previous_fd = signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
    threading.Thread(target=_watch_signals, args=(receiver, stop_seen), daemon=True, name="zhicheng-stop").start()
    try:
        yield state
        if state["signals"]:
            raise _Stopped()
    except KeyboardInterrupt:
        raise _Stopped() from None
    finally:
        signal.set_wakeup_fd(previous_fd)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sender.close()
        receiver.close()


def _take_warehouse(settings, wait: bool, say) -> None:
    from dagster_project.ingest import writer_lock

    def waiting(holder) -> None:
        say(f"数据仓库正被另一次运行使用（{holder.describe() if holder else '另一进程'}），等待它结束……")

    try:
        writer_lock.acquire(settings.warehouse, wait=wait, on_wait=waiting)
    except writer_lock.WarehouseBusy as busy:
        _fail(f"{busy}。本次运行已拒绝，没有做任何改动；请等它结束后再运行，或加 --wait 排队等待", EXIT_BUSY)
    writer_lock.end_leftover_writers(settings.warehouse, say)


@app.command()
def run(
    inbox: Path | None = typer.Option(
        None, "--inbox", help="收件箱目录（<年度>/<报送单位代码>/文件），也可用环境变量 ZHICHENG_INBOX"
    ),
    warehouse: Path | None = typer.Option(
        None, "--warehouse", help="DuckDB 数据仓库文件，也可用环境变量 ZHICHENG_WAREHOUSE"
    ),
    out: Path | None = typer.Option(None, "--out", help="输出目录（默认 output/），也可用环境变量 ZHICHENG_OUT"),
    year: int | None = typer.Option(None, "--year", help="报告与告知书的年度（默认：有政策数据的最近年度）"),
    wait: bool = typer.Option(False, "--wait", help="数据仓库正被另一次运行使用时排队等待（默认：立即拒绝）"),
    force: bool = typer.Option(False, "--force", help="即使输入未变也全部重新计算并发布（默认：输入未变时跳过）"),
) -> None:
    """运行完整流程：载入收件箱、计算全部规则与指标、检查数据质量、发布结果。"""
    from dataclasses import replace

    from dagster_project.progress import say
    from dagster_project.settings import DBT_PYTHON, Settings, dbt_build_environment, ensure_local_key
    from dagster_project.transform import warm_dbt

    settings = replace(Settings.defaults(inbox, warehouse, out), year=year)
    if not settings.inbox.is_dir():
        _fail(f"收件箱目录不存在：{settings.inbox}")
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    _take_warehouse(settings, wait, say)  # before anything else: a second run is refused at once
    _, created = ensure_local_key()
    if created:
        typer.echo("未设置 ZHICHENG_PII_KEY：已生成随机本地密钥文件 .local/pii_key（未纳入版本库，请妥善保管）")
    settings.out.mkdir(parents=True, exist_ok=True)
    # dbt's imports and parse (about 3 s) on the other core while Dagster starts and the inbox loads
    with warm_dbt.start(DBT_PYTHON, dbt_build_environment(settings)):
        result = _execute(settings, year, force, say)
    _report(result, settings)


def _execute(settings, year: int | None, force: bool, say):  # noqa: ANN001, ANN202 - Settings, progress.say
    """The main job on ``settings``, in this process; its result."""
    from dataclasses import replace

    from dagster_project import launch
    from dagster_project.definitions import MAIN_JOB_NAME
    from dagster_project.ingest.writer_lock import recover_stale_runs, run_tags
    from dagster_project.policy.years import UnknownYearError, year_partition
    from dagster_project.publish.swap import recover_outputs
    from dagster_project.transform.fingerprint import FORCE_TAG

    try:
        settings = replace(settings, year=int(year_partition(year)))
    except UnknownYearError as exc:
        _fail(str(exc))
    try:
        with launch.instance() as instance, _stop_on_signals(say):
            recover_outputs(settings.out, say)
            recover_stale_runs(instance, say)
            say(f"开始运行：收件箱 {settings.inbox}，数据仓库 {settings.warehouse}，输出 {settings.out}")
            tags = {**run_tags(), **({FORCE_TAG: "1"} if force else {})}
            return launch.execute(MAIN_JOB_NAME, settings, instance=instance, tags=tags)
    except _Stopped:
        typer.secho("运行已停止：上次发布的结果保持不变，下次运行会自动恢复", fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_STOPPED) from None


def _report(result, settings) -> None:
    from dagster_project.launch import failure_messages
    from dagster_project.progress import say
    from dagster_project.quality.commands import print_check_summary

    print_check_summary(result)
    if not result.success:
        for message in failure_messages(result) or ["运行失败（详见 Dagster 日志）"]:
            typer.secho(message, fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_FAILED)
    say("运行完成。请打开：")
    from dagster_project.documents.outputs import closing_lines

    for line in closing_lines(settings.warehouse, settings.out, settings.year):
        typer.echo(f"  {line}")
    unreadable = _unreadable_files(result)
    if unreadable:
        typer.secho(
            f"注意：收件箱中有 {unreadable} 个文件无法读取，已记为“未识别”（原因见 raw.load_audit 的 reason 列）；"
            f"退出状态 {EXIT_UNREADABLE}",
            fg=typer.colors.YELLOW,
            err=True,
        )
        raise typer.Exit(EXIT_UNREADABLE)


@app.command()
def sample(
    out: Path = typer.Option(..., "--out", help="写入示例收件箱的目录"),
    seed: int = typer.Option(2022, "--seed", help="随机种子（相同种子生成完全相同的文件）"),
    applications: int = typer.Option(400, "--applications", help="申报人数（背景数据规模）"),
    reference: Path | None = typer.Option(
        None, "--reference", help="含第二个政策年度的参考数据目录：另生成该年度的文件（两个年度的收件箱）"
    ),
) -> None:
    """生成 2022 年的示例收件箱（含各种不规范情形、违规注入与标准答案 ground_truth.csv）。"""
    from dagster_project.sample.generator import generate_inbox
    from dagster_project.sample.second_year import generate_two_year_inbox

    truths = (
        [generate_inbox(out, seed=seed, applications=applications)]
        if reference is None
        else generate_two_year_inbox(out, reference, seed=seed, applications=applications)
    )
    typer.echo(f"示例收件箱已写入：{out}")
    for truth in truths:
        typer.echo(f"注入违规的标准答案：{truth}")


@app.command()
def templates(out: Path = typer.Option(..., "--out", help="写入报送模板的目录")) -> None:
    """为每种报送表生成 Excel 模板（表头、下拉选项、日期格式与填表说明）。"""
    from dagster_project.sample.templates import write_templates

    for path in write_templates(out):
        typer.echo(f"模板：{path}")


from dagster_project.analyst.commands import sql  # noqa: E402
from dagster_project.notices.commands import notices_command  # noqa: E402
from dagster_project.policy.commands import policy_import, policy_workbook  # noqa: E402
from dagster_project.quality.commands import quality  # noqa: E402
from dagster_project.report.commands import report_command  # noqa: E402

app.command(name="quality")(quality)
app.command(name="sql")(sql)
app.command(name="report")(report_command)
app.command(name="notices")(notices_command)
app.command(name="policy-workbook")(policy_workbook)
app.command(name="policy-import")(policy_import)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
