"""The serving snapshot: marts.* plus analyst views, in a DuckDB file of its own.

Readers (Superset, `zhicheng sql`, analysts' own tools) open only this file, read-only,
so they never hold or wait for the pipeline's write lock. The file is built under a
temporary name in the same folder and then renamed over ``serving.duckdb``
(``os.replace`` is atomic on one file system): a reader sees the old snapshot or the
new one, never half of one.

Only ``marts.*`` is copied, plus small dictionaries from the reference seeds (regions,
committees, code labels — no person), the submitter directory read from ``marts.submitters``
and the views of schema ``analyst``. Before the rename the whole file is scanned: a column whose name
suggests an ID number or a person's name, or any text value that looks like an
18-digit ID number, stops the publication.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.documents.office import office
from dagster_project.forms import GENERAL_GROUP, REVIEW_GROUPS

SNAPSHOT_NAME = "serving.duckdb"

# An 18-digit ID number as a token of its own: 17 digits + digit/X, not part of a longer run of
# letters and digits (so a file's sha256, a hex string, never counts; an ID beside Chinese text does).
ID_NUMBER_PATTERN = r"(^|[^0-9A-Za-z])[0-9]{17}[0-9Xx]([^0-9A-Za-z]|$)"
FORBIDDEN_COLUMN = re.compile(r"(id_number|id_no|idcard|身份证|姓名|^name$|_name_person|person_name|full_name)", re.I)

# Reference dictionaries copied (organisation names and code labels only; these are public):
# name → (source table, its columns as selected).
DICTIONARIES = {
    "dim_regions": ("reference.regions", "region_code, region_name, region_kind"),
    "dim_committees": (
        "reference.committees",
        "committee_code, committee_name, scope as committee_scope, host_code",
    ),
    "dim_labels": ("reference.labels", "kind, code, label"),
}
# The code → name directory is marts.submitters (the one directory, built by dbt); the
# bureau's name is the office's own (config/office.toml), as in the report and the notices.
SUBMITTERS_MART = "marts.submitters"
DIM_SUBMITTERS = (
    "select submitter_code, "
    "case when submitter_kind = 'bureau' then ? else submitter_name end as submitter_name, "
    "submitter_kind_name as submitter_kind "
    "from {target}.marts.submitters order by submitter_code"
)

ANALYST_VIEWS_SQL = Path(__file__).with_name("analyst_views.sql")


class SnapshotRefused(RuntimeError):
    """The snapshot would expose personal data or lacks the marts: nothing was published."""


@dataclass
class SnapshotResult:
    path: Path
    tables: dict[str, int] = field(default_factory=dict)
    views: list[str] = field(default_factory=list)
    seconds: float = 0.0
    published_at: str = ""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = ? and table_schema = ? and table_type = 'BASE TABLE' order by table_name",
        [catalog, schema],
    ).fetchall()
    return [r[0] for r in rows]


def _has_table(con: duckdb.DuckDBPyConnection, catalog: str, qualified: str) -> bool:
    schema, table = qualified.split(".")
    return table in _tables(con, catalog, schema)


def _current_catalog(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchone()[0]


def personal_data_problems(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[str]:
    """Every column name or text value in `catalog` that looks like personal data (Chinese messages).

    Every table and view is read by one scan (a view is computed once, so every view is also
    shown to run); its text columns are searched in that scan.
    """
    catalog = catalog or _current_catalog(con)
    problems: list[str] = []
    columns = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? order by 1, 2, ordinal_position",
        [catalog],
    ).fetchall()
    texts: dict[tuple[str, str], list[str]] = {}
    for schema, table, column, data_type in columns:
        if FORBIDDEN_COLUMN.search(column):
            problems.append(f"列 {schema}.{table}.{column} 的名称表明是身份证号或姓名，不得进入服务快照")
        names = texts.setdefault((schema, table), [])
        if data_type.upper() in ("VARCHAR", "TEXT", "STRING") or data_type.upper().startswith("VARCHAR"):
            names.append(column)
    for (schema, table), names in texts.items():
        ref = f"{_quote(catalog)}.{_quote(schema)}.{_quote(table)}"
        counts = "".join(f", count(*) filter (where regexp_matches({_quote(c)}, $pattern))" for c in names)
        parameters = {"pattern": ID_NUMBER_PATTERN} if names else {}
        hits = con.execute(f"select count(*){counts} from {ref}", parameters).fetchone()[1:]
        for column, n in zip(names, hits, strict=True):
            if n:
                problems.append(f"列 {schema}.{table}.{column} 有 {n} 个值含 18 位身份证号样式的数字，不得进入服务快照")
    return problems


def _copy_into(con: duckdb.DuckDBPyConnection, source_catalog: str, target: str) -> dict[str, int]:
    """Copy marts.* and the name dictionaries from the warehouse (current catalog) into `target`."""
    marts = _tables(con, source_catalog, "marts")
    if not marts:
        raise SnapshotRefused("数据仓库中没有 marts 层的表：请先完成 dbt 运行，再发布服务快照")
    counts: dict[str, int] = {}
    con.execute(f"create schema {target}.marts")
    for table in marts:
        copy = f"{target}.marts.{_quote(table)}"
        con.execute(f"create table {copy} as select * from {_quote(source_catalog)}.marts.{_quote(table)}")
        counts[f"marts.{table}"] = con.execute(f"select count(*) from {copy}").fetchone()[0]

    con.execute(f"create schema {target}.analyst")
    for name, (source, selected) in DICTIONARIES.items():
        if _has_table(con, source_catalog, source):
            con.execute(f"create table {target}.analyst.{name} as select {selected} from {source}")
        else:  # an empty dictionary keeps the views valid
            con.execute(f"create table {target}.analyst.{name} as {_empty(selected)}")
    if SUBMITTERS_MART not in counts:
        raise SnapshotRefused(f"数据仓库中没有 {SUBMITTERS_MART}（报送方目录）：请先完成 dbt 运行，再发布服务快照")
    con.execute(
        f"create table {target}.analyst.dim_submitters as " + DIM_SUBMITTERS.format(target=target), [office().name]
    )
    # the review groups named once in forms.py; the first is the general group (普通组)
    con.execute(
        f"create table {target}.analyst.dim_review_groups (group_name varchar, sort_order integer, is_general boolean)"
    )
    con.executemany(
        f"insert into {target}.analyst.dim_review_groups values (?, ?, ?)",
        [(name, i, name == GENERAL_GROUP) for i, name in enumerate(REVIEW_GROUPS)],
    )
    for name in [*DICTIONARIES, "dim_submitters", "dim_review_groups"]:
        counts[f"analyst.{name}"] = con.execute(f"select count(*) from {target}.analyst.{name}").fetchone()[0]
    return counts


def _empty(selected: str) -> str:
    """No rows, the dictionary's columns (all text)."""
    names = [part.split(" as ")[-1].strip() for part in selected.split(",")]
    return "select " + ", ".join(f"null::varchar as {name}" for name in names) + " limit 0"


