"""The suites as Dagster asset checks: present in a Definitions built from the real assets,
and a blocking load-integrity failure stops what is downstream of the marts in a real run."""

from __future__ import annotations

import os

import duckdb
from dagster import (
    AssetCheckKey,
    AssetKey,
    AssetSelection,
    DagsterInstance,
    Definitions,
    asset,
    define_asset_job,
    in_process_executor,
)

from dagster_project.quality.checks import CHECKS, DATASETS

GUARDED = [AssetKey(["marts", "load_audit"]), AssetKey(["marts", "applications"]), AssetKey(["marts", "findings"])]
PUBLISHED = AssetKey(["test_only", "published"])


@asset(key=PUBLISHED, deps=GUARDED)
def published() -> None:
    """Stands in for the serving snapshot: must not run on a broken warehouse."""


def build_test_defs(settings):
    from dagster_project.definitions import defs as real
    from dagster_project.resources import build_resources

    job = define_asset_job("quality_test_job", selection=AssetSelection.all(), executor_def=in_process_executor)
    return Definitions(
        assets=[*real.assets, published],
        asset_checks=[*CHECKS],
        jobs=[job],
        resources=build_resources(settings),
        executor=in_process_executor,
    )


def test_checks_are_in_the_definitions(tmp_path):
    from dagster_project.settings import Settings

    defs = build_test_defs(Settings(inbox=tmp_path, warehouse=tmp_path / "w.duckdb", out=tmp_path / "out"))
    graph = defs.get_repository_def().asset_graph
    check_keys = set(graph.asset_check_keys)
    for dataset in DATASETS:
        key = AssetCheckKey(AssetKey(list(dataset.guards)), dataset.check_name)
        assert key in check_keys, key
        assert graph.get_check_spec(key).blocking == dataset.blocking
    blocking_guards = {AssetKey(list(d.guards)) for d in DATASETS if d.blocking}
    assert blocking_guards == {
        AssetKey(["marts", "load_audit"]),
        AssetKey(["marts", "applications"]),
        AssetKey(["marts", "findings"]),
    }
    # the guarded marts are upstream of the publishing asset
    for key in blocking_guards:
        assert key in graph.get(PUBLISHED).parent_keys


def _run(defs, instance):
    from dagster_project.policy.years import year_partition

    return defs.get_job_def("quality_test_job").execute_in_process(
        instance=instance, raise_on_error=False, partition_key=year_partition(None)
    )


def _materialized(result, key) -> bool:
    return any(e.event_type_value == "ASSET_MATERIALIZATION" and e.asset_key == key for e in result.all_events)


def _evaluations(result) -> dict[str, object]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_blocking_check_stops_downstream_in_a_real_run(sample_inbox, tmp_path, monkeypatch):
    from dagster_project.settings import Settings

    warehouse, out = tmp_path / "warehouse.duckdb", tmp_path / "output"
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("PATH", os.path.dirname(os.sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    settings = Settings(inbox=sample_inbox, warehouse=warehouse, out=out)
    defs = build_test_defs(settings)
    instance = DagsterInstance.ephemeral()

    clean = _run(defs, instance)
    evaluations = _evaluations(clean)
    assert {d.check_name for d in DATASETS} <= set(evaluations)
    for dataset in DATASETS:
        evaluation = evaluations[dataset.check_name]
        if dataset.blocking:
            assert evaluation.passed, (dataset.check_name, evaluation.metadata)
        metadata = evaluation.metadata
        for field in ("evaluated", "unexpected_count", "first_unexpected_subjects", "data_docs_page"):
            assert field in metadata, (dataset.check_name, field)
        assert os.path.isfile(metadata["data_docs_page"].value)
    assert clean.success
    assert _materialized(clean, PUBLISHED)
    assert (out / "data_docs" / "index.html").is_file()
    from dagster_project.quality.commands import check_summary_lines

    lines = check_summary_lines(clean)
    assert lines[0].startswith("资产检查：通过")
    assert any("ge_load_files" in line and "[通过]" in line for line in lines)

    # break the warehouse: a loaded row disappears after loading (the file is unchanged, so it is not reloaded)
    con = duckdb.connect(str(warehouse))
    deleted = con.execute(
        "delete from raw.application_roster where rowid = (select min(rowid) from raw.application_roster "
        "where not _superseded) returning _source_file"
    ).fetchall()
    con.close()
    assert len(deleted) == 1

    broken = _run(defs, instance)
    assert not broken.success
    assert not _materialized(broken, PUBLISHED)
    evaluation = _evaluations(broken)["ge_load_files"]
    assert not evaluation.passed
    assert evaluation.metadata["unexpected_count"].value == 1
    assert any(deleted[0][0] in s for s in evaluation.metadata["first_unexpected_subjects"].value)
    failures = [e for e in broken.all_events if e.is_step_failure]
    messages = []
    for event in failures:
        error = event.step_failure_data.error
        while error.cause is not None:
            error = error.cause
        messages.append(error.message)
    assert any("数据完整性检查未通过，已停止发布" in m for m in messages), messages
