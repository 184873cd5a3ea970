"""dbt seeds, models and tests as Dagster assets and asset checks.

A production run builds seeds, models and data tests in one `dbt build` (the unit tests of
the formulas run in CI: tests/dbt), and skips the build when the run's inputs equal those of
the last complete run (transform/fingerprint.py); the last asset of the run marks it complete.
When only some raw tables changed since that run (same program, reference data and outputs),
the build selects what reads them (transform/selection.py); the other models keep what that
run built, and are reported to Dagster as unchanged so that the steps after them run.
"""

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    Output,
    asset,
)
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets
from dagster_duckdb import DuckDBResource

from dagster_project.progress import say
from dagster_project.quality import runner as quality_runner
from dagster_project.resources import DbtResource, SettingsResource
from dagster_project.settings import WAREHOUSE_POOL, build_target_dir, dbt_environment
from dagster_project.transform import fingerprint, selection
from dagster_project.transform.check_descriptions import describe_test
from dagster_project.transform.project import dbt_project, ensure_manifest

# Production builds leave the unit tests to CI (tests/dbt runs `dbt build` with them). dbt's file log keeps
# errors only: at its default (debug: every statement in full) writing it took about an eighth of a re-run's
# build; each node's compiled SQL stays in the target folder, its result in run_results.json.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test", "--log-level-file", "error"]

LAYER_GROUPS = {"reference": "reference", "staging": "staging", "intermediate": "intermediate", "marts": "marts"}


class ZhichengDbtTranslator(DagsterDbtTranslator):
    """Asset keys are <schema>/<name>, so raw → reference → staging → intermediate → marts reads plainly."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props.get("schema")
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props.get("schema")
        return LAYER_GROUPS.get(schema, "transform")

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str, project
    ) -> AssetCheckSpec | None:
        """Every dbt test's check carries a Chinese description (check_descriptions.py)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        description = describe_test(manifest, unique_id, project.project_dir if project else None)
        return AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=description,
            additional_deps=spec.additional_deps,
            metadata=spec.metadata,
            blocking=spec.blocking,
        )


translator = ZhichengDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
)
def warehouse_dbt_assets(
    context: AssetExecutionContext, dbt: DbtResource, settings: SettingsResource, warehouse: DuckDBResource
):
    """dbt build: seeds, staging, intermediate and marts, with every dbt test as an asset check."""
    # the documents' year (the run's partition) is an input: another year's report is a new output
    run = settings.resolve(int(context.partition_key) if context.has_partition_key else None)
    with warehouse.get_connection() as con:
        inputs = fingerprint.compute(con, run)
        forced = context.run.tags.get(fingerprint.FORCE_TAG) == "1"
        if not forced and fingerprint.unchanged_since_last_complete_run(con, run, inputs):
            say("输入未变（没有新文件，参考数据与程序未变）：跳过 dbt 构建、质量检查与发布，上次运行的结果仍然有效")
            return
        changed = None if forced else fingerprint.changed_tables(con, run, inputs)
        fingerprint.record(con, inputs, fingerprint.BUILDING)
    built: Counter[str] = Counter()
    checks: Counter[bool] = Counter()
    args, kept = list(BUILD_ARGS), 0
    if changed is None:
        say("dbt 开始构建：参考数据 → staging → intermediate → marts")
    else:
        say(
            f"dbt 开始构建：自上次完整运行以来只有{selection.describe(changed)}变了，只重建读取它们的模型与测试"
            "（其余沿用上次运行的结果）"
        )
        kept = yield from _unchanged(context, selection.unaffected(changed))
        if not selection.affected(changed):
            say(f"dbt 构建完成：没有模型读取这些表，{kept} 个全部沿用上次运行的结果")
            return
        excluded = selection.excluded(changed)
        if excluded:
            # every node not to run is named (tests too): dbt's eager indirect selection would also drop the
            # tests of a rebuilt model that read a kept one (findings' rule ids against the rules seed)
            args += ["--exclude", " ".join(excluded), "--indirect-selection", "empty"]
    # dbt works in its own process: meanwhile this one imports what the quality checks after it need
    quality_runner.import_in_background()
    # One target folder per warehouse, kept between runs: dbt's partial parse of the last run is reused.
    target = build_target_dir(run.warehouse)
    invocation = dbt.cli_with(dbt_environment(run), args, context=context, raise_on_error=False, target_path=target)
    # dbt echoes every event on stdout (kept here); its own log (errors) is the target folder's dbt.log.
    logs = dbt_project.project_dir / "logs"
    logs.mkdir(exist_ok=True)
    with open(logs / "dagster_dbt_stdout.log", "w", encoding="utf-8") as echo:
        with contextlib.redirect_stdout(echo):
            for event in invocation.stream():
                if isinstance(event, Output):
                    key = context.asset_key_for_output(event.output_name)
                    built[key.path[0]] += 1
                elif isinstance(event, AssetCheckResult):
                    checks[event.passed] += 1
                yield event
    say(
        "dbt 构建完成："
        + "，".join(f"{layer} {count} 个" for layer, count in built.items() if layer)
        + f"；dbt 测试通过 {checks[True]} 项，未通过 {checks[False]} 项"
        + ("" if changed is None else f"；沿用上次结果 {kept} 个")
    )
    if not invocation.is_successful():
        raise RuntimeError(
            f"dbt 构建失败，详见 {target / 'dbt.log'}（错误）与 {logs / 'dagster_dbt_stdout.log'}（全部事件）"
        )


def _unchanged(context: AssetExecutionContext, nodes: Iterable[Mapping[str, Any]]) -> Iterator[MaterializeResult]:
    """The selected models, seeds and snapshots this build does not redo (none of their sources changed since the
    last complete run), parents first: reported as materialized with what that run built, so that the steps
    that read them run. Returns how many."""
    kept = 0
    for node in nodes:
        key = translator.get_asset_key(node)
        if key in context.selected_asset_keys:
            kept += 1
            yield MaterializeResult(
                asset_key=key, metadata={"本次构建": "未重建：读取的表自上次完整运行以来未变，沿用其结果"}
            )
    return kept


RUN_COMPLETE_KEY = AssetKey(["meta", "run_fingerprint"])
# The outputs of a run (publish, report, notices): the fingerprint is complete once they are written.
RUN_OUTPUT_KEYS = [
    AssetKey(["serving", "snapshot"]),
    AssetKey(["report", "annual_report"]),
    AssetKey(["notices", "submitter_notices"]),
]


@asset(
    key=RUN_COMPLETE_KEY,
    deps=RUN_OUTPUT_KEYS,
    group_name="publish",
    pool=WAREHOUSE_POOL,
    description="本次运行的输入指纹（文件、参考数据、程序）：快照、报告与告知书都已写出后记为完成；下次输入未变时跳过重算",
)
def run_fingerprint(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        value = fingerprint.mark_complete(con)
    return MaterializeResult(metadata={"fingerprint": value or ""})
