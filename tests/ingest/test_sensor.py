"""The inbox sensor starts a run when files arrive or change, once per set of file hashes."""

from dagster import DagsterInstance, build_sensor_context

from dagster_project.definitions import defs
from dagster_project.reference import policy_years
from dagster_project.resources import SettingsResource


def _evaluate(sensor, instance, cursor, settings):
    context = build_sensor_context(
        instance=instance, cursor=cursor, resources={"settings": settings}, repository_def=defs.get_repository_def()
    )
    result = sensor.evaluate_tick(context)
    return result, context.cursor


def test_sensor_requests_a_run_for_new_and_changed_files_only(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    folder = inbox / "2022" / "150121"
    folder.mkdir(parents=True)
    settings = SettingsResource(inbox=str(inbox), warehouse=str(tmp_path / "w.duckdb"))
    sensor = defs.get_sensor_def("inbox_sensor")
    with DagsterInstance.ephemeral() as instance:
        result, cursor = _evaluate(sensor, instance, None, settings)
        assert not result.run_requests and result.skip_message == "收件箱没有新文件"

        (folder / "花名册.csv").write_text("网上申报编号\nA1001\n", encoding="utf-8")
        (inbox / "ground_truth.csv").write_text("not part of the inbox", encoding="utf-8")
        result, cursor = _evaluate(sensor, instance, cursor, settings)
        assert len(result.run_requests) == 1
        first_key = result.run_requests[0].run_key
        # the run makes the documents of the latest policy year: its partition
        assert result.run_requests[0].partition_key == str(max(policy_years()))

        result, cursor = _evaluate(sensor, instance, cursor, settings)  # nothing new
        assert not result.run_requests

        (folder / "花名册.csv").write_text("网上申报编号\nA1002\n", encoding="utf-8")  # content changed
        result, cursor = _evaluate(sensor, instance, cursor, settings)
        assert len(result.run_requests) == 1 and result.run_requests[0].run_key != first_key
