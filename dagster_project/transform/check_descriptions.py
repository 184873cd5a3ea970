"""Chinese descriptions of the dbt tests, shown on their Dagster asset checks.

A test's own description (``description:`` or ``meta.description`` in its YAML) wins. Otherwise a
generic test is described from its name and arguments by the one template per test kind below,
with the model's and column's Chinese descriptions from the manifest; a singular test by the
first comment line of its SQL file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

# one template per generic test; placeholders: {table} {column} {values} {columns} {expression} {min} {max}
GENERIC_TEMPLATES = {
    "not_null": "{table}的“{column}”不得为空。",
    "not_null_columns": "{table}的{columns}都不得为空。",
    "unique": "{table}的“{column}”不得重复。",
    "accepted_values": "{table}的“{column}”只能取以下值之一：{values}。",
    "relationships": "{table}的“{column}”必须在参照表中存在。",
    "unique_combination": "{table}中（{columns}）的组合不得重复。",
    "expression_is_true": "{table}的每一行都须满足：{expression}。",
    "value_between": "{table}的“{column}”须在 {min} 与 {max} 之间。",
}
FALLBACK = "dbt 测试 {name}（{table}）。"


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""


def _table_label(manifest: Mapping[str, Any], node_id: str | None) -> str:
    node = manifest.get("nodes", {}).get(node_id or "") or manifest.get("sources", {}).get(node_id or "") or {}
    if not node:
        return "数据表"
    schema = node.get("config", {}).get("schema") or node.get("schema") or ""
    name = f"{schema}.{node.get('name')}" if schema else str(node.get("name"))
    summary = _first_line(node.get("description")).split("：")[0].split("，")[0].rstrip("。")
    return f"表 {name}（{summary}）" if summary else f"表 {name}"


def _column_label(manifest: Mapping[str, Any], node_id: str | None, column: str | None) -> str:
    if not column:
        return ""
    node = manifest.get("nodes", {}).get(node_id or "") or {}
    described = _first_line(node.get("columns", {}).get(column, {}).get("description"))
    label = described.split("（")[0].split("：")[0].split("；")[0].rstrip("。")
    return f"{column}（{label}）" if label else column


def _singular_comment(test: Mapping[str, Any], project_dir: Path | None) -> str:
    if project_dir is None or not test.get("original_file_path"):
        return ""
    path = Path(project_dir) / test["original_file_path"]
    if not path.exists():
        return ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("--"):
            return line.strip().lstrip("-").strip()
        if line.strip():
            break
    return ""


def describe_test(manifest: Mapping[str, Any], test_unique_id: str, project_dir: Path | None = None) -> str:
    """The Chinese description of one dbt test (never empty)."""
    test = manifest.get("nodes", {}).get(test_unique_id, {})
    own = (
        test.get("description")
        or test.get("meta", {}).get("description")
        or test.get("config", {}).get("meta", {}).get("description")
    )
    if own:
        return own
    metadata = test.get("test_metadata") or {}
    kwargs = metadata.get("kwargs", {})
    attached = test.get("attached_node") or next(iter(test.get("depends_on", {}).get("nodes", [])), None)
    fields = {
        "name": test.get("name", test_unique_id),
        "table": _table_label(manifest, attached),
        "column": _column_label(manifest, attached, kwargs.get("column_name") or test.get("column_name")),
        "values": "、".join(str(v) for v in kwargs.get("values", [])),
        "columns": "、".join(_column_label(manifest, attached, c) for c in kwargs.get("columns", [])),
        "expression": kwargs.get("expression", ""),
        "min": kwargs.get("min_value", ""),
        "max": kwargs.get("max_value", ""),
    }
    template = GENERIC_TEMPLATES.get(metadata.get("name", ""))
    if template:
        return template.format(**fields)
    comment = _singular_comment(test, project_dir)
    if comment:
        return comment
    return FALLBACK.format(**fields)
