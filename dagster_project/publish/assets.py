"""The publish asset: serving/snapshot → <out>/serving.duckdb.

It depends on every dbt model of schema `marts`, so Dagster runs it only after they
materialised in the same run, and a failed blocking check on any of them (dbt tests of
severity error, the quality suites' blocking checks) skips it: the previous snapshot stays.
"""

from collections.abc import Sequence

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from dagster_project.progress import say
from dagster_project.publish.snapshot import build_snapshot
from dagster_project.resources import SettingsResource
from dagster_project.settings import WAREHOUSE_POOL

SNAPSHOT_KEY = AssetKey(["serving", "snapshot"])


def mart_keys_of(assets_defs: Sequence) -> list[AssetKey]:
    """The asset keys under `marts/` among the given assets definitions (e.g. the dbt assets)."""
    keys = set()
    for assets_def in assets_defs:
        keys.update(k for k in assets_def.keys if k.path[0] == "marts")
    return sorted(keys, key=lambda k: k.to_user_string())


def build_serving_snapshot_asset(mart_keys: Sequence[AssetKey]):
    """The publish asset, depending on `mart_keys` (built by a factory so tests can give it any upstream)."""
    if not mart_keys:
        raise ValueError("发布资产必须依赖 marts 层的资产")

    @asset(
        key=SNAPSHOT_KEY,
        deps=list(mart_keys),
        group_name="publish",
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        description=(
            "服务快照：把 marts.* 与 analyst 分析视图写入 <输出目录>/serving.duckdb（先写临时文件再原子替换），"
            "仪表板与分析人员只读这个文件；不含身份证号与姓名。上游的阻断性检查失败时不发布。"
        ),
    )
    def serving_snapshot(
        context: AssetExecutionContext, settings: SettingsResource, warehouse: DuckDBResource
    ) -> MaterializeResult:
        with warehouse.get_connection() as con:
            result = build_snapshot(con, settings.resolve().out)
        context.log.info(f"服务快照已发布：{result.path}（{result.seconds} 秒）")
        say(f"服务快照已发布：{result.path}")
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(result.path)),
                "published_at": result.published_at,
                "seconds": result.seconds,
                "row_counts": MetadataValue.json(result.tables),
                "views": MetadataValue.json(result.views),
            }
        )

    return serving_snapshot


def _default_assets() -> list:
    from dagster_project.transform.assets import warehouse_dbt_assets

    return [build_serving_snapshot_asset(mart_keys_of([warehouse_dbt_assets]))]


ASSETS = _default_assets()
