"""An independent, plain-Python reading of rules.md over the generator's in-memory
data (the current rows it writes), used to prove that the ground truth is exactly
what the data holds: a clean background plus the injected breaches.

It works on the generator's model, not on the files: the files are checked by the
loader tests.  Numbers come from policy_parameters.csv through the reference data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from dagster_project.sample.generator import Generator
from dagster_project.sample.reference_data import add_years, workdays
from dagster_project.sample.vocabulary import SENIOR, normalise_unit

V, A = "违规", "提示"
ORDER = {"无": 0, "初级": 1, "中级": 2, "副高级": 3, "正高级": 4}
BACHELOR = ("博士研究生", "硕士研究生", "大学本科")
DOCTOR_WORDS = (
    "临床",
    "内科",
    "外科",
    "儿科",
    "妇产",
    "眼科",
    "耳鼻咽喉",
    "皮肤",
    "精神",
    "麻醉",
    "急诊",
    "全科",
    "中医",
    "蒙医",
    "口腔",
    "公共卫生",
    "预防医学",
)
NON_PUBLIC = ("非公有制企业", "社会组织", "自由职业")
POGE44 = tuple(f"四(四){i}" for i in range(1, 6))


def month_later(day: dt.date) -> dt.date:
    y, m = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    raise AssertionError


def adequate(start, end, minimum) -> bool:
    return start is not None and end is not None and end >= start and workdays(start, end) >= minimum


def findings(g: Generator) -> Counter:
    """Every (rule, severity, subject type, subject key) the rules find in the generator's data, counted."""
    return RuleCheck(g).run()


