"""A realistic sample inbox for one year (2022), with history years, and the ground
truth of every rule breach it holds.

The background is clean by construction against every rule of rules.md; each
breach is injected on its own so that it raises exactly the findings written to
``ground_truth.csv`` (rule_id, severity, subject_type, subject_key: a multiset of
the expected rows of marts.findings).  Evaluator subjects carry the 评委编号 in the
file; :func:`load_ground_truth` turns them into evaluator_key with the PII key.

Besides the ground truth, the generator writes two manifests beside it (outside the
year folders, so the loader ignores them): ``expected_quarantine.csv`` (every row the
loader must quarantine) and ``expected_sheets.csv`` (form and row counts per file ×
sheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from collections import Counter, defaultdict
from pathlib import Path

from dagster_project import forms
from dagster_project.ingest import idcard
from dagster_project.ingest.load import keyed
from dagster_project.sample import injections
from dagster_project.sample import writers as W
from dagster_project.sample.reference_data import (
    Reference,
    load_reference,
    next_workday,
    period_of,
)
from dagster_project.sample.vocabulary import (
    ADVISORY,
    DAY,
    DEPARTMENT_SERIES,
    DIRECTED_FIELD,
    EXAM_ONLY_MID,
    EXAM_SENIOR,
    FORM_TITLES,
    GIVEN,
    INSTRUCTION_LINES,
    LEVEL_DOWN,
    REGION_SERIES,
    ROSTER_STYLES,
    SENIOR,
    SPECIALTIES,
    SURNAMES,
    TRUTH_COLUMNS,
    TYPED_F1_HEADERS,
    TYPED_F5_HEADERS,
    TZ,
    UNIT_SERIES,
    UNIT_TEMPLATES,
    VIOLATION,
    D,
)


def load_ground_truth(path: Path, pii_key: bytes | None = None) -> Counter:
    """The ground truth as a multiset of (rule_id, severity, subject_type, subject_key).

    With ``pii_key``, evaluator subjects (written as 评委编号) become evaluator_key.
    """
    out: Counter = Counter()
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            key = r["subject_key"]
            if r["subject_type"] == "evaluator" and pii_key is not None:
                key = keyed(key, pii_key)
            out[(r["rule_id"], r["severity"], r["subject_type"], key)] += 1
    return out


def _at(day: D, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A file's modification time: ``day`` at ``hour``:``minute`` local time."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _number(rows: list[dict]) -> list[dict]:
    """Number the rows 序号 1, 2, … (in place) and return them."""
    for i, r in enumerate(rows, 1):
        r["seq_no"] = i
    return rows


class Generator:
    def __init__(self, seed: int, applications: int, year: int, seeds_dir: Path | None = None):
        self.rng = random.Random(seed)
        self.n = applications
        self.year = year
        self.ref: Reference = load_reference(year) if seeds_dir is None else load_reference(year, Path(seeds_dir))
        self.truth: list[tuple[str, str, str, str]] = []
        self.apps: list[dict] = []  # applications of the year (F1 rows)
        self.files: list[W.FileSpec] = []
        self.serial = 0
        self.person_seq = 0
        self.evaluator_seq = 0
        self.unit_pools: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.materials: dict[str, D] = {}
        self.f4: dict[str, list[dict]] = defaultdict(list)
        self.f5_extra: dict[str, list[dict]] = defaultdict(list)  # rows for F5 that are not built from apps
        self.eval_days: dict[str, list[D]] = {}
        self.rosters: dict[tuple[str, int], list[dict]] = defaultdict(list)
        self.f7: list[dict] = []
        self.ids: set[str] = set()
        self._setup_submitters()

    # ------------------------------------------------------------------ basics
    def d(self, month: int, day: int, year: int | None = None) -> D:
        return D(year or self.year, month, day)

    def find(self, rule: str, severity: str, subject_type: str, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.truth.append((rule, severity, subject_type, key))

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def new_id(self, area: str, born: D | None = None, male: bool | None = None, digit_end: bool = False) -> str:
        while True:
            self.person_seq += 1
            b = born or D(self.rng.randint(1966, 1993), self.rng.randint(1, 12), self.rng.randint(1, 28))
            m = self.rng.random() < 0.5 if male is None else male
            number = idcard.make(area, b, self.rng.randrange(1, 999), m)
            if number in self.ids or (digit_end and not number[-1].isdigit()):
                continue
            self.ids.add(number)
            return number

    def app_no(self, prefix: str = "ZC") -> str:
        self.serial += 1
        return f"{prefix}{self.year}{self.serial:05d}"

    def _setup_submitters(self) -> None:
        ref = self.ref
        self.subs: dict[str, dict] = {}
        for code, r in ref.regions.items():
            self.subs[code] = {
                "code": code,
                "kind": "region",
                "name": r["region_name"],
                "region_kind": r["region_kind"],
                "place": r["region_name"],
                "area": code[:6],
                "urban": r["region_kind"] == "市辖区",
            }
        for i, (code, r) in enumerate(ref.departments.items()):
            self.subs[code] = {
                "code": code,
                "kind": "department",
                "name": r["department_name"],
                "region_kind": None,
                "place": "呼和浩特市" + "直属甲乙丙丁戊己庚辛壬癸"[i],
                "area": "150102",
                "urban": True,
            }
        for code, r in ref.units.items():
            self.subs[code] = {
                "code": code,
                "kind": "unit",
                "name": r["unit_name"],
                "region_kind": None,
                "place": r["unit_name"],
                "area": "150105",
                "urban": False,
            }
        for code in self.subs:
            ends = [w.end for w in ref.submitter_windows(code)]
            self.materials[code] = next_workday(max(ends) + 7 * DAY)
        self.materials["U-SYY"] = self.d(10, 14)  # its unit publicity runs across the National Day holidays

    def units_for(self, sub: str, series: str) -> list[tuple[str, str]]:
        s = self.subs[sub]
        if s["kind"] == "unit":
            return [(s["name"], "事业单位")]
        key = (sub, series)
        if key not in self.unit_pools:
            templates = UNIT_TEMPLATES[series]
            k = min(len(templates), 1 + self.rng.randrange(len(templates)))
            self.unit_pools[key] = [(s["place"] + t, nature) for t, nature in templates[:k]]
        return self.unit_pools[key]

    # ------------------------------------------------------------ committees
    def committee_for(self, sub: str, series: str, level: str, route: str = "正常申报") -> str:
        if route == "定向评价":
            return "C-JCGJ-M"
        if series == "高校教师":
            return "C-GX-ZP"
        if level in SENIOR:
            return {
                "中小学教师": "C-ZXXGJ-M",
                "工程": "C-GC-NMG",
                "通信": "C-GC-NMG",
                "卫生": "C-WS-NMG",
                "经济": "C-JJ-NMG",
                "会计": "C-JJ-NMG",
                "统计": "C-JJ-NMG",
                "审计": "C-JJ-NMG",
                "农牧业": "C-NMY-NMG",
                "林业": "C-NMY-NMG",
                "水利": "C-NMY-NMG",
                "艺术": "C-YS-NMG",
                "群众文化": "C-YS-NMG",
                "新闻": "C-YS-NMG",
                "图书资料": "C-YS-NMG",
            }[series]
        if series == "中小学教师":
            return {"150121": "C-ZXX-150121", "150125": "C-ZXX-150125", "150105": "C-ZH-150105"}.get(sub, "C-ZXX-M")
        if series == "卫生":
            return {"150122": "C-WS-150122", "U-SYY": "C-WS-SYY"}.get(sub, "C-WS-M")
        if series == "工程":
            return {"150105": "C-ZH-150105", "U-HLSC": "C-GC-HLSC"}.get(sub, "C-GC-M")
        if series in ("水利", "林业"):
            return "C-GC-M"
        if series == "农牧业":
            return {"150105": "C-ZH-150105"}.get(sub, "C-NMY-M")
        if series in ("艺术", "群众文化", "新闻", "图书资料"):
            return "C-YS-M"
        raise KeyError((sub, series, level))

    # ----------------------------------------------------------- application
    def app(
        self,
        sub: str,
        series: str,
        level: str,
        route: str = "正常申报",
        *,
        date: D | None = None,
        committee: str | None = None,
        unit: tuple[str, str] | None = None,
        **kw,
    ) -> dict:
        rng, s = self.rng, self.subs[sub]
        committee = committee or self.committee_for(sub, series, level, route)
        male = rng.random() < 0.5
        born = D(rng.randint(1968, 1990), rng.randint(1, 12), rng.randint(1, 28))
        id_number = kw.pop("id_number", None) or self.new_id(s["area"], born, male)
        born = idcard.birth_date(id_number)
        unit_name, nature = unit or rng.choice(self.units_for(sub, series))
        current_level = level if route == "转系列" else LEVEL_DOWN.get(level, "无")
        if route in ("考核认定", "直接申报"):
            current_level = "无" if level in ("中级", "初级") else "中级"
        grad = D(min(born.year + 22 + rng.randint(0, 3), 2015), 7, 1)
        specialty = rng.choice([x for x in SPECIALTIES[series] if x != "乌兰牧骑"] or SPECIALTIES[series])
        if route == "定向评价" and series == "艺术":
            specialty = "乌兰牧骑"
        grassroots = s["kind"] == "region" and s["region_kind"] != "市辖区"
        if route == "定向评价":
            workplace = rng.choice(("旗县区直", "乡镇及以下"))
        elif grassroots:
            workplace = rng.choice(("旗县区直", "乡镇及以下", "乡镇及以下"))
        else:
            workplace = "市直" if s["kind"] != "region" else rng.choice(("市直", "旗县区直"))
        level_col = {
            "正高级": "level_zhenggao",
            "副高级": "level_fugao",
            "中级": "level_zhongji",
            "初级": "level_chuji",
        }
        if current_level == "无":
            current_title, title_date = "无", None
        else:
            other = series if route != "转系列" else ("工程" if series != "工程" else "农牧业")
            current_title = self.ref.series[other][level_col[current_level]]
            title_date = D(rng.randint(2008, 2019), rng.randint(1, 12), rng.randint(1, 28))
        exam = "是" if level in EXAM_SENIOR.get(series, ()) else "不适用"
        if date is None:
            w = self.ref.window(sub, committee, level)
            if w is None:
                w = self.ref.window(sub, None, "中级")
            days = [w.start + i * DAY for i in range((w.end - w.start).days + 1)]
            days = [x for x in days if x.weekday() < 5] or days
            date = rng.choice(days)
        a = {
            "_sub": sub,
            "_counts": True,
            "_f5": "auto",
            "_directed": route == "定向评价",
            "seq_no": None,
            "application_no": self.app_no("" if sub == "D-ZJJ" else "ZC"),
            "name": self.name(),
            "gender": idcard.gender(id_number),
            "id_type": "居民身份证",
            "id_number": id_number,
            "birth_date": born if rng.random() < 0.5 else None,
            "unit_name": unit_name,
            "unit_nature": nature,
            "unit_affiliation": "本市",
            "has_entrust_letter": False,
            "personnel_status": "在职",
            "transfer_in_date": None,
            "workplace_level": workplace,
            "education": rng.choice(("大学本科", "大学本科", "硕士研究生")),
            "education_mode": "全日制",
            "graduation_date": grad,
            "major": specialty,
            "current_title": current_title,
            "current_level": current_level,
            "current_title_date": title_date,
            "current_title_appointed_date": (title_date + 30 * DAY) if title_date and rng.random() < 0.6 else None,
            "professional_years": rng.randint(6, 28),
            "current_post_years": rng.randint(2, 12),
            "grassroots_years": rng.randint(1, 15),
            "series": series,
            "specialty": specialty,
            "level": level,
            "route": route,
            "exception_basis": None,
            "had_exception_before": False,
            "exam_passed": exam,
            "over_post": False,
            "committee_code": committee,
            "application_date": date,
            "unit_publicity_start": None,
            "unit_publicity_end": None,
            "integrity_pledge": True,
        }
        if s["kind"] == "unit":
            a["workplace_level"] = "市直"
        if route == "直接申报":
            a.update(unit_nature="非公有制企业", education="大学本科")
            if level == "中级":
                a["professional_years"] = max(a["professional_years"], 5)
            else:
                a["professional_years"] = max(a["professional_years"], 12)
        pub_start = next_workday(date - rng.randint(12, 25) * DAY)
        a["unit_publicity_start"], a["unit_publicity_end"] = period_of(pub_start, 5 + rng.randint(0, 3))
        a.update(kw)
        self.apps.append(a)
        return a

    # ------------------------------------------------------------ background
    def background(self) -> None:
        rng = self.rng
        subs = list(self.subs)
        counts = Counter({s: 3 for s in subs})
        for _ in range(max(0, self.n - sum(counts.values()))):
            counts[
                rng.choices(
                    subs,
                    weights=[
                        5 if self.subs[s]["kind"] == "region" else 3 if self.subs[s]["kind"] == "department" else 2
                        for s in subs
                    ],
                )[0]
            ] += 1
        directed_regions = [c for c, s in self.subs.items() if s["region_kind"] == "旗县"]
        n_directed = max(6, self.n // 20)
        for code in subs:
            s = self.subs[code]
            for _ in range(counts[code]):
                if s["kind"] == "region" and code in directed_regions and n_directed > 0 and rng.random() < 0.25:
                    n_directed -= 1
                    series = rng.choice(["卫生", "中小学教师", "农牧业", "林业", "水利", "艺术"])
                    self.app(
                        code,
                        series,
                        "副高级",
                        "定向评价",
                        unit_nature="事业单位",
                        unit=self._directed_unit(code, series),
                    )
                    continue
                if s["kind"] == "region":
                    series = rng.choices([x for x, _ in REGION_SERIES], [w for _, w in REGION_SERIES])[0]
                elif s["kind"] == "department":
                    series = rng.choice(DEPARTMENT_SERIES[code])
                else:
                    series = UNIT_SERIES[code]
                level = self._level(code, series)
                route = "正常申报"
                roll = rng.random()
                if roll < 0.05 and level == "中级" and series in ("工程", "会计"):
                    route = "直接申报"
                    series = "工程"
                    self.app(
                        code,
                        series,
                        level,
                        route,
                        unit=(self.subs[code]["place"] + "恒达建筑工程有限公司", "非公有制企业"),
                    )
                    continue
                if roll < 0.08 and level in ("中级", "副高级") and series not in EXAM_ONLY_MID:
                    route = "转系列"
                self.app(code, series, level, route)

    def _directed_unit(self, code: str, series: str) -> tuple[str, str]:
        pool = [u for u in self.units_for(code, series) if u[1] == "事业单位"]
        return pool[0]

    def _level(self, code: str, series: str) -> str:
        rng = self.rng
        if code in ("U-HLSC", "U-SYY"):
            return "中级" if code == "U-SYY" or rng.random() < 0.7 else "副高级"
        if series in EXAM_ONLY_MID:
            return rng.choice(("副高级", "副高级", "正高级"))
        levels = ["中级"] * 6 + ["副高级"] * 4 + ["正高级"]
        if series == "中小学教师":
            levels = ["中级"] * 6 + ["副高级"] * 4  # 正高级 teachers are the fixed QTA-01 set
        if code in self.ref.departments and series in ("通信",):
            levels = ["副高级"]
        return rng.choice(levels)

    # ------------------------------------------------------------- injections
    def injections(self) -> None:
        """Each breach on its own, plus clean boundary twins (no finding): see sample/injections/."""
        injections.inject(self)

    def _f7_row(self, a: dict, rec: D, history: bool = False) -> dict:
        return {
            "id_type": "居民身份证",
            "id_number": a["id_number"],
            "name": a["name"],
            "record_date": rec,
            "reason": "申报材料弄虚作假",
            "_history": history,
        }

    # ------------------------------------------------------------- outcomes
    def schedules(self) -> None:
        d = self.d
        ev = {
            "C-GC-NMG": [d(8, 22), d(8, 23), d(8, 24)],
            "C-WS-NMG": [d(8, 22), d(8, 23)],
            "C-JJ-NMG": [d(8, 24)],
            "C-NMY-NMG": [d(8, 23), d(8, 24)],
            "C-YS-NMG": [d(8, 23)],
            "C-ZXXGJ-M": [d(8, 29), d(8, 30)],
            "C-JCGJ-M": [d(8, 31)],
            "C-ZXX-M": [d(9, 26), d(9, 27), d(9, 28)],
            "C-GC-M": [d(8, 17), d(8, 18), d(8, 19)],
            "C-NMY-M": [d(9, 27), d(9, 28)],
            "C-WS-M": [d(8, 16), d(8, 17), d(8, 18)],
            "C-YS-M": [d(8, 16)],
            "C-ZXX-150121": [d(8, 22), d(8, 23)],
            "C-ZXX-150125": [d(8, 16), d(8, 17)],
            "C-WS-150122": [d(9, 26), d(9, 28)],
            "C-ZH-150105": [d(9, 27), d(9, 30)],
            "C-GX-ZP": [d(9, 5), d(9, 6), d(9, 7)],
            "C-GC-HLSC": [d(8, 29)],
        }
        self.eval_days = ev

    def outcome_row(self, a: dict, **over) -> dict:
        rng = self.rng
        committee = over.get("committee_code", a["committee_code"])
        days = self.eval_days[committee]
        passed = rng.random() < 0.72
        if "outcome" in over:
            passed = over["outcome"] == "通过"
        expected = rng.choice((9, 11, 13, 15, 17, 19, 21, 23, 25))
        present = expected - rng.randint(0, 2)
        need = (2 * present + 2) // 3
        votes = rng.randint(need, present) if passed else rng.randint(0, need - 1)
        if a["_directed"]:
            group = "定向评价组"
        elif a["unit_nature"] in ("非公有制企业", "社会组织", "自由职业"):
            group = "非公组"
        elif a["workplace_level"] == "乡镇及以下":
            group = "基层组"
        else:
            group = "普通组"
        row = {
            "committee_code": committee,
            "application_no": a["application_no"],
            "name": a["name"],
            "id_type": "居民身份证",
            "id_number": a["id_number"],
            "series": a["series"],
            "level": a["level"],
            "group_name": group,
            "evaluation_date": rng.choice(days[1:] or days) if len(days) > 1 else days[0],
            "members_expected": expected,
            "members_present": present,
            "votes_for": votes,
            "outcome": "通过" if passed else "未通过",
        }
        row.update(over)
        return row

    def outcomes(self) -> dict[str, list[dict]]:
        rng = self.rng
        by: dict[str, list[dict]] = defaultdict(list)
        for a in self.apps:
            spec = a["_f5"]
            if spec is None or a["committee_code"] not in self.eval_days:
                continue
            if spec == "auto":
                if rng.random() < 0.08:
                    continue  # 未评审
                spec = {}
            row = self.outcome_row(a, **spec)
            by[row["committee_code"]].append(row)
        for c, rows in self.f5_extra.items():
            by[c].extend(rows)
        # every committee's first evaluation day carries at least one matched row
        for c, rows in by.items():
            first = self.eval_days[c][0]
            matched = [r for r in rows if not r.get("_unmatched")]
            if matched and not any(r["evaluation_date"] == first for r in matched):
                matched[0]["evaluation_date"] = first
            last = self.eval_days[c][-1]
            if len(self.eval_days[c]) > 1 and matched and not any(r["evaluation_date"] == last for r in matched):
                matched[-1]["evaluation_date"] = last
        # CHN-03: C-YS-NMG evaluated one application before its filed_date
        rows = [r for r in by["C-YS-NMG"] if not r.get("_unmatched")]
        filed = self.ref.filings["C-YS-NMG"]
        rows[0]["evaluation_date"] = filed - DAY
        return by

    # --------------------------------------------------------------- F2 / F3
    def f2_rows(self) -> dict[str, list[dict]]:
        rng = self.rng
        senior = Counter()
        for a in self.apps:
            if a["_counts"] and a["level"] in SENIOR and not a["over_post"]:
                senior[(a["_sub"], a["unit_name"])] += 1
        out: dict[str, list[dict]] = defaultdict(list)
        units: dict[str, list[str]] = defaultdict(list)
        for (sub, _series), pool in sorted(self.unit_pools.items()):
            for name, nature in pool:
                if nature == "事业单位" and name not in units[sub]:
                    units[sub].append(name)
        for a in self.apps:
            if a["unit_nature"] == "事业单位" and a["unit_name"] not in units[a["_sub"]]:
                units[a["_sub"]].append(a["unit_name"])
        for code in self.subs:
            if code == "U-SYY":
                units[code] = [self.subs[code]["name"]]
        for sub in sorted(units):
            names = units[sub]
            if sub in self.qta02:
                total = 20 * self.qta02[sub]
                vac = [senior[(sub, n)] for n in names]
                filled = [0] * len(names)
                rest = total - sum(vac)
                assert rest >= 0, (sub, total, vac)
                for i in range(rest):
                    filled[i % len(names)] += 1
                rows = [
                    {
                        "unit_name": n,
                        "senior_posts_set": f + v,
                        "senior_posts_filled": f,
                        "senior_posts_vacant": v,
                        "senior_recommended": v,
                    }
                    for n, f, v in zip(names, filled, vac, strict=False)
                ]
                assert sum(r["senior_posts_set"] for r in rows) == total
            else:
                rows = []
                for n in names:
                    v = senior[(sub, n)] + rng.randint(0, 2)
                    f = rng.randint(10, 40)
                    if (sub, n) == (self.pos02_unit[1], self.pos02_unit[0]):
                        v = senior[(sub, n)] - 1
                    rows.append(
                        {
                            "unit_name": n,
                            "senior_posts_set": f + v,
                            "senior_posts_filled": f,
                            "senior_posts_vacant": v,
                            "senior_recommended": senior[(sub, n)],
                        }
                    )
            out[sub] = rows
        # POS-03: set − filled ≠ vacant (a unit without senior applications)
        out[self.pos03_unit[1]].append(
            {
                "unit_name": self.pos03_unit[0],
                "senior_posts_set": 10,
                "senior_posts_filled": 7,
                "senior_posts_vacant": 2,
                "senior_recommended": 0,
            }
        )
        return out

    def f3_rows(self) -> dict[str, list[dict]]:
        directed = self._directed_counts()
        out: dict[str, list[dict]] = {}
        deadline = self.ref.deadlines["DIRECTED-POSTS"]
        for code, s in self.subs.items():
            if s["region_kind"] not in ("市辖区", "旗县"):
                continue
            if code == "150102":
                self.find("SCH-05", VIOLATION, "region", code)  # sends no F3
                continue
            rows = [self._f3_row(code, f, directed[(code, f)], deadline) for f in self._f3_fields(code, directed)]
            if code == "150103" and rows:
                rows[-1]["submitted_date"] = deadline  # boundary: on the deadline
            if code == "150104":
                rows[-1]["submitted_date"] = deadline + DAY
                self.find("SCH-05", VIOLATION, "region", code)
            out[code] = rows
        return out

    def _directed_counts(self) -> Counter:
        """Directed applications of the regions per (region, F3 field)."""
        directed = Counter()
        for a in self.apps:
            if a["_counts"] and a["_directed"] and self.subs[a["_sub"]]["kind"] == "region":
                field = DIRECTED_FIELD.get(a["series"])
                if a["series"] == "艺术" and "乌兰牧骑" not in (a["specialty"] or ""):
                    field = None
                if field:
                    directed[(a["_sub"], field)] += 1
        return directed

    def _f3_fields(self, code: str, directed: Counter) -> list[str]:
        """The fields a region's F3 lists: those it has directed applications in, and up to two more."""
        rng = self.rng
        fields = sorted({f for (r, f) in directed if r == code})
        if not fields:
            fields = [rng.choice(("中小学教师", "基层卫生", "农牧业"))]
        if code == "150124":
            fields = sorted(set(fields) | {"农牧业"})
        extra = [f for f in forms.DIRECTED_FIELDS if f not in fields and f != "乌兰牧骑"]
        fields += rng.sample(extra, k=min(len(extra), rng.randint(0, 2)))
        return fields

    def _f3_row(self, code: str, f: str, n: int, deadline: D) -> dict:
        """One F3 row for ``n`` directed applications; QTA-03 / QTA-04 breaches and a boundary."""
        rng = self.rng
        vacant = n + rng.randint(0, 2)
        planned = rng.randint(n, vacant)
        if (code, f) == ("150123", "基层卫生"):
            assert n >= 1
            vacant = planned = n - 1
            self.find("QTA-04", VIOLATION, "region_field", f"{code}/{f}")
        if (code, f) == ("150124", "农牧业"):
            planned = vacant + 1
            self.find("QTA-03", VIOLATION, "region_field", f"{code}/{f}")
        if (code, f) == ("150121", "基层卫生"):
            planned = vacant  # boundary: equal is compliant
        date = deadline - rng.randint(3, 25) * DAY
        return {
            "field": f,
            "directed_posts": vacant + rng.randint(0, 10),
            "vacant_posts": vacant,
            "planned_applications": planned,
            "submitted_date": date,
        }

    # ------------------------------------------------------------------- F4
    def f4_rows(self) -> None:
        rng, d, find = self.rng, self.d, self.find
        for code, s in self.subs.items():
            m = self.materials[code]
            start = next_workday(m - 12 * DAY)
            ps, pe = period_of(start, 5 + rng.randint(0, 1))
            assert pe < m, (code, pe, m)
            rows = [
                {
                    "event_type": "花名册公示",
                    "start_date": ps,
                    "end_date": pe,
                    "objections": 0,
                    "reference": f"https://rsj.example/gs/{code}",
                },
                {
                    "event_type": "材料报送",
                    "submitted_date": m,
                    "signed_sealed": True,
                    "reference": f"{s['name']}报送函",
                },
                {"event_type": "工作情况总结报告", "submitted_date": next_workday(m + 10 * DAY)},
                {"event_type": "公示结果报告", "submitted_date": next_workday(m + 3 * DAY)},
            ]
            self.f4[code] = rows
        # boundary 花名册公示 across the Dragon Boat holiday: 5 working days (clean) vs 4 (PUB-02)
        self.f4["D-WLJ"][0].update(start_date=d(6, 1), end_date=d(6, 8))
        self.f4["D-GXJ"][0].update(start_date=d(6, 1), end_date=d(6, 7))
        find("PUB-02", VIOLATION, "submitter", "D-GXJ")
        # 花名册公示 ends on the 材料报送 day
        m = self.materials["D-NMJ"]
        self.f4["D-NMJ"][0].update(start_date=m - 9 * DAY, end_date=m)
        find("PUB-02", VIOLATION, "submitter", "D-NMJ")
        # PUB-04: objections on a publicity row
        self.f4["150103"][0]["objections"] = 2
        find("PUB-04", ADVISORY, "submitter", "150103")
        # FIL-01: one item missing, unsigned materials, everything missing
        self.f4["150124"] = [r for r in self.f4["150124"] if r["event_type"] != "公示结果报告"]
        find("FIL-01", VIOLATION, "submitter", "150124")
        self.f4["D-KJJ"][1]["signed_sealed"] = False
        find("FIL-01", VIOLATION, "submitter", "D-KJJ")
        self.f4["150172"] = self.f4["150172"][:1]
        find("FIL-01", VIOLATION, "submitter", "150172", times=3)

        # committees: plan (评审实施方案备案), results publicity (评审结果公示), approval report (核准备案报告)
        def committee_events(c, plan=None, pub=None, report=None, sender=None, objections=0):
            ev = self.eval_days[c]
            rows = []
            if plan is not None:
                rows.append(
                    {
                        "event_type": "评审实施方案备案",
                        "committee_code": c,
                        "submitted_date": plan,
                        "planned_evaluation_date": ev[0],
                    }
                )
            if pub is not None:
                rows.append(
                    {
                        "event_type": "评审结果公示",
                        "committee_code": c,
                        "start_date": pub[0],
                        "end_date": pub[1],
                        "objections": objections,
                    }
                )
            if report is not None:
                rows.append({"event_type": "核准备案报告", "committee_code": c, "submitted_date": report})
            self.f4[sender or c].extend(rows)

        bureau = forms.BUREAU_CODE
        self.f4[bureau] = []
        # 市级 committees (results publicity; 市级 has no plan / filing rules, plans filed anyway)
        committee_events("C-ZXXGJ-M", plan=d(7, 20), pub=(d(9, 1), d(9, 7)), sender=bureau, objections=1)
        find("PUB-04", ADVISORY, "submitter", bureau)
        committee_events("C-JCGJ-M", plan=d(7, 20), pub=(d(9, 5), d(9, 9)), sender=bureau)
        committee_events("C-ZXX-M", pub=(d(9, 29), d(10, 10)), sender=bureau)  # 5 working days across 国庆
        committee_events("C-NMY-M", pub=(d(9, 29), d(10, 9)), sender=bureau)  # only 4
        find("PUB-03", VIOLATION, "committee", "C-NMY-M")
        committee_events("C-GC-M", pub=(d(8, 18), d(8, 25)), sender=bureau)  # starts before the evaluation end
        find("PUB-03", VIOLATION, "committee", "C-GC-M")
        committee_events("C-WS-M", pub=(d(8, 18), d(8, 24)), sender=bureau)  # starts on the evaluation end: ok
        find("PUB-03", VIOLATION, "committee", "C-YS-M")  # no publicity at all (void)
        # 旗县区 committees
        committee_events("C-ZXX-150121", plan=d(8, 8), pub=(d(8, 25), d(8, 31)), report=d(9, 30))  # both boundaries
        committee_events("C-ZXX-150125", plan=d(8, 3), pub=(d(8, 18), d(8, 24)), sender="150125")
        find("SCH-03", VIOLATION, "committee", "C-ZXX-150125")  # 13 days ahead
        find("SCH-04", VIOLATION, "committee", "C-ZXX-150125")  # no 核准备案报告
        committee_events("C-WS-150122", plan=d(9, 1), pub=(d(9, 29), d(10, 12)), report=d(10, 17), sender="150122")
        find("SCH-02", VIOLATION, "committee", "C-WS-150122")
        committee_events("C-ZH-150105", plan=d(9, 1), pub=(d(10, 8), d(10, 14)), report=d(10, 20))
        self.f4["C-ZH-150105"].append(
            {
                "event_type": "延期申请",
                "committee_code": "C-ZH-150105",
                "submitted_date": d(9, 20),
                "remark": "因疫情防控申请延期",
            }
        )
        find("SCH-02", ADVISORY, "committee", "C-ZH-150105")
        # 自主评审 committees
        committee_events("C-GX-ZP", plan=d(8, 15), pub=(d(9, 8), d(9, 15)), report=d(9, 14), sender="U-HHVC")
        find("SCH-04", VIOLATION, "committee", "C-GX-ZP")  # filed before the publicity ended
        committee_events("C-GC-HLSC", pub=(d(8, 30), d(9, 5)), report=d(9, 9), objections=1)
        find("SCH-03", VIOLATION, "committee", "C-GC-HLSC")  # no plan at all (void)
        find("PUB-04", ADVISORY, "submitter", "C-GC-HLSC")

    # ------------------------------------------------------------------- F6
    def evaluators(self) -> None:
        rng, y = self.rng, self.year
        committees = [c for c in self.eval_days if self.ref.committees[c]["scope"] != "自治区"]
        own = {"C-GX-ZP": "呼和浩特职业学院", "C-GC-HLSC": "和林格尔人才科创中心"}

        def ev_no():
            self.evaluator_seq += 1
            return f"PW{self.evaluator_seq:05d}"

        people: dict[str, dict] = {}
        patterns = [set(), {y - 1}, {y - 2}, {y - 3}, {y - 1, y - 2}, {y - 1, y - 3}, {y - 2, y - 3}]
        for c in committees:
            for i in range(rng.randint(7, 11)):
                no = ev_no()
                people[no] = {
                    "no": no,
                    "name": self.name(),
                    "unit": own.get(
                        c,
                        "呼和浩特市"
                        + rng.choice(("第一中学", "第一人民医院", "农牧科学院", "建筑勘察设计院", "内蒙古大学")),
                    ),
                    "own": None,
                }
                if c == "C-GX-ZP":
                    is_own = True  # COM-02: no outside evaluator
                elif c == "C-GC-HLSC":
                    is_own = i != 0  # exactly one outside evaluator
                else:
                    is_own = rng.choice((True, False, None))
                years = {y} | rng.choice(patterns)
                for yr in sorted(years):
                    self.rosters[(c, yr)].append(
                        {
                            "committee_code": c,
                            "roster_year": yr,
                            "evaluator_no": no,
                            "name": people[no]["name"],
                            "unit_name": people[no]["unit"],
                            "is_own_unit": is_own,
                            "specialty": "综合",
                        }
                    )
            # some history-only evaluators
            for _ in range(2):
                no = ev_no()
                nm = self.name()
                for yr in (y - 3, y - 2, y - 1):
                    self.rosters[(c, yr)].append(
                        {
                            "committee_code": c,
                            "roster_year": yr,
                            "evaluator_no": no,
                            "name": nm,
                            "unit_name": "呼和浩特市第二中学",
                            "is_own_unit": None,
                            "specialty": "综合",
                        }
                    )
        find = self.find

        def put(no, name, places):
            for c, yr in places:
                self.rosters[(c, yr)].append(
                    {
                        "committee_code": c,
                        "roster_year": yr,
                        "evaluator_no": no,
                        "name": name,
                        "unit_name": "内蒙古师范大学",
                        "is_own_unit": False,
                        "specialty": "综合",
                    }
                )

        no = ev_no()
        put(no, self.name(), [("C-ZXX-M", y - 3), ("C-ZXX-M", y - 2), ("C-ZXX-M", y - 1), ("C-ZXX-M", y)])
        find("COM-01", ADVISORY, "evaluator", no)
        no = ev_no()
        put(no, self.name(), [("C-GC-M", y - 3), ("C-NMY-M", y - 2), ("C-GC-M", y - 1), ("C-GC-M", y), ("C-WS-M", y)])
        find("COM-01", ADVISORY, "evaluator", no, times=2)
        put(ev_no(), self.name(), [("C-WS-M", y - 3), ("C-WS-M", y - 1), ("C-WS-M", y)])  # a gap: none
        put(ev_no(), self.name(), [("C-YS-M", y - 2), ("C-YS-M", y - 1), ("C-YS-M", y)])  # two years: none
        find("COM-02", VIOLATION, "committee", "C-GX-ZP")

    # ------------------------------------------------------------ history
    def history(self) -> None:
        """2021 roster and outcomes (ELG-07 reads earlier 破格 passes) and blacklist records."""
        y, rng, find = self.year, self.rng, self.find
        h = y - 1
        self.hist_apps: list[dict] = []
        self.hist_f5: list[dict] = []

        def hist(basis, route, passed, level="副高级"):
            pid = self.new_id("150121")
            no = f"ZC{h}{len(self.hist_apps) + 1:05d}"
            a = self.app(
                "150121",
                "工程",
                level,
                route,
                exception_basis=basis,
                id_number=pid,
                workplace_level="乡镇及以下",
                date=D(h, 6, 15),
                committee="C-GC-NMG",
            )
            self.apps.remove(a)
            a.update(application_no=no, unit_publicity_start=D(h, 5, 24), unit_publicity_end=D(h, 6, 1))
            self.hist_apps.append(a)
            self.hist_f5.append(
                {
                    "committee_code": "C-GC-NMG",
                    "application_no": no,
                    "name": a["name"],
                    "id_type": "居民身份证",
                    "id_number": pid,
                    "series": "工程",
                    "level": level,
                    "group_name": "基层组",
                    "evaluation_date": D(h, 8, 20),
                    "members_expected": 15,
                    "members_present": 13,
                    "votes_for": 12 if passed else 5,
                    "outcome": "通过" if passed else "未通过",
                }
            )
            return a

        for _ in range(6):
            hist(None, "正常申报", rng.random() < 0.7)
        cases = [
            ("四(四)4", "破格申报", True, True),
            ("四(四)4", "破格申报", False, False),
            (None, "正常申报", True, False),
            ("四(五)2", "破格申报", True, False),
        ]
        for basis, route, passed, hit in cases:
            old = hist(basis, route, passed)
            a = self.app(
                "150121",
                "工程",
                "正高级",
                "破格申报",
                exception_basis="四(四)4",
                id_number=old["id_number"],
                workplace_level="乡镇及以下",
                current_title_date=D(h, 9, 30),
            )
            a["name"], a["gender"] = old["name"], old["gender"]
            if hit:
                find("ELG-07", ADVISORY, "application", a["application_no"])

    # ----------------------------------------------------------------- files
    def build_files(self) -> None:
        by_sub: dict[str, list[dict]] = defaultdict(list)
        for a in self.apps:
            by_sub[a["_sub"]].append(a)
        f2 = self.f2_rows()
        f3 = self.f3_rows()
        f5 = self.outcomes()
        self.f2_all = {k: [dict(r) for r in v] for k, v in f2.items()}
        self.f3_all, self.f5_all = f3, f5
        instr = W.SheetSpec("填表说明", text_lines=INSTRUCTION_LINES)
        styles = self._file_styles()
        for code in self.subs:
            apps = sorted(by_sub.get(code, []), key=lambda a: a["application_no"])
            self._f1_files(code, apps, styles[code], f2, instr)
        self._misplaced_f1_files()
        self._f2_files(f2)
        self._f3_files(f3)
        self._f4_files()
        self._f5_files(f5)
        self._f6_files()
        self._f7_files()
        self._history_files()
        # a scan that is no spreadsheet
        self.files.append(
            W.FileSpec(
                f"{self.year}/150121/材料报送函盖章页.pdf",
                [],
                kind="raw",
                raw_bytes=b"%PDF-1.4\n% sample scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                mtime=_at(self.materials["150121"], 9),
            )
        )

    def _title(self, form: str, sub: str) -> tuple[str, str]:
        """The title block of a form's sheet as ``sub`` fills it in."""
        y = self.year
        who = (
            self.subs[sub]["name"] if sub in self.subs else self.ref.committees.get(sub, {}).get("committee_name", sub)
        )
        month = self.materials.get(sub, D(y, 8, 5)).month
        return (f"{y}年度{FORM_TITLES[form]}", f"填报单位：{who}（盖章）        填报日期：{y}年{month}月")

    def _file_styles(self) -> dict[str, tuple[str, str, str]]:
        """(file kind, date style, yes/no style) of each submitter's roster."""
        styles = dict(ROSTER_STYLES)
        dept_styles = ["date", "mixed", "iso", "serial", "cn", "dot", "slash", "ymd_text", "nopad"]
        for i, code in enumerate(self.ref.departments):
            styles[code] = ("xlsx", dept_styles[i % len(dept_styles)], "yn" if i % 3 == 1 else "yesno")
        for code in self.ref.units:
            styles[code] = ("xlsx", "date", "yesno")
        return styles

    def _f1_base(self, code: str, apps: list[dict], date_style: str, bool_style: str) -> W.SheetSpec:
        """The layout of a submitter's roster sheet (its rows are set by the caller)."""
        base = W.SheetSpec(
            "花名册",
            forms.F1,
            [],
            title=self._title("F1", code),
            footer=True,
            date_style=date_style,
            bool_style=bool_style,
        )
        if code == "150123":
            base.fullwidth_numbers = True
        if code == "150104":
            base.extra = ("手机号",)
            for a in apps:
                a["__extra__"] = {"手机号": f"139{self.rng.randint(10000000, 99999999)}"}
        if code == "150123401":
            base.star = True
            base.title = ()
        if code == "D-ZJJ":
            base.app_no_as_number = True  # its numbers are digits only, typed as numbers
        if code == "150121":
            left_out = ("birth_date", "major", "current_title_appointed_date")
            base.columns = tuple(c.field for c in forms.F1.columns if c.field not in left_out)
        if code in TYPED_F1_HEADERS:
            base.typed_headers = TYPED_F1_HEADERS[code]
        if len(apps) > 4:
            base.blank_after = (len(apps) // 2,)
        return base

    def _f1_files(self, code: str, apps: list[dict], style: tuple[str, str, str], f2: dict, instr) -> None:
        kind, date_style, bool_style = style
        base = self._f1_base(code, apps, date_style, bool_style)
        rows = list(apps)
        if code == "D-JYJ":
            self._f1_two_batches(code, base, rows)
        elif code == "150103":
            self._f1_superseded(code, base, rows)
        else:
            self._f1_roster(code, base, rows, kind, f2, instr)

    def _f1_two_batches(self, code: str, base: W.SheetSpec, rows: list[dict]) -> None:
        """Two batches: 高级 in June, 中级 in July; they share no number and stand side by side."""
        y = self.year
        senior = [a for a in rows if a["level"] in SENIOR]
        mid = [a for a in rows if a["level"] not in SENIOR]
        s1 = W.SheetSpec(**{**base.__dict__, "rows": _number(senior), "name": "高级"})
        s2 = W.SheetSpec(**{**base.__dict__, "rows": _number(mid), "name": "中级"})
        self.files.append(W.FileSpec(f"{y}/{code}/高级职称申报花名册.xlsx", [s1], mtime=_at(D(y, 6, 28))))
        self.files.append(W.FileSpec(f"{y}/{code}/中级职称申报花名册.xlsx", [s2], mtime=_at(D(y, 8, 1))))

    def _f1_superseded(self, code: str, base: W.SheetSpec, rows: list[dict]) -> None:
        """Superseded roster: the old file lists an application the correction drops, and an unsigned pledge."""
        y, m = self.year, self.materials[code]
        gone = self.gone
        fixed = rows[0]
        old_fixed = {**fixed, "integrity_pledge": False}
        old_rows = _number([old_fixed] + [dict(r) for r in rows[1:]] + [gone])
        old = W.SheetSpec(**{**base.__dict__, "rows": old_rows})
        new = W.SheetSpec(**{**base.__dict__, "rows": _number([dict(r) for r in rows])})
        self.files.append(W.FileSpec(f"{y}/{code}/申报人员花名册.xlsx", [old], mtime=_at(m - 3 * DAY)))
        self.files.append(W.FileSpec(f"{y}/{code}/申报人员花名册(更正).xlsx", [new], mtime=_at(m)))

    def _f1_roster(self, code: str, base: W.SheetSpec, rows: list[dict], kind: str, f2: dict, instr) -> None:
        """One roster file (xlsx or CSV) with the quarantined rows; some xlsx carry F2 and instructions."""
        y, m = self.year, self.materials[code]
        sheet = W.SheetSpec(**{**base.__dict__, "rows": _number(rows)})
        self._quarantine_rows(code, sheet)
        sheets = [sheet]
        if code in ("150121", "150125", "D-WLJ", "U-HHVC"):
            f2sheet = W.SheetSpec(
                "岗位情况", forms.F2, f2.pop(code, []), title=self._title("F2", code), date_style=base.date_style
            )
            sheets.append(f2sheet)
        if code in ("150121", "D-WLJ"):
            sheets.append(instr)
        if kind == "xlsx":
            self.files.append(W.FileSpec(f"{y}/{code}/申报人员花名册.xlsx", sheets, mtime=_at(m)))
            return
        enc = kind.split("-", 1)[1]
        sheet.title = sheet.title[:1] if enc == "gb18030" else ()
        sheet.footer = enc == "gb18030"
        self.files.append(W.FileSpec(f"{y}/{code}/申报人员花名册.csv", [sheet], kind="csv", encoding=enc, mtime=_at(m)))

    def _misplaced_f1_files(self) -> None:
        """F1 with a forbidden sender and an unknown folder."""
        y = self.year
        for folder, reason in (("C-GC-M", "报送单位无权报送此表"), ("150199", "报送单位代码未知")):
            q = [self._quarantine_copy(self.app("150124", "工程", "中级", _f5=None), reason)]
            self.apps.remove(q[0]["__src__"])
            self.files.append(
                W.FileSpec(
                    f"{y}/{folder}/申报人员花名册.xlsx",
                    [W.SheetSpec("Sheet1", forms.F1, _number(q))],
                    mtime=_at(D(y, 8, 5)),
                )
            )

    def _f2_files(self, f2: dict[str, list[dict]]) -> None:
        y, rng = self.year, self.rng
        for code, rows in sorted(f2.items()):
            if not rows:
                continue
            for r in rows:
                if rng.random() < 0.2 and len(r["unit_name"]) > 4:
                    r["__raw__"] = {"unit_name": r["unit_name"][:3] + "\u3000" + r["unit_name"][3:]}
            kind = {"150124": "csv", "D-SWJ": "csv", "D-LCJ": "xls"}.get(code, "xlsx")
            sheet = W.SheetSpec(
                "岗位情况表",
                forms.F2,
                rows,
                title=self._title("F2", code) if kind != "csv" else (),
                footer=kind != "csv",
                formulas=("senior_posts_vacant",) if kind == "xlsx" else (),
            )
            self.files.append(
                W.FileSpec(
                    f"{y}/{code}/岗位情况表.{kind}",
                    [sheet],
                    kind=kind,
                    encoding="utf-8-sig",
                    mtime=_at(self.materials[code], 11),
                )
            )

    def _f3_files(self, f3: dict[str, list[dict]]) -> None:
        """F3 files (regions); a department sending F3 is a forbidden sender."""
        y = self.year
        for code, rows in sorted(f3.items()):
            kind = "csv" if code in ("150105",) else "xlsx"
            sheet = W.SheetSpec(
                "定向评价岗位",
                forms.F3,
                rows,
                title=self._title("F3", code) if kind == "xlsx" else (),
                date_style="cn" if code == "150121" else "iso",
            )
            last = max(r["submitted_date"] for r in rows) if rows else D(y, 6, 15)
            self.files.append(
                W.FileSpec(
                    f"{y}/{code}/定向评价岗位表.{kind}", [sheet], kind=kind, encoding="gb18030", mtime=_at(last, 16)
                )
            )
        bad = [
            {
                "field": "基层卫生",
                "directed_posts": 3,
                "vacant_posts": 1,
                "planned_applications": 1,
                "submitted_date": D(y, 6, 15),
                "__q__": "报送单位无权报送此表",
            }
        ]
        self.files.append(
            W.FileSpec(f"{y}/D-KJJ/定向评价岗位表.xlsx", [W.SheetSpec("Sheet1", forms.F3, bad)], mtime=_at(D(y, 6, 15)))
        )

    def _f4_files(self) -> None:
        y = self.year
        for code, rows in sorted(self.f4.items()):
            if not rows:
                continue
            kind = "csv" if code in ("150121", "D-JYJ", forms.BUREAU_CODE) else "xlsx"
            if kind == "xlsx":
                date_style = "mixed" if code in ("150123", "150105") else "date"
            else:
                date_style = "iso"
            sheet = W.SheetSpec(
                "工作事项",
                forms.F4,
                rows,
                title=self._title("F4", code) if kind == "xlsx" else (),
                date_style=date_style,
                bool_style="check" if code == "150122" else "yesno",
            )
            last = max((r.get("submitted_date") or r.get("end_date")) for r in rows)
            self.files.append(
                W.FileSpec(
                    f"{y}/{code}/工作事项记录.{kind}", [sheet], kind=kind, encoding="utf-8-sig", mtime=_at(last, 17)
                )
            )

    def _f5_files(self, f5: dict[str, list[dict]]) -> None:
        """F5 files: committees (blank 评委会代码 = the folder), 150122 files its county committee's results."""
        y = self.year
        for c, rows in sorted(f5.items()):
            rows = sorted(rows, key=lambda r: r["application_no"])
            sender = "150122" if c == "C-WS-150122" else c
            cols = None
            if sender == c and c in ("C-ZXX-M", "C-GC-NMG"):
                cols = tuple(col.field for col in forms.F5.columns if col.field != "committee_code")
            if c == "C-WS-M":
                q = dict(rows[0])
                q.update(
                    application_no="ZCQ0001",
                    members_present=q["members_expected"] + 1,
                    __q__="实到评委数大于应到评委数",
                )
                rows = rows + [q]
            kind = "csv" if c in ("C-WS-NMG", "C-JJ-NMG") else "xlsx"
            sheet = W.SheetSpec(
                "评审结果",
                forms.F5,
                rows,
                columns=cols,
                title=self._title("F5", c) if kind == "xlsx" else (),
                footer=kind == "xlsx",
                date_style="date" if kind == "xlsx" else "iso",
                typed_headers=TYPED_F5_HEADERS if c in ("C-GC-M", "C-WS-NMG") else {},
                formulas=("members_present", "votes_for") if c == "C-GC-M" else (),
            )
            last = max(r["evaluation_date"] for r in rows)
            self.files.append(
                W.FileSpec(
                    f"{y}/{sender}/评审结果.{kind}", [sheet], kind=kind, encoding="utf-8", mtime=_at(last + 2 * DAY, 9)
                )
            )

    def _f6_files(self) -> None:
        """F6 rosters (history years in their own folders; C-GX-ZP sends 2021 and 2022 in one file)."""
        y = self.year
        for (c, yr), rows in sorted(self.rosters.items()):
            folder_year = y if (c == "C-GX-ZP" and yr == y - 1) else yr
            sender = "150122" if c == "C-WS-150122" else c
            cols = tuple(col.field for col in forms.F6.columns if not (sender == c and col.field == "committee_code"))
            self.files_f6 = getattr(self, "files_f6", {})
            key = (folder_year, sender)
            if key in self.files_f6:
                self.files_f6[key].sheets[0].rows.extend(rows)
                continue
            sheet = W.SheetSpec("评委名单", forms.F6, list(rows), columns=cols, title=self._title("F6", c))
            spec = W.FileSpec(f"{folder_year}/{sender}/评委名单.xlsx", [sheet], mtime=_at(D(folder_year, 7, 1)))
            self.files_f6[key] = spec
            self.files.append(spec)

    def _f7_files(self) -> None:
        """F7 blacklist: a history file and a 2022 file with a correction of equal mtime (later name wins)."""
        y, rng = self.year, self.rng
        for _ in range(8):
            pid = self.new_id("150104")
            rec = D(y - rng.randint(0, 6), rng.randint(1, 12), rng.randint(1, 28))
            self.f7.append(
                {
                    "id_type": "居民身份证",
                    "id_number": pid,
                    "name": self.name(),
                    "record_date": rec,
                    "reason": "学术不端",
                    "_history": rec.year < y - 1,
                }
            )
        hist = [r for r in self.f7 if r["_history"]]
        cur = [r for r in self.f7 if not r["_history"]]
        bureau = forms.BUREAU_CODE
        self.files.append(
            W.FileSpec(
                f"{y - 2}/{bureau}/失信记录.csv",
                [W.SheetSpec("x", forms.F7, hist, date_style="iso")],
                kind="csv",
                encoding="gb18030",
                mtime=_at(D(y - 2, 12, 1)),
            )
        )
        a = self.int01_superseded
        old = cur + [self._f7_row(a, a["application_date"] - 100 * DAY)]
        same = _at(D(y, 5, 6), 15)
        self.files.append(
            W.FileSpec(
                f"{y}/{bureau}/失信记录.csv",
                [W.SheetSpec("x", forms.F7, old, date_style="iso")],
                kind="csv",
                encoding="utf-8",
                mtime=same,
            )
        )
        self.files.append(
            W.FileSpec(
                f"{y}/{bureau}/失信记录_更正.csv",
                [W.SheetSpec("x", forms.F7, [dict(r) for r in cur], date_style="slash")],
                kind="csv",
                encoding="utf-8",
                mtime=same,
            )
        )

    def _history_files(self) -> None:
        """History roster and outcomes (the year before)."""
        h = self.year - 1
        rows = _number([dict(a) for a in self.hist_apps])
        roster = W.SheetSpec("花名册", forms.F1, rows, title=self._title("F1", "150121"), footer=True)
        self.files.append(W.FileSpec(f"{h}/150121/{h}年申报人员花名册.xlsx", [roster], mtime=_at(D(h, 8, 1))))
        self.files.append(
            W.FileSpec(
                f"{h}/C-GC-NMG/{h}年评审结果.xlsx",
                [W.SheetSpec("评审结果", forms.F5, self.hist_f5)],
                mtime=_at(D(h, 8, 25)),
            )
        )

    def _quarantine_copy(self, a: dict, reason: str) -> dict:
        r = dict(a)
        r["__q__"] = reason
        r["__src__"] = a
        return r

    def _quarantine_rows(self, code: str, sheet: W.SheetSpec) -> None:
        """Rows the loader must quarantine (they never load, so they raise no finding)."""
        y = self.year

        def bad(reason, **over):
            a = self.app(code, "工程", "中级", _f5=None, _counts=False)
            self.apps.remove(a)
            r = dict(a)
            r.update(over)
            r["__q__"] = reason
            sheet.rows.append(r)
            return r

        if code == "D-KJJ":
            b = bad("身份证号校验位错误")
            n = b["id_number"]
            b["id_number"] = n[:17] + ("0" if n[17] != "0" else "1")
            bad("申报日期不是有效日期", __raw__={"application_date": f"{y}-02-30"})
            bad("缺少必填项：姓名", name=None)
            bad(
                "现职称级别不是“无”时现职称取得时间必填",
                current_level="中级",
                current_title="工程师",
                current_title_date=None,
            )
            bad("申报日期年份与报送年度相差超过1年", application_date=D(y - 3, 7, 5))
        if code == "150125":
            b = bad("身份证号被存为数字")
            while not b["id_number"][-1].isdigit():
                b["id_number"] = self.new_id("150125", digit_end=True)
                b["gender"] = idcard.gender(b["id_number"])
            b["__raw__"] = {"id_number": int(b["id_number"])}
            b = bad("出生日期与身份证号不符")
            b["birth_date"] = idcard.birth_date(b["id_number"]) + 400 * DAY
        if code == "150102":
            b1 = bad("同一文件内网上申报编号重复")
            b2 = bad("同一文件内网上申报编号重复")
            b2["application_no"] = b1["application_no"]
        for i, r in enumerate(sheet.rows):
            r["seq_no"] = i + 1

    # ----------------------------------------------------------------- write
    def write(self, out: Path) -> Path:
        out.mkdir(parents=True, exist_ok=True)
        written: list[W.WrittenRow] = []
        sheets: dict[tuple[str, str], dict] = {}
        for spec in self.files:
            rows = W.write_file(out, spec)
            written += rows
            for s in spec.sheets:
                name = s.name
                sheets[(spec.relpath, name)] = {
                    "form": s.form.code if s.form else forms.UNRECOGNISED,
                    "rows_read": 0,
                    "rows_quarantined": 0,
                }
            if spec.kind == "raw":
                sheets[(spec.relpath, Path(spec.relpath).name)] = {
                    "form": forms.UNRECOGNISED,
                    "rows_read": 0,
                    "rows_quarantined": 0,
                }
        for w in written:
            s = sheets[(w.file, w.sheet)]
            s["rows_read"] += 1
            if w.quarantine:
                s["rows_quarantined"] += 1
        with (out / "expected_quarantine.csv").open("w", encoding="utf-8", newline="") as fh:
            cw = csv.writer(fh, lineterminator="\n")
            cw.writerow(("file", "sheet", "row", "form", "reason"))
            for w in sorted(written, key=lambda w: (w.file, w.sheet, w.row)):
                if w.quarantine:
                    cw.writerow((w.file, w.sheet, w.row, w.form, w.quarantine))
        with (out / "expected_sheets.csv").open("w", encoding="utf-8", newline="") as fh:
            cw = csv.writer(fh, lineterminator="\n")
            cw.writerow(("file", "sheet", "form", "rows_read", "rows_quarantined"))
            for (f, s), v in sorted(sheets.items()):
                cw.writerow((f, s, v["form"], v["rows_read"], v["rows_quarantined"]))
        truth = out / "ground_truth.csv"
        with truth.open("w", encoding="utf-8", newline="") as fh:
            cw = csv.writer(fh, lineterminator="\n")
            cw.writerow(TRUTH_COLUMNS)
            for t in sorted(self.truth):
                cw.writerow(t)
        fixed = dt.datetime(self.year, 11, 1, 9, 0, tzinfo=TZ).timestamp()
        for name in ("ground_truth.csv", "expected_quarantine.csv", "expected_sheets.csv"):
            os.utime(out / name, (fixed, fixed))
        return truth

    def run(self, out: Path) -> Path:
        self.schedules()
        self.background()
        self.injections()
        self.history()
        self.f4_rows()
        self.evaluators()
        self.build_files()
        return self.write(out)


def generate_inbox(out: Path, seed: int = 2022, applications: int = 400, year: int = 2022) -> Path:
    """Write a sample inbox at ``out`` (``out/<year>/<submitter>/<file>``) and its ground truth.

    Returns the path of ``out/ground_truth.csv``.  Same seed → byte-identical files and
    identical modification times.
    """
    if year != 2022:
        raise ValueError("样例数据的边界情形（节假日、调休、时间窗口）按 2022 年设计，目前只支持 --year 2022")
    return Generator(seed, applications, year).run(Path(out))
