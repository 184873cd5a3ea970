"""The reference check (contract v3 §3): every kind of problem stops with a Chinese message naming file, year, value."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from dagster_project.policy.check import ReferenceDataError, check_reference, requirements
from dagster_project.settings import SEEDS_DIR


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, folder)
    return folder


def edit(seeds: Path, name: str, change) -> None:
    header, rows = _rows(seeds / name)
    _write(seeds / name, header, change(rows))


def problems(seeds: Path) -> list[str]:
    with pytest.raises(ReferenceDataError) as caught:
        check_reference(seeds)
    message = str(caught.value)
    assert message.startswith("参考数据检查未通过")
    return [str(p) for p in caught.value.problems]


def test_the_shipped_seeds_pass_and_the_rules_read_exactly_their_parameters():
    assert check_reference(SEEDS_DIR) == [2022]
    _, params = _rows(SEEDS_DIR / "policy_parameters.csv")
    req = requirements()
    # derived from the SQL: every 2022 parameter is read by some model, and nothing else is
    assert req.parameters == {r["parameter"] for r in params}
    assert req.deadlines == {"FINISH-BY", "DIRECTED-POSTS", "CUTOFF-SENIORITY"}
    assert req.windows == {"APPLY-WINDOW"}


def test_missing_parameter_names_file_year_and_parameter(seeds):
    edit(seeds, "policy_parameters.csv", lambda rows: [r for r in rows if r["parameter"] != "PLAN_LEAD_DAYS"])
    assert problems(seeds) == ["policy_parameters.csv（2022 年度）：缺少参数 PLAN_LEAD_DAYS（规则读取它）"]


def test_a_new_year_missing_a_parameter_and_a_deadline(seeds):
    def add_year(rows):
        extra = [dict(r, year="2023") for r in rows if r["parameter"] != "OVERPOST_RATIO"]
        return rows + extra

    edit(seeds, "policy_parameters.csv", add_year)
    edit(
        seeds,
        "policy_calendar.csv",
        lambda rows: (
            rows
            + [
                dict(
                    r,
                    year="2023",
                    start_date=r["start_date"].replace("2022", "2023"),
                    end_date=r["end_date"].replace("2022", "2023"),
                )
                for r in rows
                if r["requirement_code"] != "FINISH-BY"
            ]
        ),
    )
    found = problems(seeds)
    assert "policy_parameters.csv（2023 年度）：缺少参数 OVERPOST_RATIO（规则读取它）" in found
    assert "policy_calendar.csv（2023 年度）：缺少要求 FINISH-BY（范围 all，须有截止日期）" in found
    # the seniority cutoff copied unchanged (2021-12-31) is too far from 2023: caught as well
    cutoff = "policy_calendar.csv 第 40 行（2023 年度）：CUTOFF-SENIORITY 的截止日期 2021-12-31 不在 2022–2024 年内"
    assert cutoff in found
    assert len(found) == 3


def test_misspelt_parameter_is_named(seeds):
    edit(
        seeds,
        "policy_parameters.csv",
        lambda rows: [dict(r, parameter="PLAN_LEAD_DAY") if r["parameter"] == "PLAN_LEAD_DAYS" else r for r in rows],
    )
    found = problems(seeds)
    assert "policy_parameters.csv（2022 年度）：参数 PLAN_LEAD_DAY 没有任何规则读取（名称写错了？）" in found
    assert "policy_parameters.csv（2022 年度）：缺少参数 PLAN_LEAD_DAYS（规则读取它）" in found


def test_window_outside_the_year_or_the_next_and_reversed(seeds):
    def change(rows):
        rows[3]["start_date"] = "2021-07-11"  # 150102's window
        rows[4]["end_date"] = "2022-07-01"  # 150103's window ends before it starts
        return rows

    edit(seeds, "policy_calendar.csv", change)
    assert problems(seeds) == [
        "policy_calendar.csv 第 5 行（2022 年度）：APPLY-WINDOW 的开始日期 2021-07-11 不在 2022 年或 2023 年内",
        "policy_calendar.csv 第 6 行（2022 年度）：APPLY-WINDOW 的结束日期 2022-07-01 早于开始日期 2022-07-11",
    ]


def test_deadline_far_from_the_year(seeds):
    edit(
        seeds,
        "policy_calendar.csv",
        lambda rows: [dict(r, end_date="2020-09-30") if r["requirement_code"] == "FINISH-BY" else r for r in rows],
    )
    assert problems(seeds) == [
        "policy_calendar.csv 第 19 行（2022 年度）：FINISH-BY 的截止日期 2020-09-30 不在 2021–2023 年内",
    ]


def test_unknown_codes_are_named(seeds):
    def calendar(rows):
        rows[3]["scope_code"] = "150199"
        rows[1]["scope_code"] = "county"
        rows[5]["levels"] = "中级|高级"
        return rows

    edit(seeds, "policy_calendar.csv", calendar)
    edit(seeds, "committee_filings.csv", lambda rows: rows + [dict(rows[0], committee_code="C-XX-NMG")])
    edit(
        seeds,
        "committees.csv",
        lambda rows: [dict(r, series="工程|电力") if r["committee_code"] == "C-GC-M" else r for r in rows],
    )
    assert problems(seeds) == [
        "committee_filings.csv 第 20 行（2022 年度）：评委会代码“C-XX-NMG”不在 committees.csv 中",
        "committees.csv 第 10 行：评委会 C-GC-M 的系列“电力”不在 series.csv 中",
        "policy_calendar.csv 第 3 行（2022 年度）："
        "APPLY-WINDOW 的报送单位类别“county”未知（应为 region、department、unit）",
        "policy_calendar.csv 第 5 行（2022 年度）："
        "APPLY-WINDOW 的报送单位代码“150199”不在地区、市直部门或自主评审单位名单中",
        "policy_calendar.csv 第 7 行（2022 年度）：APPLY-WINDOW 的级别“高级”未知",
    ]


def test_duplicate_keys(seeds):
    edit(seeds, "committee_filings.csv", lambda rows: rows + [dict(rows[2], filed_date="2022-04-21")])
    edit(seeds, "policy_parameters.csv", lambda rows: rows + [dict(rows[0], value="7")])
    edit(seeds, "policy_calendar.csv", lambda rows: rows + [dict(rows[5], levels="中级")])
    assert problems(seeds) == [
        "committee_filings.csv 第 4 行（2022 年度）：键重复（year=2022、committee_code=C-JJ-NMG）出现 2 次",
        "policy_calendar.csv 第 7 行（2022 年度）：键重复（year=2022、requirement_code=APPLY-WINDOW、"
        "scope_type=submitter、scope_code=150104、level=中级）出现 2 次",
        "policy_parameters.csv 第 2 行（2022 年度）：键重复（year=2022、parameter=PUBLICITY_MIN_WORKDAYS）出现 2 次",
    ]


def test_bad_values_and_orphan_years(seeds):
    edit(
        seeds,
        "policy_parameters.csv",
        lambda rows: (
            [dict(r, value="百分之五") if r["parameter"] == "OVERPOST_RATIO" else r for r in rows]
            + [{"year": "2024", "parameter": "PLAN_LEAD_DAYS", "value": "14"}]
        ),
    )
    edit(seeds, "committee_filings.csv", lambda rows: [dict(rows[0], filed_date="2022-4-20")] + rows[1:])
    assert problems(seeds) == [
        "committee_filings.csv 第 2 行（2022 年度）：列 filed_date 的值“2022-4-20”不是日期（如 2022-06-13）",
        "committee_filings.csv 第 2 行（2022 年度）：评委会 C-GC-NMG 没有备案日期",
        "policy_parameters.csv 第 5 行（2022 年度）：参数 OVERPOST_RATIO 没有值",
        "policy_parameters.csv 第 5 行（2022 年度）：列 value 的值“百分之五”不是数值",
        "policy_parameters.csv（2024 年度）：有 2024 年度的行，但 policy_calendar.csv 没有该年度（先补申报时间）",
    ]


def test_missing_file_and_column(seeds):
    (seeds / "committee_filings.csv").unlink()
    _, rows = _rows(seeds / "units.csv")
    _write(seeds / "units.csv", ["unit_code"], [{"unit_code": r["unit_code"]} for r in rows])
    found = problems(seeds)
    assert "committee_filings.csv：缺少参考数据文件 committee_filings.csv" in found
    assert "units.csv：缺少列：unit_name" in found


def test_the_check_is_upstream_of_the_calendar_and_so_of_the_dbt_step():
    from dagster import AssetKey

    from dagster_project.definitions import defs

    graph = defs.resolve_asset_graph()
    check, calendar = AssetKey(["reference", "reference_check"]), AssetKey(["reference", "workday_calendar"])
    assert graph.get(calendar).parent_keys == {check}
    # dbt builds every seed and model in one step, which waits for the calendar it reads
    dbt_keys = {k for k in graph.get_all_asset_keys() if k.path[0] in ("reference", "staging", "marts")} - {
        check,
        calendar,
    }
    steps = {graph.get(k).assets_def.node_def.name for k in dbt_keys}
    assert len(steps) == 1
    assert AssetKey(["intermediate", "int_workdays"]) in graph.get(calendar).child_keys


def test_another_seeds_directory_reaches_dbt_as_a_staged_copy_inside_target(seeds, monkeypatch):
    from dagster_project.settings import DBT_DIR, SEEDS_ENV, dbt_seed_path

    monkeypatch.delenv(SEEDS_ENV, raising=False)
    assert dbt_seed_path() == "../seeds"
    monkeypatch.setenv(SEEDS_ENV, str(seeds))
    staged = (DBT_DIR / dbt_seed_path()).resolve()
    # dbt writes a seed's load statement under target/run/<project>/<seed path>: it must stay inside target/
    written = (DBT_DIR / "target" / "run" / "zhicheng" / dbt_seed_path() / "units.csv").resolve()
    assert written.is_relative_to((DBT_DIR / "target").resolve())
    assert staged.is_relative_to((DBT_DIR / "target" / "reference_seeds").resolve())
    assert {p.name: p.read_bytes() for p in staged.glob("*.csv")} == {
        p.name: p.read_bytes() for p in seeds.glob("*.csv")
    }