class RuleCheck:
    """One reading of the rules over a generator's data; a method per rule family, run in the order of rules.md."""

    def __init__(self, g: Generator) -> None:
        self.g, self.ref, self.y = g, g.ref, g.year
        self.p = g.ref.params
        self.out: Counter = Counter()
        self.pub_min = int(self.p["PUBLICITY_MIN_WORKDAYS"])
        self.kind = {c: s["kind"] for c, s in g.subs.items()}
        self.void_committees: set[str] = set()
        self.void_apps: set[str] = set()

    def f(self, rule, sev, st, key) -> None:
        self.out[(rule, sev, st, key)] += 1

    def run(self) -> Counter:
        self.match()
        self.eligibility()
        self.channels()
        self.posts_and_quotas()
        self.schedule()
        self.publicity_and_filing()
        self.committees()
        self.integrity()
        self.city_quota()
        return self.out

    # ---- application numbers, F5 rows and matching
    def match(self) -> None:
        g, f = self.g, self.f
        subs_of = defaultdict(set)
        for a in g.apps:
            subs_of[a["application_no"]].add(a["_sub"])
        ambiguous = {n for n, s in subs_of.items() if len(s) > 1}
        for n in ambiguous:
            f("FIL-03", V, "application", n)
        self.U = [a for a in g.apps if a["application_no"] not in ambiguous]
        by_no = {a["application_no"]: a for a in self.U}
        self.f5 = [r for rows in g.f5_all.values() for r in rows if "__q__" not in r]
        self.matched = []
        for r in self.f5:
            if r["application_no"] in ambiguous:
                continue
            a = by_no.get(r["application_no"])
            if (
                a is None
                or a["id_number"] != r["id_number"]
                or a["series"] != r["series"]
                or a["level"] != r["level"]
                or a["committee_code"] != r["committee_code"]
            ):
                f("COM-04", V, "application", r["application_no"])
                continue
            self.matched.append((a, r))
        ev = defaultdict(list)
        for _a, r in self.matched:
            ev[r["committee_code"]].append(r["evaluation_date"])
        self.start = {c: min(v) for c, v in ev.items()}
        self.end = {c: max(v) for c, v in ev.items()}
        # F4 by committee
        self.f4_by_committee = defaultdict(list)
        for rows in g.f4.values():
            for r in rows:
                if r.get("committee_code"):
                    self.f4_by_committee[(r["committee_code"], r["event_type"])].append(r)

    # ---- eligibility
    @staticmethod
    def grassroots(a) -> bool:
        return a["workplace_level"] in ("旗县区直", "乡镇及以下")

    def transfer_recent(self, a) -> bool:
        t = a["transfer_in_date"]
        return (
            a["personnel_status"] in ("军转干部", "原公务员调入")
            and t is not None
            and add_years(a["application_date"], -int(self.p["TRANSFER_IN_EXEMPT_YEARS"])) < t <= a["application_date"]
        )

    def eligibility(self) -> None:
        g = self.g
        earlier_poge = {
            h["id_number"]
            for h in g.hist_apps
            for r in g.hist_f5
            if r["application_no"] == h["application_no"]
            and r["outcome"] == "通过"
            and h["route"] == "破格申报"
            and h["exception_basis"] in POGE44
        }
        cutoff = self.ref.deadlines["CUTOFF-SENIORITY"]
        for a in self.U:
            self.status_and_exams(a)
            self.routes(a, earlier_poge, cutoff)
            if a["route"] == "破格申报" and a["exception_basis"] and not self.poge_ok(a):
                self.f("ELG-13", V, "application", a["application_no"])

    def status_and_exams(self, a) -> None:
        """ELG-01 to ELG-04: personnel status, series closed to the city, exams, rural service."""
        f, p, g = self.f, self.p, self.g
        no, lv, series, spec = a["application_no"], a["level"], a["series"], a["specialty"] or ""
        senior = lv in SENIOR
        if a["personnel_status"] in ("公务员", "参照公务员法管理", "离退休"):
            f("ELG-01", V, "application", no)
            self.void_apps.add(no)
        mengyi = "蒙医" in spec or "蒙药" in spec
        if lv in ("中级", "初级") and (
            series in ("经济", "会计", "统计", "审计", "翻译", "出版", "通信") or (series == "卫生" and mengyi)
        ):
            f("ELG-02", V, "application", no)
        needs_exam = (
            (series in ("经济", "会计") and senior)
            or (series == "卫生" and mengyi and senior)
            or (series in ("审计", "统计") and lv == "副高级")
        )
        if needs_exam and a["exam_passed"] != "是" and a["exception_basis"] != "四(四)3":
            f("ELG-03", V, "application", no)
        doctor = series == "卫生" and any(w in spec for w in DOCTOR_WORDS)
        urban = self.kind[a["_sub"]] == "department" or g.subs[a["_sub"]]["region_kind"] == "市辖区"
        gy = a["grassroots_years"]
        if (
            (series == "中小学教师" or doctor)
            and senior
            and urban
            and a["workplace_level"] != "乡镇及以下"
            and (gy is None or gy < p["RURAL_SERVICE_MIN_YEARS"])
        ):
            f("ELG-04", A, "application", no)

    def direct_ok(self, a) -> bool:
        """ELG-05: who may apply directly."""
        p, lv, years = self.p, a["level"], a["professional_years"]
        degree = a["education"] in BACHELOR
        ok = a["unit_nature"] in NON_PUBLIC
        if lv == "中级":
            return ok and (
                (degree and years >= p["DIRECT_MID_BACHELOR_YEARS"])
                or (a["education"] == "大学专科" and years >= p["DIRECT_MID_COLLEGE_YEARS"])
            )
        if lv == "副高级":
            return ok and degree and years >= p["DIRECT_FUGAO_BACHELOR_YEARS"]
        return False

    def recognised_ok(self, a) -> bool:
        """ELG-06: who may be recognised by assessment."""
        p, lv, years = self.p, a["level"], a["professional_years"]
        full = a["education_mode"] == "全日制"
        return (
            (lv == "中级" and full and a["education"] == "博士研究生")
            or (
                lv == "中级"
                and full
                and a["education"] == "硕士研究生"
                and years
                >= (p["RECOGNIZE_MASTER_GRASSROOTS_YEARS"] if self.grassroots(a) else p["RECOGNIZE_MASTER_YEARS"])
            )
            or (lv == "副高级" and a["personnel_status"] == "博士后")
            or (lv == "初级" and a["unit_nature"] == "自由职业")
        )

    def directed_ok(self, a) -> bool:
        """ELG-12: who may be evaluated on a directed post."""
        series, spec = a["series"], a["specialty"] or ""
        field_ok = bool(self.ref.series[series]["directed_field"]) and (series != "艺术" or "乌兰牧骑" in spec)
        return not (
            a["unit_nature"] != "事业单位"
            or not self.grassroots(a)
            or self.kind[a["_sub"]] != "region"
            or a["level"] != "副高级"
            or not field_ok
        )

    def routes(self, a, earlier_poge, cutoff) -> None:
        """ELG-05 to ELG-12: the route's own conditions, seniority and the cut-off date."""
        f, p = self.f, self.p
        no, lv, route, basis = a["application_no"], a["level"], a["route"], a["exception_basis"]
        one_up = ORDER[lv] == ORDER[a["current_level"]] + 1
        if route == "直接申报" and not self.direct_ok(a):
            f("ELG-05", V, "application", no)
        if route == "考核认定" and not self.recognised_ok(a):
            f("ELG-06", V, "application", no)
        if basis in POGE44 and (a["had_exception_before"] or a["id_number"] in earlier_poge):
            f("ELG-07", A, "application", no)
        if route == "转系列" and (
            a["current_post_years"] is None
            or a["current_post_years"] < p["TRANSFER_MIN_YEARS"]
            or lv != a["current_level"]
        ):
            f("ELG-08", V, "application", no)
        if (
            route == "正常申报"
            and not one_up
            and not (a["personnel_status"] == "高技能人才" or self.transfer_recent(a))
        ):
            f("ELG-09", V, "application", no)
        if route == "破格申报" and not basis:
            f("ELG-09", V, "application", no)
        if (a["graduation_date"] and a["graduation_date"] > cutoff) or (
            a["current_title_date"] and a["current_title_date"] > cutoff
        ):
            f("ELG-10", V, "application", no)
        if lv == "初级" and a["unit_nature"] != "自由职业":
            f("ELG-11", A, "application", no)
        if route == "定向评价" and not self.directed_ok(a):
            f("ELG-12", V, "application", no)

    def poge_ok(self, a) -> bool:
        """ELG-13: the exception basis an application names holds."""
        p, lv = self.p, a["level"]
        scope = self.ref.committee_scope(a["committee_code"])
        one_up = ORDER[lv] == ORDER[a["current_level"]] + 1
        degree = a["education"] in BACHELOR
        years, gy = a["professional_years"], a["grassroots_years"]
        return {
            "四(四)1": lambda: scope == "自治区" and lv in SENIOR,
            "四(四)2": lambda: True,
            "四(四)3": lambda: lv == "正高级",
            "四(四)4": lambda: one_up and self.grassroots(a),
            "四(四)5": lambda: self.transfer_recent(a),
            "四(五)2": lambda: (
                one_up
                and (
                    (self.grassroots(a) and years >= p["POGE_COUNTY_YEARS"])
                    or (a["workplace_level"] == "乡镇及以下" and (gy or 0) >= p["POGE_TOWNSHIP_YEARS"])
                )
            ),
            "四(五)3": lambda: (
                lv == "中级"
                and a["unit_nature"] == "事业单位"
                and a["workplace_level"] == "乡镇及以下"
                and (
                    (degree and (gy or 0) >= p["POGE_TOWNSHIP_BACHELOR_YEARS"])
                    or (a["education"] == "大学专科" and (gy or 0) >= p["POGE_TOWNSHIP_COLLEGE_YEARS"])
                )
            ),
            "四(九)4": lambda: True,
        }.get(a["exception_basis"], lambda: False)()

    # ---- channels
    def channels(self) -> None:
        f, ref, U = self.f, self.ref, self.U
        groups = defaultdict(set)
        for a in U:
            groups[(a["id_number"], a["level"])].add(a["committee_code"])
        for a in U:
            if len(groups[(a["id_number"], a["level"])]) > 1:
                f("CHN-01", A, "application", a["application_no"])
        units = defaultdict(set)
        for a in U:
            units[(normalise_unit(a["unit_name"]), a["series"], a["level"], a["_directed"])].add(a["committee_code"])
        for (u, *_), cs in units.items():
            if len(cs) > 1:
                f("CHN-02", V, "unit", u)
        used = {a["committee_code"] for a in U} | {r["committee_code"] for r in self.f5}
        for c in sorted(used):
            info = ref.committees.get(c)
            filed = ref.filings.get(c)
            bad = info is None or filed is None or (c in self.start and self.start[c] < filed)
            if bad:
                f("CHN-03", V, "committee", c)
                self.void_committees.add(c)
        for a in U:
            c = a["committee_code"]
            if c in ref.committees and not ref.covers(c, a["series"], a["level"]):
                f("CHN-04", V, "application", a["application_no"])
            if a["unit_affiliation"] != "本市" and not a["has_entrust_letter"]:
                f("CHN-05", V, "application", a["application_no"])
                self.void_apps.add(a["application_no"])

    # ---- posts and quotas
    def posts_and_quotas(self) -> None:
        self.over_posts()
        self.directed_quotas()
        self.unit_posts()

    def over_posts(self) -> None:
        """QTA-02: applications over the post count, per sending region or department."""
        g, p, kind, f2 = self.g, self.p, self.kind, self.g.f2_all
        for code in sorted(set(kind)):
            if kind[code] not in ("region", "department"):
                continue
            sends = any(a["_sub"] == code for a in g.apps) or f2.get(code)
            if not sends:
                continue
            posts = sum(r["senior_posts_set"] for r in f2.get(code, []))
            n = sum(
                1
                for a in self.U
                if a["_sub"] == code and a["unit_nature"] == "事业单位" and a["level"] in SENIOR and a["over_post"]
            )
            if not n <= p["OVERPOST_RATIO"] * posts:
                self.f("QTA-02", V, "submitter", code)

    def directed_quotas(self) -> None:
        """QTA-03 and QTA-04: planned and directed applications against the vacant directed posts."""
        directed = Counter()
        for a in self.U:
            if a["_directed"] and self.kind[a["_sub"]] == "region":
                fld = self.ref.series[a["series"]]["directed_field"]
                if a["series"] == "艺术" and "乌兰牧骑" not in (a["specialty"] or ""):
                    fld = ""
                if fld:
                    directed[(a["_sub"], fld)] += 1
        for code, rows in self.g.f3_all.items():
            for r in rows:
                if r["planned_applications"] > r["vacant_posts"]:
                    self.f("QTA-03", V, "region_field", f"{code}/{r['field']}")
                if directed[(code, r["field"])] > r["vacant_posts"]:
                    self.f("QTA-04", V, "region_field", f"{code}/{r['field']}")

    def unit_posts(self) -> None:
        """POS-01 to POS-03: teachers over the post count, a unit's vacant senior posts, the F2 arithmetic."""
        f, U = self.f, self.U
        for a in U:
            if a["series"] == "中小学教师" and a["level"] == "副高级" and a["over_post"]:
                f("POS-01", V, "application", a["application_no"])
        f2_index = {(code, normalise_unit(r["unit_name"])): r for code, rows in self.g.f2_all.items() for r in rows}
        senior_counts = Counter(
            (a["_sub"], normalise_unit(a["unit_name"])) for a in U if a["level"] in SENIOR and not a["over_post"]
        )
        for key, r in f2_index.items():
            if senior_counts[key] > r["senior_posts_vacant"]:
                f("POS-02", V, "unit", key[1])
        # one finding per F2 row and one per application (subject: the unit)
        for (_code, u), r in f2_index.items():
            if r["senior_posts_set"] - r["senior_posts_filled"] != r["senior_posts_vacant"]:
                f("POS-03", A, "unit", u)
        for a in U:
            if a["over_post"] and a["unit_nature"] != "事业单位":
                f("POS-03", A, "unit", normalise_unit(a["unit_name"]))

    # ---- schedule
    def schedule(self) -> None:
        ref = self.ref
        for a in self.U:
            w = ref.window(a["_sub"], a["committee_code"], a["level"])
            if w and not (w.start <= a["application_date"] <= w.end):
                self.f("SCH-01", V, "application", a["application_no"])
        for c in sorted(self.start):
            self.committee_schedule(c)
        for code, s in self.g.subs.items():
            if s["region_kind"] in ("市辖区", "旗县"):
                rows = self.g.f3_all.get(code)
                if not rows or max(r["submitted_date"] for r in rows) > ref.deadlines["DIRECTED-POSTS"]:
                    self.f("SCH-05", V, "region", code)

    def committee_schedule(self, c: str) -> None:
        """PUB-03, SCH-02 to SCH-04 and COM-02 of one committee that evaluated."""
        f, ref = self.f, self.ref
        scope = ref.committee_scope(c)
        end = self.end[c]
        pubs = self.f4_by_committee[(c, "评审结果公示")]
        good_pubs = [r for r in pubs if adequate(r["start_date"], r["end_date"], self.pub_min)]
        if scope in ("市级", "旗县区", "自主评审"):
            if not pubs:
                f("PUB-03", V, "committee", c)
                self.void_committees.add(c)
            elif not any(r["start_date"] >= end for r in good_pubs):
                f("PUB-03", V, "committee", c)
        if scope not in ("旗县区", "自主评审"):
            return
        finish = ref.deadlines["FINISH-BY"]
        lead = dt.timedelta(days=int(self.p["PLAN_LEAD_DAYS"]))
        # "its results publicity": the earliest adequate row, else the latest row (int_committee_years)
        pub_end = min((r["end_date"] for r in good_pubs), default=None)
        last = max(end, pub_end or end)
        its_pub_end = pub_end if pub_end is not None else max((r["end_date"] for r in pubs), default=None)
        # SCH-02 judges the F4 rows: one publicity row that ends in time is enough
        pub_in_time = not pubs or any(r["end_date"] <= finish and r["end_date"].year == finish.year for r in pubs)
        if not (end <= finish and end.year == finish.year and pub_in_time):
            delay = any(r["submitted_date"] <= finish for r in self.f4_by_committee[(c, "延期申请")])
            f("SCH-02", A if delay else V, "committee", c)
        plans = self.f4_by_committee[(c, "评审实施方案备案")]
        if not plans:
            f("SCH-03", V, "committee", c)
            self.void_committees.add(c)
        elif not any(r["submitted_date"] <= self.start[c] - lead for r in plans):
            f("SCH-03", V, "committee", c)
        reports = self.f4_by_committee[(c, "核准备案报告")]
        if not any(
            (its_pub_end is None or r["submitted_date"] > its_pub_end) and r["submitted_date"] <= month_later(last)
            for r in reports
        ):
            f("SCH-04", V, "committee", c)
        if ref.committees[c]["is_self_evaluation"] == "true":
            roster = self.g.rosters.get((c, self.y), [])
            if not any(r["is_own_unit"] is False for r in roster):
                f("COM-02", V, "committee", c)

    # ---- publicity and filing
    def rows_of(self, code, t):
        return [r for r in self.g.f4.get(code, []) if r["event_type"] == t]

    def publicity_and_filing(self) -> None:
        f, g, kind = self.f, self.g, self.kind
        for a in self.U:
            mats = self.rows_of(a["_sub"], "材料报送")
            s_, e_ = a["unit_publicity_start"], a["unit_publicity_end"]
            # "its submitter's 材料报送 row": one row after the publicity is enough (the latest one)
            ok = adequate(s_, e_, self.pub_min) and not (mats and e_ >= max(r["submitted_date"] for r in mats))
            if not ok:
                f("PUB-01", V, "application", a["application_no"])
            if a["integrity_pledge"] is not True:
                f("FIL-02", V, "application", a["application_no"])
        with_f1 = {a["_sub"] for a in g.apps}
        for code in sorted(with_f1):
            if kind[code] in ("region", "department"):
                self.submitter_filing(code)
        for sender, rows in g.f4.items():
            for r in rows:
                if r["event_type"] in ("花名册公示", "评审结果公示") and (r.get("objections") or 0) > 0:
                    f("PUB-04", A, "submitter", sender)

    def submitter_filing(self, code: str) -> None:
        """PUB-02 and FIL-01 of one region or department that sent applications."""
        mats = self.rows_of(code, "材料报送")
        pubs = [r for r in self.rows_of(code, "花名册公示") if adequate(r["start_date"], r["end_date"], self.pub_min)]
        if mats:
            pubs = [r for r in pubs if any(r["end_date"] < m["submitted_date"] for m in mats)]
        if not pubs:
            self.f("PUB-02", V, "submitter", code)
        if not any(r.get("signed_sealed") for r in mats):
            self.f("FIL-01", V, "submitter", code)
        for t in ("工作情况总结报告", "公示结果报告"):
            if not self.rows_of(code, t):
                self.f("FIL-01", V, "submitter", code)

    # ---- committees and evaluators
    def committees(self) -> None:
        g, p, y = self.g, self.p, self.y
        years_of = defaultdict(set)
        for (_c, yr), rows in g.rosters.items():
            for r in rows:
                years_of[r["evaluator_no"]].add(yr)
        for (_c, yr), rows in g.rosters.items():
            if yr != y:
                continue
            for r in {r["evaluator_no"] for r in rows}:
                if {y - 1, y - 2, y - 3} <= years_of[r]:
                    self.f("COM-01", A, "evaluator", r)
        for a, r in self.matched:
            if r["outcome"] == "通过" and (
                r["members_present"] * p["VOTE_QUORUM_DEN"] < r["members_expected"] * p["VOTE_QUORUM_NUM"]
                or r["votes_for"] * p["VOTE_PASS_DEN"] < r["members_present"] * p["VOTE_PASS_NUM"]
            ):
                self.f("COM-03", V, "application", a["application_no"])
                self.void_apps.add(a["application_no"])

    # ---- integrity
    def integrity(self) -> None:
        years = int(self.p["BLACKLIST_YEARS"])
        for a in self.U:
            d = a["application_date"]
            if any(
                r["id_number"] == a["id_number"] and add_years(d, -years) < r["record_date"] <= d for r in self.g.f7
            ):
                self.f("INT-01", A, "application", a["application_no"])

    # ---- city quota (valid passes)
    def city_quota(self) -> None:
        valid = sum(
            1
            for a, r in self.matched
            if r["outcome"] == "通过"
            and a["series"] == "中小学教师"
            and a["level"] == "正高级"
            and a["application_no"] not in self.void_apps
            and r["committee_code"] not in self.void_committees
        )
        if valid > self.p["TEACHER_ZHENGGAO_LIMIT"]:
            self.f("QTA-01", V, "city", "1501")
