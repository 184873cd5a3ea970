"""One-time notices (一次性告知书, 通知 七(四)1): one PDF and one XLSX per recipient, and a zip.

A notice goes to every code that has an inbox folder (a file in ``marts.load_audit``, or a
folder in the inbox when it is given) or receives a finding by ``marts.notice_recipients``
(the one place that says who hears of a finding, and whether to correct it (整改) or for
information (知悉)).  It lists every quarantined row of that code's current files, grouped by
file, and every finding it receives, grouped by role and rule, with the clause, what to
correct, and the correction deadline (整改期限: the year's ``CORRECTION_WORKDAYS`` working days
after the notice date).  Rule titles and corrections come from the rule registry, filled with
the year's parameters.  Names of applicants come only from the recipient's OWN current F1
rows; another submitter's application numbers are blanked out, every ID number is masked, and
a committee's evaluators are named by its own 评委编号, never by their key.

Bounded memory: the PDF lists at most ``PDF_ITEM_LIMIT`` items of each kind and says so; the
XLSX (streamed from the warehouse) lists them all.  Only notices whose inputs changed are made
again (inputs.py: a key per recipient of the rows it reads and what all notices share), and only
those whose content changed are printed again (a content hash is kept beside each document).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from dagster_project import rule_registry
from dagster_project.documents import db, xlsx
from dagster_project.documents.errors import OutputError
from dagster_project.documents.files import building_folder
from dagster_project.documents.fonts import with_fonts
from dagster_project.documents.masking import mask_id_value, redactor
from dagster_project.documents.office import office
from dagster_project.documents.pdf import Renderer, RendererPool, shared_renderer, start_early
from dagster_project.documents.policy import YearPolicy
from dagster_project.documents.text import chinese_date, jinja_env, stylesheet, write_text_atomic
from dagster_project.documents.xlsx import write_workbook
from dagster_project.forms import FORMS, ID_NUMBER, UNRECOGNISED

from . import inputs

SAFE_NAME_RE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff_-]+")
HEX_KEY_RE = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{16}(?![0-9A-Za-z])")
# Headers of ID-number columns: a quarantined value there is masked whatever its shape (a
# 17-digit or 15-digit number is no valid ID, but still most of one), also inside a
# duplicated natural key ("身份证号=…；记录日期=…").
ID_HEADERS = frozenset(c.header for f in FORMS.values() for c in f.columns if c.kind == ID_NUMBER)
ID_IN_KEY_RE = re.compile("(" + "|".join(map(re.escape, sorted(ID_HEADERS))) + ")=([^；]*)")
NOTICE_TABLES = [
    "marts.findings",
    "staging.stg_evaluation_outcomes__outcomes",
    "marts.notice_recipients",
    "marts.load_audit",
    "raw.quarantine",
    "staging.stg_application_roster__applications",
]
PDF_ITEM_LIMIT = 300  # problems of each kind listed in a notice's PDF; its XLSX lists them all
FETCH = 5000
ROLES = ("整改", "知悉")
# A PDF's streams are compressed already: deflating it again took 1.8 s for 272 notices (85 MB) and saved 3 %.
ZIP_COMPRESSION = {".pdf": zipfile.ZIP_STORED, ".xlsx": zipfile.ZIP_DEFLATED}
NOTICES_PER_WORKER = 20  # notices a worker process must have to pay for its start (see worker_count)
HASH_VERSION = "4"  # bump when templates or the layout change, so that every notice is printed again
# a notice's workbook is written by this module and xlsx.py: a change to either writes every workbook again
_WORKBOOK_PROGRAM = Path(__file__).read_bytes() + Path(xlsx.__file__).read_bytes()


@dataclass
class NoticeFiles:
    year: int
    folder: Path
    zip: Path
    codes: list[str] = field(default_factory=list)
    pdfs: dict[str, Path] = field(default_factory=dict)
    xlsx: dict[str, Path] = field(default_factory=dict)
    clean: list[str] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # codes whose XLSX was written (the others are unchanged)
    made: list[str] = field(default_factory=list)  # codes whose notice was made (the others' inputs are unchanged)


def notices_dir(out: Path, year: int) -> Path:
    return Path(out) / "notices" / str(year)


def file_stem(code: str, name: str | None = None) -> str:
    """``<code>_一次性告知书_<name>``: the code first (sorting, matching), then the recipient's name."""
    stem = f"{SAFE_NAME_RE.sub('_', code) or '_'}_一次性告知书"
    if name and not name.endswith("（未登记代码）"):
        stem += "_" + (SAFE_NAME_RE.sub("_", name)[:40])
    return stem


