"""Dagster's SQLite event log with its connections kept open for the life of the process.

Dagster's ``SqliteEventLogStorage`` opens and closes a SQLite connection for every event it stores
(two or three for an asset event: the run's file and the cross-run index). Closing the last
connection of a database in WAL mode checkpoints it, so each event costs a checkpoint: about 7 ms
here, 5 s for the 732 events of a demo run. This class keeps one connection per database file
open instead (the same files, tables and transactions, so the UI and any other process read them
as before) and stores the same events in about a quarter of the time. A batch of events (the
planned materialisations and checks at the start of a run) is one transaction per file.

The command line's runs use it (``launch.instance``); ``make ui`` reads the same files through
Dagster's own class. Only the files of the last few runs are kept open, so a long-lived process
that reads many runs does not hold a file for each.

Dagster asks before storing an event whether the index has the asset-check table and the secondary
indexes, opening a new connection to the index for each question: twice or more per event. A table or
an index, once there, stays (a migration adds them; nothing takes them away but ``wipe``), so a yes is
remembered for the life of the storage and only a no is asked again.

Its connections commit without waiting for the disk (``synchronous = NORMAL``, SQLite's advice for WAL
mode): a power cut can lose the last events of a run, never corrupt a file; the WAL reaches the disk at
each checkpoint. Waiting at every commit was about 0.7 s of a re-run's 17 s, while dbt and DuckDB wrote.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as db
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

OPEN_FILES = 4  # the index, the current run's file and a few more
BUSY_TIMEOUT_SECONDS = 120


class KeptOpenSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` whose database files stay open between events (at most ``OPEN_FILES``)."""

    def __init__(self, base_dir: str, inst_data=None):  # noqa: ANN001 - signature of the base class
        self._engines: OrderedDict[str, Engine] = OrderedDict()  # the base class connects while it starts
        self._batch: dict[str, Connection] | None = None
        self._batch_thread: int | None = None
        self._present: set[tuple[str, str]] = set()  # ("table" | "index", name) known to be there
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value):  # noqa: ANN001, ANN206 - ConfigurableClass
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        # one connection, shared by the threads of the process; the base class's lock serialises them
        engine = db.create_engine(
            self.conn_string_for_shard(shard),
            poolclass=StaticPool,
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        db.event.listen(engine, "connect", _commit_without_waiting_for_the_disk)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        surplus = max(0, len(self._engines) - OPEN_FILES)
        for name in [n for n in self._engines if n not in (self._batch or ())][:surplus]:
            self._engines.pop(name).dispose()  # the least recently used, never one a batch is writing to
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        if self._batch is not None and self._batch_thread == threading.get_ident():
            yield self._batch_connection(shard)  # inside store_event_batch: its lock and transaction
            return
        with self._db_lock:
            with self._engine(shard).connect() as conn:
                with conn.begin():
                    yield conn

    def _batch_connection(self, shard: str) -> Connection:
        conn = self._batch.get(shard)
        if conn is None:
            conn = self._batch[shard] = self._engine(shard).connect()
            conn.begin()
        return conn

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """A batch (the run's planned materialisations and checks) in one transaction per database file."""
        with self._db_lock:
            self._batch, self._batch_thread = {}, threading.get_ident()
            try:
                for event in events:
                    self.store_event(event)
                for conn in self._batch.values():
                    conn.commit()
            finally:
                batch, self._batch, self._batch_thread = self._batch, None, None
                for conn in batch.values():
                    conn.close()  # rolls back what was not committed

    def has_table(self, table_name: str) -> bool:
        return self._remembered("table", table_name, super().has_table)

    def has_secondary_index(self, name: str) -> bool:
        return self._remembered("index", name, super().has_secondary_index)

    def _remembered(self, kind: str, name: str, ask) -> bool:  # noqa: ANN001 - the base class's method
        if (kind, name) in self._present:
            return True
        present = bool(ask(name))
        if present:
            self._present.add((kind, name))
        return present

    def _close_files(self) -> None:
        with self._db_lock:
            while self._engines:
                _, engine = self._engines.popitem()
                engine.dispose()

    def wipe(self) -> None:
        self._present.clear()
        self._close_files()  # before the base class deletes the files
        super().wipe()

    def dispose(self) -> None:
        self._close_files()
        super().dispose()


def _commit_without_waiting_for_the_disk(dbapi_connection, _record) -> None:  # noqa: ANN001 - sqlalchemy event
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")
