"""Resources shared by the assets: the warehouse (one writer at a time) and dbt."""

from __future__ import annotations

import os
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging import version

from dagster_project.settings import Settings
from dagster_project.transform.project import DBT_EXECUTABLE, dbt_project

# Dagster writes the planned-asset events of a run (one per dbt model and test) in batches.
os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")


class DbtResource(DbtCliResource):
    """dagster-dbt's resource with dbt started once per run: the `dbt build` process.

    dagster-dbt would also run `dbt --version` in a process of its own and load the dbt
    project and adapter inside Dagster's process (used only for row counts and column
    metadata, which this project does not fetch): the installed dbt-core gives the version.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001 - signature of the base class
        return None


def build_resources(settings: Settings | None = None) -> dict:
    settings = settings or Settings.from_env()
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        "warehouse": DuckDBResource(database=str(settings.warehouse)),
        "dbt": DbtResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=DBT_EXECUTABLE,
        ),
    }