def notice_codes(con, year: int, inbox: Path | None = None) -> list[str]:
    """Every code with an inbox folder (or a loaded file) for the year, or receiving a finding by notice."""
    codes = {
        r[0]
        for r in con.execute(
            """
            select submitter_code from marts.load_audit where year = ?
            union select submitter_code from raw.quarantine where year = ?
            union select recipient_code from marts.notice_recipients where year = ? and channel = '告知书'
            """,
            [year, year, year],
        ).fetchall()
        if r[0] not in (None, "")
    }
    if inbox is not None and (Path(inbox) / str(year)).is_dir():
        codes |= {p.name for p in (Path(inbox) / str(year)).iterdir() if p.is_dir() and not p.name.startswith(".")}
    return sorted(codes)


def quarantine_value(column: str | None, value: Any) -> Any:
    """A quarantined value as a notice may show it: ID-number columns masked."""
    if not isinstance(value, str) or not value:
        return value
    if column in ID_HEADERS:
        return mask_id_value(value)
    return ID_IN_KEY_RE.sub(lambda m: f"{m.group(1)}={mask_id_value(m.group(2))}", value)


def correction(column: str | None, reason: str | None) -> str:
    """What to do about one quarantine record (a whole-row reason has no column)."""
    reason = reason or ""
    if column:
        return f"更正该行“{column}”的填报值"
    # a repeated natural key may name 评委会代码: it is no matter of the sender's code
    if "重复出现" not in reason and any(w in reason for w in ("代码", "不予入库", "不予载入", "不能报送", "不得报送")):
        return "请核实报送单位代码和可报送的表种，通过本单位代码目录重新报送"
    return "请核对并更正整行数据（如重复行只保留一行）"


# ---------------------------------------------------------------- queries

QUARANTINE_SQL = """
    select q._source_file as file, q._source_sheet as sheet, q._source_row as row, q.form,
           q.column_name as column, q.value, q.reason
    from raw.quarantine q
    where q.year = ? and q.submitter_code = ?
      and not exists (
          select 1 from marts.load_audit a
          where a.superseded and a.sha256 = q._file_sha256 and a.sheet = q._source_sheet
      )
    order by q._source_file, q._source_sheet, q._source_row, q.column_name nulls first
"""

FINDINGS_SQL = """
    select r.role, f.finding_id, f.rule_id, f.severity, f.clause, f.subject_type, f.subject_key, f.committee_code,
           f.submitter_code, f.series, f.level, f.detail, f.source_file, f.source_row, r.reason as routed_because
    from marts.notice_recipients r
    join marts.findings f on f.finding_id = r.finding_id
    where r.year = ? and r.recipient_code = ? and r.channel = '告知书'
    order by case r.role when '整改' then 0 else 1 end, f.rule_id, f.severity,
             f.source_file nulls last, f.source_row nulls last, f.subject_key
"""


def _stream(con, sql: str, params: list) -> Iterator[dict[str, Any]]:
    cur = con.cursor()
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    while True:
        batch = cur.fetchmany(FETCH)
        if not batch:
            break
        for row in batch:
            yield dict(zip(names, row, strict=True))
    cur.close()


# ---------------------------------------------------------------- one notice


