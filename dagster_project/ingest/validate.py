"""Vectorised validation of one sheet in DuckDB SQL (contract.md sections 1–2).

The sheet's Arrow table (strings, see reader.py) is registered in DuckDB and turned
into a temp table with, for every form field, the normalised text ``r_<field>``, the
typed value ``t_<field>`` (NULL when blank and no default, or bad), and one
``e_<n>`` column per check holding the Chinese reason (NULL when the check passes).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from dagster_project import reference
from dagster_project.forms import (
    APP_NO,
    BOOL,
    CODE,
    COMMITTEE_EVENT_TYPES,
    DATE,
    ENUM,
    EVENT_DATE,
    FORMS_WITH_COMMITTEE_CODE,
    ID_NUMBER,
    ID_TYPES_CHECKED,
    INT,
    NUMBER,
    PUBLICITY_EVENT_TYPES,
    SERIES,
    TEXT,
    UNIT_NAME,
    Column,
    Form,
)
from dagster_project.ingest import idcard
from dagster_project.ingest.reader import SheetRead

YES = ("是", "Y", "y", "YES", "Yes", "yes", "√", "✓", "✔", "TRUE", "True", "true", "1", "有")
NO = ("否", "N", "n", "NO", "No", "no", "×", "✗", "✘", "FALSE", "False", "false", "0", "无")
SQL_TYPES = {
    TEXT: "VARCHAR",
    CODE: "VARCHAR",
    APP_NO: "VARCHAR",
    ID_NUMBER: "VARCHAR",
    ENUM: "VARCHAR",
    UNIT_NAME: "VARCHAR",
    DATE: "DATE",
    EVENT_DATE: "DATE",
    INT: "BIGINT",
    NUMBER: "DOUBLE",
    BOOL: "BOOLEAN",
}
_counter = itertools.count()


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    """A SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, _dt.date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def lits(values) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def _fixint(r: str) -> str:
    # a number typed in a text column (1001.0) is written as an integer
    return f"regexp_replace({r}, '^([+-]?[0-9]+)\\.0+$', '\\1')"


def date_sql(r: str) -> str:
    """Every date format of contract section 1, as a DuckDB expression on VARCHAR r."""

    def ymd(y: str, m: str, d: str) -> str:
        return f"try_cast({y} || '-' || lpad({m}, 2, '0') || '-' || lpad({d}, 2, '0') AS DATE)"

    sep = r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
    cn = r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?$"
    compact = r"^([0-9]{4})([0-9]{2})([0-9]{2})(?:\.0+)?$"
    serial = r"^[0-9]{5}(?:\.[0-9]+)?$"

    def g(pattern: str, i: int) -> str:
        return f"regexp_extract({r}, '{pattern}', {i})"

    return (
        f"CASE WHEN {r} IS NULL THEN NULL "
        f"WHEN regexp_matches({r}, '{sep}') THEN {ymd(g(sep, 1), g(sep, 2), g(sep, 3))} "
        f"WHEN regexp_matches({r}, '{cn}') THEN {ymd(g(cn, 1), g(cn, 2), g(cn, 3))} "
        f"WHEN regexp_matches({r}, '{compact}') THEN {ymd(g(compact, 1), g(compact, 2), g(compact, 3))} "
        f"WHEN regexp_matches({r}, '{serial}') THEN "
        f"CAST(DATE '1899-12-30' + CAST(floor(CAST({r} AS DOUBLE)) AS INTEGER) AS DATE) "
        f"END"
    )


@dataclass
class Check:
    column: str  # error column in the temp table
    header: str | None  # Chinese header (NULL for whole-row reasons)
    value: str  # SQL expression of the offending value (on the temp table)


@dataclass
class Validated:
    form: Form
    sheet: SheetRead
    table: str  # temp table name
    checks: list[Check] = field(default_factory=list)
    extras: list[tuple[str, str]] = field(default_factory=list)  # (column, unique label)


def _series_values(col: Column) -> tuple[str, ...]:
    return reference.series_names() if col.values == SERIES else tuple(col.values)


