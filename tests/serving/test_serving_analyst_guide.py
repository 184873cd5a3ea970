"""docs/analyst-guide.md: the dictionary matches the dbt docs, and every example query runs and returns rows."""

from __future__ import annotations

import duckdb

from dagster_project.analyst.guide import GUIDE, current_dictionary, dictionary, example_queries, mart_docs


def test_guide_dictionary_is_generated_from_the_dbt_docs():
    text = GUIDE.read_text(encoding="utf-8")
    assert current_dictionary(text) == dictionary(), "表字典已过时：请运行 python -m dagster_project.analyst.guide"
    for name, model in mart_docs().items():
        assert f"`marts.{name}`" in text
        for column, _description in model["columns"]:
            assert f"| `{column}` |" in text, (name, column)


def test_guide_has_at_least_ten_examples():
    examples = example_queries()
    assert len(examples) >= 10
    assert len({title for title, _ in examples}) == len(examples)


def _run_all(snapshot):
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return {title: con.execute(sql).fetchall() for title, sql in example_queries()}
    finally:
        con.close()


def test_every_example_runs_on_the_fixture_snapshot(fixture_snapshot):
    for title, rows in _run_all(fixture_snapshot).items():
        assert rows, f"{title} 没有返回任何行"


def test_every_example_runs_on_the_pipeline_snapshot(pipeline_run):
    snapshot = pipeline_run[1] / "serving.duckdb"
    assert snapshot.exists(), "zhicheng run 没有发布服务快照"
    for title, rows in _run_all(snapshot).items():
        assert rows, f"{title} 没有返回任何行"