class Notice:
    """Everything one recipient's notice shows, read from the warehouse; items are streamed for the XLSX."""

    def __init__(self, con, year: int, code: str, ctx: NoticeContext):
        self.con, self.year, self.code, self.ctx = con, year, code, ctx
        directory = ctx.directory
        self.kind = directory.kind(code)
        self.name = directory.name(code)
        self.evaluators = ctx.evaluators.get(code, {})  # a committee's evaluators, by its own 评委编号
        self.own_names = ctx.names.get(code, {})  # application number → name, of this recipient's own F1 rows
        self.outcomes = ctx.outcomes.get(code, {})  # application number → (file, row) of its own F6 rows
        self.redact = redactor(set(self.own_names), ctx.all_applications)

    def text(self, value: Any) -> Any:
        """A text as this recipient may read it: IDs masked, foreign numbers blanked, evaluator keys as 评委编号."""
        value = self.redact(value)
        if isinstance(value, str) and HEX_KEY_RE.search(value):
            value = HEX_KEY_RE.sub(
                lambda m: (
                    f"（评委编号 {self.evaluators[m.group(0)]}）" if m.group(0) in self.evaluators else "（评委）"
                ),
                value,
            )
        return value

    # ---- files and quarantine
    def files(self) -> list[dict[str, Any]]:
        files = db.rows(
            self.con,
            """
            select file, sheet, form, rows_read, rows_loaded, rows_quarantined, superseded
            from marts.load_audit where year = ? and submitter_code = ? order by file, sheet
            """,
            [self.year, self.code],
        )
        for f in files:
            f["form_name"] = f"{f['form']} {FORMS[f['form']].name}" if f["form"] in FORMS else "未识别"
            if f["superseded"]:
                f["remark"] = "已被更新的文件替换，不再使用"
            elif f["form"] == UNRECOGNISED:
                f["remark"] = "未识别为报送表（说明页或非表格文件），未载入；如为报送表请使用规定表头"
            elif f["rows_quarantined"]:
                f["remark"] = f"{f['rows_quarantined']}行未能入库，见下文"
            else:
                f["remark"] = "全部入库"
        return files

    def quarantine(self) -> Iterator[dict[str, Any]]:
        for q in _stream(self.con, QUARANTINE_SQL, [self.year, self.code]):
            q["value"] = self.text(quarantine_value(q["column"], q["value"]))
            q["reason"] = self.text(q["reason"])
            q["correction"] = correction(q["column"], q["reason"])
            yield q

    def quarantine_counts(self) -> tuple[int, int]:
        row = self.con.execute(
            f"select count(*), count(distinct (file, sheet, row)) from ({QUARANTINE_SQL})", [self.year, self.code]
        ).fetchone()
        return int(row[0]), int(row[1])

    # ---- findings
    def findings(self) -> Iterator[dict[str, Any]]:
        for f in _stream(self.con, FINDINGS_SQL, [self.year, self.code]):
            own, outcome = None, (None, None)
            if f["subject_type"] == "application":
                own, outcome = self.own_names.get(f["subject_key"]), self.outcomes.get(f["subject_key"], outcome)
            f["own_name"], (f["outcome_file"], f["outcome_row"]) = own, outcome
            yield self._finding(f)

    def _finding(self, f: dict[str, Any]) -> dict[str, Any]:
        rule = self.ctx.rule(f["rule_id"])
        name = f["own_name"] or ""
        source_file, source_row = f["source_file"], f["source_row"]
        if f["outcome_file"] and not name:
            # a committee's own evaluation-result row identifies the applicant for it
            source_file, source_row = f["outcome_file"], f["outcome_row"]
        return {
            "role": f["role"],
            "rule_id": f["rule_id"],
            "severity": f["severity"],
            "clause": f["clause"],
            "title": rule["title"],
            "correction": rule["correction"],
            "subject": self.text(self._subject(f, name)),
            "subject_type": rule_registry.label("subject_type", f["subject_type"]),
            "subject_key": self.text(self._key(f)),
            "name": name,
            "detail": self.text(f["detail"]) or "",
            "column": _column_of(f["detail"]),
            "source": _source(source_file, source_row),
            "source_file": source_file,
            "source_row": source_row,
            "routed_because": f["routed_because"],
            "finding_id": f["finding_id"],
        }

    def _key(self, f: dict[str, Any]) -> str:
        if f["subject_type"] == "evaluator":
            no = self.evaluators.get(f["subject_key"])
            return f"评委编号 {no}" if no else "（评委）"
        return f["subject_key"]

    def _subject(self, f: dict[str, Any], name: str) -> str:
        st, key, directory = f["subject_type"], f["subject_key"], self.ctx.directory
        if st == "application":
            if key in self.redact.foreign and f.get("outcome_file"):
                return f"本单位评审结果第{f['outcome_row']}行的申报"
            return f"申报编号 {key}" + (f"（{name}）" if name else "")
        if st in ("submitter", "committee", "region"):
            return directory.label(key)
        if st == "region_field" and key and "/" in key:
            region, fld = key.split("/", 1)
            return f"{directory.name(region)}·{fld}"
        if st == "city":
            return "全市"
        if st == "evaluator":
            return self._key(f)
        if st == "unit":
            return f"单位：{key}"
        return key or "—"

    def summary(self) -> list[dict[str, Any]]:
        """Per role and rule: the count (from SQL, so that a list of any length is counted right)."""
        return db.rows(
            self.con,
            """
            select r.role, f.rule_id, f.severity, f.clause, count(*) as n
            from marts.notice_recipients r join marts.findings f on f.finding_id = r.finding_id
            where r.year = ? and r.recipient_code = ? and r.channel = '告知书'
            group by r.role, f.rule_id, f.severity, f.clause
            order by case r.role when '整改' then 0 else 1 end, f.rule_id, f.severity
            """,
            [self.year, self.code],
        )

    # ---- the context of the template and of the XLSX
    def page(self) -> dict[str, Any]:
        directory, ctx = self.ctx.directory, self.ctx
        files = self.files()
        quarantine_total, quarantine_rows = self.quarantine_counts()
        by_file: OrderedDict[tuple, dict] = OrderedDict()
        for q in _take(self.quarantine(), PDF_ITEM_LIMIT):
            key = (q["file"], q["sheet"])
            g = by_file.setdefault(
                key, {"file": q["file"], "sheet": q["sheet"], "file_name": Path(q["file"] or "").name, "items": []}
            )
            g["items"].append(q)
        summary = self.summary()
        sections: dict[str, OrderedDict] = {role: OrderedDict() for role in ROLES}
        for s in summary:
            rule = ctx.rule(s["rule_id"])
            sections[s["role"]][(s["rule_id"], s["severity"], s["clause"])] = {
                "rule_id": s["rule_id"],
                "severity": s["severity"],
                "clause": s["clause"],
                "clause_text": ctx.clause_text(s["clause"]),
                "title": rule["title"],
                "correction": rule["correction"],
                "count": int(s["n"]),
                "items": [],
            }
        for f in _take(self.findings(), PDF_ITEM_LIMIT):
            sections[f["role"]][(f["rule_id"], f["severity"], f["clause"])]["items"].append(f)
        findings_total = sum(int(s["n"]) for s in summary)
        listed = sum(len(r["items"]) for sec in sections.values() for r in sec.values())
        kind = self.kind
        if kind == "unknown":
            addressee = f"报送代码为 {self.code} 的报送单位（该代码未在参考数据中登记）"
        elif kind == "region" and directory.region_kind.get(self.code) in ("市辖区", "旗县"):
            addressee = f"{self.name}人力资源和社会保障局"
        else:
            addressee = self.name
        to_correct = sum(int(s["n"]) for s in summary if s["role"] == "整改")
        notice = {
            "code": self.code,
            "name": self.name,
            "kind_name": directory.kind_name(self.code),
            "addressee": addressee,
            "files": files,
            "rows_read": sum(int(f["rows_read"] or 0) for f in files),
            "quarantine_total": quarantine_total,
            "quarantine_listed": sum(len(g["items"]) for g in by_file.values()),
            "quarantine_rows": quarantine_rows,
            "quarantine_by_file": list(by_file.values()),
            "correct": list(sections["整改"].values()),
            "inform": list(sections["知悉"].values()),
            "findings_total": findings_total,
            "findings_listed": listed,
            "to_correct": to_correct,
            "for_information": findings_total - to_correct,
            "breaches": sum(int(s["n"]) for s in summary if s["severity"] == "违规"),
            "advisories": sum(int(s["n"]) for s in summary if s["severity"] != "违规"),
            "files_listed": files[:PDF_ITEM_LIMIT],
            "unrecognised": [f for f in files if f["form"] == UNRECOGNISED and not f["superseded"]],
            "limit": PDF_ITEM_LIMIT,
        }
        # findings about a committee of the autonomous region go upward (the report's list), not into its notice:
        # the notice says so, and does not call the committee clean
        notice["upward"] = int(
            self.con.execute(
                "select count(*) from marts.notice_recipients where year = ? and recipient_code = ? "
                "and channel = '向自治区反映'",
                [self.year, self.code],
            ).fetchone()[0]
        )
        # a sheet that is no form (an instruction sheet, a scanned letter) is listed, not counted as a problem
        notice["clean"] = not quarantine_total and not findings_total and not notice["upward"]
        notice["must_act"] = bool(quarantine_total or to_correct)
        return notice

    def sheets(self, n: dict[str, Any], deadline: str, number: str) -> list:
        summary = [
            ["年度", self.year],
            ["文号", number],
            ["报送单位代码", n["code"]],
            ["报送单位", n["name"]],
            ["报送文件（工作表）数", len(n["files"])],
            ["未能入库的数据行", n["quarantine_rows"]],
            ["审核发现的问题", n["findings_total"]],
            ["其中须整改", n["to_correct"]],
            ["其中供知悉", n["for_information"]],
            ["其中违规", n["breaches"]],
            ["其中提示", n["advisories"]],
            ["未识别、未载入的工作表", len(n["unrecognised"])],
            ["整改期限", deadline if n["must_act"] else "—"],
            ["联系方式", self.ctx.office.contact_line],
            [
                "结论",
                "未发现需要更正的问题"
                if n["clean"]
                else ("请按清单逐项更正后重新报送" if n["must_act"] else "所列问题供知悉，无需更正"),
            ],
        ]
        return [
            ("告知事项", ["项目", "内容"], summary),
            (
                "报送文件",
                ["文件", "工作表", "识别为", ("读取行", "int"), ("入库行", "int"), ("隔离行", "int"), "说明"],
                [
                    [
                        f["file"],
                        f["sheet"],
                        f["form_name"],
                        f["rows_read"],
                        f["rows_loaded"],
                        f["rows_quarantined"],
                        f["remark"],
                    ]
                    for f in n["files"]
                ],
            ),
            (
                "未入库数据行",
                ["文件", "工作表", ("行号", "int"), "表种", "列", "填报值", "问题", "整改要求"],
                (
                    [
                        q["file"],
                        q["sheet"],
                        q["row"],
                        q["form"],
                        q["column"] or "整行",
                        q["value"],
                        q["reason"],
                        q["correction"],
                    ]
                    for q in self.quarantine()
                ),
            ),
            (
                "审核问题",
                [
                    "规则",
                    "问题",
                    "性质",
                    "政策条款",
                    "对象类型",
                    "对象",
                    "姓名",
                    "问题说明",
                    "整改要求",
                    "来源文件",
                    ("来源行", "int"),
                    "处理方式",
                    "涉及列",
                    "发现编号",
                ],
                (
                    [
                        f["rule_id"],
                        f["title"],
                        f["severity"],
                        f["clause"],
                        f["subject_type"],
                        f["subject_key"],
                        f["name"],
                        f["detail"],
                        f["correction"],
                        f["source_file"],
                        f["source_row"],
                        "须整改" if f["role"] == "整改" else "供知悉",
                        f["column"],
                        f["finding_id"],
                    ]
                    for f in self.findings()
                ),
            ),
        ]


