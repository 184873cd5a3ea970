"""Faults: kill -9 at every stage, two runs at once, interrupted output swaps (issue 13 items 1–2)."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from dagster_project.ingest import writer_lock
from dagster_project.publish.swap import JOURNAL_NAME, recover_outputs, staged_folders
from tests.fuzz.conftest import mart_rows, start_run

# a line `zhicheng run` prints when each stage begins
STAGES = {
    "ingest": "读取收件箱",
    "dbt": "dbt 开始构建",
    "checks": "数据质量检查：开始",
    "documents": "年度监管报告……",
    "publish": "发布服务快照……",
}


def _run_until(process, marker: str, timeout: float = 1500) -> list[str]:
    lines, deadline = [], time.monotonic() + timeout
    for line in process.stdout:
        lines.append(line)
        if marker in line or time.monotonic() > deadline:
            break
    return lines


def _kill_tree(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


@pytest.mark.parametrize("stage", list(STAGES))
def test_kill_9_at_each_stage_then_next_run_completes_with_the_same_marts(
    stage, small_inbox, small_clean_run, tmp_path
):
    killed = start_run(small_inbox, tmp_path)
    lines = _run_until(killed, STAGES[stage])
    assert STAGES[stage] in lines[-1], "".join(lines[-20:])
    os.kill(killed.pid, signal.SIGKILL)  # the CLI only: its dbt, readers or browser may live on
    killed.wait()
    orphans = writer_lock.descendants(1)  # (noted for clean-up only)
    assert killed.returncode == -signal.SIGKILL

    started = time.monotonic()
    after = start_run(small_inbox, tmp_path)
    output, _ = after.communicate(timeout=1800)
    assert after.returncode == 0, output[-3000:]
    assert "运行完成" in output
    assert "发现上次中断的运行" in output and "已标记为失败" in output  # the dead run is recovered, in Chinese
    assert time.monotonic() - started < 1700
    assert mart_rows(tmp_path / "warehouse.duckdb") == mart_rows(small_clean_run)
    del orphans


def test_second_run_on_the_same_warehouse_is_refused_naming_the_first(small_inbox, tmp_path):
    first = start_run(small_inbox, tmp_path)
    try:
        _run_until(first, "开始运行")
        holder = writer_lock.holder(tmp_path / "warehouse.duckdb")
        assert holder is not None and holder.pid == first.pid
        second = start_run(small_inbox, tmp_path)
        output, _ = second.communicate(timeout=120)
        assert second.returncode == 4, output
        assert f"进程 {first.pid}" in output and "正在被另一次运行使用" in output and "已拒绝" in output
        assert "开始运行" not in output  # nothing was done
    finally:
        first.send_signal(signal.SIGTERM)
        try:
            first.communicate(timeout=120)
        except Exception:  # noqa: BLE001 - clean-up
            first.kill()
            first.communicate()
    assert first.returncode in (130, -signal.SIGKILL, 1), first.returncode


def test_folders_of_one_run_are_swapped_together_or_not_at_all(tmp_path):
    out = tmp_path / "output"
    report, notices = out / "report" / "2022", out / "notices" / "2022"
    for folder, text in ((report, "旧报告"), (notices, "旧告知书")):
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text(text, encoding="utf-8")
    with pytest.raises(RuntimeError):  # a failing build changes nothing
        with staged_folders(out, [report, notices]) as (new_report, new_notices):
            (new_report / "a.txt").write_text("新报告", encoding="utf-8")
            raise RuntimeError("渲染失败")
    assert (report / "a.txt").read_text(encoding="utf-8") == "旧报告"
    assert not list(out.glob("*/.*.building"))
    # a run killed after the journal was written and one folder swapped: the next run completes the swap
    staging_report, staging_notices = report.with_name(".2022.building"), notices.with_name(".2022.building")
    for staging, text in ((staging_report, "新报告"), (staging_notices, "新告知书")):
        staging.mkdir()
        (staging / "a.txt").write_text(text, encoding="utf-8")
    (out / JOURNAL_NAME).write_text(
        json.dumps([[str(staging_report), str(report)], [str(staging_notices), str(notices)]]), encoding="utf-8"
    )
    report.rename(report.with_name(".2022.old"))
    staging_report.rename(report)
    said = []
    recover_outputs(out, said.append)
    assert (report / "a.txt").read_text(encoding="utf-8") == "新报告"
    assert (notices / "a.txt").read_text(encoding="utf-8") == "新告知书"
    assert not (out / JOURNAL_NAME).exists() and not list(out.glob("*/.2022.*"))
    assert any("已补完替换" in s for s in said)


def test_stale_building_folder_is_cleaned(tmp_path):
    out = tmp_path / "output"
    (out / "report" / ".2022.building").mkdir(parents=True)
    (out / ".serving.duckdb.12345.tmp").write_bytes(b"x")
    said = []
    removed = recover_outputs(out, said.append)
    assert len(removed) == 2 and not (out / "report" / ".2022.building").exists()
    assert said and "已清理上次中断的运行留下的" in said[0]