def _typed(col: Column, r: str, folder_committee: str | None) -> str:
    kind = col.kind
    if kind in (TEXT, CODE, UNIT_NAME):
        t = _fixint(r)
    elif kind == APP_NO:
        t = (
            f"CASE WHEN regexp_full_match({_fixint(r)}, '[A-Za-z0-9-]{{4,32}}') "
            f"AND NOT regexp_full_match({_fixint(r)}, '[0-9]{{18}}') THEN {_fixint(r)} END"
        )
    elif kind == ID_NUMBER:
        t = f"upper({r})"
    elif kind in (DATE, EVENT_DATE):
        t = date_sql(r)
    elif kind == INT:
        t = f"CASE WHEN regexp_full_match({r}, '[+-]?[0-9]{{1,18}}(\\.0+)?') THEN try_cast(regexp_replace({r}, '\\.0+$', '') AS BIGINT) END"
    elif kind == NUMBER:
        t = f"CASE WHEN regexp_full_match({r}, '[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?') THEN try_cast({r} AS DOUBLE) END"
    elif kind == BOOL:
        t = f"CASE WHEN {r} IN {lits(YES)} THEN TRUE WHEN {r} IN {lits(NO)} THEN FALSE END"
    elif kind == ENUM:
        values = _series_values(col)
        t = f"CASE WHEN {r} IN {lits(values)} THEN {r} END"
        if "是" in values and "否" in values:  # a yes/no field with more values (考试成绩合格): Y/N, √ too
            yes = tuple(v for v in YES if v not in values and v != "有")
            no = tuple(v for v in NO if v not in values and v != "无")
            t = f"CASE WHEN {r} IN {lits(values)} THEN {r} WHEN {r} IN {lits(yes)} THEN '是' WHEN {r} IN {lits(no)} THEN '否' END"
    else:  # pragma: no cover - forms.py knows no other kind
        raise ValueError(kind)
    if col.field == "committee_code" and folder_committee:
        return f"coalesce({t}, {lit(folder_committee)})"
    if col.default is not None:
        return f"CASE WHEN {r} IS NULL THEN CAST({lit(col.default)} AS {SQL_TYPES[kind]}) ELSE {t} END"
    return t


