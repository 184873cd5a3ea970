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
    ref, y = g.ref, g.year
    p = ref.params
    out: Counter = Counter()

    def f(rule, sev, st, key):
        out[(rule, sev, st, key)] += 1

    pub_min = int(p["PUBLICITY_MIN_WORKDAYS"])
    cutoff = ref.deadlines["CUTOFF-SENIORITY"]
    apps = g.apps
    subs_of = defaultdict(set)
    for a in apps:
        subs_of[a["application_no"]].add(a["_sub"])
    ambiguous = {n for n, s in subs_of.items() if len(s) > 1}
    for n in ambiguous:
        f("FIL-03", V, "application", n)
    U = [a for a in apps if a["application_no"] not in ambiguous]
    by_no = {a["application_no"]: a for a in U}
    kind = {c: s["kind"] for c, s in g.subs.items()}

    # F5 rows and matching
    f5 = [r for rows in g.f5_all.values() for r in rows if "__q__" not in r]
    matched = []
    for r in f5:
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
        matched.append((a, r))
    ev = defaultdict(list)
    for a, r in matched:
        ev[r["committee_code"]].append(r["evaluation_date"])
    start = {c: min(v) for c, v in ev.items()}
    end = {c: max(v) for c, v in ev.items()}
    void_committees, void_apps = set(), set()

    # F4 by committee and by sender
    f4_by_committee = defaultdict(list)
    for sender, rows in g.f4.items():
        for r in rows:
            if r.get("committee_code"):
                f4_by_committee[(r["committee_code"], r["event_type"])].append(r)

    # ---- eligibility
    def grassroots(a):
        return a["workplace_level"] in ("旗县区直", "乡镇及以下")

    def transfer_recent(a):
        t = a["transfer_in_date"]
        return (
            a["personnel_status"] in ("军转干部", "原公务员调入")
            and t is not None
            and add_years(a["application_date"], -int(p["TRANSFER_IN_EXEMPT_YEARS"])) < t <= a["application_date"]
        )

    earlier_poge = {
        h["id_number"]
        for h in g.hist_apps
        for r in g.hist_f5
        if r["application_no"] == h["application_no"]
        and r["outcome"] == "通过"
        and h["route"] == "破格申报"
        and h["exception_basis"] in POGE44
    }
    for a in U:
        no, lv, series, spec = a["application_no"], a["level"], a["series"], a["specialty"] or ""
        route, basis = a["route"], a["exception_basis"]
        one_up = ORDER[lv] == ORDER[a["current_level"]] + 1
        senior = lv in SENIOR
        degree = a["education"] in BACHELOR
        years = a["professional_years"]
        if a["personnel_status"] in ("公务员", "参照公务员法管理", "离退休"):
            f("ELG-01", V, "application", no)
            void_apps.add(no)
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
        if needs_exam and a["exam_passed"] != "是" and basis != "四(四)3":
            f("ELG-03", V, "application", no)
        doctor = series == "卫生" and any(w in spec for w in DOCTOR_WORDS)
        urban = kind[a["_sub"]] == "department" or g.subs[a["_sub"]]["region_kind"] == "市辖区"
        gy = a["grassroots_years"]
        if (
            (series == "中小学教师" or doctor)
            and senior
            and urban
            and a["workplace_level"] != "乡镇及以下"
            and (gy is None or gy < p["RURAL_SERVICE_MIN_YEARS"])
        ):
            f("ELG-04", A, "application", no)
        if route == "直接申报":
            ok = a["unit_nature"] in NON_PUBLIC
            if lv == "中级":
                ok = ok and (
                    (degree and years >= p["DIRECT_MID_BACHELOR_YEARS"])
                    or (a["education"] == "大学专科" and years >= p["DIRECT_MID_COLLEGE_YEARS"])
                )
            elif lv == "副高级":
                ok = ok and degree and years >= p["DIRECT_FUGAO_BACHELOR_YEARS"]
            else:
                ok = False
            if not ok:
                f("ELG-05", V, "application", no)
        if route == "考核认定":
            full = a["education_mode"] == "全日制"
            ok = (
                (lv == "中级" and full and a["education"] == "博士研究生")
                or (
                    lv == "中级"
                    and full
                    and a["education"] == "硕士研究生"
                    and years
                    >= (p["RECOGNIZE_MASTER_GRASSROOTS_YEARS"] if grassroots(a) else p["RECOGNIZE_MASTER_YEARS"])
                )
                or (lv == "副高级" and a["personnel_status"] == "博士后")
                or (lv == "初级" and a["unit_nature"] == "自由职业")
            )
            if not ok:
                f("ELG-06", V, "application", no)
        if basis in POGE44 and (a["had_exception_before"] or a["id_number"] in earlier_poge):
            f("ELG-07", A, "application", no)
        if route == "转系列" and (
            a["current_post_years"] is None
            or a["current_post_years"] < p["TRANSFER_MIN_YEARS"]
            or lv != a["current_level"]
        ):
            f("ELG-08", V, "application", no)
        if route == "正常申报" and not one_up and not (a["personnel_status"] == "高技能人才" or transfer_recent(a)):
            f("ELG-09", V, "application", no)
        if route == "破格申报" and not basis:
            f("ELG-09", V, "application", no)
        if (a["graduation_date"] and a["graduation_date"] > cutoff) or (
            a["current_title_date"] and a["current_title_date"] > cutoff
        ):
            f("ELG-10", V, "application", no)
        if lv == "初级" and a["unit_nature"] != "自由职业":
            f("ELG-11", A, "application", no)
        if route == "定向评价":
            field_ok = bool(ref.series[series]["directed_field"]) and (series != "艺术" or "乌兰牧骑" in spec)
            if (
                a["unit_nature"] != "事业单位"
                or not grassroots(a)
                or kind[a["_sub"]] != "region"
                or lv != "副高级"
                or not field_ok
            ):
                f("ELG-12", V, "application", no)
        if route == "破格申报" and basis:
            scope = ref.committee_scope(a["committee_code"])
            ok = {
                "四(四)1": lambda: scope == "自治区" and senior,
                "四(四)2": lambda: True,
                "四(四)3": lambda: lv == "正高级",
                "四(四)4": lambda: one_up and grassroots(a),
                "四(四)5": lambda: transfer_recent(a),
                "四(五)2": lambda: (
                    one_up
                    and (
                        (grassroots(a) and years >= p["POGE_COUNTY_YEARS"])
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
            }.get(basis, lambda: False)()
            if not ok:
                f("ELG-13", V, "application", no)

    # ---- channels
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
    used = {a["committee_code"] for a in U} | {r["committee_code"] for r in f5}
    for c in sorted(used):
        info = ref.committees.get(c)
        filed = ref.filings.get(c)
        bad = info is None or filed is None or (c in start and start[c] < filed)
        if bad:
            f("CHN-03", V, "committee", c)
            void_committees.add(c)
    for a in U:
        c = a["committee_code"]
        if c in ref.committees and not ref.covers(c, a["series"], a["level"]):
            f("CHN-04", V, "application", a["application_no"])
        if a["unit_affiliation"] != "本市" and not a["has_entrust_letter"]:
            f("CHN-05", V, "application", a["application_no"])
            void_apps.add(a["application_no"])

    # ---- posts and quotas
    f2 = g.f2_all
    for code in sorted(set(kind)):
        if kind[code] not in ("region", "department"):
            continue
        sends = any(a["_sub"] == code for a in apps) or f2.get(code)
        if not sends:
            continue
        posts = sum(r["senior_posts_set"] for r in f2.get(code, []))
        n = sum(
            1
            for a in U
            if a["_sub"] == code and a["unit_nature"] == "事业单位" and a["level"] in SENIOR and a["over_post"]
        )
        if not n <= p["OVERPOST_RATIO"] * posts:
            f("QTA-02", V, "submitter", code)
    directed = Counter()
    for a in U:
        if a["_directed"] and kind[a["_sub"]] == "region":
            fld = ref.series[a["series"]]["directed_field"]
            if a["series"] == "艺术" and "乌兰牧骑" not in (a["specialty"] or ""):
                fld = ""
            if fld:
                directed[(a["_sub"], fld)] += 1
    for code, rows in g.f3_all.items():
        for r in rows:
            if r["planned_applications"] > r["vacant_posts"]:
                f("QTA-03", V, "region_field", f"{code}/{r['field']}")
            if directed[(code, r["field"])] > r["vacant_posts"]:
                f("QTA-04", V, "region_field", f"{code}/{r['field']}")
    for a in U:
        if a["series"] == "中小学教师" and a["level"] == "副高级" and a["over_post"]:
            f("POS-01", V, "application", a["application_no"])
    f2_index = {(code, normalise_unit(r["unit_name"])): r for code, rows in f2.items() for r in rows}
    senior_counts = Counter(
        (a["_sub"], normalise_unit(a["unit_name"])) for a in U if a["level"] in SENIOR and not a["over_post"]
    )
    for key, r in f2_index.items():
        if senior_counts[key] > r["senior_posts_vacant"]:
            f("POS-02", V, "unit", key[1])
    # one finding per F2 row and one per application (subject: the unit)
    for (code, u), r in f2_index.items():
        if r["senior_posts_set"] - r["senior_posts_filled"] != r["senior_posts_vacant"]:
            f("POS-03", A, "unit", u)
    for a in U:
        if a["over_post"] and a["unit_nature"] != "事业单位":
            f("POS-03", A, "unit", normalise_unit(a["unit_name"]))

    # ---- schedule
    for a in U:
        w = ref.window(a["_sub"], a["committee_code"], a["level"])
        if w and not (w.start <= a["application_date"] <= w.end):
            f("SCH-01", V, "application", a["application_no"])
    finish = ref.deadlines["FINISH-BY"]
    lead = dt.timedelta(days=int(p["PLAN_LEAD_DAYS"]))
    for c in sorted(start):
        scope = ref.committee_scope(c)
        pubs = f4_by_committee[(c, "评审结果公示")]
        good_pubs = [r for r in pubs if adequate(r["start_date"], r["end_date"], pub_min)]
        if scope in ("市级", "旗县区", "自主评审"):
            if not pubs:
                f("PUB-03", V, "committee", c)
                void_committees.add(c)
            elif not any(r["start_date"] >= end[c] for r in good_pubs):
                f("PUB-03", V, "committee", c)
        if scope not in ("旗县区", "自主评审"):
            continue
        # "its results publicity": the earliest adequate row, else the latest row (int_committee_years)
        pub_end = min((r["end_date"] for r in good_pubs), default=None)
        last = max(end[c], pub_end or end[c])
        its_pub_end = pub_end if pub_end is not None else max((r["end_date"] for r in pubs), default=None)
        # SCH-02 judges the F4 rows: one publicity row that ends in time is enough
        pub_in_time = not pubs or any(r["end_date"] <= finish and r["end_date"].year == finish.year for r in pubs)
        if not (end[c] <= finish and end[c].year == finish.year and pub_in_time):
            delay = any(r["submitted_date"] <= finish for r in f4_by_committee[(c, "延期申请")])
            f("SCH-02", A if delay else V, "committee", c)
        plans = f4_by_committee[(c, "评审实施方案备案")]
        if not plans:
            f("SCH-03", V, "committee", c)
            void_committees.add(c)
        elif not any(r["submitted_date"] <= start[c] - lead for r in plans):
            f("SCH-03", V, "committee", c)
        reports = f4_by_committee[(c, "核准备案报告")]
        if not any(
            (its_pub_end is None or r["submitted_date"] > its_pub_end) and r["submitted_date"] <= month_later(last)
            for r in reports
        ):
            f("SCH-04", V, "committee", c)
        if ref.committees[c]["is_self_evaluation"] == "true":
            roster = g.rosters.get((c, y), [])
            if not any(r["is_own_unit"] is False for r in roster):
                f("COM-02", V, "committee", c)
    for code, s in g.subs.items():
        if s["region_kind"] in ("市辖区", "旗县"):
            rows = g.f3_all.get(code)
            if not rows or max(r["submitted_date"] for r in rows) > ref.deadlines["DIRECTED-POSTS"]:
                f("SCH-05", V, "region", code)

    # ---- publicity and filing
    def rows_of(code, t):
        return [r for r in g.f4.get(code, []) if r["event_type"] == t]

    for a in U:
        mats = rows_of(a["_sub"], "材料报送")
        s_, e_ = a["unit_publicity_start"], a["unit_publicity_end"]
        # "its submitter's 材料报送 row": one row after the publicity is enough (the latest one)
        ok = adequate(s_, e_, pub_min) and not (mats and e_ >= max(r["submitted_date"] for r in mats))
        if not ok:
            f("PUB-01", V, "application", a["application_no"])
        if a["integrity_pledge"] is not True:
            f("FIL-02", V, "application", a["application_no"])
    with_f1 = {a["_sub"] for a in apps}
    for code in sorted(with_f1):
        if kind[code] not in ("region", "department"):
            continue
        mats = rows_of(code, "材料报送")
        pubs = [r for r in rows_of(code, "花名册公示") if adequate(r["start_date"], r["end_date"], pub_min)]
        if mats:
            pubs = [r for r in pubs if any(r["end_date"] < m["submitted_date"] for m in mats)]
        if not pubs:
            f("PUB-02", V, "submitter", code)
        if not any(r.get("signed_sealed") for r in mats):
            f("FIL-01", V, "submitter", code)
        for t in ("工作情况总结报告", "公示结果报告"):
            if not rows_of(code, t):
                f("FIL-01", V, "submitter", code)
    for sender, rows in g.f4.items():
        for r in rows:
            if r["event_type"] in ("花名册公示", "评审结果公示") and (r.get("objections") or 0) > 0:
                f("PUB-04", A, "submitter", sender)

    # ---- committees and evaluators
    years_of = defaultdict(set)
    for (c, yr), rows in g.rosters.items():
        for r in rows:
            years_of[r["evaluator_no"]].add(yr)
    for (c, yr), rows in g.rosters.items():
        if yr != y:
            continue
        for r in {r["evaluator_no"] for r in rows}:
            if {y - 1, y - 2, y - 3} <= years_of[r]:
                f("COM-01", A, "evaluator", r)
    for a, r in matched:
        if r["outcome"] == "通过" and (
            r["members_present"] * p["VOTE_QUORUM_DEN"] < r["members_expected"] * p["VOTE_QUORUM_NUM"]
            or r["votes_for"] * p["VOTE_PASS_DEN"] < r["members_present"] * p["VOTE_PASS_NUM"]
        ):
            f("COM-03", V, "application", a["application_no"])
            void_apps.add(a["application_no"])

    # ---- integrity
    for a in U:
        d = a["application_date"]
        if any(
            r["id_number"] == a["id_number"] and add_years(d, -int(p["BLACKLIST_YEARS"])) < r["record_date"] <= d
            for r in g.f7
        ):
            f("INT-01", A, "application", a["application_no"])

    # ---- city quota (valid passes)
    valid = sum(
        1
        for a, r in matched
        if r["outcome"] == "通过"
        and a["series"] == "中小学教师"
        and a["level"] == "正高级"
        and a["application_no"] not in void_apps
        and r["committee_code"] not in void_committees
    )
    if valid > p["TEACHER_ZHENGGAO_LIMIT"]:
        f("QTA-01", V, "city", "1501")
    return out
