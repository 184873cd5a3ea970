"""What the Dagster UI shows: the inbox sensor on by default, a Chinese description on every dbt check."""

import json
import re

from dagster import DefaultSensorStatus

from dagster_project.transform.check_descriptions import GENERIC_TEMPLATES, describe_test
from dagster_project.transform.project import dbt_project

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_inbox_sensor_runs_by_default():
    from dagster_project.definitions import defs

    assert defs.resolve_sensor_def("inbox_sensor").default_status == DefaultSensorStatus.RUNNING


def test_every_dbt_check_has_a_chinese_description():
    from dagster_project.definitions import defs

    graph = defs.resolve_asset_graph()
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    # a test attached to a model is an asset check (a singular test on several models is not)
    tests = {
        v["name"]: v for v in manifest["nodes"].values() if v["resource_type"] == "test" and v.get("attached_node")
    }
    dbt_checks = [graph.get_check_spec(key) for key in graph.asset_check_keys if key.name in tests]
    assert len(dbt_checks) == len(tests)
    for spec in dbt_checks:
        assert spec.description and CJK.search(spec.description), spec.key
        assert "None" not in spec.description and "{" not in spec.description, spec.description
    # every kind of generic test in the project has its template; none falls back to the bare name
    kinds = {(t.get("test_metadata") or {}).get("name") for t in tests.values()} - {None}
    assert kinds <= set(GENERIC_TEMPLATES), kinds - set(GENERIC_TEMPLATES)


def test_description_reads_the_model_column_and_arguments():
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    (unique_id,) = [
        k
        for k, v in manifest["nodes"].items()
        if v["resource_type"] == "test"
        and (v.get("test_metadata") or {}).get("name") == "accepted_values"
        and v.get("column_name") == "severity"
        and v["attached_node"].endswith(".findings")
    ]
    text = describe_test(manifest, unique_id)
    assert text.startswith("表 marts.findings") and "“severity（" in text and "违规、提示" in text
    manifest["nodes"][unique_id]["meta"] = {"description": "自定义说明"}
    assert describe_test(manifest, unique_id) == "自定义说明"
