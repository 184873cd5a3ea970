"""The command line's event log (dagster_project/event_log.py) writes what Dagster's own storage reads."""

from dagster import AssetCheckResult, DagsterInstance, Definitions, asset, asset_check, define_asset_job

from dagster_project import event_log, launch


@asset
def roster() -> int:
    return 1


@asset_check(asset=roster)
def roster_has_rows() -> AssetCheckResult:
    return AssetCheckResult(passed=True)


JOB = Definitions(assets=[roster], asset_checks=[roster_has_rows], jobs=[define_asset_job("j")]).resolve_job_def("j")


def test_runs_written_with_kept_open_files_read_the_same_through_dagsters_storage(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "1000")  # as the platform sets it: planned events in a batch
    with launch.instance() as ours:
        storage = ours.event_log_storage
        assert isinstance(storage, event_log.KeptOpenSqliteEventLogStorage)
        run_ids = [JOB.execute_in_process(instance=ours).run_id for _ in range(event_log.OPEN_FILES + 2)]
        # the index and the latest runs' files stay open, no more
        assert len(storage._engines) == event_log.OPEN_FILES
        for engine in storage._engines.values():  # WAL files whose commits do not wait for the disk
            with engine.connect() as conn:
                assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
        written = {run_id: [e.dagster_event_type for e in ours.all_logs(run_id)] for run_id in run_ids}
        planned = {t.name for t in written[run_ids[0]] if t is not None}
        assert {"ASSET_MATERIALIZATION_PLANNED", "ASSET_CHECK_EVALUATION_PLANNED"} <= planned
    with DagsterInstance.from_config(str(tmp_path)) as theirs:
        assert type(theirs.event_log_storage).__name__ == "SqliteEventLogStorage"
        for run_id in run_ids:
            assert [e.dagster_event_type for e in theirs.all_logs(run_id)] == written[run_id]
            assert theirs.get_run_by_id(run_id).is_success
        assert len(theirs.fetch_materializations(roster.key, limit=100).records) == len(run_ids)
        check = theirs.event_log_storage.get_latest_asset_check_execution_by_key([roster_has_rows.check_key])
        assert check[roster_has_rows.check_key].run_id == run_ids[-1]
    with launch.instance() as ours:
        ours.event_log_storage.wipe()  # closes its files first, then deletes them
        assert ours.all_logs(run_ids[0]) == []


def test_the_index_tables_and_secondary_indexes_it_has_are_asked_once(tmp_path, monkeypatch):
    """Dagster asks before each event whether the index has a table or a secondary index (a new connection per
    question); a yes is remembered, a no is asked again, and a wipe forgets."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    asked: list[str] = []
    base_has_table = event_log.SqliteEventLogStorage.has_table

    def counting(self, table_name: str) -> bool:
        asked.append(table_name)
        return base_has_table(self, table_name)

    monkeypatch.setattr(event_log.SqliteEventLogStorage, "has_table", counting)
    with launch.instance() as ours:
        storage = ours.event_log_storage
        for _ in range(3):
            assert JOB.execute_in_process(instance=ours).success
        assert storage.has_table("asset_check_executions") and storage.has_table("asset_check_executions")
        assert asked.count("asset_check_executions") == 1
        assert not storage.has_table("no_such_table") and not storage.has_table("no_such_table")
        assert asked.count("no_such_table") == 2
        storage.wipe()
        assert storage.has_table("asset_check_executions")  # the wipe made the tables again, and was asked
        assert asked.count("asset_check_executions") == 2
