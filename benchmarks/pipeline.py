"""End-to-end benchmark: `zhicheng run` on a generated inbox against the floors of the same machine.

    python benchmarks/pipeline.py [--size 400|100k|1M|<n>] [--submitters N] [--work DIR]

Sizes: 400 (the demo inbox, 2022 reference data), 100k (default: a province-year, about
1,000 files from 250 submitters) and 1M (500 submitters). Scaled inboxes come from
dagster_project/sample/scale.py, with their reference rows in a temporary seeds folder
(ZHICHENG_SEEDS), never in seeds/.

Printed: per stage (boot, each Dagster step, tail) the wall time and the peak memory of
the whole process tree (psutil, polled every 0.1 s); the floors measured in the same
sitting — reading the same sheets with fastexcel alone, and the compiled SQL of the
seeds, models and tests of that run executed in one DuckDB connection — with the ratio of
each stage to its floor and of the whole run to the sum of floors; then a re-run with
nothing changed and a re-run after one county's corrected roster. The last line is
`pipeline benchmark: size=… files=… total=…s floor=…s ratio=… rerun_nothing=…s
rerun_one_file=…s peak_rss=…MB`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dagster_project.ingest.reader import CSV_SUFFIXES, SPREADSHEET_SUFFIXES, decode_csv  # noqa: E402
from dagster_project.sample.corrections import correct_roster  # noqa: E402
from dagster_project.settings import SEEDS_ENV, build_target_dir  # noqa: E402

ZHICHENG = str(Path(sys.executable).parent / "zhicheng")
SIZES = {"400": (400, None), "100k": (100_000, 250), "1M": (1_000_000, 500)}
STEP_NAMES = {
    "raw_inbox": "载入收件箱",
    "reference__workday_calendar": "工作日历",
    "warehouse_dbt_assets": "dbt 构建",
    "data_quality_suites": "质量检查（GE）",
    "notices__submitter_notices": "一次性告知书",
    "report__annual_report": "年度报告",
    "serving__snapshot": "服务快照",
    "meta__run_fingerprint": "输入指纹",
}
FLOOR_OF = {"raw_inbox": "read", "warehouse_dbt_assets": "sql"}


# --------------------------------------------------------------------------- running


@dataclass
class RunMeasure:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    samples: list[tuple[float, float, float]] = field(default_factory=list)  # (epoch, MB, CPU seconds of the tree)
    started: float = 0.0
    ended: float = 0.0
    cpu: float = 0.0  # user + system seconds of the whole tree
    steal: float = 0.0  # share of the machine's CPU time the hypervisor gave to others meanwhile (a VM's "steal")


def _tree_usage(proc: psutil.Process) -> tuple[float, float]:
    """(RSS in MB, CPU seconds so far) of a process and its descendants (reaped children included)."""
    rss, cpu = 0, 0.0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0.0, 0.0
    for p in procs:
        try:
            with p.oneshot():
                rss += p.memory_info().rss
                t = p.cpu_times()
                cpu += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return rss / 2**20, cpu


def run_measured(args: list[str], env: dict[str, str]) -> RunMeasure:
    """Run a command, polling the RSS of its process tree; stdout is kept."""
    started = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ps = psutil.Process(proc.pid)
    samples: list[tuple[float, float, float]] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            samples.append((time.time(), *_tree_usage(ps)))
            done.wait(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine0 = psutil.cpu_times()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    poller.join()
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    samples.append((time.time(), 0.0, cpu))
    peak = max((mb for _, mb, _ in samples), default=0.0)
    return RunMeasure(seconds, peak, proc.returncode, out, samples, started, time.time(), cpu, _steal(machine0))


def _steal(before) -> float:  # noqa: ANN001 - psutil's cpu_times tuple
    """The share of the machine's CPU time since ``before`` that the hypervisor spent elsewhere (0 off a VM)."""
    after = psutil.cpu_times()
    total = sum(after) - sum(before)
    return (getattr(after, "steal", 0.0) - getattr(before, "steal", 0.0)) / total if total > 0 else 0.0


