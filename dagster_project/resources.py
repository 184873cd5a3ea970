"""Resources shared by the assets: the warehouse (one writer at a time) and dbt."""

from __future__ import annotations


from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from dagster_project.settings import Settings
from dagster_project.transform.project import DBT_EXECUTABLE, dbt_project


def build_resources(settings: Settings | None = None) -> dict:
    settings = settings or Settings.from_env()
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        "warehouse": DuckDBResource(database=str(settings.warehouse)),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=DBT_EXECUTABLE,
        ),
    }
