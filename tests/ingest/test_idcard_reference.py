"""The ID number check (Python and SQL agree) and the reference helpers."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from dagster_project import reference
from dagster_project.ingest import idcard

KNOWN_VALID = ["11010519491231002X"]  # the published GB 11643 example (its 1880 sibling is before 1900: refused)


def test_published_examples_are_valid():
    for number in KNOWN_VALID:
        assert idcard.problem(number) is None
        assert idcard.problem(number.lower()) is None


def test_make_builds_valid_numbers_with_gender():
    rng = random.Random(3)
    for _ in range(200):
        male = rng.random() < 0.5
        number = idcard.random_valid(rng, male)
        assert idcard.problem(number) is None
        assert idcard.gender(number) == ("男" if male else "女")


@pytest.mark.parametrize(
    "number,reason",
    [
        ("11010519491231002Y", "应为18位（前17位数字，末位数字或X）"),
        ("1101051949123100", "应为18位（前17位数字，末位数字或X）"),
        ("110105194902300023", "出生日期部分不是真实日期"),
        ("110105189912310021", "出生日期部分不是真实日期"),
        ("110105194912310021", "校验位错误"),
    ],
)
def test_problems(number, reason):
    assert idcard.problem(number) == reason


def test_sql_matches_python():
    rng = random.Random(5)
    numbers = KNOWN_VALID + [idcard.random_valid(rng) for _ in range(300)]
    numbers += [n[:17] + rng.choice("0123456789X") for n in numbers[:200]]
    numbers += [
        "110105194902300023",
        "11010519491231002x",
        "abc",
        "110105" + dt.date.today().strftime("%Y") + "12310021",
    ]
    con = duckdb.connect()
    con.execute("create table t (v varchar)")
    con.executemany("insert into t values (?)", [[n] for n in numbers])
    got = dict(con.execute(f"select v, {idcard.sql_problem('v')} from t").fetchall())
    assert got == {n: idcard.problem(n) for n in numbers}


def test_reference_kinds():
    assert reference.submitter_kind("150121") == reference.REGION
    assert reference.submitter_kind("150123401") == reference.REGION
    assert reference.submitter_kind("D-JYJ") == reference.DEPARTMENT
    assert reference.submitter_kind("U-HHVC") == reference.UNIT
    assert reference.submitter_kind("C-ZXX-150121") == reference.COMMITTEE
    assert reference.submitter_kind("B-RSJ") == reference.BUREAU
    assert reference.submitter_kind("150199") is None
    assert "中小学教师" in reference.series_names() and len(reference.series_names()) == 18
