"""Vectorised validation of a sheet, or of many like sheets at once, in DuckDB SQL (contract.md sections 1–2).

The Arrow table (strings, see reader.py; many sheets carry their number ``_sheet_id``) is registered and turned
into a temp table with, for every form field, the normalised text ``r_<field>``, the
typed value ``t_<field>`` (NULL when blank and no default, or bad), and one
``e_<n>`` column per check holding the Chinese reason (NULL when the check passes).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Callable
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
FOLDER_COMMITTEE = "_folder_committee"  # the column of a batch table: the committee folder a sheet came from
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


_INT_PATTERN = "[+-]?[0-9]{1,18}(\\.0+)?"
_NUMBER_PATTERN = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?"


def _typed_app_no(col: Column, r: str) -> str:
    return (
        f"CASE WHEN regexp_full_match({_fixint(r)}, '[A-Za-z0-9-]{{4,32}}') "
        f"AND NOT regexp_full_match({_fixint(r)}, '[0-9]{{18}}') THEN {_fixint(r)} END"
    )


def _typed_enum(col: Column, r: str) -> str:
    values = _series_values(col)
    if "是" in values and "否" in values:  # a yes/no field with more values (考试成绩合格): Y/N, √ too
        yes = tuple(v for v in YES if v not in values and v != "有")
        no = tuple(v for v in NO if v not in values and v != "无")
        return (
            f"CASE WHEN {r} IN {lits(values)} THEN {r} WHEN {r} IN {lits(yes)} THEN '是' "
            f"WHEN {r} IN {lits(no)} THEN '否' END"
        )
    return f"CASE WHEN {r} IN {lits(values)} THEN {r} END"


# the typed value of a column, per kind: (column, raw value expression) -> SQL expression
TYPED: dict[str, Callable[[Column, str], str]] = {
    TEXT: lambda col, r: _fixint(r),
    CODE: lambda col, r: _fixint(r),
    UNIT_NAME: lambda col, r: _fixint(r),
    APP_NO: _typed_app_no,
    ID_NUMBER: lambda col, r: f"upper({r})",
    DATE: lambda col, r: date_sql(r),
    EVENT_DATE: lambda col, r: date_sql(r),
    INT: lambda col, r: (
        f"CASE WHEN regexp_full_match({r}, '{_INT_PATTERN}') "
        f"THEN try_cast(regexp_replace({r}, '\\.0+$', '') AS BIGINT) END"
    ),
    NUMBER: lambda col, r: f"CASE WHEN regexp_full_match({r}, '{_NUMBER_PATTERN}') THEN try_cast({r} AS DOUBLE) END",
    BOOL: lambda col, r: f"CASE WHEN {r} IN {lits(YES)} THEN TRUE WHEN {r} IN {lits(NO)} THEN FALSE END",
    ENUM: _typed_enum,
}


def _typed(col: Column, r: str, from_committee: bool) -> str:
    if col.kind not in TYPED:  # pragma: no cover - forms.py knows no other kind
        raise ValueError(col.kind)
    t = TYPED[col.kind](col, r)
    if col.field == "committee_code" and from_committee:  # blank: the committee whose folder it came from
        return f"coalesce({t}, {FOLDER_COMMITTEE})"
    if col.default is not None:
        return f"CASE WHEN {r} IS NULL THEN CAST({lit(col.default)} AS {SQL_TYPES[col.kind]}) ELSE {t} END"
    return t


def r_(f: str) -> str:
    """The normalised text of field ``f`` in the temp table."""
    return q("r_" + f)


def t_(f: str) -> str:
    """The typed value of field ``f`` in the temp table."""
    return q("t_" + f)


def _bad_value(h: str, r: str, t: str, reason: str) -> str:
    """The check of a value written but not readable as its kind."""
    return f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN '{h}{reason}' END"


def _app_no_checks(col: Column, year: int) -> list[str]:
    h, r, t = col.header, r_(col.field), t_(col.field)
    return [
        f"CASE WHEN {r} IS NOT NULL AND {t} IS NULL THEN "
        f"CASE WHEN regexp_full_match({_fixint(r)}, '[0-9]{{18}}') "
        f"THEN '{h}不能是18位数字（疑似误填了身份证号）' ELSE '{h}应为4–32位字母、数字或“-”' END END"
    ]


def _date_checks(col: Column, year: int) -> list[str]:
    h, r, t = col.header, r_(col.field), t_(col.field)
    return [_bad_value(h, r, t, "不是可识别的日期（可写作 2022-06-13、2022/6/13、2022年6月13日、20220613 等）")]


def _event_date_checks(col: Column, year: int) -> list[str]:
    h, t = col.header, t_(col.field)
    return [
        *_date_checks(col, year),
        f"CASE WHEN {t} IS NOT NULL AND abs(year({t}) - {year}) > 1 "
        f"THEN '{h}的年份与报送年度（{year}年）相差超过1年' END",
    ]


def _int_checks(col: Column, year: int) -> list[str]:
    h, r, t = col.header, r_(col.field), t_(col.field)
    return [_bad_value(h, r, t, "应为整数"), f"CASE WHEN {t} < {col.min_value} THEN '{h}应不小于{col.min_value}' END"]


def _number_checks(col: Column, year: int) -> list[str]:
    h, r, t = col.header, r_(col.field), t_(col.field)
    return [_bad_value(h, r, t, "应为数字"), f"CASE WHEN {t} < {col.min_value} THEN '{h}不能小于{col.min_value}' END"]


def _bool_checks(col: Column, year: int) -> list[str]:
    return [_bad_value(col.header, r_(col.field), t_(col.field), "应填“是”或“否”（也可填 Y/N、√）")]


def _enum_checks(col: Column, year: int) -> list[str]:
    allowed = "、".join(_series_values(col))
    return [_bad_value(col.header, r_(col.field), t_(col.field), f"不是允许的取值（应为：{allowed}）")]


def _id_number_checks(col: Column, year: int) -> list[str]:
    h, r = col.header, r_(col.field)
    numeric = f"(_id_numeric OR regexp_full_match({r}, '[0-9]+(\\.[0-9]+)?[eE][+]?[0-9]+'))"
    return [
        f"CASE WHEN {r} IS NOT NULL AND {numeric} THEN "
        f"'{h}被存成了数字（数值单元格或科学计数法），末几位已丢失；请把该列设为文本格式后重新填写' END",
        f"CASE WHEN {r} IS NOT NULL AND NOT {numeric} AND _idp IS NOT NULL THEN '{h}' || _idp END",
    ]


# the checks of one column's value, per kind: (column, reporting year) -> reason expressions
KIND_CHECKS: dict[str, Callable[[Column, int], list[str]]] = {
    APP_NO: _app_no_checks,
    DATE: _date_checks,
    EVENT_DATE: _event_date_checks,
    INT: _int_checks,
    NUMBER: _number_checks,
    BOOL: _bool_checks,
    ENUM: _enum_checks,
    ID_NUMBER: _id_number_checks,
}

# one check across fields: (reason expression, field whose header and value the quarantine row names)
CrossCheck = tuple[str, str]


def _has(form: Form, field_name: str) -> bool:
    return any(c.field == field_name for c in form.columns)


def _id_checked(form: Form) -> str:
    """Whether a row's ID number is of a type whose format is checked."""
    return f"{t_('id_type')} IN {lits(ID_TYPES_CHECKED)}" if _has(form, "id_type") else "TRUE"