def _take(items: Iterator, limit: int) -> Iterator:
    for i, item in enumerate(items):
        if i >= limit:
            break
        yield item


COLUMN_RE = re.compile(r"“([^”]{1,20})”(?:为|填|的值|列)")


def _column_of(detail: str | None) -> str:
    """The column a finding's detail names (“诚信承诺书”为否 → 诚信承诺书), else empty."""
    if not detail:
        return ""
    m = COLUMN_RE.search(detail)
    return m.group(1) if m else ""


def _source(file: str | None, row: Any) -> str:
    if not file:
        return "—"
    return f"{file} 第{row}行" if row not in (None, "") else file


# ---------------------------------------------------------------- the year's context


class NoticeContext:
    """What every notice of a year shares: the directory, the rule texts filled for the year, the office."""

    def __init__(self, con, year: int, codes: list[str]):
        """``codes``: the recipients whose notices are made with this context (their own rows are read)."""
        self.year = year
        self.directory = db.Directory(con)
        self.policy = YearPolicy(con, year)
        self.office = office()
        # every application number of the year (another recipient's is blanked in a notice)
        self.all_applications = {
            app
            for (app,) in con.execute(
                "select distinct application_no from staging.stg_application_roster__applications "
                "where year = ? and application_no is not null",
                [year],
            ).fetchall()
        }
        # what the notices read of the staging layer, read once for their recipients: names and result rows by
        # submitter, a committee's evaluators
        self.names: dict[str, dict[str, str | None]] = defaultdict(dict)
        for code, app, name in con.execute(
            "select submitter_code, application_no, any_value(name) from staging.stg_application_roster__applications "
            "where year = ? and application_no is not null and list_contains(?, submitter_code) group by all",
            [year, codes],
        ).fetchall():
            self.names[code][app] = name
        self.outcomes: dict[str, dict[str, tuple]] = defaultdict(dict)
        for code, app, file, row in con.execute(
            "select submitter_code, application_no, min(_source_file), min(_source_row) "
            "from staging.stg_evaluation_outcomes__outcomes where year = ? and list_contains(?, submitter_code) "
            "group by all",
            [year, codes],
        ).fetchall():
            self.outcomes[code][app] = (file, row)
        self.evaluators: dict[str, dict[str, str]] = defaultdict(dict)
        if db.has_table(con, "staging", "stg_evaluator_roster__evaluators"):
            for committee, key, no in con.execute(
                "select committee_code, evaluator_key, any_value(evaluator_no order by roster_year desc) "
                "from staging.stg_evaluator_roster__evaluators "
                "where evaluator_key is not null and evaluator_no is not null and list_contains(?, committee_code) "
                "group by all",
                [codes],
            ).fetchall():
                self.evaluators[committee][key] = no
        self._rules: dict[str, dict[str, str]] = {}

    def rule(self, rule_id: str) -> dict[str, str]:
        if rule_id not in self._rules:
            self._rules[rule_id] = self.policy.rule_texts(rule_id)
        return self._rules[rule_id]

    def clause_text(self, clause: str | None) -> str:
        return self.policy.clause_text(clause)


