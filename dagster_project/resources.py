"""Resources shared by the assets: the run's settings, the warehouse (one writer at a time) and dbt."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from dagster import ConfigurableResource, EnvVar
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging import version

from dagster_project.settings import (
    DEFAULT_INBOX,
    DEFAULT_OUT,
    DEFAULT_WAREHOUSE,
    SEEDS_DIR,
    SETTINGS_ENV,
    Settings,
    pii_key,
    seeds_dir,
)
from dagster_project.transform import warm_dbt
from dagster_project.transform.project import DBT_EXECUTABLE, dbt_core_version, dbt_project

# Dagster writes the planned-asset events of a run (one per dbt model and test) in batches.
os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")


class SettingsResource(ConfigurableResource):
    """Where a run reads and writes, and the personal-data key: the one way settings reach the assets.

    The command line passes them as run configuration (resources.run_config); `make ui`, the sensor and
    a deployment take them from environment variables through EnvVar (resources.build_resources). The
    year of a run's documents is not a setting: it is the partition of the report and notices assets.
    """

    inbox: str = str(DEFAULT_INBOX)
    warehouse: str = str(DEFAULT_WAREHOUSE)
    out: str = str(DEFAULT_OUT)
    seeds: str = str(SEEDS_DIR)
    # The HMAC key for person_key / evaluator_key (ZHICHENG_PII_KEY through EnvVar, never a literal in
    # run configuration, which Dagster stores); without it the local key file .local/pii_key.
    pii_key: str | None = None

    def resolve(self, year: int | None = None) -> Settings:
        return Settings(
            inbox=Path(self.inbox),
            warehouse=Path(self.warehouse),
            out=Path(self.out),
            year=year,
            seeds_dir=Path(self.seeds),
        )

    def key(self) -> bytes:
        return self.pii_key.encode("utf-8") if self.pii_key else pii_key()


class DbtResource(DbtCliResource):
    """dagster-dbt's resource with dbt started once per run: the `dbt build` process.

    dagster-dbt would also run `dbt --version` in a process of its own and load the dbt
    project and adapter inside Dagster's process (used only for row counts and column
    metadata, which this project does not fetch): the dbt-core of dbt's environment gives the version.
    Its dbt executable is transform/warm_dbt.py: dbt already started by the command line, else dbt itself.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(dbt_core_version())

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001 - signature of the base class
        return None

    def cli_with(self, child_env: Mapping[str, str], args, **kwargs):
        """`cli` with extra environment variables for the dbt process only (its profile reads the
        warehouse path, its project the seed folder): dagster-dbt starts dbt inside `cli`."""
        with _environment({**child_env, warm_dbt.EXECUTABLE_ENV: DBT_EXECUTABLE}):
            return self.cli(args, **kwargs)


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_resources(settings: Settings | None = None) -> dict:
    """The resources of the code location: settings from the deployment's environment variables (EnvVar,
    read when a run starts) where they are set, else the project defaults; or the given ``settings``."""
    if settings is None:
        configured = {field: EnvVar(name) for field, name in SETTINGS_ENV.items() if os.environ.get(name)}
        configured["seeds"] = str(seeds_dir())  # the location's reference folder (ZHICHENG_SEEDS), as dbt reads it
    else:
        configured = run_config(settings)["resources"]["settings"]["config"]
        if "pii_key" in configured:  # an environment variable reference: as an EnvVar here
            configured["pii_key"] = EnvVar(configured["pii_key"]["env"])
    return {
        "settings": SettingsResource(**configured),
        "warehouse": DuckDBResource(database=configured.get("warehouse", SettingsResource().warehouse)),
        "dbt": DbtResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=warm_dbt.CLIENT,
        ),
    }


def run_config(settings: Settings) -> dict:
    """The run configuration that gives a run these settings (the command line's way; nothing goes
    through the environment). The key stays an environment variable reference where one is set."""
    config = {
        "inbox": str(settings.inbox),
        "warehouse": str(settings.warehouse),
        "out": str(settings.out),
        "seeds": str(settings.seeds_dir),
    }
    if os.environ.get(SETTINGS_ENV["pii_key"]):
        config["pii_key"] = {"env": SETTINGS_ENV["pii_key"]}
    return {
        "resources": {
            "settings": {"config": config},
            "warehouse": {"config": {"database": str(settings.warehouse)}},
        }
    }
