"""Load the inbox into DuckDB schema ``raw`` (contract.md section 1).

``load_inbox`` creates the raw tables when missing, loads every new or changed file
(identified by its SHA-256), quarantines bad rows, and recomputes which files are
superseded.  Loading the same bytes twice changes nothing.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow as pa

from dagster_project import reference
from dagster_project.forms import (
    ALLOWED_FORMS, FORMS, FORMS_WITH_COMMITTEE_CODE, UNIT_NAME, UNRECOGNISED, Form,
)
from dagster_project.ingest.reader import FileRead, read_file
from dagster_project.ingest.validate import SQL_TYPES, Validated, lit, q, validate_sheet

RAW_SCHEMA = "raw"
RAW_TABLES: dict[str, str] = {code: form.table for code, form in FORMS.items()}
# Files read ahead in a second thread while the current one is validated (0: read inline).
LOOKAHEAD = int(os.environ.get("ZHICHENG_INGEST_READAHEAD", "1"))
YEAR_DIR = re.compile(r"^[0-9]{4}$")
KIND_NAMES = {
    reference.REGION: "旗县区", reference.DEPARTMENT: "市直主管部门", reference.UNIT: "自主评审单位",
    reference.COMMITTEE: "评委会", reference.BUREAU: "市人社局",
}

QUARANTINE_DDL = f"""
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.quarantine (
    _source_file VARCHAR, _source_sheet VARCHAR, _source_row INTEGER, _file_sha256 VARCHAR,
    year INTEGER, submitter_code VARCHAR, form VARCHAR, column_name VARCHAR, value VARCHAR,
    reason VARCHAR, _loaded_at TIMESTAMP
)"""
LOAD_AUDIT_DDL = f"""
CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.load_audit (
    file VARCHAR, sheet VARCHAR, sha256 VARCHAR, submitter_code VARCHAR, year INTEGER, form VARCHAR,
    rows_read INTEGER, rows_loaded INTEGER, rows_quarantined INTEGER, superseded BOOLEAN,
    file_mtime TIMESTAMP, loaded_at TIMESTAMP
)"""


@dataclass
class LoadSummary:
    files_seen: int = 0
    files_loaded: int = 0
    files_skipped: int = 0  # already loaded (same content)
    rows_loaded: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rows_quarantined: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    messages: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def total_loaded(self) -> int:
        return sum(self.rows_loaded.values())

    @property
    def total_quarantined(self) -> int:
        return sum(self.rows_quarantined.values())


def table_columns(form: Form) -> list[tuple[str, str]]:
    """(name, SQL type) of a raw form table, in order."""
    cols = [("year", "INTEGER"), ("submitter_code", "VARCHAR")]
    for c in form.columns:
        cols.append((c.field, SQL_TYPES[c.kind]))
        if c.kind == UNIT_NAME:
            cols.append((c.field + "_normalised", "VARCHAR"))
    if form.person_field:
        cols.append(("person_key", "VARCHAR"))
    if form.evaluator_field:
        cols.append(("evaluator_key", "VARCHAR"))
    cols += [
        ("extra_columns", "VARCHAR"), ("_source_file", "VARCHAR"), ("_source_sheet", "VARCHAR"),
        ("_source_row", "INTEGER"), ("_file_sha256", "VARCHAR"), ("_loaded_at", "TIMESTAMP"),
        ("_superseded", "BOOLEAN"),
    ]
    return cols


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for form in FORMS.values():
        cols = ", ".join(f"{q(n)} {t}" for n, t in table_columns(form))
        con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{form.table} ({cols})")
    con.execute(QUARANTINE_DDL)
    con.execute(LOAD_AUDIT_DDL)


def keyed(value: str, key: bytes) -> str:
    """First 16 hex digits of HMAC-SHA256(value upper-cased, key)."""
    return hmac.new(key, value.upper().encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _natural_key(form: Form) -> list[tuple[str, str, bool]]:
    """(typed column in the temp table, header, must be non-null) for the natural key."""
    out = []
    for f in form.natural_key:
        if f.endswith("_normalised"):
            col = form.column(f[: -len("_normalised")])
            out.append((f"t_{f}", col.header, True))
        else:
            col = form.column(f)
            must = col.required or (f == "committee_code" and form.code in FORMS_WITH_COMMITTEE_CODE)
            out.append((f"t_{f}", col.header, must))
    return out


def scan_inbox(inbox: Path, messages: list[str]) -> list[tuple[int, str, Path]]:
    """(year, submitter_code, path) of every file under <inbox>/<year>/<code>/."""
    found = []
    if not inbox.is_dir():
        messages.append(f"收件箱目录不存在：{inbox}")
        return found
    for year_dir in sorted(inbox.iterdir()):
        if not (year_dir.is_dir() and YEAR_DIR.match(year_dir.name)):
            continue
        for sub in sorted(year_dir.iterdir()):
            if sub.name.startswith("."):
                continue
            if not sub.is_dir():
                messages.append(f"{year_dir.name}/{sub.name} 直接放在年度目录下，没有报送单位目录，已忽略")
                continue
            for path in sorted(sub.iterdir()):
                if path.name.startswith((".", "~$")):
                    continue
                if path.is_dir():
                    messages.append(f"{year_dir.name}/{sub.name}/{path.name} 是子目录，只读取报送单位目录下的文件，已忽略")
                    continue
                found.append((int(year_dir.name), sub.name, path))
    return found


def _delete_path(con: duckdb.DuckDBPyConnection, rel: str) -> None:
    for table in RAW_TABLES.values():
        con.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE _source_file = ?", [rel])
    con.execute(f"DELETE FROM {RAW_SCHEMA}.quarantine WHERE _source_file = ?", [rel])
    con.execute(f"DELETE FROM {RAW_SCHEMA}.load_audit WHERE file = ?", [rel])


class _FileLoader:
    """Loads one file inside the caller's transaction."""

    def __init__(self, con, rel: str, path: Path, year: int, code: str, sha: str,
                 mtime: _dt.datetime, loaded_at: _dt.datetime, pii_key: bytes, summary: LoadSummary):
        self.con, self.rel, self.path, self.year, self.code = con, rel, path, year, code
        self.sha, self.mtime, self.loaded_at, self.key, self.summary = sha, mtime, loaded_at, pii_key, summary
        self.kind = reference.submitter_kind(code)

    def audit(self, sheet: str, form: str, read: int, loaded: int, quarantined: int) -> None:
        self.con.execute(
            f"INSERT INTO {RAW_SCHEMA}.load_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)",
            [self.rel, sheet, self.sha, self.code, self.year, form, read, loaded, quarantined,
             self.mtime, self.loaded_at],
        )

    def run(self, result: FileRead) -> None:
        con, summary = self.con, self.summary
        if result.error or not result.sheets:
            self.audit(self.path.name, UNRECOGNISED, 0, 0, 0)
            summary.messages.append(f"{self.rel}：{result.error or '文件中没有内容'}，已记为“未识别”")
            return
        t0 = time.perf_counter()
        validated: list[Validated] = []
        for sheet in result.sheets:
            if sheet.form is None:
                self.audit(sheet.name, UNRECOGNISED, 0, 0, 0)
                summary.messages.append(f"{self.rel} 工作表「{sheet.name}」：{sheet.note}，已记为“未识别”")
                continue
            validated.append(validate_sheet(con, sheet, self.year, self.code, self.kind))
        con.execute("CREATE OR REPLACE TEMP TABLE _probs (_sheet VARCHAR, _row INTEGER, column_name VARCHAR, "
                    "value VARCHAR, reason VARCHAR)")
        for v in validated:
            self._collect_problems(v)
        by_form: dict[str, list[Validated]] = defaultdict(list)
        for v in validated:
            by_form[v.form.code].append(v)
        for items in by_form.values():
            self._duplicates(items)
        summary.timings["校验"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for v in validated:
            self._load(v)
        con.execute(
            f"INSERT INTO {RAW_SCHEMA}.quarantine SELECT ?, _sheet, _row, ?, ?, ?, f.form, column_name, value, reason, ? "
            f"FROM _probs JOIN (SELECT * FROM (VALUES {', '.join('(' + lit(v.sheet.name) + ', ' + lit(v.form.code) + ')' for v in validated) or '(NULL, NULL)'}) "
            f"AS t(sheet, form)) f ON f.sheet = _sheet ORDER BY _sheet, _row",
            [self.rel, self.sha, self.year, self.code, self.loaded_at],
        )
        for v in validated:
            con.execute(f"DROP TABLE IF EXISTS {v.table}")
        con.execute("DROP TABLE IF EXISTS _probs")
        summary.timings["入库"] += time.perf_counter() - t0

    def _collect_problems(self, v: Validated) -> None:
        sheet = lit(v.sheet.name)
        parts = [
            f"SELECT {sheet}, _row, {lit(c.header)}, CAST({c.value} AS VARCHAR), {c.column} FROM {v.table} "
            f"WHERE {c.column} IS NOT NULL"
            for c in v.checks
        ]
        form = v.form
        reason = None
        if self.kind is None:
            reason = f"报送目录“{self.code}”不是已知的报送单位代码，本文件的数据不予入库"
        elif form.code not in ALLOWED_FORMS[self.kind] and form.code not in FORMS_WITH_COMMITTEE_CODE:
            reason = (f"{KIND_NAMES[self.kind]}“{self.code}”不能报送{form.name}（{form.code}），"
                      f"本工作表的数据不予入库")
        if reason:
            parts.insert(0, f"SELECT {sheet}, _row, NULL, {lit(self.code)}, {lit(reason)} FROM {v.table}")
        if parts:
            self.con.execute("INSERT INTO _probs " + " UNION ALL ".join(parts))

    def _duplicates(self, items: list[Validated]) -> None:
        form = items[0].form
        key = _natural_key(form)
        cols = ", ".join(q(c) for c, _, _ in key)
        union = " UNION ALL ".join(f"SELECT {lit(v.sheet.name)} AS _sheet, _row, {cols} FROM {v.table}" for v in items)
        where = " AND ".join(f"{q(c)} IS NOT NULL" for c, _, must in key if must) or "TRUE"
        headers = "、".join(h for _, h, _ in key)
        if len(key) == 1:
            column_sql, value_sql = lit(key[0][1]), f"CAST({q(key[0][0])} AS VARCHAR)"
        else:
            column_sql = "NULL"
            value_sql = " || '；' || ".join(
                f"{lit(h + '=')} || coalesce(CAST({q(c)} AS VARCHAR), '')" for c, h, _ in key)
        self.con.execute(
            f"INSERT INTO _probs SELECT _sheet, _row, {column_sql}, {value_sql}, "
            f"{lit(headers)} || '在本文件中重复出现（共' || n || '行），这些行均未入库' FROM ("
            f"SELECT *, count(*) OVER (PARTITION BY {cols}) AS n FROM ({union}) WHERE {where}) WHERE n > 1"
        )

    def _load(self, v: Validated) -> None:
        con, form = self.con, v.form
        sheet = v.sheet.name
        good = f"NOT EXISTS (SELECT 1 FROM _probs p WHERE p._sheet = {lit(sheet)} AND p._row = {v.table}._row)"
        key_field = form.person_field or form.evaluator_field
        join = ""
        if key_field:
            ids = [r[0] for r in con.execute(
                f"SELECT DISTINCT {q('t_' + key_field)} FROM {v.table} WHERE {good} AND {q('t_' + key_field)} IS NOT NULL"
            ).fetchall()]
            keys = pa.table({"_id": pa.array(ids, pa.string()),
                             "_key": pa.array([keyed(i, self.key) for i in ids], pa.string())})
            con.register("_keys", keys)
            join = f" LEFT JOIN _keys ON _keys._id = {v.table}.{q('t_' + key_field)}"
        if v.extras:
            pairs = ", ".join(f"{lit(label)}, {q(col)}" for col, label in v.extras)
            any_value = " OR ".join(f"{q(col)} IS NOT NULL" for col, _ in v.extras)
            extra_sql = f"CASE WHEN {any_value} THEN CAST(json_object({pairs}) AS VARCHAR) END"
        else:
            extra_sql = "NULL"
        select = [f"{self.year} AS year", f"{lit(self.code)} AS submitter_code"]
        for name, _type in table_columns(form)[2:]:
            if name in ("person_key", "evaluator_key"):
                select.append(f"_keys._key AS {name}")
            elif name == "extra_columns":
                select.append(f"{extra_sql} AS extra_columns")
            elif name == "_source_file":
                select.append(f"{lit(self.rel)} AS _source_file")
            elif name == "_source_sheet":
                select.append(f"{lit(sheet)} AS _source_sheet")
            elif name == "_source_row":
                select.append("_row AS _source_row")
            elif name == "_file_sha256":
                select.append(f"{lit(self.sha)} AS _file_sha256")
            elif name == "_loaded_at":
                select.append(f"CAST({lit(self.loaded_at.isoformat(sep=' '))} AS TIMESTAMP) AS _loaded_at")
            elif name == "_superseded":
                select.append("FALSE AS _superseded")
            else:
                select.append(f"{q('t_' + name)} AS {q(name)}")
        con.execute(
            f"INSERT INTO {RAW_SCHEMA}.{form.table} BY NAME SELECT {', '.join(select)} FROM {v.table}{join} "
            f"WHERE {good} ORDER BY _row"
        )
        if key_field:
            con.unregister("_keys")
        read = con.execute(f"SELECT count(*) FROM {v.table}").fetchone()[0]
        bad = con.execute(f"SELECT count(DISTINCT _row) FROM _probs WHERE _sheet = ?", [sheet]).fetchone()[0]
        self.audit(sheet, form.code, read, read - bad, bad)
        self.summary.rows_loaded[form.code] += read - bad
        self.summary.rows_quarantined[form.code] += bad
        note = f"，隔离 {bad} 行（原因见 raw.quarantine）" if bad else ""
        self.summary.messages.append(
            f"{self.rel} 工作表「{sheet}」：识别为{form.code} {form.name}，读取 {read} 行，入库 {read - bad} 行{note}"
        )


def recompute_superseded(con: duckdb.DuckDBPyConnection) -> None:
    """Mark rows of files that a newer file of the same year, submitter and form overrides."""
    con.execute("CREATE OR REPLACE TEMP TABLE _superseded_files (file VARCHAR, form VARCHAR)")
    for code, form in FORMS.items():
        keys = list(form.natural_key)
        on = " AND ".join(f"o.{q(k)} IS NOT DISTINCT FROM n.{q(k)}" for k in keys)
        con.execute(f"""
            INSERT INTO _superseded_files
            WITH files AS (
                SELECT file, max(file_mtime) AS mtime, regexp_extract(file, '[^/]+$') AS name
                FROM {RAW_SCHEMA}.load_audit WHERE form = '{code}' GROUP BY file
            ),
            k AS (
                SELECT DISTINCT _source_file AS file, year, submitter_code, {', '.join(q(x) for x in keys)}
                FROM {RAW_SCHEMA}.{form.table}
            )
            SELECT DISTINCT o.file, '{code}'
            FROM k o
            JOIN k n ON n.year = o.year AND n.submitter_code = o.submitter_code AND n.file <> o.file AND {on}
            JOIN files fo ON fo.file = o.file
            JOIN files fn ON fn.file = n.file
            WHERE fn.mtime > fo.mtime OR (fn.mtime = fo.mtime AND fn.name > fo.name)
               OR (fn.mtime = fo.mtime AND fn.name = fo.name AND fn.file > fo.file)
        """)
        con.execute(f"""
            UPDATE {RAW_SCHEMA}.{form.table} t SET _superseded = EXISTS (
                SELECT 1 FROM _superseded_files s WHERE s.form = '{code}' AND s.file = t._source_file)
            WHERE _superseded IS DISTINCT FROM EXISTS (
                SELECT 1 FROM _superseded_files s WHERE s.form = '{code}' AND s.file = t._source_file)
        """)
    con.execute(f"""
        UPDATE {RAW_SCHEMA}.load_audit a SET superseded = EXISTS (
            SELECT 1 FROM _superseded_files s WHERE s.form = a.form AND s.file = a.file)
    """)
    con.execute("DROP TABLE _superseded_files")


def load_inbox(
    inbox: Path,
    con: duckdb.DuckDBPyConnection,
    pii_key: bytes,
    log: Callable[[str], None] | None = None,
) -> LoadSummary:
    """Load every new or changed file of the inbox; see the module docstring."""
    inbox = Path(inbox)
    summary = LoadSummary()

    def say(message: str) -> None:
        summary.messages.append(message)
        if log:
            log(message)

    ensure_schema(con)
    loaded_at = _dt.datetime.now().replace(microsecond=0)
    known = {row[0]: row[1] for row in con.execute(
        f"SELECT file, any_value(sha256) FROM {RAW_SCHEMA}.load_audit GROUP BY file").fetchall()}
    by_content = {(row[0], row[1], row[2]): row[3] for row in con.execute(
        f"SELECT year, submitter_code, sha256, min(file) FROM {RAW_SCHEMA}.load_audit GROUP BY ALL").fetchall()}
    scan_messages: list[str] = []
    files = scan_inbox(inbox, scan_messages)
    for m in scan_messages:
        say(m)
    hashed = [(year, code, path, path.relative_to(inbox).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
              for year, code, path in files]
    # a path whose content changed no longer holds its old content
    changed = {rel for _, _, _, rel, sha in hashed if rel in known and known[rel] != sha}
    by_content = {k: v for k, v in by_content.items() if v not in changed}
    todo: list[tuple[int, str, Path, str, str]] = []
    stale: list[str] = []
    for year, code, path, rel, sha in hashed:
        summary.files_seen += 1
        if known.get(rel) == sha:
            summary.files_skipped += 1
            continue
        same = by_content.get((year, code, sha))
        if same is not None and same != rel:
            summary.files_skipped += 1
            if rel in known:  # changed into a copy of another loaded file: its old rows go
                stale.append(rel)
                say(f"{rel} 内容已变更，且与已载入的 {same} 完全相同：删除该文件上次载入的数据，不重复载入")
            else:
                say(f"{rel} 与已载入的 {same} 内容完全相同，未重复载入")
            continue
        by_content.setdefault((year, code, sha), rel)
        todo.append((year, code, path, rel, sha))
    for rel in stale:
        con.execute("BEGIN TRANSACTION")
        _delete_path(con, rel)
        con.execute("COMMIT")

    # Optionally read ahead in a second thread (calamine releases the GIL) while DuckDB validates.
    with ThreadPoolExecutor(max_workers=1) as pool:
        futures: dict[int, object] = {}

        def prefetch(j: int) -> None:
            if LOOKAHEAD and j < len(todo) and j not in futures:
                futures[j] = pool.submit(read_file, todo[j][2])

        for j in range(LOOKAHEAD):
            prefetch(j)
        for i, (year, code, path, rel, sha) in enumerate(todo):
            prefetch(i + LOOKAHEAD)
            t0 = time.perf_counter()
            try:
                result = futures.pop(i).result() if i in futures else read_file(path)
            except Exception as exc:  # noqa: BLE001 - an unreadable file is reported, not raised
                result = FileRead([], error=f"无法读取该文件（错误类型 {type(exc).__name__}）")
            summary.timings["读取"] += time.perf_counter() - t0
            mtime = _dt.datetime.fromtimestamp(path.stat().st_mtime)
            before = len(summary.messages)
            con.execute("BEGIN TRANSACTION")
            try:
                if rel in known:
                    _delete_path(con, rel)
                    summary.messages.append(f"{rel} 内容已变更，先删除该文件上次载入的数据，再重新载入")
                _FileLoader(con, rel, path, year, code, sha, mtime, loaded_at, pii_key, summary).run(result)
                con.execute("COMMIT")
                known[rel] = sha
                summary.files_loaded += 1
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
                con.execute("ROLLBACK")
                summary.messages.append(f"{rel} 载入失败，已回滚，本文件的数据未入库（程序内部错误，请联系运维人员；技术信息：{type(exc).__name__}: {exc}）")
            if log:
                for m in summary.messages[before:]:
                    log(m)
    t0 = time.perf_counter()
    recompute_superseded(con)
    summary.timings["判定被替代"] += time.perf_counter() - t0
    say(f"收件箱共 {summary.files_seen} 个文件：新载入 {summary.files_loaded} 个，"
        f"内容未变跳过 {summary.files_skipped} 个；入库 {summary.total_loaded} 行，隔离 {summary.total_quarantined} 行")
    return summary
