"""Load the inbox into DuckDB schema ``raw`` (contract.md section 1).

``load_inbox`` creates the raw tables when missing, loads every new or changed file
(identified by its SHA-256), quarantines bad rows, and recomputes which files are
superseded.  Loading the same bytes twice changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import hmac
import os
import re
import stat
import time
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from dagster_project import reference
from dagster_project.background import import_in_background
from dagster_project.forms import (
    ALLOWED_FORMS,
    FORMS,
    FORMS_WITH_COMMITTEE_CODE,
    UNIT_NAME,
    UNRECOGNISED,
    Form,
)
from dagster_project.ingest.isolate import ReaderPool
from dagster_project.ingest.reader import FileRead, SheetRead
from dagster_project.ingest.validate import (
    FOLDER_COMMITTEE,
    SQL_TYPES,
    Validated,
    lit,
    q,
    unique_extras,
    validate_sheet,
)

RAW_SCHEMA = "raw"
# a batch (one transaction, one statement per group of like sheets) holds at most this many rows or files
BATCH_ROWS = 250_000
BATCH_FILES = 5_000
RAW_TABLES: dict[str, str] = {code: form.table for code, form in FORMS.items()}
YEAR_DIR = re.compile(r"^[0-9]{4}$")
KIND_NAMES = {
    reference.REGION: "旗县区",
    reference.DEPARTMENT: "市直主管部门",
    reference.UNIT: "自主评审单位",
    reference.COMMITTEE: "评委会",
    reference.BUREAU: "市人社局",
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
    file_mtime TIMESTAMP, loaded_at TIMESTAMP, reason VARCHAR, unreadable BOOLEAN
)"""
# columns added after the first release: a warehouse made before gains them
LOAD_AUDIT_ADDED = (("reason", "VARCHAR"), ("unreadable", "BOOLEAN DEFAULT FALSE"))
AUDIT_COLUMNS = (
    "file, sheet, sha256, submitter_code, year, form, rows_read, rows_loaded, rows_quarantined, "
    "superseded, file_mtime, loaded_at, reason, unreadable"
)


@dataclass
class LoadSummary:
    files_seen: int = 0
    files_loaded: int = 0
    files_skipped: int = 0  # already loaded (same content)
    files_unreadable: int = 0  # entries of this scan recorded as 未识别 because they could not be read
    entries_listed: int = 0  # hidden files, office lock files, links, special files: listed, not read
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
        ("extra_columns", "VARCHAR"),
        ("_source_file", "VARCHAR"),
        ("_source_sheet", "VARCHAR"),
        ("_source_row", "INTEGER"),
        ("_file_sha256", "VARCHAR"),
        ("_loaded_at", "TIMESTAMP"),
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
    for name, sql_type in LOAD_AUDIT_ADDED:
        con.execute(f"ALTER TABLE {RAW_SCHEMA}.load_audit ADD COLUMN IF NOT EXISTS {name} {sql_type}")


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


@dataclass
class Entry:
    """One entry of a submitter folder."""

    year: int
    code: str  # the submitter folder's name (undecodable bytes replaced)
    path: Path
    rel: str  # relative path as recorded (undecodable bytes replaced)
    kind: str = "file"  # file | hidden | symlink | special
    reason: str = ""  # why an entry that is not read is listed (Chinese)
    sha: str = ""


