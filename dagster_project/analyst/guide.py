"""The table dictionary of docs/analyst-guide.md, generated from the dbt docs (the `description`
of every marts model and column in dbt/models/marts/*.yml) and, for the analyst views, from
the Chinese column labels of the Superset datasets (superset/bundle.py).

    python -m dagster_project.analyst.guide          # rewrite the dictionary in the guide
A test checks that the guide's dictionary equals what this produces.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import yaml

from dagster_project.contract import CONTRACT_MARTS
from dagster_project.settings import DBT_DIR, PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "analyst-guide.md"
BEGIN = "<!-- 表字典：由 python -m dagster_project.analyst.guide 生成，勿手改 -->"
END = "<!-- 表字典结束 -->"


def mart_docs() -> dict[str, dict]:
    """model name → {"description", "columns": [(name, description)]} from the marts yml files."""
    models: dict[str, dict] = {}
    for path in sorted((DBT_DIR / "models" / "marts").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in data.get("models", []):
            models[model["name"]] = {
                "description": " ".join(str(model.get("description", "")).split()),
                "columns": [
                    (c["name"], " ".join(str(c.get("description", "")).split())) for c in model.get("columns", [])
                ],
            }
    return models


def _bundle():
    spec = importlib.util.spec_from_file_location("zhicheng_superset_bundle", PROJECT_ROOT / "superset" / "bundle.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def dictionary() -> str:
    lines = [BEGIN, "", "### marts 层（对外稳定接口，说明取自 dbt 文档）", ""]
    docs = mart_docs()
    for name in [*CONTRACT_MARTS, *sorted(set(docs) - set(CONTRACT_MARTS))]:
        if name not in docs:
            continue
        model = docs[name]
        lines += [f"#### `marts.{name}`", "", model["description"], "", "| 列 | 说明 |", "|---|---|"]
        lines += [f"| `{column}` | {_cell(text)} |" for column, text in model["columns"]]
        lines.append("")
    bundle = _bundle()
    lines += ["### analyst 层（分析视图：marts 加上地区、报送单位、评委会名称）", ""]
    for name, spec in bundle.DATASETS.items():
        lines += [f"#### `analyst.{name}`", "", spec["description"], "", "| 列 | 中文名 |", "|---|---|"]
        lines += [
            f"| `{c['column_name']}` | {_cell(c['verbose_name'])} |" for c in spec["columns"] if not c["expression"]
        ]
        lines.append("")
    lines += [
        "#### `analyst.headline`",
        "",
        "年度总览：每年一行，applications（申报人数）、evaluated（参评）、passed（通过）、passed_valid（有效通过）、"
        "pass_rate_valid（有效通过率）、violations（违规条数）、advisories（提示条数）。",
        "",
        "#### `analyst.load_audit`",
        "",
        "文件载入情况：marts.load_audit 加上报送单位名称。",
        "",
        "#### `analyst.dim_regions`、`analyst.dim_committees`、`analyst.dim_submitters`、`analyst.dim_labels`",
        "",
        "地区、评审委员会的代码与名称（来自参考数据）；报送单位的代码、名称与类别（来自 marts.submitters）；"
        "代码的中文名（kind、code、label，来自参考数据 labels）。",
        "",
        "#### `analyst.snapshot_info`",
        "",
        "本快照的发布时间与行数。",
        "",
        END,
    ]
    return "\n".join(lines)


def current_dictionary(text: str) -> str:
    match = re.search(re.escape(BEGIN) + ".*?" + re.escape(END), text, re.S)
    if not match:
        raise ValueError("分析指南中没有表字典标记")
    return match.group(0)


def example_queries(text: str | None = None) -> list[tuple[str, str]]:
    """(title, sql) for every example in the guide: a '### 例 N：…' heading followed by a ```sql block."""
    text = text if text is not None else GUIDE.read_text(encoding="utf-8")
    pattern = re.compile(r"^### (例\s*\d+[：:].*?)\n.*?```sql\n(.*?)```", re.S | re.M)
    return [(title.strip(), sql.strip()) for title, sql in pattern.findall(text)]


def update_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    GUIDE.write_text(text.replace(current_dictionary(text), dictionary()), encoding="utf-8")


if __name__ == "__main__":
    update_guide()
    print(f"已更新表字典：{GUIDE}")