# ---------------------------------------------------------------- all notices of a year


def _content_hash(html: str, xlsx_rows_digest: str) -> str:
    return hashlib.sha256(f"{HASH_VERSION}\n{html}\n{xlsx_rows_digest}".encode()).hexdigest()


def _hash_file(pdf: Path) -> Path:
    return pdf.with_name(f".{pdf.name}.sha256")


def _digest_rows(sheets: list) -> tuple[list, hashlib._Hash]:
    """Wrap each sheet's rows so that writing them also hashes them (with the sheet's name and columns)."""
    digest = hashlib.sha256(_WORKBOOK_PROGRAM)

    def rows(name, columns, it):
        digest.update(repr((name, columns)).encode())
        for row in it:
            digest.update(repr(row).encode())
            yield row

    return [(s[0], s[1], rows(*s[:3])) for s in sheets], digest


def _stored_key(document: Path) -> str | None:
    """The content key recorded beside a document made by an earlier run (None: no such document)."""
    key_file = _hash_file(document)
    return key_file.read_text() if document.exists() and key_file.exists() else None


def _write_workbook_if_changed(path: Path, html: str, sheets: Callable[[], list]) -> tuple[str, bool]:
    """Write the notice's workbook unless the one an earlier run left has the same content; returns the
    content key (also the PDF's) and whether it was written (its key recorded beside it). With a workbook in
    place its rows are first only read and hashed, and written (read again) only when they differ: an
    unchanged notice costs its queries, not its XLSX."""
    stored = _stored_key(path)
    if stored is not None:
        hashing, digest = _digest_rows(sheets())
        for _, _, rows in hashing:
            for _ in rows:
                pass
        key = _content_hash(html, digest.hexdigest())
        if key == stored:
            return key, False
    writing, digest = _digest_rows(sheets())
    write_workbook(path, writing)
    key = _content_hash(html, digest.hexdigest())
    write_text_atomic(_hash_file(path), key)  # a new file, never an edit of a hard-linked one
    return key, True


