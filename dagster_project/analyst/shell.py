"""A read-only SQL shell on the serving snapshot (the analysts' ad hoc SQL).

The snapshot is opened read-only with external access switched off: no writes, no
reading or writing other files (COPY, read_csv, ATTACH) — only the published tables
and views. The pipeline is never blocked: it writes a different file.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from pathlib import Path
from typing import TextIO

import duckdb

from dagster_project.publish.snapshot import SNAPSHOT_NAME

HELP = """可用命令：
  SQL 语句以分号 ; 结尾（可跨多行）
  .tables            列出全部表与视图
  .schema 名称       查看表或视图的列（如 .schema analyst.findings）
  .help              显示本帮助
  .quit 或 Ctrl-D    退出
服务快照是只读的：不能修改数据，也不能读写其他文件。"""


def snapshot_path(snapshot: Path | None = None, out: Path | None = None) -> Path:
    """--snapshot, else <--out or ZHICHENG_OUT or output/>/serving.duckdb."""
    if snapshot is not None:
        return Path(snapshot)
    if out is None:
        from dagster_project.settings import Settings

        out = Settings.defaults().out
    return Path(out) / SNAPSHOT_NAME


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"服务快照不存在：{path}（请先运行 zhicheng run 或 make demo）")
    return duckdb.connect(
        str(path), read_only=True, config={"enable_external_access": False, "lock_configuration": True}
    )


def _width() -> int:
    return max(80, shutil.get_terminal_size((160, 40)).columns)


def run_query(
    con: duckdb.DuckDBPyConnection, query: str, *, fmt: str = "table", max_rows: int = 200, stream: TextIO | None = None
) -> int:
    """Run one query; print its result as a table (or csv). Returns the number of rows."""
    stream = stream or sys.stdout
    relation = con.sql(query)
    if relation is None:  # a statement without a result (SET, PRAGMA …)
        print("完成。", file=stream)
        return 0
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(relation.columns)
        rows = relation.fetchall()
        writer.writerows(rows)
        return len(rows)
    count = relation.aggregate("count(*)").fetchall()[0][0] if max_rows else None
    if stream is sys.stdout:
        relation.show(max_width=_width(), max_rows=max_rows)
    else:
        rows = relation.limit(max_rows).fetchall()
        stream.write(_plain_table(relation.columns, rows))
    if count is not None and count > max_rows:
        print(f"（共 {count} 行，只显示前 {max_rows} 行；用 --max-rows 或 LIMIT 调整）", file=stream)
    return count or 0


def _plain_table(columns: list[str], rows: list[tuple]) -> str:
    lines = [" | ".join(columns), "-" * 20]
    lines += [" | ".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def _meta(con: duckdb.DuckDBPyConnection, line: str) -> bool:
    """Handle a dot command; False means quit."""
    parts = line.split()
    command = parts[0].lower()
    if command in (".quit", ".exit", "\\q"):
        return False
    if command == ".help":
        print(HELP)
    elif command == ".tables":
        run_query(
            con,
            "select table_schema || '.' || table_name as 名称, "
            "case table_type when 'VIEW' then '视图' else '表' end as 类型 "
            "from information_schema.tables order by 1",
            max_rows=1000,
        )
    elif command == ".schema" and len(parts) == 2:
        schema, _, table = parts[1].rpartition(".")
        run_query(
            con,
            "select column_name as 列, data_type as 类型 from information_schema.columns "
            f"where table_name = '{table.replace(chr(39), '')}' "
            + (f"and table_schema = '{schema.replace(chr(39), '')}' " if schema else "")
            + "order by ordinal_position",
            max_rows=1000,
        )
    else:
        print(f"未知命令：{line}（输入 .help 查看帮助）")
    return True


def interactive(con: duckdb.DuckDBPyConnection, path: Path, *, max_rows: int = 200) -> None:
    try:
        import readline  # noqa: F401 - line editing and history when available
    except ImportError:  # pragma: no cover
        pass
    print(f"已以只读方式打开服务快照：{path}")
    print("输入 .help 查看帮助，.tables 列出表与视图，.quit 退出。")
    buffer: list[str] = []
    while True:
        try:
            line = input("zhicheng> " if not buffer else "     ...> ")
        except EOFError:
            print()
            return
        except KeyboardInterrupt:
            print()
            buffer.clear()
            continue
        if not buffer and line.strip().startswith((".", "\\q")):
            if not _meta(con, line.strip()):
                return
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            query = "\n".join(buffer)
            buffer.clear()
            try:
                run_query(con, query, max_rows=max_rows)
            except duckdb.Error as error:
                print(f"错误：{_chinese_error(error)}")


# DuckDB's own error kinds, said in Chinese (its English first line follows in brackets).
ERROR_KINDS: tuple[tuple[type, str, str], ...] = (
    (duckdb.ParserException, "SQL 语法错误", ""),
    (duckdb.CatalogException, "找不到表、视图或函数", "；输入 .tables 列出可用的表与视图"),
    (duckdb.BinderException, "列名或表达式有误", "；输入 .schema 名称 查看表的列"),
    (duckdb.ConversionException, "数据类型转换失败", ""),
    (duckdb.OutOfRangeException, "数值超出范围", ""),
)


def _chinese_error(error: duckdb.Error) -> str:
    text = str(error)
    first = text.splitlines()[0] if text else type(error).__name__
    if "read-only" in text or "read only" in text:
        return f"服务快照是只读的，不能修改数据（{first}）"
    if "file system operations are disabled" in text or "external access" in text.lower():
        return f"服务快照只能查询已发布的表与视图，不能读写其他文件（{first}）"
    if "configuration has been locked" in text:
        return f"服务快照的连接设置已锁定，不能更改（{first}）"
    for kind, meaning, hint in ERROR_KINDS:
        if isinstance(error, kind):
            return f"{meaning}（{first}）{hint}"
    return f"查询失败（{first}）"


def main_entry(query: str | None, snapshot: Path | None, out: Path | None, fmt: str, max_rows: int) -> int:
    path = snapshot_path(snapshot, out)
    con = connect(path)
    try:
        if query is None:
            if not sys.stdin.isatty() and os.environ.get("ZHICHENG_SQL_FORCE_INTERACTIVE") != "1":
                query = sys.stdin.read()
            else:
                interactive(con, path, max_rows=max_rows)
                return 0
        try:
            run_query(con, query, fmt=fmt, max_rows=max_rows)
        except duckdb.Error as error:
            print(f"错误：{_chinese_error(error)}", file=sys.stderr)
            return 1
        return 0
    finally:
        con.close()
