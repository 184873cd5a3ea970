"""Read-only access to the warehouse (or the serving snapshot) for the report and the notices.

Nothing here writes: the connection is opened ``read_only=True``, so a report or the
notices can be made beside a running dashboard and never need the pipeline's lock.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from dagster_project import rule_registry
from dagster_project.forms import BUREAU_CODE
from dagster_project.settings import SEEDS_DIR

from .errors import OutputError
from .office import office


def warehouse_path(warehouse: Path | Any) -> Path:
    """The warehouse's file: a path, or the run's warehouse resource (its ``database``; dagster-duckdb is
    not imported here, so that a process making documents starts without Dagster)."""
    return Path(getattr(warehouse, "database", warehouse))


@contextmanager
def read_only(warehouse: Path | Any) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse: its file, or the run's warehouse resource."""
    path = warehouse_path(warehouse)
    if not path.exists():
        raise OutputError(f"数据仓库文件不存在：{path}（请先运行 zhicheng run）")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:  # e.g. a writer holds the file
        raise OutputError(f"无法以只读方式打开数据仓库 {path}：{exc}") from exc
    try:
        yield con
    finally:
        con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | tuple = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | tuple = ()) -> Any:
    row = con.execute(sql, list(params)).fetchone()
    return row[0] if row else None


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        scalar(
            con,
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        )
    )


def require_tables(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    missing = [n for n in names if not has_table(con, *n.split(".", 1))]
    if missing:
        raise OutputError("数据仓库缺少下列表，请先完整运行 zhicheng run：" + "、".join(missing))


def _seed_rows(name: str) -> list[dict[str, str]]:
    path = SEEDS_DIR / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def reference_rows(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    """A reference table from the warehouse (schema reference), else from seeds/."""
    if has_table(con, "reference", name):
        return rows(con, f'select * from reference."{name}"')
    return _seed_rows(name)


def latest_policy_year(con: duckdb.DuckDBPyConnection) -> int:
    """The default year: the latest year that has policy rows."""
    years = [int(r["year"]) for r in reference_rows(con, "policy_calendar") if r.get("year") not in (None, "")]
    if not years:
        raise OutputError("参考数据 policy_calendar 中没有任何年度，无法确定报告年度，请用 --year 指定")
    return max(years)


def policy_years(con: duckdb.DuckDBPyConnection) -> set[int]:
    return {int(r["year"]) for r in reference_rows(con, "policy_calendar") if r.get("year") not in (None, "")}


class Directory:
    """Names and kinds of every known code, from ``marts.submitters`` (the one directory);
    a warehouse without it (an older one) is read from the reference tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        bureau = office().name
        self.names: dict[str, str] = {BUREAU_CODE: bureau}
        self.kinds: dict[str, str] = {BUREAU_CODE: "bureau"}
        self.region_kind: dict[str, str] = {}
        self.committee_scope: dict[str, str] = {}
        if has_table(con, "marts", "submitters"):
            for r in rows(con, "select * from marts.submitters"):
                code = str(r["submitter_code"])
                self.names[code] = bureau if r["submitter_kind"] == "bureau" else r["submitter_name"]
                self.kinds[code] = r["submitter_kind"]
                if r["submitter_kind"] == "region":
                    self.region_kind[code] = r.get("region_kind") or ""
                if r["submitter_kind"] == "committee":
                    self.committee_scope[code] = r.get("committee_scope") or ""
        else:
            self._from_reference(con)
        self.region_order = [str(r["region_code"]) for r in reference_rows(con, "regions")]

    def _from_reference(self, con: duckdb.DuckDBPyConnection) -> None:
        for r in reference_rows(con, "regions"):
            self.names[str(r["region_code"])] = r["region_name"]
            self.kinds[str(r["region_code"])] = "region"
            self.region_kind[str(r["region_code"])] = r.get("region_kind") or ""
        for r in reference_rows(con, "departments"):
            self.names[r["department_code"]] = r["department_name"]
            self.kinds[r["department_code"]] = "department"
        for r in reference_rows(con, "units"):
            self.names[r["unit_code"]] = r["unit_name"]
            self.kinds[r["unit_code"]] = "unit"
        for r in reference_rows(con, "committees"):
            self.names[r["committee_code"]] = r["committee_name"]
            self.kinds[r["committee_code"]] = "committee"
            self.committee_scope[r["committee_code"]] = r.get("scope") or ""

    def name(self, code: Any) -> str:
        if code in (None, ""):
            return "—"
        return self.names.get(str(code), f"{code}（未登记代码）")

    def label(self, code: Any) -> str:
        if code in (None, ""):
            return "—"
        name = self.names.get(str(code))
        return f"{name}（{code}）" if name else f"{code}（未登记代码）"

    def kind(self, code: Any) -> str:
        return self.kinds.get(str(code), "unknown")

    def kind_name(self, code: Any) -> str:
        kind = self.kind(code)
        return "未登记代码" if kind == "unknown" else rule_registry.label("submitter_kind", kind)


def today() -> dt.date:
    return dt.date.today()