def step_times(dagster_home: Path) -> list[tuple[str, float, float, str]]:
    """(step key, start epoch, end epoch, status) of the latest run, from the Dagster event log."""
    from dagster import DagsterEventType, DagsterInstance

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    with DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        kinds = {
            DagsterEventType.STEP_START,
            DagsterEventType.STEP_SUCCESS,
            DagsterEventType.STEP_FAILURE,
            DagsterEventType.STEP_SKIPPED,
        }
        starts: dict[str, float] = {}
        steps = []
        for record in instance.all_logs(run.run_id, of_type=kinds):
            kind = record.dagster_event.event_type
            if kind == DagsterEventType.STEP_START:
                starts[record.step_key] = record.timestamp
            elif kind == DagsterEventType.STEP_SKIPPED:
                steps.append((record.step_key, record.timestamp, record.timestamp, "跳过"))
            else:
                status = "成功" if kind == DagsterEventType.STEP_SUCCESS else "失败"
                steps.append((record.step_key, starts.get(record.step_key, record.timestamp), record.timestamp, status))
    return sorted(steps, key=lambda s: s[1])


def peak_between(samples: list[tuple[float, float, float]], start: float, end: float) -> float:
    inside = [mb for t, mb, _ in samples if start - 0.05 <= t <= end + 0.05]
    return max(inside, default=0.0)


def cpu_between(samples: list[tuple[float, float, float]], start: float, end: float) -> float:
    """CPU seconds of the process tree between two moments (nearest samples)."""
    before = [c for t, _, c in samples if t <= start + 0.05] or [0.0]
    after = [c for t, _, c in samples if t >= end - 0.05] or [samples[-1][2] if samples else 0.0]
    return max(0.0, after[0] - before[-1])


# --------------------------------------------------------------------------- floors


def read_floor(inbox: Path) -> tuple[float, float, int]:
    """Seconds to read every sheet of every inbox file with fastexcel (CSV: decode + csv module)."""
    import fastexcel

    files = sorted(p for p in inbox.glob("[0-9]*/*/*") if p.is_file())
    t0, c0 = time.perf_counter(), time.process_time()
    rows = 0
    for path in files:
        suffix = path.suffix.lower()
        if suffix in SPREADSHEET_SUFFIXES:
            reader = fastexcel.read_excel(str(path))
            for name in reader.sheet_names:
                rows += reader.load_sheet(name, header_row=None, dtypes="string").to_arrow().num_rows
        elif suffix in CSV_SUFFIXES:
            rows += sum(1 for _ in csv.reader(io.StringIO(decode_csv(path.read_bytes()))))
    return time.perf_counter() - t0, time.process_time() - c0, rows


def _relation(node: dict) -> str:
    return f'"{node["database"]}"."{node["schema"]}"."{node["alias"] or node["name"]}"'