@dataclass
class _Made:
    """One notice as written (its XLSX) and, when its PDF is to be printed again, its HTML and content key."""

    code: str
    stem: str
    key: str
    written: bool
    clean: bool
    html: str | None  # None: no PDF wanted, or the PDF in place has this content already
    made: bool = True  # False: its inputs are those its documents in place were made from (not made again)


@dataclass
class _Run:
    """What every notice of one build shares besides the warehouse (sent as is to a worker process)."""

    year: int
    day: dt.date
    staging: Path
    keep_html: Path | None
    pdf: bool
    inputs: dict[str, str] = field(default_factory=dict)  # code → inputs key (inputs.py); empty: make every notice


def _make_notices(con, run: _Run, numbered: list[tuple[int, str]]) -> list[_Made]:
    """Query, render and write the XLSX of the notices ``numbered`` ((number in the year, code) pairs)."""
    ctx = NoticeContext(con, run.year, [code for _, code in numbered])
    deadline_day = ctx.policy.correction_deadline(run.day)
    deadline = f"{chinese_date(deadline_day)}（本告知书发出之日起{ctx.policy.correction_workdays}个工作日内）"
    template = jinja_env().get_template("notice.html.j2")
    css = stylesheet()
    made = []
    for seq, code in numbered:
        notice = Notice(con, run.year, code, ctx)
        n = notice.page()
        number = ctx.office.notice_number(run.year, seq)
        stem = file_stem(code, notice.name)
        html = template.render(
            n=n,
            year=run.year,
            css=css,
            office=ctx.office,
            issue_date=chinese_date(run.day),
            deadline=deadline,
            number=number,
            clause_intro=ctx.policy.clause_text("七(四)1"),
        )
        workbook = run.staging / f"{stem}.xlsx"
        key, written = _write_workbook_if_changed(workbook, html, partial(notice.sheets, n, deadline, number))
        if run.keep_html is not None:
            run.keep_html.mkdir(parents=True, exist_ok=True)
            (run.keep_html / f"{stem}.html").write_text(html, encoding="utf-8")
        reprint = run.pdf and _stored_key(run.staging / f"{stem}.pdf") != key
        if code in run.inputs:
            inputs.record(workbook, run.inputs[code], key, bool(n["clean"]))
        made.append(_Made(code, stem, key, written, bool(n["clean"]), html if reprint else None))
    return made


