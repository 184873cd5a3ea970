"""A re-run after one corrected roster: dbt rebuilds what reads the changed raw tables and nothing else, the
warehouse is the one a full build makes of the same rows, and only the notices whose inputs changed are made."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from dagster_project.sample.corrections import correct_roster
from dagster_project.settings import DBT_DIR, Settings, build_target_dir, dbt_environment
from dagster_project.transform import selection
from dagster_project.transform.project import DBT_EXECUTABLE
from tests.conftest import _run_pipeline

LAYERS = ("reference", "staging", "intermediate", "marts")
CODE = "150125"


def _digests(warehouse: Path) -> dict[str, tuple]:
    """Every relation of the dbt layers: its row count and the sum of its rows' hashes."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            f"({', '.join(repr(s) for s in LAYERS)}) order by all"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'select count(*), coalesce(sum(hash(r)), 0) from "{s}"."{t}" r').fetchone()
            for s, t in relations
        }
    finally:
        con.close()


def _pledge_findings(warehouse: Path) -> set[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return set(
            con.execute(
                "select r.recipient_code, f.finding_id from marts.findings f "
                "join marts.notice_recipients r using (finding_id) where r.channel = '告知书'"
            ).fetchall()
        )
    finally:
        con.close()


def _pdf_mtimes(out: Path) -> dict[str, int]:
    return {p.name.split("_")[0]: p.stat().st_mtime_ns for p in (out / "notices" / "2022").glob("*.pdf")}


@pytest.fixture(scope="module")
def corrected(pipeline_run, sample_inbox, tmp_path_factory) -> SimpleNamespace:
    """The session's run copied (its own output folder: the first run there builds everything), then one
    county's corrected roster and a second run."""
    warehouse, out, _ = pipeline_run
    work = tmp_path_factory.mktemp("corrected")
    inbox, copy, copy_out = work / "inbox", work / "warehouse.duckdb", work / "output"
    shutil.copytree(sample_inbox, inbox)
    shutil.copy2(warehouse, copy)
    shutil.copytree(out, copy_out)
    first = _run_pipeline(inbox, copy, copy_out)
    before = SimpleNamespace(findings=_pledge_findings(copy), pdfs=_pdf_mtimes(copy_out))
    correct_roster(inbox, CODE)
    again = _run_pipeline(inbox, copy, copy_out)
    return SimpleNamespace(
        first=first, again=again, before=before, warehouse=copy, out=copy_out, work=work, pdfs=_pdf_mtimes(copy_out)
    )


def test_the_rerun_builds_only_what_reads_the_changed_tables(corrected):
    assert "dbt 开始构建：参考数据" in corrected.first.stdout  # another output folder: everything is built
    stdout = corrected.again.stdout
    assert "新载入 1 个" in stdout, stdout
    assert "只有“F1 申报人员花名册”" in stdout and "只重建读取它们的模型与测试" in stdout, stdout
    # the tables the run names as changed: the corrected roster's forms, its load audit (and quarantine)
    by_label = {label: table for table, label in selection.labels().items()}
    named = re.search(r"只有(.*?)变了", stdout).group(1)
    changed = {by_label[label] for label in re.findall(r"“([^”]+)”", named)}
    assert {"raw.application_roster", "raw.load_audit"} <= changed
    assert not changed & {"raw.evaluation_outcomes", "raw.evaluator_roster", "reference.workday_calendar"}
    # what the run kept and built: exactly the nodes not built from those tables, and the others
    unaffected = selection.unaffected(changed)
    kept = int(re.search(r"沿用上次结果 (\d+) 个", stdout).group(1))
    summary = re.search(r"dbt 构建完成：([^；]*)", stdout).group(1)
    built = sum(int(n) for n in re.findall(r"(\d+) 个", summary))
    models_and_seeds = sum(
        1 for n in selection._manifest()["nodes"].values() if n["resource_type"] in ("model", "seed")
    )
    assert kept == len(unaffected) > 0 and built == models_and_seeds - kept > 0
    seeds = {uid for uid, n in selection._manifest()["nodes"].items() if n["resource_type"] == "seed"}
    assert "reference" not in summary and seeds <= {n["unique_id"] for n in unaffected}  # no seed loaded again
    # every node built from those tables ran, tests included (also one that reads a kept seed), and no other
    target = build_target_dir(corrected.warehouse)
    results = json.loads((target / "run_results.json").read_text())
    ran = {r["unique_id"] for r in results["results"]}
    # the build ran on the parse the dbt started early made (the manifest it wrote is that parse's)
    parse = json.loads((target / "manifest.json").read_text())["metadata"]["invocation_id"]
    assert parse != results["metadata"]["invocation_id"]
    nodes = selection._manifest()["nodes"]
    assert ran == {
        u for u in selection.affected(changed) if u in nodes and nodes[u]["resource_type"] in selection.BUILT
    }
    assert any(nodes[u]["resource_type"] == "test" and set(nodes[u]["depends_on"]["nodes"]) & seeds for u in ran)
    assert "运行完成" in stdout


def test_the_rerun_leaves_the_warehouse_a_full_build_makes(corrected, tmp_path):
    """dbt build of every node on a copy of the re-run's warehouse changes no relation of any layer."""
    full = tmp_path / "full.duckdb"
    shutil.copy2(corrected.warehouse, full)
    env = {**os.environ, **dbt_environment(replace(Settings.defaults(), warehouse=full)), "DO_NOT_TRACK": "1"}
    result = subprocess.run(
        [DBT_EXECUTABLE, "build", "--exclude-resource-type", "unit_test", "--target-path", str(tmp_path / "target")],
        cwd=DBT_DIR,
        env={**env, "DBT_PROFILES_DIR": str(DBT_DIR)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert _digests(full) == _digests(corrected.warehouse)
    # and the correction did reach the marts: the pledge finding of that row came or went
    assert _pledge_findings(corrected.warehouse) != corrected.before.findings


def test_only_the_notices_whose_inputs_changed_are_made_again(corrected):
    after = _pledge_findings(corrected.warehouse)
    routed = {code for code, _ in after ^ corrected.before.findings}
    expected = routed | {CODE}  # and the county whose files changed
    printed = {code for code, mtime in corrected.pdfs.items() if corrected.before.pdfs.get(code) != mtime}
    assert printed == expected
    assert len(printed) < len(corrected.pdfs) / 2
