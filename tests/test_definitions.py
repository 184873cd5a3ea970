"""The whole Definitions object loads, with every asset, job, sensor and check."""

from dagster import AssetKey

from dagster_project.forms import FORMS


def test_definitions_load():
    from dagster_project.definitions import MAIN_JOB_NAME, defs

    repo = defs.get_repository_def()
    keys = set(repo.asset_graph.get_all_asset_keys())
    for form in FORMS.values():
        assert AssetKey(["raw", form.table]) in keys
    assert AssetKey(["raw", "load_audit"]) in keys
    assert AssetKey(["reference", "workday_calendar"]) in keys
    assert AssetKey(["reference", "policy_calendar"]) in keys
    for mart in ("findings", "applications", "pass_rate_by_group", "load_audit"):
        assert AssetKey(["marts", mart]) in keys, mart
    assert defs.resolve_job_def(MAIN_JOB_NAME) is not None
    assert defs.resolve_sensor_def("inbox_sensor") is not None
    # every dbt source is wired to an asset that produces it: no gap from file to mart
    graph = repo.asset_graph
    for key in keys:
        node = graph.get(key)
        for parent in node.parent_keys:
            assert parent in keys, f"{key} depends on {parent}, which no asset produces"
