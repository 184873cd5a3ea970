"""dbt seeds, models and tests as Dagster assets and asset checks."""


import contextlib
from collections import Counter
from collections.abc import Mapping
from typing import Any

from dagster import AssetCheckResult, AssetCheckSpec, AssetExecutionContext, AssetKey, AssetSpec, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from dagster_project.progress import say
from dagster_project.settings import WAREHOUSE_POOL
from dagster_project.transform.check_descriptions import describe_test
from dagster_project.transform.project import dbt_project

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

    def get_asset_check_spec(self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project) -> AssetCheckSpec | None:
        """Every dbt test's check carries a Chinese description (check_descriptions.py)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        description = describe_test(manifest, unique_id, project.project_dir if project else None)
        return AssetCheckSpec(name=spec.name, asset=spec.asset_key, description=description,
                              additional_deps=spec.additional_deps, metadata=spec.metadata, blocking=spec.blocking)


translator = ZhichengDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
)
def warehouse_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    """dbt build: seeds, staging, intermediate and marts, with every dbt test as an asset check."""
    built: Counter[str] = Counter()
    checks: Counter[bool] = Counter()
    say("dbt 开始构建：参考数据 → staging → intermediate → marts")
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    # dbt echoes every event on stdout; its full log stays in dbt/logs/dbt.log.
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
    )
    if not invocation.is_successful():
        raise RuntimeError(f"dbt 构建失败，详见 {dbt_project.project_dir / 'logs' / 'dbt.log'}")
