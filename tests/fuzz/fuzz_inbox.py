"""`make fuzz`: a sample inbox with the hostile entries and N mutated workbooks, one `zhicheng run`.

Prints the number of files, crashes (entries missing from load_audit, a run that died, a file
that broke the loader: must be 0), rows lost (rows read but neither loaded nor quarantined, or
loaded rows missing from the raw tables: must be 0), and the peak memory of the run (largest sum
of the resident memory of the run's processes, sampled every 0.2 s).

    python -m tests.fuzz.fuzz_inbox --files 10000 [--work /tmp/fuzz]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.forms import FORMS
from dagster_project.ingest.writer_lock import descendants
from tests.conftest import PROJECT_ROOT, ZHICHENG
from tests.fuzz.conftest import start_run
from tests.fuzz.hostile import write_hostile, write_mutated

STAGES = (
    ("读取收件箱", "ingest"),
    ("dbt 开始构建", "dbt"),
    ("数据质量检查：开始", "checks"),
    ("年度监管报告……", "documents"),
    ("发布服务快照……", "publish"),
)


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared between processes (a browser's) are counted once overall."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode("utf-8", "replace").rsplit("/", 1)[-1]
    except OSError:
        return "?"


def _run(inbox: Path, work: Path) -> tuple[int, str, dict[str, float], float]:
    key = {"ZHICHENG_PII_KEY": os.environ.get("ZHICHENG_PII_KEY", "fuzz-key-not-secret")}
    started = time.monotonic()
    log = open(work / "run.log", "w+", encoding="utf-8")
    process = start_run(inbox, work, stdout=log, env=key)
    peaks: dict[str, int] = {}
    stage = "start"
    while process.poll() is None:
        text = (work / "run.log").read_text(encoding="utf-8", errors="replace")
        stage = next((name for marker, name in reversed(STAGES) if marker in text), stage)
        total = sum(_pss_kb(p) for p in [process.pid, *descendants(process.pid)])
        peaks[stage] = max(peaks.get(stage, 0), total)
        time.sleep(0.2)
    log.seek(0)
    return process.returncode, log.read(), {k: v / 1024 for k, v in peaks.items()}, time.monotonic() - started


def _counts(warehouse: Path, entries: set[str]) -> tuple[int, int, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        audited = {r[0] for r in con.execute("select file from raw.load_audit").fetchall()}
        missing = len(entries - audited)
        unbalanced = con.execute(
            "select coalesce(sum(rows_read - rows_loaded - rows_quarantined), 0) from raw.load_audit"
        ).fetchone()[0]
        loaded = con.execute("select coalesce(sum(rows_loaded), 0) from raw.load_audit").fetchone()[0]
        stored = sum(con.execute(f"select count(*) from raw.{form.table}").fetchone()[0] for form in FORMS.values())
        internal = con.execute("select count(*) from raw.load_audit where reason like '%程序内部错误%'").fetchone()[0]
        return missing, int(unbalanced) + abs(int(loaded) - int(stored)), internal
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="mutated workbooks")
    parser.add_argument("--applications", type=int, default=60)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="zhicheng-fuzz-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    inbox = work / "inbox"
    sample = [ZHICHENG, "sample", "--out", str(inbox), "--seed", "2022", "--applications", str(args.applications)]
    subprocess.run(sample, check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    (inbox / "ground_truth.csv").unlink(missing_ok=True)
    roster = next(p for p in sorted(inbox.glob("2022/*/*.xlsx")) if "花名册" in p.name)
    entries = set(write_hostile(inbox)) | set(write_mutated(inbox, roster, args.files, args.seed))
    entries |= {
        p.relative_to(inbox).as_posix()
        for p in inbox.glob("[0-9]*/*/*")
        if p.name.isprintable() and p.is_file() and not p.is_symlink() and p.name[0] not in ".~"
    }
    code, output, peaks, seconds = _run(inbox, work)
    died = code not in (0, 3)
    missing, lost, internal = _counts(work / "warehouse.duckdb", entries) if not died else (len(entries), 0, 0)
    crashes = missing + internal + (1 if died else 0)
    if died:
        print(output[-3000:], file=sys.stderr)
    stages = " ".join(f"{name}={mb:.0f}MB" for name, mb in peaks.items())
    print(
        f"fuzz: files={len(entries)} crashes={crashes} rows_lost={lost} peak_memory={max(peaks.values()):.0f}MB "
        f"exit={code} seconds={seconds:.0f} work={work}"
    )
    print(f"fuzz: peak memory by stage (PSS of the run's processes): {stages}")
    return 0 if crashes == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