def _unchanged(con, run: _Run, numbered: list[tuple[int, str]]) -> tuple[list[_Made], list[tuple[int, str]]]:
    """Split ``numbered`` into the notices whose inputs are those their documents in place were made from,
    and those to make. Not used when the HTML is to be kept (every notice is made then)."""
    if run.keep_html is not None:
        return [], numbered
    policy = YearPolicy(con, run.year)
    shared = f"{run.day}|{policy.correction_deadline(run.day)}|{run.pdf}|{HASH_VERSION}"
    run.inputs.update(inputs.keys(con, run.year, numbered, shared))
    directory = db.Directory(con)
    reused, todo = [], []
    for seq, code in numbered:
        stem = file_stem(code, directory.name(code))
        workbook = run.staging / f"{stem}.xlsx"
        recorded = inputs.stored(workbook)
        if (
            recorded is not None
            and recorded.get("inputs") == run.inputs[code]
            and _stored_key(workbook) == recorded.get("content")
            and (not run.pdf or _stored_key(run.staging / f"{stem}.pdf") == recorded.get("content"))
        ):
            reused.append(_Made(code, stem, recorded["content"], False, bool(recorded.get("clean")), None, made=False))
        else:
            todo.append((seq, code))
    return reused, todo


def _make_notices_from(warehouse: Path, run: _Run, numbered: list[tuple[int, str]]) -> list[_Made]:
    """``_make_notices`` in a worker process: its own read-only connection to the warehouse."""
    with db.read_only(warehouse) as con:
        return _make_notices(con, run, numbered)


