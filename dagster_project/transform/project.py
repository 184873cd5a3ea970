"""The dbt project, kept in its own module: dagster-dbt needs its manifest at import time."""

from __future__ import annotations

import os
import subprocess
from importlib.metadata import distributions
from pathlib import Path

from dagster_dbt import DbtProject

from dagster_project.settings import DBT_DIR, DBT_ENVIRONMENT, SEEDS_DIR, Settings, dbt_environment

os.environ.setdefault("DO_NOT_TRACK", "1")

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
DBT_EXECUTABLE = str(DBT_ENVIRONMENT / "bin" / "dbt")


def dbt_core_version() -> str:
    """The version of dbt-core installed in dbt's environment."""
    packages = [str(p) for p in DBT_ENVIRONMENT.glob("lib/python*/site-packages")]
    for distribution in distributions(name="dbt-core", path=packages):
        return distribution.version
    raise RuntimeError(f"dbt 的运行环境不存在或不完整：{DBT_ENVIRONMENT}（请先运行 make setup）")


def _sources_newer_than(manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    # the dbt command is written again whenever dbt-core is installed: a new dbt parses the project again
    watched = [DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml", Path(DBT_EXECUTABLE)]
    for folder in (DBT_DIR / "models", DBT_DIR / "macros", DBT_DIR / "tests", SEEDS_DIR):
        if folder.exists():
            watched.extend(p for p in folder.rglob("*") if p.is_file())
    return any(p.exists() and p.stat().st_mtime > built for p in watched)


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than a model, macro, seed or dbt itself.

    The parse runs with the dbt environment of a run with the default settings (the deployment's warehouse
    and seed folder, settings.dbt_environment). dagster-dbt copies this parse (target/partial_parse.msgpack)
    into the target folder of a warehouse's first run, and dbt reuses it only when the profile (the warehouse
    path) and the environment variables dbt_project.yml reads are the same: so the first run on the default
    warehouse (`make demo`) skips dbt's full parse, about 3.5 s.
    """
    if _sources_newer_than(dbt_project.manifest_path):
        result = subprocess.run(
            [DBT_EXECUTABLE, "parse", "--quiet", "--profiles-dir", str(DBT_DIR)],
            cwd=DBT_DIR,
            env={**os.environ, **dbt_environment(Settings.defaults())},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0 or not dbt_project.manifest_path.exists():
            raise RuntimeError(f"dbt 项目解析失败（dbt parse）：\n{result.stdout}\n{result.stderr}")
    return dbt_project.manifest_path
