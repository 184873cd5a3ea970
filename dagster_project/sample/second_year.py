"""A second policy year beside the 2022 sample inbox, from given reference rows (a two-year inbox).

The 2022 files are exactly those of ``generate_inbox`` (same seed, same bytes): adding a year must change
no row of 2022. The second year is small and clean by construction, except for the cases that cross years
or depend on the year's own reference rows; each is written to ``ground_truth_<year>.csv``:

- a 破格 pass in 2022 and a 破格申报 by the same person in the second year (ELG-07);
- an evaluator on rosters three years running before the second year (COM-01), and one with a gap (none);
- a blacklist record exactly BLACKLIST_YEARS before an application (none) and one a day later (INT-01);
- a committee filed in 2022 but not in the second year, used by an application (CHN-03);
- a plan filed 15 days before the evaluation: on time under 2022's PLAN_LEAD_DAYS, late under a
  second year that asks for more (SCH-03) — the finding follows the year's own parameter.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

from dagster_project import forms
from dagster_project.sample import writers as W
from dagster_project.sample.generator import ADVISORY, DAY, TRUTH_COLUMNS, TZ, VIOLATION, Generator
from dagster_project.sample.reference_data import add_years, next_workday, period_of

D = dt.date
FIRST_YEAR = 2022
POGE44 = tuple(f"四(四){i}" for i in range(1, 6))
SUBMITTERS = ("150121", "150125", "D-GXJ")
PLAN_LEAD = 15  # days between the plan and the evaluation start of C-ZXX-150121


def _at(day: D, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


class SecondYear:
    def __init__(self, first: Generator, seeds_dir: Path, year: int, seed: int):
        self.first, self.y = first, year
        self.g = Generator(seed * 31 + year, 0, year, seeds_dir)
        self.g.ids |= first.ids  # nobody new is somebody of 2022 by chance
        self.ref = self.g.ref
        self.truth: list[tuple[str, str, str, str]] = []
        self.files: list[W.FileSpec] = []
        self.f7: list[dict] = []

    def find(self, *row: str) -> None:
        self.truth.append(row)

    # --------------------------------------------------------------- applications
    def _poge_passer(self) -> dict:
        """A current, unambiguous 2022 四(四) 破格申报 that passed at a 自治区 committee, not on the blacklist."""
        first = self.first
        blacklisted = {r["id_number"] for f in first.files for s in f.sheets if s.form is forms.F7 for r in s.rows}
        numbers: dict[str, set[str]] = {}
        for a in first.apps:
            numbers.setdefault(a["application_no"], set()).add(a["_sub"])
        passed = {
            (r["application_no"], r["id_number"], r["committee_code"], r["series"], r["level"])
            for rows in first.f5_all.values()
            for r in rows
            if r["outcome"] == "通过" and "__q__" not in r
        }
        for a in sorted(first.apps, key=lambda a: a["application_no"]):
            if (
                a["route"] == "破格申报"
                and a["exception_basis"] in POGE44
                and a["_counts"]
                and a["_sub"] == "150121"
                and len(numbers[a["application_no"]]) == 1
                and first.ref.committee_scope(a["committee_code"]) == "自治区"
                and a["id_number"] not in blacklisted
                and (a["application_no"], a["id_number"], a["committee_code"], a["series"], a["level"]) in passed
            ):
                return a
        raise ValueError("2022 年样例中没有可用的破格申报通过者（换一个随机种子）")

    def applications(self) -> None:
        g, y = self.g, self.y
        g.eval_days = {
            "C-ZXX-150121": [D(y, 8, 22), D(y, 8, 23)],
            "C-GC-NMG": [D(y, 8, 22), D(y, 8, 23)],
            "C-GC-M": [D(y, 8, 16), D(y, 8, 17)],
        }
        for _ in range(4):
            g.app("150121", "中小学教师", "中级")
        for _ in range(2):
            g.app("150121", "工程", "副高级")
            g.app("D-GXJ", "工程", "中级")
        old = self._poge_passer()
        again = g.app(
            "150121",
            old["series"],
            "正高级",
            "破格申报",
            exception_basis="四(四)3",
            id_number=old["id_number"],
            committee=g.committee_for("150121", old["series"], "正高级"),
        )
        again.update(name=old["name"], gender=old["gender"])
        self.find("ELG-07", ADVISORY, "application", again["application_no"])
        # the integrity registry: exactly BLACKLIST_YEARS before the application is outside, a day later inside
        years = int(self.ref.params["BLACKLIST_YEARS"])
        for offset, hit in ((0, False), (1, True)):
            a = g.app("150121", "中小学教师", "中级")
            self.f7.append(
                {
                    "id_type": "居民身份证",
                    "id_number": a["id_number"],
                    "name": a["name"],
                    "record_date": add_years(a["application_date"], -years) + offset * DAY,
                    "reason": "申报材料弄虚作假",
                }
            )
            if hit:
                self.find("INT-01", ADVISORY, "application", a["application_no"])
        # a committee filed in 2022 and not in this year
        unfiled = [c for c in self.first.ref.filings if c not in self.ref.filings]
        assert "C-ZXX-150125" in unfiled, unfiled
        g.app("150125", "中小学教师", "中级", committee="C-ZXX-150125", _f5=None)
        self.find("CHN-03", VIOLATION, "committee", "C-ZXX-150125")

    # --------------------------------------------------------------- outcomes and events
    def outcomes(self) -> dict[str, list[dict]]:
        by: dict[str, list[dict]] = {}
        for a in sorted(self.g.apps, key=lambda a: a["application_no"]):
            if a["_f5"] is None or a["committee_code"] not in self.g.eval_days:
                continue
            by.setdefault(a["committee_code"], []).append(self.g.outcome_row(a))
        return by

    def events(self, f5: dict[str, list[dict]]) -> dict[str, list[dict]]:
        g, rng = self.g, self.g.rng
        f4: dict[str, list[dict]] = {}
        for code in SUBMITTERS:
            m = g.materials[code]
            ps, pe = period_of(next_workday(m - 12 * DAY), 5 + rng.randint(0, 1))
            assert pe < m, (code, pe, m)
            f4[code] = [
                {"event_type": "花名册公示", "start_date": ps, "end_date": pe, "objections": 0},
                {"event_type": "材料报送", "submitted_date": m, "signed_sealed": True},
                {"event_type": "工作情况总结报告", "submitted_date": next_workday(m + 10 * DAY)},
                {"event_type": "公示结果报告", "submitted_date": next_workday(m + 3 * DAY)},
            ]
        days = {c: sorted(r["evaluation_date"] for r in rows) for c, rows in f5.items()}
        # 旗县区 committee: plan PLAN_LEAD days ahead, adequate results publicity, approval report in time
        c = "C-ZXX-150121"
        start, end = days[c][0], days[c][-1]
        ps, pe = period_of(next_workday(end + DAY), 5)
        f4[c] = [
            {
                "event_type": "评审实施方案备案",
                "committee_code": c,
                "submitted_date": start - PLAN_LEAD * DAY,
                "planned_evaluation_date": start,
            },
            {"event_type": "评审结果公示", "committee_code": c, "start_date": ps, "end_date": pe, "objections": 0},
            {"event_type": "核准备案报告", "committee_code": c, "submitted_date": next_workday(pe + 3 * DAY)},
        ]
        if PLAN_LEAD < self.ref.params["PLAN_LEAD_DAYS"]:
            self.find("SCH-03", VIOLATION, "committee", c)
        # 市级 committee: results publicity by the bureau, from the day after the evaluation ends
        ps, pe = period_of(next_workday(days["C-GC-M"][-1] + DAY), 5)
        f4[forms.BUREAU_CODE] = [
            {
                "event_type": "评审结果公示",
                "committee_code": "C-GC-M",
                "start_date": ps,
                "end_date": pe,
                "objections": 0,
            }
        ]
        return f4

    def rosters(self) -> list[dict]:
        """C-ZXX-150121's roster: new evaluators, one of 2022's on rosters the three years before (COM-01),
        one with a gap (none)."""
        y, c = self.y, "C-ZXX-150121"
        need = int(self.ref.params["EVALUATOR_CONSECUTIVE_YEARS"])
        years: dict[str, set[int]] = {}
        names: dict[str, str] = {}
        for (_, yr), rows in self.first.rosters.items():
            for r in rows:
                years.setdefault(r["evaluator_no"], set()).add(yr)
                names[r["evaluator_no"]] = r["name"]
        before = set(range(y - need, y))
        running = sorted(no for no, ys in years.items() if before <= ys)
        gap = sorted(no for no, ys in years.items() if y - 1 not in ys and before - {y - 1} <= ys)
        rows = []
        for i in range(5):
            rows.append({"no": f"PW{y}{i + 1:03d}", "name": self.g.name(), "own": i % 2 == 0})
        rows += [
            {"no": running[0], "name": names[running[0]], "own": False},
            {"no": gap[0], "name": names[gap[0]], "own": False},
        ]
        self.find("COM-01", ADVISORY, "evaluator", running[0])
        return [
            {
                "committee_code": c,
                "roster_year": y,
                "evaluator_no": r["no"],
                "name": r["name"],
                "unit_name": "呼和浩特市第一中学",
                "is_own_unit": r["own"],
                "specialty": "综合",
            }
            for r in rows
        ]

    # --------------------------------------------------------------- files
    def build_files(self) -> None:
        y, g = self.y, self.g
        f5 = self.outcomes()
        f4 = self.events(f5)
        for code in SUBMITTERS:
            apps = sorted((a for a in g.apps if a["_sub"] == code), key=lambda a: a["application_no"])
            for i, a in enumerate(apps, 1):
                a["seq_no"] = i
            self.files.append(
                W.FileSpec(
                    f"{y}/{code}/{y}年申报人员花名册.xlsx",
                    [W.SheetSpec("花名册", forms.F1, apps, title=(f"{y}年度申报人员花名册",), footer=True)],
                    mtime=_at(g.materials[code]),
                )
            )
        for code, rows in sorted(f4.items()):
            last = max(r.get("submitted_date") or r["end_date"] for r in rows)
            self.files.append(
                W.FileSpec(
                    f"{y}/{code}/工作事项记录.xlsx", [W.SheetSpec("工作事项", forms.F4, rows)], mtime=_at(last, 17)
                )
            )
        for c, rows in sorted(f5.items()):
            last = max(r["evaluation_date"] for r in rows)
            self.files.append(
                W.FileSpec(
                    f"{y}/{c}/评审结果.xlsx", [W.SheetSpec("评审结果", forms.F5, rows)], mtime=_at(last + 2 * DAY, 9)
                )
            )
        self.files.append(
            W.FileSpec(
                f"{y}/C-ZXX-150121/评委名单.xlsx",
                [W.SheetSpec("评委名单", forms.F6, self.rosters())],
                mtime=_at(D(y, 7, 1)),
            )
        )
        deadline = self.ref.deadlines["DIRECTED-POSTS"]
        for code, region in sorted(self.ref.regions.items()):
            if region["region_kind"] in ("市辖区", "旗县"):
                row = {
                    "field": "中小学教师",
                    "directed_posts": 2,
                    "vacant_posts": 1,
                    "planned_applications": 0,
                    "submitted_date": deadline - 5 * DAY,
                }
                self.files.append(
                    W.FileSpec(
                        f"{y}/{code}/定向评价岗位表.xlsx",
                        [W.SheetSpec("定向评价岗位", forms.F3, [row])],
                        mtime=_at(deadline),
                    )
                )
        self.files.append(
            W.FileSpec(
                f"{y}/{forms.BUREAU_CODE}/失信记录.csv",
                [W.SheetSpec("x", forms.F7, self.f7, date_style="iso")],
                kind="csv",
                mtime=_at(D(y, 5, 8)),
            )
        )

    def run(self, out: Path) -> Path:
        self.applications()
        self.build_files()
        for spec in self.files:
            W.write_file(out, spec)
        truth = out / f"ground_truth_{self.y}.csv"
        with truth.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(TRUTH_COLUMNS)
            writer.writerows(sorted(self.truth))
        fixed = dt.datetime(self.y, 11, 1, 9, 0, tzinfo=TZ).timestamp()
        os.utime(truth, (fixed, fixed))
        return truth


def generate_two_year_inbox(out: Path, seeds_dir: Path, seed: int = 2022, applications: int = 400) -> list[Path]:
    """The 2022 sample inbox (as generate_inbox writes it) plus every later policy year of ``seeds_dir``.

    Returns the ground-truth files: ``ground_truth.csv`` (2022), then ``ground_truth_<year>.csv``.
    """
    out = Path(out)
    first = Generator(seed, applications, FIRST_YEAR)
    truths = [first.run(out)]
    with (Path(seeds_dir) / "policy_calendar.csv").open(encoding="utf-8") as fh:
        years = sorted({int(r["year"]) for r in csv.DictReader(fh)} - {FIRST_YEAR})
    if len(years) > 1:
        raise ValueError(f"两个年度的样例收件箱只接受 {FIRST_YEAR} 年之后的一个政策年度，参考数据中有 {years}")
    for year in years:
        truths.append(SecondYear(first, Path(seeds_dir), year, seed).run(out))
    return truths