def _identity_checks(form: Form) -> list[CrossCheck]:
    """Gender and birth date against a valid ID number."""
    if not _has(form, "id_number"):
        return []
    idn = r_("id_number")
    id_ok = f"({idn} IS NOT NULL AND NOT _id_numeric AND {_id_checked(form)} AND _idp IS NULL)"
    checks = []
    if _has(form, "gender"):
        checks.append(
            (
                f"CASE WHEN {id_ok} AND {t_('gender')} IS NOT NULL AND {t_('gender')} <> "
                f"CASE WHEN cast(substr({idn}, 17, 1) AS INTEGER) % 2 = 1 THEN '男' ELSE '女' END "
                f"THEN '性别与身份证号第17位不符（奇数为男，偶数为女）' END",
                "gender",
            )
        )
    if _has(form, "birth_date"):
        checks.append(
            (
                f"CASE WHEN {id_ok} AND {t_('birth_date')} IS NOT NULL AND {t_('birth_date')} <> "
                f"try_cast(substr({idn}, 7, 4) || '-' || substr({idn}, 11, 2) || '-' || "
                f"substr({idn}, 13, 2) AS DATE) THEN '出生日期与身份证号中的出生日期不符' END",
                "birth_date",
            )
        )
    return checks


def _f1_checks(form: Form) -> list[CrossCheck]:
    return [
        (
            f"CASE WHEN {t_('current_level')} IS NOT NULL AND {t_('current_level')} <> '无' "
            f"AND {r_('current_title_date')} IS NULL THEN '现职称级别不是“无”时，现职称取得时间为必填项' END",
            "current_title_date",
        )
    ]