def validate_sheet(
    con: duckdb.DuckDBPyConnection,
    sheet: SheetRead,
    year: int,
    submitter_code: str,
    submitter_kind: str | None,
) -> Validated:
    """Create the temp table of typed values and checks for one recognised sheet."""
    form = sheet.form
    assert form is not None and sheet.table is not None
    n = next(_counter)
    src, stage, out = f"_src_{n}", f"_stage_{n}", f"_v_{n}"
    table = sheet.table
    for col in form.columns:  # absent optional columns: all blank
        if col.field not in table.column_names:
            table = table.append_column(col.field, pa.nulls(table.num_rows, pa.string()))
    con.register(src, table)
    folder_committee = submitter_code if submitter_kind == "committee" else None

    # stage 1: raw and typed values
    sel = ["_row", "_id_numeric"]
    for col in form.columns:
        r = q(col.field)
        sel.append(f"{r} AS {q('r_' + col.field)}")
        sel.append(
            f"CAST({_typed(col, r, folder_committee if col.field == 'committee_code' and form.code in FORMS_WITH_COMMITTEE_CODE else None)} AS {SQL_TYPES[col.kind]}) AS {q('t_' + col.field)}"
        )
    extras: list[tuple[str, str]] = []
    seen: set[str] = set(form.headers)
    for key, label in sheet.extras:
        unique = label
        k = 2
        while unique in seen:
            unique, k = f"{label}_{k}", k + 1
        seen.add(unique)
        extras.append((key, unique))
        sel.append(q(key))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT {', '.join(sel)} FROM {src}")
    con.unregister(src)

    # stage 2: checks
    checks: list[tuple[str, str | None, str]] = []  # (reason expr, header, value expr)

    def add(reason_sql: str, col: Column | None, value_sql: str | None = None) -> None:
        checks.append(
            (
                reason_sql,
                col.header if col else None,
                value_sql if value_sql is not None else (q("r_" + col.field) if col else "NULL"),
            )
        )

    def r_(f: str) -> str:
        return q("r_" + f)

    def t_(f: str) -> str:
        return q("t_" + f)

    id_type_field = "id_type" if "id_type" in {c.field for c in form.columns} else None
    for col in form.columns:
        h, r, t = col.header, r_(col.field), t_(col.field)
        needs_value = col.required and col.default is None
        if needs_value and not (col.field == "committee_code" and folder_committee):
            add(f"CASE WHEN {r} IS NULL THEN '{h}为必填项，不能为空' END", col)
        kind = col.kind
        if kind == APP_NO:
            add(
                f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN CASE WHEN regexp_full_match({_fixint(r)}, '[0-9]{{18}}') "
                f"THEN '{h}不能是18位数字（疑似误填了身份证号）' ELSE '{h}应为4–32位字母、数字或“-”' END END",
                col,
            )
        elif kind in (DATE, EVENT_DATE):
            add(
                f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN '{h}不是可识别的日期（可写作 2022-06-13、2022/6/13、2022年6月13日、20220613 等）' END",
                col,
            )
            if kind == EVENT_DATE:
                add(
                    f"CASE WHEN {t} IS NOT NULL AND abs(year({t}) - {year}) > 1 "
                    f"THEN '{h}的年份与报送年度（{year}年）相差超过1年' END",
                    col,
                )
        elif kind == INT:
            add(f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN '{h}应为整数' END", col)
            add(f"CASE WHEN {t} < {col.min_value} THEN '{h}应不小于{col.min_value}' END", col)
        elif kind == NUMBER:
            add(f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN '{h}应为数字' END", col)
            add(f"CASE WHEN {t} < {col.min_value} THEN '{h}不能小于{col.min_value}' END", col)
        elif kind == BOOL:
            add(f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN '{h}应填“是”或“否”（也可填 Y/N、√）' END", col)
        elif kind == ENUM:
            allowed = "、".join(_series_values(col))
            add(f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN '{h}不是允许的取值（应为：{allowed}）' END", col)
        elif kind == ID_NUMBER:
            numeric = f"(_id_numeric OR regexp_full_match({r}, '[0-9]+(\\.[0-9]+)?[eE][+]?[0-9]+'))"
            add(
                f"CASE WHEN {r} IS NOT NULL AND {numeric} THEN '{h}被存成了数字（数值单元格或科学计数法），末几位已丢失；请把该列设为文本格式后重新填写' END",
                col,
            )
            add(f"CASE WHEN {r} IS NOT NULL AND NOT {numeric} AND _idp IS NOT NULL THEN '{h}' || _idp END", col)

    fields = {c.field for c in form.columns}
    id_ok = None
    if "id_number" in fields:
        checked = f"{t_('id_type')} IN {lits(ID_TYPES_CHECKED)}" if id_type_field else "TRUE"
        id_ok = f"({r_('id_number')} IS NOT NULL AND NOT _id_numeric AND {checked} AND _idp IS NULL)"
    if "gender" in fields and id_ok:
        add(
            f"CASE WHEN {id_ok} AND {t_('gender')} IS NOT NULL AND {t_('gender')} <> "
            f"CASE WHEN cast(substr({r_('id_number')}, 17, 1) AS INTEGER) % 2 = 1 THEN '男' ELSE '女' END "
            f"THEN '性别与身份证号第17位不符（奇数为男，偶数为女）' END",
            form.column("gender"),
        )
    if "birth_date" in fields and id_ok:
        add(
            f"CASE WHEN {id_ok} AND {t_('birth_date')} IS NOT NULL AND {t_('birth_date')} <> "
            f"try_cast(substr({r_('id_number')}, 7, 4) || '-' || substr({r_('id_number')}, 11, 2) || '-' || "
            f"substr({r_('id_number')}, 13, 2) AS DATE) THEN '出生日期与身份证号中的出生日期不符' END",
            form.column("birth_date"),
        )
    if form.code == "F1":
        add(
            f"CASE WHEN {t_('current_level')} IS NOT NULL AND {t_('current_level')} <> '无' "
            f"AND {r_('current_title_date')} IS NULL THEN '现职称级别不是“无”时，现职称取得时间为必填项' END",
            form.column("current_title_date"),
        )
    if form.code == "F4":
        et = t_("event_type")
        add(
            f"CASE WHEN {et} IN {lits(COMMITTEE_EVENT_TYPES)} AND {r_('committee_code')} IS NULL "
            f"THEN '事项类型为“' || {et} || '”时，评委会代码为必填项' END",
            form.column("committee_code"),
        )
        for f in ("start_date", "end_date"):
            c = form.column(f)
            add(
                f"CASE WHEN {et} IN {lits(PUBLICITY_EVENT_TYPES)} AND {r_(f)} IS NULL "
                f"THEN '公示类事项（' || {et} || '）的{c.header}为必填项' END",
                c,
            )
        add(
            f"CASE WHEN {et} IS NOT NULL AND {et} NOT IN {lits(PUBLICITY_EVENT_TYPES)} AND {r_('submitted_date')} IS NULL "
            f"THEN '事项类型为“' || {et} || '”时，报送日期为必填项' END",
            form.column("submitted_date"),
        )
    if form.code in FORMS_WITH_COMMITTEE_CODE and not folder_committee:
        add(
            f"CASE WHEN {r_('committee_code')} IS NULL THEN '报送单位不是评委会时，评委会代码为必填项' END",
            form.column("committee_code"),
        )
    if form.code == "F5":
        add(
            f"CASE WHEN {t_('members_present')} > {t_('members_expected')} THEN '实到评委数大于应到评委数' END",
            form.column("members_present"),
        )
        add(
            f"CASE WHEN {t_('votes_for')} > {t_('members_present')} THEN '赞成票数大于实到评委数' END",
            form.column("votes_for"),
        )

    cols = ["*"]
    spec: list[Check] = []
    for i, (reason, header, value) in enumerate(checks):
        cols.append(f"{reason} AS e_{i}")
        spec.append(Check(f"e_{i}", header, value))
    for col in form.columns:
        if col.kind == UNIT_NAME:
            cols.append(
                f"regexp_replace({t_(col.field)}, '[\\s\\p{{Z}}]', '', 'g') AS {q('t_' + col.field + '_normalised')}"
            )
    if "id_number" in fields:
        checked = f"{t_('id_type')} IN {lits(ID_TYPES_CHECKED)}" if id_type_field else "TRUE"
        idp = f"CASE WHEN {r_('id_number')} IS NOT NULL AND {checked} THEN {idcard.sql_problem(r_('id_number'))} END"
    else:
        idp = "NULL"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT {', '.join(cols)} FROM (SELECT *, {idp} AS _idp FROM {stage})"
    )
    con.execute(f"DROP TABLE {stage}")
    return Validated(form=form, sheet=sheet, table=out, checks=spec, extras=extras)
