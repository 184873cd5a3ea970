"""Readers never see half a snapshot and never get an error while the pipeline publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from fixture_warehouse import make_warehouse

from dagster_project.publish.snapshot import SNAPSHOT_NAME, build_snapshot_from_file
from tests.conftest import run_zhicheng

HERE = Path(__file__).resolve().parent


def _start_reader(snapshot: Path, stop: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HERE / "snapshot_reader.py"), str(snapshot), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop_reader(reader: subprocess.Popen, stop: Path) -> dict:
    stop.touch()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_reader_during_repeated_publication(tmp_path):
    """Fast: 20 publications of alternating warehouses while a reader process queries without pause."""
    small = make_warehouse(tmp_path / "small.duckdb", seed=21, applications=60, years=(2022,))
    large = make_warehouse(tmp_path / "large.duckdb", seed=22, applications=400, years=(2021, 2022))
    out = tmp_path / "out"
    build_snapshot_from_file(small, out)
    stop = tmp_path / "stop"
    reader = _start_reader(out / SNAPSHOT_NAME, stop)
    try:
        time.sleep(0.5)
        for i in range(20):
            build_snapshot_from_file(large if i % 2 else small, out)
            time.sleep(0.1)
    finally:
        summary = _stop_reader(reader, stop)
    assert summary["error_count"] == 0, summary["errors"]
    assert summary["queries"] > 100
    assert summary["snapshots_seen"] >= 5, summary
    assert sorted(os.listdir(out)) == [SNAPSHOT_NAME]


def test_reader_while_the_pipeline_runs_several_times(pipeline_run, sample_inbox, tmp_path):
    """The real thing: `zhicheng run --force` (inputs unchanged, everything republished) ZHICHENG_READER_RUNS
    (default 1; the fast test above publishes 20 times) more times over the session's run while a reader queries."""
    warehouse, out, _ = pipeline_run
    snapshot = out / SNAPSHOT_NAME
    assert snapshot.exists(), "zhicheng run 没有发布服务快照"
    stop = tmp_path / "stop"
    reader = _start_reader(snapshot, stop)
    try:
        for _ in range(int(os.environ.get("ZHICHENG_READER_RUNS", "1"))):
            paths = ["--inbox", str(sample_inbox), "--warehouse", str(warehouse), "--out", str(out)]
            run_zhicheng("run", "--force", *paths, env={"DAGSTER_HOME": str(tmp_path / "dagster_home")})
    finally:
        summary = _stop_reader(reader, stop)
    assert summary["error_count"] == 0, summary["errors"]
    assert summary["queries"] > 0
    assert summary["snapshots_seen"] >= 2, summary  # every run published a new snapshot, and the reader saw them
