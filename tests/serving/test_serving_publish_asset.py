"""The publish asset in Dagster: it runs after the marts, and a failed blocking check upstream stops it."""

from __future__ import annotations

import duckdb
import pytest
from dagster import AssetCheckResult, AssetCheckSpec, AssetKey, AssetSpec, MaterializeResult, materialize, multi_asset
from dagster_duckdb import DuckDBResource
from fixture_warehouse import make_warehouse

from dagster_project.publish.assets import SNAPSHOT_KEY, build_serving_snapshot_asset, mart_keys_of
from dagster_project.publish.snapshot import SNAPSHOT_NAME
from dagster_project.resources import SettingsResource


def _marts_asset(check_passes: bool):
    """Stands in for the dbt multi-asset: two marts, with a blocking check like a dbt test of severity error."""
    findings, applications = AssetKey(["marts", "findings"]), AssetKey(["marts", "applications"])

    @multi_asset(
        specs=[AssetSpec(findings), AssetSpec(applications)],
        check_specs=[AssetCheckSpec("unique_findings_key", asset=findings, blocking=True)],
        name="fake_marts",
    )
    def fake_marts():
        yield MaterializeResult(asset_key=findings)
        yield AssetCheckResult(asset_key=findings, check_name="unique_findings_key", passed=check_passes)
        yield MaterializeResult(asset_key=applications)

    return fake_marts


@pytest.mark.parametrize("check_passes", [True, False])
def test_blocking_check_upstream_decides_publication(tmp_path, check_passes):
    warehouse = make_warehouse(tmp_path / "w.duckdb", seed=11, applications=30, years=(2022,))
    out = tmp_path / "out"
    marts = _marts_asset(check_passes)
    publish = build_serving_snapshot_asset(mart_keys_of([marts]))
    assert set(publish.asset_deps[SNAPSHOT_KEY]) == {
        AssetKey(["marts", "findings"]),
        AssetKey(["marts", "applications"]),
    }

    resources = {
        "settings": SettingsResource(warehouse=str(warehouse), out=str(out)),
        "warehouse": DuckDBResource(database=str(warehouse)),
    }
    result = materialize([marts, publish], resources=resources, raise_on_error=False)
    published = [e.asset_key for e in result.get_asset_materialization_events() if e.asset_key == SNAPSHOT_KEY]
    if check_passes:
        assert result.success
        assert published == [SNAPSHOT_KEY]
        con = duckdb.connect(str(out / SNAPSHOT_NAME), read_only=True)
        assert con.execute("select count(*) from marts.applications").fetchone()[0] == 30
    else:
        assert published == []
        assert not (out / SNAPSHOT_NAME).exists()


def test_publish_asset_depends_on_every_dbt_mart():
    from dagster_project.publish.assets import ASSETS
    from dagster_project.transform.assets import warehouse_dbt_assets

    marts = {k for k in warehouse_dbt_assets.keys if k.path[0] == "marts"}
    assert marts, "dbt 项目中没有 marts 模型"
    (publish,) = ASSETS
    assert set(publish.asset_deps[SNAPSHOT_KEY]) == marts