def sql_floor(warehouse: Path, target: Path, work: Path) -> tuple[float, float, int]:
    """Seconds to run the run's seeds, models and tests (compiled SQL, run_results order) in one connection."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    copy = work / "floor" / warehouse.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(warehouse, copy)
    statements = []
    for result in results:
        node = manifest["nodes"].get(result["unique_id"])
        if node is None:
            continue
        kind = node["resource_type"]
        if kind == "seed":
            types = node["config"].get("column_types") or {}
            seed_path = Path(node["root_path"]) / node["original_file_path"]
            typed = ", ".join(f"'{k}': '{v}'" for k, v in types.items())
            statements.append(
                f"create or replace table {_relation(node)} as select * from read_csv('{seed_path}', header = true"
                + (f", types = {{{typed}}})" if typed else ")")
            )
            continue
        code = node.get("compiled_code")
        if code is None:
            compiled = target / "compiled" / node["package_name"] / node["original_file_path"]
            code = compiled.read_text(encoding="utf-8") if compiled.exists() else None
        if code is None:
            continue
        if kind == "model":
            materialized = node["config"]["materialized"]
            if materialized == "ephemeral":
                continue
            what = "view" if materialized == "view" else "table"
            statements.append(f"create or replace {what} {_relation(node)} as {code}")
        elif kind == "test":
            statements.append(f"select count(*) from ({code}) dbt_internal_test")
    con = duckdb.connect(str(copy))
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        for statement in statements:
            con.execute(statement).fetchall()
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        con.close()
    return seconds, cpu, len(statements)


# --------------------------------------------------------------------------- inbox


def roster_rows(inbox: Path, year: int = 2022) -> int:
    """F1 rows of the year in the inbox (the generator's expected_sheets.csv manifest)."""
    with (inbox / "expected_sheets.csv").open(encoding="utf-8", newline="") as fh:
        return sum(
            int(r["rows_read"]) for r in csv.DictReader(fh) if r["form"] == "F1" and r["file"].startswith(f"{year}/")
        )


def make_inbox(work: Path, applications: int, submitters: int | None) -> tuple[Path, Path | None, int]:
    inbox = work / "inbox"
    if submitters is None:
        from dagster_project.sample.generator import generate_inbox

        generate_inbox(inbox, seed=2022, applications=applications)
        return inbox, None, roster_rows(inbox)
    from dagster_project.sample.scale import generate_scaled_inbox

    scaled = generate_scaled_inbox(inbox, work / "seeds", applications=applications, submitters=submitters)
    return inbox, scaled.seeds_dir, roster_rows(inbox)


# --------------------------------------------------------------------------- report


def fmt_mb(mb: float) -> str:
    return f"{mb:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="端到端性能基准：zhicheng run 与同机下限（fastexcel 读取、DuckDB 直接执行 SQL）对比"
    )
    parser.add_argument("--size", default="100k", help="规模：400（演示）、100k（一省一年，默认）、1M，或申报人数")
    parser.add_argument("--submitters", type=int, default=None, help="报送单位数（默认：100k 为 250，1M 为 500）")
    parser.add_argument("--work", type=Path, default=None, help="工作目录（默认临时目录，结束后删除）")
    args = parser.parse_args(argv)
    applications, submitters = SIZES.get(args.size, (None, None))
    if applications is None:
        applications = int(args.size)
        submitters = None if applications <= 2000 else max(23, applications // 400)
    if args.submitters is not None:
        submitters = args.submitters

    work = args.work or Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _bench(work, applications, submitters)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def _bench(work: Path, applications: int, submitters: int | None) -> int:
    print(f"工作目录：{work}；CPU {os.cpu_count()} 核，开始时负载 {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    inbox, seeds, rows_f1 = make_inbox(work, applications, submitters)
    files = sum(1 for p in inbox.glob("[0-9]*/*/*") if p.is_file())
    codes = {p.parent.name for p in inbox.glob("[0-9]*/*/*")}
    seconds = time.perf_counter() - t0
    print(f"生成收件箱：{files} 个文件，{len(codes)} 个报送单位文件夹，本年度花名册 {rows_f1} 行，{seconds:.1f} 秒")

    dagster_home = work / "dagster_home"
    dagster_home.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "dagster_home" / "dagster.yaml", dagster_home / "dagster.yaml")
    warehouse, out = work / "warehouse.duckdb", work / "output"
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "DO_NOT_TRACK": "1"}
    env.setdefault("ZHICHENG_PII_KEY", "benchmark-key-not-secret")
    if seeds is not None:
        env[SEEDS_ENV] = str(seeds)
    command = [ZHICHENG, "run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--out", str(out)]

    first = run_measured(command, env)
    if first.returncode != 0:
        print(first.stdout[-5000:])
        print(f"错误：zhicheng run 失败（退出码 {first.returncode}）")
        return 1
    steps = step_times(dagster_home)

    target = build_target_dir(warehouse)
    read_s, read_cpu, read_rows = read_floor(inbox)
    sql_s, sql_cpu, statements = sql_floor(warehouse, target, work)
    floors = {"read": (read_s, read_cpu), "sql": (sql_s, sql_cpu)}
    floor_total, floor_cpu = read_s + sql_s, read_cpu + sql_cpu

    print()
    print("各阶段：墙钟用时、进程树 CPU 时间（用户+系统，机器繁忙时更可比）、内存峰值；下限与倍数（墙钟 / CPU）")
    print(f"{'阶段':<14}{'用时':>8}{'CPU':>8}{'内存峰值':>11}{'下限':>8}{'下限CPU':>9}{'倍数':>7}{'CPU倍数':>8}")
    boot_end = steps[0][1] if steps else first.ended
    rows = [("启动（首个步骤前）", first.started, boot_end, None)]
    rows += [
        (STEP_NAMES.get(key, key) + ("" if status == "成功" else f"（{status}）"), s, e, FLOOR_OF.get(key))
        for key, s, e, status in steps
    ]
    rows.append(("收尾（末个步骤后）", steps[-1][2] if steps else first.ended, first.ended, None))
    for name, start, end, floor_key in rows:
        seconds, cpu = end - start, cpu_between(first.samples, start, end)
        line = f"{name:<14}{seconds:>8.1f}{cpu:>8.1f}{fmt_mb(peak_between(first.samples, start, end)):>11}"
        if floor_key:
            wall, fcpu = floors[floor_key]
            line += f"{wall:>8.2f}{fcpu:>9.2f}{seconds / wall if wall else 0:>7.1f}{cpu / fcpu if fcpu else 0:>8.1f}"
        print(line)
    ratio = first.seconds / floor_total if floor_total else 0.0
    cpu_ratio = first.cpu / floor_cpu if floor_cpu else 0.0
    print(
        f"{'合计':<14}{first.seconds:>8.1f}{first.cpu:>8.1f}{fmt_mb(first.peak_mb):>11}"
        f"{floor_total:>8.2f}{floor_cpu:>9.2f}{ratio:>7.1f}{cpu_ratio:>8.1f}"
    )
    dbt_step = next((e - s for key, s, e, _ in steps if key == "warehouse_dbt_assets"), 0.0)
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    dbt_elapsed = run_results["elapsed_time"]
    nodes = sum(r["execution_time"] for r in run_results["results"])
    print(
        f"dbt 构建步骤 {dbt_step:.1f} 秒 = dbt 自报运行 {dbt_elapsed:.1f} 秒（其中各节点执行合计 {nodes:.1f} 秒，"
        f"{len(run_results['results'])} 个节点）+ dbt 启动与解析、Dagster 事件流 {dbt_step - dbt_elapsed:.1f} 秒"
    )
    print(
        f"下限：fastexcel 读取全部工作表 {read_s:.2f} 秒（CPU {read_cpu:.2f} 秒，{read_rows} 行）；"
        f"本次运行的种子、模型与测试的编译 SQL 在一个 DuckDB 连接中执行 {sql_s:.2f} 秒"
        f"（CPU {sql_cpu:.2f} 秒，{statements} 条语句）"
    )

    nothing = run_measured(command, env)
    print(
        f"重跑（无变化）：{nothing.seconds:.1f} 秒（CPU {nothing.cpu:.1f} 秒），内存峰值 {fmt_mb(nothing.peak_mb)}"
        + ("" if nothing.returncode == 0 else f"，失败（退出码 {nothing.returncode}）")
    )
    corrected = correct_roster(inbox)
    one = run_measured(command, env)
    print(
        f"重跑（{corrected.relative_to(inbox)} 更正一个单元格）：{one.seconds:.1f} 秒（CPU {one.cpu:.1f} 秒），"
        f"内存峰值 {fmt_mb(one.peak_mb)}" + ("" if one.returncode == 0 else f"，失败（退出码 {one.returncode}）")
    )
    for key, s, e, status in step_times(dagster_home):
        print(f"  {STEP_NAMES.get(key, key)}：{e - s:.1f} 秒（{status}）")
    peak = max(first.peak_mb, nothing.peak_mb, one.peak_mb)
    print(f"结束时负载 {os.getloadavg()[0]:.1f}")
    # on a VM the host may give part of each core to others: the same run is then slower by about that share
    runs = (("首次运行", first), ("无变化重跑", nothing), ("一个文件更正后重跑", one))
    print("测量期间宿主机占去的 CPU（steal）：" + "，".join(f"{label} {m.steal:.0%}" for label, m in runs))
    print(
        f"pipeline benchmark: size={applications} files={files} total={first.seconds:.1f}s floor={floor_total:.1f}s "
        f"ratio={ratio:.2f} rerun_nothing={nothing.seconds:.1f}s rerun_one_file={one.seconds:.1f}s "
        f"peak_rss={peak:.0f}MB"
    )
    return 0 if nothing.returncode == 0 and one.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
