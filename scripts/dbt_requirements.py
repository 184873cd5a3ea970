"""The packages of dbt's environment (.venv-dbt), one per line: pyproject.toml's
[tool.zhicheng.dbt-environment] requires, and the project's own duckdb pin (the same DuckDB in both)."""

import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
duckdb = [pin for pin in project["project"]["dependencies"] if pin.split("==")[0] == "duckdb"]
print("\n".join(project["tool"]["zhicheng"]["dbt-environment"]["requires"] + duckdb))
