"""Run a job of the platform from the command line: the settings as run configuration, the year as the partition.

`zhicheng run`, `zhicheng report` and `zhicheng notices` start their work here, so a report made from the
command line is the same Dagster materialisation (of the year's partition) as one made by the UI or the sensor.
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

from dagster_project.settings import PROJECT_ROOT, Settings

DAGSTER_HOME = PROJECT_ROOT / "dagster_home"


def instance():
    """The Dagster instance: the folder DAGSTER_HOME names (make sets it), else the project's dagster_home/.

    Its dagster.yaml as written, with the run's events stored through connections kept open
    (event_log.py): the same files Dagster's own storage writes under ``history/runs``.
    """
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    home = Path(os.environ.get("DAGSTER_HOME") or DAGSTER_HOME)
    home.mkdir(parents=True, exist_ok=True)
    events = {
        "module": "dagster_project.event_log",
        "class": "KeptOpenSqliteEventLogStorage",
        "config": {"base_dir": str(home / "history" / "runs")},
    }
    return DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides={"event_log_storage": events}))


def execute(job_name: str, settings: Settings, *, instance, tags: dict[str, str] | None = None, asset_selection=None):
    """Execute ``job_name`` in this process for the year of ``settings`` (its partition) and return the result."""
    from dagster_project.definitions import defs
    from dagster_project.policy.years import year_partition
    from dagster_project.resources import run_config

    # The definitions live as long as the process: kept out of the garbage collector's full passes
    gc.freeze()
    # A run whose inputs are unchanged skips dbt and the quality suites, so their blocking checks have no
    # result: Dagster says so in English once per check. The run's Chinese summary says what was skipped.
    logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    config = run_config(settings)
    # Dagster's own event log stays in the instance (make ui); the terminal shows Chinese progress.
    config["loggers"] = {"console": {"config": {"log_level": "ERROR"}}}
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance,
        partition_key=year_partition(settings.year),
        run_config=config,
        raise_on_error=False,
        tags=tags or {},
        asset_selection=asset_selection,
    )


def failure_messages(result) -> list[str]:
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            # the innermost cause carries the message the asset raised
            while error.cause is not None:
                error = error.cause
            messages.append(f"步骤 {event.step_key} 失败：{error.message.strip()}")
    return messages


def documents_settings(year: int | None, **paths: Path | None) -> Settings:
    """The settings of a documents command: its options, else the deployment's; the year checked against the
    policy years (a Chinese message ends the command when there is no such year)."""
    from dataclasses import replace

    from dagster_project.documents.errors import exit_with
    from dagster_project.policy.years import UnknownYearError, year_partition

    try:
        partition = year_partition(year)
    except UnknownYearError as exc:
        exit_with(str(exc))
    return replace(Settings.defaults(**paths), year=int(partition))


def make_documents(asset_key, settings: Settings) -> dict:
    """Materialise one document asset (report or notices) for the year of ``settings`` from the existing marts;
    returns its materialisation's metadata, or ends the command with the Chinese failure message."""
    from dagster_project.definitions import DOCUMENTS_JOB_NAME
    from dagster_project.documents.errors import exit_with

    with instance() as dagster_instance:
        result = execute(DOCUMENTS_JOB_NAME, settings, instance=dagster_instance, asset_selection=[asset_key])
    if not result.success:
        exit_with("；".join(failure_messages(result)) or "生成失败（详见 Dagster 日志）")
    (materialization,) = [m for m in result.get_asset_materialization_events() if m.asset_key == asset_key]
    return {name: entry.value for name, entry in materialization.materialization.metadata.items()}