def _f4_checks(form: Form) -> list[CrossCheck]:
    et = t_("event_type")
    publicity = [
        (
            f"CASE WHEN {et} IN {lits(PUBLICITY_EVENT_TYPES)} AND {r_(f)} IS NULL "
            f"THEN '公示类事项（' || {et} || '）的{form.column(f).header}为必填项' END",
            f,
        )
        for f in ("start_date", "end_date")
    ]
    return [
        (
            f"CASE WHEN {et} IN {lits(COMMITTEE_EVENT_TYPES)} AND {r_('committee_code')} IS NULL "
            f"THEN '事项类型为“' || {et} || '”时，评委会代码为必填项' END",
            "committee_code",
        ),
        *publicity,
        (
            f"CASE WHEN {et} IS NOT NULL AND {et} NOT IN {lits(PUBLICITY_EVENT_TYPES)} "
            f"AND {r_('submitted_date')} IS NULL THEN '事项类型为“' || {et} || '”时，报送日期为必填项' END",
            "submitted_date",
        ),
    ]


# F5: (count, the count it may not exceed, reason)
_F5_AT_MOST = (
    ("members_present", "members_expected", "实到评委数大于应到评委数"),
    ("votes_for", "members_present", "赞成票数大于实到评委数"),
)


def _f5_checks(form: Form) -> list[CrossCheck]:
    return [(f"CASE WHEN {t_(n)} > {t_(limit)} THEN '{reason}' END", n) for n, limit, reason in _F5_AT_MOST]


def _committee_code_check(form: Form) -> list[CrossCheck]:
    """A committee code on every row of a form that names one, when a unit (not a committee) sends it."""
    return [
        (
            f"CASE WHEN {r_('committee_code')} IS NULL THEN '报送单位不是评委会时，评委会代码为必填项' END",
            "committee_code",
        )
    ]


def _cross_checks(form: Form, from_committee: bool) -> list[CrossCheck]:
    """The checks across fields, in the order their reasons are numbered."""
    checks = _identity_checks(form)
    if form.code == "F1":
        checks += _f1_checks(form)
    if form.code == "F4":
        checks += _f4_checks(form)
    if form.code in FORMS_WITH_COMMITTEE_CODE and not from_committee:
        checks += _committee_code_check(form)
    if form.code == "F5":
        checks += _f5_checks(form)
    return checks


def _column_checks(col: Column, year: int, from_committee: bool) -> list[str]:
    """A column's own checks: required, then those of its kind."""
    needs_value = col.required and col.default is None
    required = needs_value and not (col.field == "committee_code" and from_committee)
    own = [f"CASE WHEN {r_(col.field)} IS NULL THEN '{col.header}为必填项，不能为空' END"] if required else []
    return own + (KIND_CHECKS[col.kind](col, year) if col.kind in KIND_CHECKS else [])