def worker_count(codes: int) -> int:
    """Processes that make a year's notices: one per ``NOTICES_PER_WORKER`` notices, at most one per core
    (a worker costs its start and the year's shared reads: 0.2–0.5 s)."""
    return max(1, min(os.cpu_count() or 1, codes // NOTICES_PER_WORKER))


def _make_all(
    con, warehouse: Path, run: _Run, codes: list[str], renderer: Renderer | RendererPool | None = None
) -> list[_Made]:
    """Every notice of the year, the codes dealt round-robin (each process gets codes of every kind) to this
    process and, for many notices, to worker processes beside it (``worker.py``); in the order of ``codes``.
    When there are notices to print, the browser (``renderer``, else the run's) starts while they are made."""
    reused, numbered = _unchanged(con, run, list(enumerate(codes, start=1)))
    if numbered and run.pdf:
        start_early(renderer)
    workers = worker_count(len(numbered))
    shares = [numbered[i::workers] for i in range(workers)]
    started = []
    for share in shares[1:]:
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.notices.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        process.stdin.write(pickle.dumps((warehouse, run, share)))
        process.stdin.close()
        started.append(process)
    try:
        made = _make_notices(con, run, shares[0]) if shares[0] else []
    finally:
        answers = [(process.stdout.read(), process.wait()) for process in started]  # every worker ends first
    for answer, returncode in answers:
        if returncode != 0 or not answer:
            raise OutputError(f"生成告知书的工作进程异常退出（退出码 {returncode}），告知书未全部生成")
        status, value = pickle.loads(answer)
        if status == "error":
            raise value
        made += value
    made += reused
    order = {code: i for i, code in enumerate(codes)}
    return sorted(made, key=lambda m: order[m.code])


def build_notices(
    warehouse: Path,
    year: int | None,
    out: Path,
    *,
    inbox: Path | None = None,
    issue_date: dt.date | None = None,
    pdf: bool = True,
    keep_html: Path | None = None,
    renderer: Renderer | RendererPool | None = None,
) -> NoticeFiles:
    """Read the warehouse read-only and write every notice of one year, then the zip."""
    day = issue_date or db.today()
    folder = None
    with db.read_only(warehouse) as con:
        db.require_tables(con, NOTICE_TABLES)
        year = year or db.latest_policy_year(con)
        codes = notice_codes(con, year, inbox)
        folder = notices_dir(out, year)
        result = NoticeFiles(year=year, folder=folder, zip=folder / f"一次性告知书_{year}.zip", codes=codes)
        with (
            building_folder(folder, keep=pdf) as staging,
            tempfile.TemporaryDirectory(prefix="zhicheng-notices-") as tmp,
        ):
            pending: list[tuple[str, str, Path, str]] = []
            made: set[str] = set()
            run = _Run(year, day, staging, keep_html, pdf)
            for m in _make_all(con, db.warehouse_path(warehouse), run, codes, renderer):
                workbook = staging / f"{m.stem}.xlsx"
                if m.written:
                    result.written.append(m.code)
                if m.made:
                    result.made.append(m.code)
                made |= {workbook.name, _hash_file(workbook).name, inputs.inputs_file(workbook).name}
                result.xlsx[m.code] = folder / f"{m.stem}.xlsx"
                if pdf:
                    made |= {f"{m.stem}.pdf", _hash_file(Path(f"{m.stem}.pdf")).name}
                    result.pdfs[m.code] = folder / f"{m.stem}.pdf"
                    if m.html is not None:
                        pending.append((m.code, m.html, staging / f"{m.stem}.pdf", m.key))
                if m.clean:
                    result.clean.append(m.code)
            if pending:
                _print_all(pending, Path(tmp), renderer)
                result.printed = [p[0] for p in pending]
            for path in staging.iterdir():
                if path.name not in made and path.name != result.zip.name:
                    path.unlink()
            with zipfile.ZipFile(staging / result.zip.name, "w") as zf:
                for path in sorted(staging.iterdir()):
                    if path.suffix in ZIP_COMPRESSION:
                        zf.write(path, arcname=path.name, compress_type=ZIP_COMPRESSION[path.suffix])
    return result


def _print_all(pending: list[tuple[str, str, Path, str]], tmp: Path, renderer: Renderer | RendererPool | None) -> None:
    from dagster_project.documents.fonts import web_fonts

    fonts = web_fonts("".join(html for _, html, _, _ in pending))
    printer = renderer or shared_renderer()
    keys: dict[Path, tuple[Path, str]] = {}
    jobs: list[tuple[Path, Path]] = []
    for _code, html, target, key in pending:
        html_path = tmp / f"{target.stem}.html"
        html_path.write_text(with_fonts(html, fonts), encoding="utf-8")
        keys[html_path] = (target, key)
        jobs.append((html_path, target))

    def printed(html_path: Path, target: Path) -> None:
        write_text_atomic(_hash_file(target), keys[html_path][1])  # a new file, never an edit of a hard-linked one
        html_path.unlink()

    if isinstance(printer, RendererPool):
        printer.print_all(jobs, printed)
    else:
        for html_path, target in jobs:
            printer.print(html_path, target)
            printed(html_path, target)


__all__ = ["build_notices", "NoticeFiles", "OutputError", "file_stem", "notices_dir", "correction"]