def analyst_view_statements() -> list[tuple[str, str]]:
    """(view name, CREATE VIEW statement) from analyst_views.sql, in file order."""
    text = ANALYST_VIEWS_SQL.read_text(encoding="utf-8")
    statements = []
    for chunk in text.split(";"):
        body = "\n".join(line for line in chunk.splitlines() if not line.strip().startswith("--")).strip()
        if not body:
            continue
        match = re.match(r"create or replace view analyst\.(\w+)", body, re.I)
        if not match:
            raise ValueError(f"analyst_views.sql 中只能有 create or replace view analyst.* 语句：{body[:60]}")
        statements.append((match.group(1), body))
    return statements


def build_snapshot(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, published_at: datetime | None = None
) -> SnapshotResult:
    """Build the snapshot from the warehouse open on `con` and rename it over <out_dir>/serving.duckdb."""
    from dagster_project.progress import say

    say("发布服务快照……")
    started = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / SNAPSHOT_NAME
    temp = out_dir / f".{SNAPSHOT_NAME}.{os.getpid()}.tmp"
    for leftover in (temp, Path(f"{temp}.wal")):
        leftover.unlink(missing_ok=True)
    published_at = published_at or datetime.now().replace(microsecond=0)
    source_catalog = _current_catalog(con)
    alias = "zhicheng_serving_new"
    try:
        con.execute(f"attach ? as {alias}", [temp.as_posix()])  # the path is bound, never spliced into SQL
        try:
            counts = _copy_into(con, source_catalog, alias)
        finally:
            con.execute(f"detach {alias}")

        # Views are created from a connection to the new file itself, so they resolve there.
        views: list[str] = []
        snap = duckdb.connect(str(temp))
        try:
            for name, statement in analyst_view_statements():
                snap.execute(statement)
                views.append(f"analyst.{name}")
            snap.execute(
                "create table analyst.snapshot_info as select ?::timestamp as published_at, ?::integer as mart_tables, "
                "?::bigint as findings, ?::bigint as applications",
                [
                    published_at,
                    sum(1 for k in counts if k.startswith("marts.")),
                    counts.get("marts.findings", 0),
                    counts.get("marts.applications", 0),
                ],
            )
            problems = personal_data_problems(snap)  # also runs every view against the new file
            if problems:
                raise SnapshotRefused("服务快照未发布，发现个人信息：\n" + "\n".join(problems))
            snap.execute("checkpoint")
        finally:
            snap.close()
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        Path(f"{temp}.wal").unlink(missing_ok=True)
        raise
    return SnapshotResult(
        path=final,
        tables=counts,
        views=views,
        seconds=round(time.monotonic() - started, 3),
        published_at=published_at.isoformat(sep=" "),
    )


def build_snapshot_from_file(warehouse: Path, out_dir: Path) -> SnapshotResult:
    """Convenience for scripts and tests: open the warehouse file itself (needs no other writer)."""
    con = duckdb.connect(str(warehouse))
    try:
        return build_snapshot(con, out_dir)
    finally:
        con.close()


def connect_read_only(snapshot: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a serving snapshot (the way every reader should open it)."""
    snapshot = Path(snapshot)
    if not snapshot.exists():
        raise FileNotFoundError(f"服务快照不存在：{snapshot}（请先运行 zhicheng run 或 make demo）")
    return duckdb.connect(str(snapshot), read_only=True)