def _check_specs(form: Form, year: int, from_committee: bool) -> list[tuple[str, Column]]:
    """Every check of a sheet as (reason expression, column named in the quarantine)."""
    checks = [(reason, col) for col in form.columns for reason in _column_checks(col, year, from_committee)]
    return checks + [(reason, form.column(f)) for reason, f in _cross_checks(form, from_committee)]


def unique_extras(form: Form, sheet: SheetRead) -> list[tuple[str, str]]:
    """The sheet's unknown columns with labels made unique against the form's headers and each other."""
    extras: list[tuple[str, str]] = []
    seen: set[str] = set(form.headers)
    for key, label in sheet.extras:
        unique = label
        k = 2
        while unique in seen:
            unique, k = f"{label}_{k}", k + 1
        seen.add(unique)
        extras.append((key, unique))
    return extras


def _stage_select(form: Form, from_committee: bool) -> list[str]:
    """Stage 1: the sheet number and row, and for every field its normalised text and typed value."""
    code_committee = from_committee and form.code in FORMS_WITH_COMMITTEE_CODE
    sel = ["_sheet_id", "_row", "_id_numeric"]
    for col in form.columns:
        r = q(col.field)
        typed = _typed(col, r, code_committee and col.field == "committee_code")
        sel.append(f"{r} AS {q('r_' + col.field)}")
        sel.append(f"CAST({typed} AS {SQL_TYPES[col.kind]}) AS {q('t_' + col.field)}")
    return sel


def _id_problem(form: Form) -> str:
    """The Chinese problem of a row's ID number (NULL when valid or not checked)."""
    if not _has(form, "id_number"):
        return "NULL"
    idn = r_("id_number")
    return f"CASE WHEN {idn} IS NOT NULL AND {_id_checked(form)} THEN {idcard.sql_problem(idn)} END"


def validate_sheet(con: duckdb.DuckDBPyConnection, sheet: SheetRead, year: int, from_committee: bool) -> Validated:
    """Create the temp table of typed values and checks for one recognised sheet (or a batch's sheets as one).

    ``from_committee``: the sheet came from a committee's folder, whose code the sheet's column
    ``FOLDER_COMMITTEE`` holds (a blank committee code is that committee's)."""
    form = sheet.form
    assert form is not None and sheet.table is not None
    n = next(_counter)
    src, stage, out = f"_src_{n}", f"_stage_{n}", f"_v_{n}"
    table = sheet.table
    for col in form.columns:  # absent optional columns: all blank
        if col.field not in table.column_names:
            table = table.append_column(col.field, pa.nulls(table.num_rows, pa.string()))
    if "_sheet_id" not in table.column_names:  # one sheet alone: number 0
        table = table.append_column("_sheet_id", pa.array([0] * table.num_rows, pa.int32()))
    con.register(src, table)

    # stage 1: raw and typed values
    extras = unique_extras(form, sheet)
    sel = _stage_select(form, from_committee) + [q(key) for key, _ in extras]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT {', '.join(sel)} FROM {src}")
    con.unregister(src)

    # stage 2: checks
    cols = ["*"]
    spec: list[Check] = []
    for i, (reason, col) in enumerate(_check_specs(form, year, from_committee)):
        cols.append(f"{reason} AS e_{i}")
        spec.append(Check(f"e_{i}", col.header, r_(col.field)))
    for col in form.columns:
        if col.kind == UNIT_NAME:
            cols.append(f"regexp_replace({t_(col.field)}, '[\\s\\p{{Z}}]', '', 'g') AS {t_(col.field + '_normalised')}")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT {', '.join(cols)} "
        f"FROM (SELECT *, {_id_problem(form)} AS _idp FROM {stage})"
    )
    con.execute(f"DROP TABLE {stage}")
    return Validated(form=form, sheet=sheet, table=out, checks=spec, extras=extras)
