"""The Superset bundle as code, checked without a server: up to date, consistent, read-only, Chinese."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("zhicheng_superset_bundle_test", ROOT / "superset" / "bundle.py")
bundle = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = bundle
spec.loader.exec_module(bundle)
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_committed_bundle_matches_the_code():
    on_disk = {
        p.relative_to(bundle.ASSETS).as_posix(): p.read_text(encoding="utf-8") for p in bundle.ASSETS.rglob("*.yaml")
    }
    assert on_disk == bundle.bundle_files(), "superset/assets/ 已过时：请运行 python superset/bundle.py"


def test_uuids_are_deterministic_and_unique():
    files = bundle.bundle_files()
    uuids = [yaml.safe_load(text)["uuid"] for name, text in files.items() if name != "metadata.yaml"]
    assert len(uuids) == len(set(uuids))
    assert bundle.bundle_files() == files


def test_database_is_read_only_on_the_snapshot():
    db = bundle.database_yaml()
    assert db["sqlalchemy_uri"] == "duckdb:///{{SERVING_SNAPSHOT}}"
    connect_args = db["extra"]["engine_params"]["connect_args"]
    assert connect_args["read_only"] is True
    assert connect_args["config"]["enable_external_access"] is False
    assert not db["allow_dml"] and not db["allow_ctas"] and not db["allow_cvas"]


def test_charts_reference_existing_datasets_metrics_and_columns():
    for key, chart in bundle.CHARTS.items():
        dataset = bundle.DATASETS[chart["dataset"]]
        metrics = {m["metric_name"] for m in dataset["metrics"]}
        columns = {c["column_name"] for c in dataset["columns"]}
        for name in chart["metrics"] + ([chart["metric"]] if chart["metric"] else []):
            assert name in metrics, (key, name)
        for name in chart["groupby"] + chart["columns"] + ([chart["x_axis"]] if chart["x_axis"] else []):
            assert name in columns, (key, name)
    for key in bundle.DASHBOARDS:
        assert bundle.dashboard_charts(key)
        for filter_spec in bundle.DASHBOARDS[key]["filters"]:
            assert filter_spec[3] in {c["column_name"] for c in bundle.DATASETS[filter_spec[2]]["columns"]}


def test_labels_are_chinese():
    for dataset in bundle.DATASETS.values():
        for column in dataset["columns"]:
            assert CJK.search(column["verbose_name"]), column
        for metric in dataset["metrics"]:
            assert CJK.search(metric["verbose_name"]), metric
    for chart in bundle.CHARTS.values():
        assert CJK.search(chart["title"])
    for dashboard in bundle.DASHBOARDS.values():
        assert CJK.search(dashboard["title"])


def test_leadership_dashboard_has_the_filters_asked_for():
    labels = [f[1] for f in bundle.DASHBOARDS["leadership"]["filters"]]
    assert labels == ["年度", "评委会", "地区", "系列", "层级"]
    office = [f[1] for f in bundle.DASHBOARDS["title_office"]["filters"]]
    assert office[:5] == labels


def test_every_chart_dataset_has_every_filter_column():
    """A native filter applies to a chart by column name: each chart's dataset must carry each filter's column."""
    for key, spec in bundle.DASHBOARDS.items():
        for chart_key in bundle.dashboard_charts(key):
            columns = {c["column_name"] for c in bundle.DATASETS[bundle.CHARTS[chart_key]["dataset"]]["columns"]}
            for _, label, _, column in spec["filters"]:
                if label in {"年度", "评委会", "地区", "系列", "层级"}:
                    assert column in columns, (key, chart_key, label)


def test_small_groups_and_general_group_come_from_one_place():
    from dagster_project.forms import GENERAL_GROUP
    from dagster_project.settings import MIN_GROUP_SIZE

    metrics = {m["metric_name"]: m for m in bundle.DATASETS["group_pass_rates"]["metrics"]}
    assert f"SUM(evaluated) < {MIN_GROUP_SIZE}" in metrics["group_rate_small"]["expression"]
    assert str(MIN_GROUP_SIZE) in metrics["group_rate_small"]["verbose_name"]
    assert GENERAL_GROUP in metrics["general_rate_all"]["verbose_name"]
    assert set(bundle.SERIES_COLORS) >= {
        metrics[m]["verbose_name"] for m in bundle.CHARTS["pass_rate_by_group"]["metrics"]
    }
    assert "is_general" in metrics["general_rate_all"]["expression"]


def test_dataset_columns_exist_in_the_snapshot_views(fixture_snapshot):
    con = duckdb.connect(str(fixture_snapshot), read_only=True)
    try:
        for name, dataset in bundle.DATASETS.items():
            actual = {
                r[0]
                for r in con.execute(
                    (
                        "select column_name from information_schema.columns where table_schema = 'analyst' "
                        "and table_name = ?"
                    ),
                    [name],
                ).fetchall()
            }
            for column in dataset["columns"]:
                if column["expression"]:
                    con.execute(f"select {column['expression']} from analyst.{name} limit 1").fetchall()
                else:
                    assert column["column_name"] in actual, (name, column["column_name"])
            for metric in dataset["metrics"]:
                # a window metric (e.g. the general group's rate per committee and level) runs grouped by its partition
                partition = re.search(r"PARTITION BY ([\w, ]+)\)", metric["expression"])
                keys = partition.group(1) if partition else ""
                grouped = f"{keys}, " if keys else ""
                group_by = f" group by {keys}" if keys else ""
                con.execute(f"select {grouped}{metric['expression']} from analyst.{name}{group_by}").fetchall()
    finally:
        con.close()


def test_superset_config_fetches_nothing_from_outside():
    text = (ROOT / "superset" / "superset_config.py").read_text(encoding="utf-8")
    csp_block = text[text.index("_CSP = {") : text.index("TALISMAN_ENABLED")]
    assert "http" not in csp_block and "." not in csp_block.replace("'self'", "")
    assert "THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []" in text
    assert "SCARF_ANALYTICS = False" in text