def shown(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 become U+FFFD (contract v3 §1)."""
    return os.fsencode(name).decode("utf-8", errors="replace")


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
)


def _classify(path: Path, info: os.stat_result) -> tuple[str, str]:
    """(kind, reason) of a submitter folder entry from its lstat."""
    name = path.name
    if stat.S_ISLNK(info.st_mode):
        try:
            target = shown(os.readlink(path))
        except OSError:
            target = "？"
        return "symlink", f"是符号链接（指向 {target}），为安全起见不跟随、不读取；请直接放入文件本身"
    if not stat.S_ISREG(info.st_mode):
        what = next((label for test, label in _SPECIAL_KINDS if test(info.st_mode)), "特殊文件")
        return "special", f"不是普通文件（{what}），未打开"
    if name.startswith("~$"):
        return "hidden", "是办公软件打开文件时留下的临时锁文件（~$ 开头），未读取"
    if name.startswith("."):
        return "hidden", "是隐藏文件（. 开头），未读取；如为报送表请去掉文件名开头的点后重新报送"
    return "file", ""


def _listed_sha(entry: Entry, info: os.stat_result) -> str:
    """An identity for an entry that is never opened: its kind, name, size and time."""
    text = f"{entry.kind}\0{entry.rel}\0{entry.reason}\0{info.st_size}\0{info.st_mtime_ns}"
    return "listed:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def scan_inbox(inbox: Path, messages: list[str], partitions: Collection[tuple[int, str]] | None = None) -> list[Entry]:
    """Every entry under <inbox>/<year>/<code>/ (links are listed, never followed).

    ``partitions``: only the folders of these (year, submitter code) pairs, the code as recorded
    (``shown``); the rest of the inbox is passed over without a message (ingest/partitioned.py).
    """
    found: list[Entry] = []
    if not inbox.is_dir():
        messages.append(f"收件箱目录不存在：{inbox}")
        return found
    years = None if partitions is None else {year for year, _ in partitions}
    for year_dir in sorted(inbox.iterdir()):
        if year_dir.is_symlink() or not (year_dir.is_dir() and YEAR_DIR.match(year_dir.name)):
            continue
        if years is not None and int(year_dir.name) not in years:
            continue
        for sub in sorted(year_dir.iterdir()):
            if partitions is not None and (int(year_dir.name), shown(sub.name)) not in partitions:
                continue
            label = f"{year_dir.name}/{shown(sub.name)}"
            if sub.is_symlink():
                messages.append(f"{label} 是符号链接，不跟随，已忽略")
            elif not sub.is_dir():
                messages.append(f"{label} 直接放在年度目录下，没有报送单位目录，已忽略")
            elif sub.name.startswith("."):
                messages.append(f"{label} 是隐藏目录（. 开头），不是报送单位目录，已忽略")
            else:
                found.extend(_scan_submitter(int(year_dir.name), sub, inbox, messages))
    return found


def _scan_submitter(year: int, sub: Path, inbox: Path, messages: list[str]) -> list[Entry]:
    found = []
    for path in sorted(sub.iterdir()):
        rel = shown(path.relative_to(inbox).as_posix())
        try:
            info = path.lstat()
        except OSError:
            continue  # gone since the listing
        if stat.S_ISDIR(info.st_mode):
            messages.append(f"{rel} 是子目录，只读取报送单位目录下的文件，已忽略")
            continue
        kind, reason = _classify(path, info)
        entry = Entry(year, shown(sub.name), path, rel, kind, reason)
        entry.sha = _listed_sha(entry, info) if kind != "file" else ""
        found.append(entry)
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _delete_path(con: duckdb.DuckDBPyConnection, rel: str) -> None:
    for table in RAW_TABLES.values():
        con.execute(f"DELETE FROM {RAW_SCHEMA}.{table} WHERE _source_file = ?", [rel])
    con.execute(f"DELETE FROM {RAW_SCHEMA}.quarantine WHERE _source_file = ?", [rel])
    con.execute(f"DELETE FROM {RAW_SCHEMA}.load_audit WHERE file = ?", [rel])


AUDIT_TYPES = (
    pa.string(),
    pa.string(),
    pa.string(),
    pa.string(),
    pa.int32(),
    pa.string(),
    pa.int32(),
    pa.int32(),
    pa.int32(),
    pa.bool_(),
    pa.timestamp("us"),
    pa.timestamp("us"),
    pa.string(),
    pa.bool_(),
)


def insert_audits(con: duckdb.DuckDBPyConnection, rows: list[list]) -> None:
    """Audit rows (in ``AUDIT_COLUMNS`` order), in one statement."""
    if not rows:
        return
    names = [c.strip() for c in AUDIT_COLUMNS.split(",")]
    columns = [pa.array([r[j] for r in rows], typ) for j, typ in enumerate(AUDIT_TYPES)]
    con.register("_audit_rows", pa.table(columns, names=names))
    try:
        con.execute(f"INSERT INTO {RAW_SCHEMA}.load_audit ({AUDIT_COLUMNS}) SELECT {AUDIT_COLUMNS} FROM _audit_rows")
    finally:
        con.unregister("_audit_rows")


@dataclass
class _Sheet:
    """A recognised sheet of a batch, numbered across the batch."""

    id: int
    file: int  # index of its file in the batch
    sheet: SheetRead
    extras: list[tuple[str, str]]  # (column in the batch table, unique label)
    refusal: str | None  # why no row of the sheet is loaded (an unknown submitter, a form it may not send)


@dataclass
class _Group:
    """Sheets whose validation SQL is the same: one form, year, set of extra labels, and whether from committees."""

    form: Form
    year: int
    from_committee: bool
    sheets: list[_Sheet] = field(default_factory=list)
    validated: Validated | None = None


class _BatchLoader:
    """Loads a batch of files inside the caller's transaction: each group of like sheets by one statement each.

    DuckDB spends most of a validation on planning its large statements, not on the rows, so
    the sheets of all files of the batch that share their SQL (``_Group``) are validated,
    checked for duplicates and loaded together; their rows keep their sheet's number
    (``_sheet_id``), through which every row keeps its file, sheet and row.  Nothing is
    counted into the summary before the caller commits (``apply``).
    """

    def __init__(self, con, files: list[tuple[Entry, FileRead]], loaded_at: _dt.datetime, pii_key: bytes):
        self.con, self.files, self.loaded_at, self.key = con, files, loaded_at, pii_key
        self.kinds = [reference.submitter_kind(entry.code) for entry, _ in files]
        self.mtimes = [_mtime(entry) for entry, _ in files]
        self.sheets: list[_Sheet] = []
        self.groups: dict[tuple, _Group] = {}
        self.audits: list[list[list]] = [[] for _ in files]  # per file, in the order of its sheets
        self.messages: list[list[str]] = [[] for _ in files]
        self.loaded: dict[str, int] = defaultdict(int)
        self.quarantined: dict[str, int] = defaultdict(int)
        self.timings: dict[str, float] = defaultdict(float)
        self.registered: list[str] = []  # key tables registered for the statement being built

    # ---- the files of the batch
    def _audit(self, i: int, sheet: str, form: str, counts: tuple[int, int, int], reason=None, unreadable=False):
        entry = self.files[i][0]
        self.audits[i].append(
            [entry.rel, sheet, entry.sha, entry.code, entry.year, form, *counts]
            + [False, self.mtimes[i], self.loaded_at, reason, unreadable]
        )

    def _refusal(self, i: int, form: Form) -> str | None:
        code, kind = self.files[i][0].code, self.kinds[i]
        if kind is None:
            return f"报送目录“{code}”不是已知的报送单位代码，本文件的数据不予入库"
        if form.code not in ALLOWED_FORMS[kind] and form.code not in FORMS_WITH_COMMITTEE_CODE:
            return f"{KIND_NAMES[kind]}“{code}”不能报送{form.name}（{form.code}），本工作表的数据不予入库"
        return None

    def run(self, known: dict[str, str]) -> None:
        t0 = time.perf_counter()
        for i, (entry, result) in enumerate(self.files):
            if entry.rel in known:
                _delete_path(self.con, entry.rel)
                self.messages[i].append(f"{entry.rel} 内容已变更，先删除该文件上次载入的数据，再重新载入")
            self._take_file(i, entry, result)
        self._register_sheets()
        for group in self.groups.values():
            group.validated = validate_sheet(self.con, self._batch_sheet(group), group.year, group.from_committee)
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _probs (_sheet_id INTEGER, _row INTEGER, column_name VARCHAR, "
            "value VARCHAR, reason VARCHAR)"
        )
        self._refusals()
        for group in self.groups.values():
            self._collect_problems(group)
        for form in self._forms():
            self._duplicates(form, [g for g in self.groups.values() if g.form.code == form.code])
        self.timings["校验"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        counts = self._counts()
        for form in self._forms():
            self._load(form, [g for g in self.groups.values() if g.form.code == form.code])
        self.con.execute(
            f"INSERT INTO {RAW_SCHEMA}.quarantine SELECT s._source_file, s._source_sheet, p._row, s._file_sha256, "
            "s.year, s.submitter_code, s.form, p.column_name, p.value, p.reason, ? "
            "FROM _probs p JOIN _sheets s ON s._sheet_id = p._sheet_id ORDER BY s._file, s._source_sheet, p._row",
            [self.loaded_at],
        )
        self._audit_sheets(counts)
        for group in self.groups.values():
            self.con.execute(f"DROP TABLE IF EXISTS {group.validated.table}")
        self.con.execute("DROP TABLE IF EXISTS _probs")
        self.con.unregister("_sheets")
        self.timings["入库"] += time.perf_counter() - t0

    def _take_file(self, i: int, entry: Entry, result: FileRead) -> None:
        if result.error or not result.sheets:
            reason = result.error or "文件中没有内容"
            self._audit(i, shown(entry.path.name), UNRECOGNISED, (0, 0, 0), reason, result.unreadable)
            self.messages[i].append(f"{entry.rel}：{reason}，已记为“未识别”")
            return
        from_committee = self.kinds[i] == reference.COMMITTEE
        for sheet in result.sheets:
            if sheet.form is None:
                self._audit(i, sheet.name, UNRECOGNISED, (0, 0, 0), sheet.note, sheet.unreadable)
                self.messages[i].append(f"{entry.rel} 工作表「{sheet.name}」：{sheet.note}，已记为“未识别”")
                continue
            form = sheet.form
            extras = unique_extras(form, sheet)
            item = _Sheet(len(self.sheets), i, sheet, extras, self._refusal(i, form))
            self.sheets.append(item)
            labels = tuple(label for _, label in extras)
            key = (form.code, entry.year, from_committee, labels)
            group = self.groups.setdefault(key, _Group(form, entry.year, from_committee))
            group.sheets.append(item)

    def _forms(self) -> list[Form]:
        return list({g.form.code: g.form for g in self.groups.values()}.values())

    def _register_sheets(self) -> None:
        entries = [self.files[s.file][0] for s in self.sheets]
        self.con.register(
            "_sheets",
            pa.table(
                {
                    "_sheet_id": pa.array([s.id for s in self.sheets], pa.int32()),
                    "_file": pa.array([s.file for s in self.sheets], pa.int32()),
                    "_source_file": pa.array([e.rel for e in entries], pa.string()),
                    "_source_sheet": pa.array([s.sheet.name for s in self.sheets], pa.string()),
                    "_file_sha256": pa.array([e.sha for e in entries], pa.string()),
                    "year": pa.array([e.year for e in entries], pa.int32()),
                    "submitter_code": pa.array([e.code for e in entries], pa.string()),
                    "form": pa.array([s.sheet.form.code for s in self.sheets], pa.string()),
                }
            ),
        )

    def _batch_sheet(self, group: _Group) -> SheetRead:
        """The group's sheets as one: form columns, then row, ID flag, extra columns, sheet number and,
        from committees' folders, the folder's committee."""
        form = group.form
        fields = [c.field for c in form.columns]
        labels = [label for _, label in group.sheets[0].extras]
        names = [*fields, "_row", "_id_numeric", *(f"_extra_{k}" for k in range(len(labels))), "_sheet_id"]
        types = [pa.string()] * len(fields) + [pa.int64(), pa.bool_()] + [pa.string()] * len(labels) + [pa.int32()]
        if group.from_committee:
            names.append(FOLDER_COMMITTEE)
            types.append(pa.string())
        parts = []
        for s in group.sheets:
            table, n = s.sheet.table, s.sheet.table.num_rows
            columns = {name: table.column(name) for name in table.column_names}
            for k, (key, _) in enumerate(s.extras):
                columns[f"_extra_{k}"] = columns.pop(key)
            columns["_sheet_id"] = pa.array([s.id] * n, pa.int32())
            if group.from_committee:
                columns[FOLDER_COMMITTEE] = pa.array([self.files[s.file][0].code] * n, pa.string())
            arrays = [
                columns[name].cast(typ) if name in columns else pa.nulls(n, typ)
                for name, typ in zip(names, types, strict=True)
            ]
            parts.append(pa.table(arrays, names=names))
        extras = [(f"_extra_{k}", label) for k, label in enumerate(labels)]
        return SheetRead(name="", form=form, table=pa.concat_tables(parts), extras=extras)

    # ---- problems
    def _refusals(self) -> None:
        refused = [s for s in self.sheets if s.refusal]
        if not refused:
            return
        self.con.register(
            "_refusals",
            pa.table(
                {
                    "_sheet_id": pa.array([s.id for s in refused], pa.int32()),
                    "value": pa.array([self.files[s.file][0].code for s in refused], pa.string()),
                    "reason": pa.array([s.refusal for s in refused], pa.string()),
                }
            ),
        )
        for group in self.groups.values():
            if any(s.refusal for s in group.sheets):
                t = group.validated.table
                self.con.execute(
                    f"INSERT INTO _probs SELECT {t}._sheet_id, _row, NULL, r.value, r.reason "
                    f"FROM {t} JOIN _refusals r ON r._sheet_id = {t}._sheet_id"
                )
        self.con.unregister("_refusals")

    def _collect_problems(self, group: _Group) -> None:
        v = group.validated
        parts = [
            f"SELECT _sheet_id, _row, {lit(c.header)}, CAST({c.value} AS VARCHAR), {c.column} FROM {v.table} "
            f"WHERE {c.column} IS NOT NULL"
            for c in v.checks
        ]
        if parts:
            self.con.execute("INSERT INTO _probs " + " UNION ALL ".join(parts))

    def _duplicates(self, form: Form, groups: list[_Group]) -> None:
        """Rows of one form that repeat their natural key within one file (across its sheets)."""
        key = _natural_key(form)
        cols = ", ".join(q(c) for c, _, _ in key)
        union = " UNION ALL ".join(f"SELECT _sheet_id, _row, {cols} FROM {g.validated.table}" for g in groups)
        where = " AND ".join(f"{q(c)} IS NOT NULL" for c, _, must in key if must) or "TRUE"
        headers = "、".join(h for _, h, _ in key)
        if len(key) == 1:
            column_sql, value_sql = lit(key[0][1]), f"CAST({q(key[0][0])} AS VARCHAR)"
        else:
            column_sql = "NULL"
            value_sql = " || '；' || ".join(
                f"{lit(h + '=')} || coalesce(CAST({q(c)} AS VARCHAR), '')" for c, h, _ in key
            )
        self.con.execute(
            f"INSERT INTO _probs SELECT _sheet_id, _row, {column_sql}, {value_sql}, "
            f"{lit(headers)} || '在本文件中重复出现（共' || n || '行），这些行均未入库' FROM ("
            f"SELECT *, count(*) OVER (PARTITION BY _file, {cols}) AS n FROM "
            f"(SELECT u.*, s._file FROM ({union}) u JOIN _sheets s ON s._sheet_id = u._sheet_id) "
            f"WHERE {where}) WHERE n > 1"
        )

    # ---- loading
    def _person_keys(self, v: Validated, good: str, name: str) -> str:
        """Register ``name`` (ID number → person or evaluator key) for the group's good rows; the join on it."""
        key_field = v.form.person_field or v.form.evaluator_field
        if not key_field:
            return ""
        typed = q("t_" + key_field)
        found = self.con.execute(f"SELECT DISTINCT {typed} FROM {v.table} WHERE {good} AND {typed} IS NOT NULL")
        ids = [r[0] for r in found.fetchall()]
        keys = pa.table(
            {"_id": pa.array(ids, pa.string()), "_key": pa.array([keyed(i, self.key) for i in ids], pa.string())}
        )
        self.con.register(name, keys)
        self.registered.append(name)
        return f" LEFT JOIN {name} ON {name}._id = {v.table}.{typed}"

    def _lineage(self, v: Validated, keys: str) -> dict[str, str]:
        """The SQL of every raw column that is not a form field: keys, extra columns and lineage."""
        if v.extras:
            pairs = ", ".join(f"{lit(label)}, {q(col)}" for col, label in v.extras)
            any_value = " OR ".join(f"{q(col)} IS NOT NULL" for col, _ in v.extras)
            extra_sql = f"CASE WHEN {any_value} THEN CAST(json_object({pairs}) AS VARCHAR) END"
        else:
            extra_sql = "NULL"
        return {
            "year": "s.year",
            "submitter_code": "s.submitter_code",
            "person_key": f"{keys}._key",
            "evaluator_key": f"{keys}._key",
            "extra_columns": extra_sql,
            "_source_file": "s._source_file",
            "_source_sheet": "s._source_sheet",
            "_source_row": f"{v.table}._row",
            "_file_sha256": "s._file_sha256",
            "_loaded_at": f"CAST({lit(self.loaded_at.isoformat(sep=' '))} AS TIMESTAMP)",
            "_superseded": "FALSE",
            "_batch_order": f"{v.table}._sheet_id",
        }

    def _load(self, form: Form, groups: list[_Group]) -> None:
        """The good rows of one form's groups into its raw table, in the order of files, sheets and rows."""
        parts = []
        for group in groups:
            v = group.validated
            t = v.table
            good = f"NOT EXISTS (SELECT 1 FROM _probs p WHERE p._sheet_id = {t}._sheet_id AND p._row = {t}._row)"
            keys = f"_keys_{t}"
            join = self._person_keys(v, good, keys)
            lineage = self._lineage(v, keys)
            select = [
                f"{lineage[name]} AS {q(name)}" if name in lineage else f"{q('t_' + name)} AS {q(name)}"
                for name, _type in [*table_columns(form), ("_batch_order", "INTEGER")]
            ]
            parts.append(
                f"SELECT {', '.join(select)} FROM {t} JOIN _sheets s ON s._sheet_id = {t}._sheet_id{join} WHERE {good}"
            )
        self.con.execute(
            f"INSERT INTO {RAW_SCHEMA}.{form.table} BY NAME SELECT * EXCLUDE (_batch_order) FROM ("
            + " UNION ALL ".join(parts)
            + ") ORDER BY _batch_order, _source_row"
        )
        for name in self.registered:
            self.con.unregister(name)
        self.registered.clear()

    def _counts(self) -> dict[int, tuple[int, int]]:
        """Per sheet: (rows read, rows with a problem)."""
        read: dict[int, int] = defaultdict(int)
        for group in self.groups.values():
            for sid, n in self.con.execute(
                f"SELECT _sheet_id, count(*) FROM {group.validated.table} GROUP BY ALL"
            ).fetchall():
                read[sid] = n
        bad = dict(self.con.execute("SELECT _sheet_id, count(DISTINCT _row) FROM _probs GROUP BY ALL").fetchall())
        return {s.id: (read[s.id], bad.get(s.id, 0)) for s in self.sheets}

    def _audit_sheets(self, counts: dict[int, tuple[int, int]]) -> None:
        """Every sheet's audit row and line; then all audit rows of the batch in one statement."""
        for s in self.sheets:
            read, bad = counts[s.id]
            form, entry = s.sheet.form, self.files[s.file][0]
            self._audit(s.file, s.sheet.name, form.code, (read, read - bad, bad))
            self.loaded[form.code] += read - bad
            self.quarantined[form.code] += bad
            note = f"，隔离 {bad} 行（原因见 raw.quarantine）" if bad else ""
            self.messages[s.file].append(
                f"{entry.rel} 工作表「{s.sheet.name}」：识别为{form.code} {form.name}，读取 {read} 行，"
                f"入库 {read - bad} 行{note}"
            )
        insert_audits(self.con, [row for rows in self.audits for row in rows])

    def apply(self, summary: LoadSummary) -> list[str]:
        """Count the committed batch into the summary; its lines, file by file."""
        for code, n in self.loaded.items():
            summary.rows_loaded[code] += n
        for code, n in self.quarantined.items():
            summary.rows_quarantined[code] += n
        lines = [m for messages in self.messages for m in messages]
        summary.messages.extend(lines)
        summary.files_loaded += len(self.files)
        return lines


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
                SELECT DISTINCT _source_file AS file, year, submitter_code, {", ".join(q(x) for x in keys)}
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


def _known(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[tuple, str]]:
    known = {
        row[0]: row[1]
        for row in con.execute(f"SELECT file, any_value(sha256) FROM {RAW_SCHEMA}.load_audit GROUP BY file").fetchall()
    }
    by_content = {
        (row[0], row[1], row[2]): row[3]
        for row in con.execute(
            f"SELECT year, submitter_code, sha256, min(file) FROM {RAW_SCHEMA}.load_audit GROUP BY ALL"
        ).fetchall()
    }
    return known, by_content


def _plan(
    entries: list[Entry],
    known: dict[str, str],
    by_content: dict[tuple, str],
    summary: LoadSummary,
    say: Callable[[str], None],
) -> tuple[list[Entry], list[str]]:
    """Which entries to (re)load, and which paths' old rows go (changed into a copy of another file)."""
    for entry in entries:
        if entry.kind == "file":
            entry.sha = file_sha256(entry.path)
    # a path whose content changed no longer holds its old content
    changed = {e.rel for e in entries if e.rel in known and known[e.rel] != e.sha}
    by_content = {k: v for k, v in by_content.items() if v not in changed}
    todo: list[Entry] = []
    stale: list[str] = []
    for entry in entries:
        summary.files_seen += 1
        if known.get(entry.rel) == entry.sha:
            summary.files_skipped += 1
            continue
        same = by_content.get((entry.year, entry.code, entry.sha))
        if same is not None and same != entry.rel:
            summary.files_skipped += 1
            if entry.rel in known:  # changed into a copy of another loaded file: its old rows go
                stale.append(entry.rel)
                say(f"{entry.rel} 内容已变更，且与已载入的 {same} 完全相同：删除该文件上次载入的数据，不重复载入")
            else:
                say(f"{entry.rel} 与已载入的 {same} 内容完全相同，未重复载入")
            continue
        by_content.setdefault((entry.year, entry.code, entry.sha), entry.rel)
        todo.append(entry)
    return todo, stale


def _mtime(entry: Entry) -> _dt.datetime:
    try:
        return _dt.datetime.fromtimestamp(entry.path.lstat().st_mtime)
    except OSError:
        return _dt.datetime.now().replace(microsecond=0)


def _load_failed(con, entry: Entry, exc: Exception, known: dict[str, str], loaded_at, summary) -> list[str]:
    """A file whose loading failed: its old rows go, and it is recorded as 未识别 with the reason."""
    reason = (
        f"载入时发生程序内部错误，已回滚，本文件的数据未入库（请联系运维人员；"
        f"技术信息：{type(exc).__name__}: {shown(str(exc))[:300]}）"
    )
    con.execute("BEGIN TRANSACTION")
    if entry.rel in known:
        _delete_path(con, entry.rel)
    insert_audits(
        con,
        [
            [entry.rel, shown(entry.path.name), entry.sha, entry.code, entry.year, UNRECOGNISED, 0, 0, 0]
            + [False, _mtime(entry), loaded_at, reason, True]
        ],
    )
    con.execute("COMMIT")
    line = f"{entry.rel}：{reason}，已记为“未识别”"
    summary.messages.append(line)
    summary.files_loaded += 1
    return [line]


def _load_batch(
    con,
    batch: list[tuple[Entry, FileRead]],
    known: dict[str, str],
    loaded_at: _dt.datetime,
    pii_key: bytes,
    summary: LoadSummary,
) -> list[str]:
    """A batch of files in one transaction; if it fails, each file again in its own, so one bad file is 未识别."""
    loader = _BatchLoader(con, batch, loaded_at, pii_key)
    con.execute("BEGIN TRANSACTION")
    try:
        loader.run(known)
        con.execute("COMMIT")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        con.execute("ROLLBACK")
        for name in ("_sheets", "_refusals", "_keys"):
            with contextlib.suppress(Exception):
                con.unregister(name)
        if len(batch) == 1:
            lines = _load_failed(con, batch[0][0], exc, known, loaded_at, summary)
        else:
            lines = [line for item in batch for line in _load_batch(con, [item], known, loaded_at, pii_key, summary)]
    else:
        lines = loader.apply(summary)
    for name, seconds in loader.timings.items():
        summary.timings[name] += seconds
    for entry, _ in batch:
        known[entry.rel] = entry.sha
    return lines


def _read_and_load(
    con,
    todo: list[Entry],
    known: dict[str, str],
    loaded_at: _dt.datetime,
    pii_key: bytes,
    summary: LoadSummary,
    log: Callable[[str], None] | None,
) -> None:
    """Read the files in parallel (isolated readers) and load them in batches of at most ``BATCH_ROWS`` rows."""
    if not todo:
        return
    readable = [e for e in todo if e.kind == "file"]
    listed: dict[str, FileRead] = {}
    for entry in todo:
        if entry.kind != "file":
            listed[entry.rel] = FileRead([], error=entry.reason, unreadable=entry.kind in ("symlink", "special"))
            summary.entries_listed += 1
    batch: list[tuple[Entry, FileRead]] = []
    rows = 0

    def flush() -> None:
        for line in _load_batch(con, batch, known, loaded_at, pii_key, summary):
            if log:
                log(line)
        batch.clear()

    if readable:
        # pyarrow's first conversion of a list imports pandas (isolate._WithoutPandas): here while the readers read
        import_in_background("pandas")
    with ReaderPool(min(ReaderPool().size, len(readable))) as pool:
        reads = pool.read_all([e.path for e in readable])
        for entry in todo:
            t0 = time.perf_counter()
            result = listed.pop(entry.rel) if entry.kind != "file" else next(reads)[1]
            summary.timings["读取"] += time.perf_counter() - t0
            batch.append((entry, result))
            rows += sum(sheet.rows for sheet in result.sheets)
            if rows >= BATCH_ROWS or len(batch) >= BATCH_FILES:
                flush()
                rows = 0
        flush()


def load_inbox(
    inbox: Path,
    con: duckdb.DuckDBPyConnection,
    pii_key: bytes,
    log: Callable[[str], None] | None = None,
    partitions: Collection[tuple[int, str]] | None = None,
) -> LoadSummary:
    """Load every new or changed file of the inbox; see the module docstring.

    ``partitions``: only these (year, submitter code) folders of the inbox (see ``scan_inbox``)."""
    inbox = Path(inbox)
    summary = LoadSummary()

    def say(message: str) -> None:
        summary.messages.append(message)
        if log:
            log(message)

    ensure_schema(con)
    loaded_at = _dt.datetime.now().replace(microsecond=0)
    known, by_content = _known(con)
    scan_messages: list[str] = []
    entries = scan_inbox(inbox, scan_messages, partitions)
    for m in scan_messages:
        say(m)
    todo, stale = _plan(entries, known, by_content, summary, say)
    for rel in stale:
        con.execute("BEGIN TRANSACTION")
        _delete_path(con, rel)
        con.execute("COMMIT")
    _read_and_load(con, todo, known, loaded_at, pii_key, summary, log)
    t0 = time.perf_counter()
    recompute_superseded(con)
    summary.timings["判定被替代"] += time.perf_counter() - t0
    # every entry of this inbox that could not be read, this run or before (never read again)
    summary.files_unreadable = con.execute(
        f"SELECT count(DISTINCT file) FROM {RAW_SCHEMA}.load_audit WHERE unreadable AND list_contains(?, file)",
        [[e.rel for e in entries]],
    ).fetchone()[0]
    say(closing_line(summary))
    return summary


def closing_line(summary: LoadSummary) -> str:
    """The closing summary: every entry of the inbox counted once."""
    parts = [f"新载入 {summary.files_loaded} 个", f"内容未变跳过 {summary.files_skipped} 个"]
    if summary.entries_listed:
        parts.append(f"其中隐藏文件、临时锁文件、符号链接或特殊文件 {summary.entries_listed} 个只登记、未打开")
    if summary.files_unreadable:
        parts.append(f"无法读取 {summary.files_unreadable} 个（已记为“未识别”，原因见 raw.load_audit 的 reason 列）")
    return (
        f"收件箱共 {summary.files_seen} 个文件："
        + "，".join(parts)
        + f"；入库 {summary.total_loaded} 行，隔离 {summary.total_quarantined} 行"
    )
