"""One-time notices (一次性告知书, 通知 七(四)1): one PDF and one XLSX per submitter, and a zip.

A notice goes to every code that has an inbox folder (a file in ``marts.load_audit``,
or a folder in the inbox when it is given) or is named as ``submitter_code`` of a
finding.  It lists every quarantined row of that submitter's current files, grouped
by file, and every finding addressed to it, grouped by rule, with the clause and what
to correct.  Names of applicants come only from the submitter's OWN current F1 rows;
another submitter's application numbers are blanked out and every ID number is masked.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster_project.forms import FORMS, ID_NUMBER, UNRECOGNISED
from dagster_project.report import db
from dagster_project.report.render import (
    ISSUING_OFFICE,
    FONT_FACE_MARK,
    building_folder,
    chinese_date,
    font_face_css,
    build_web_fonts,
    html_many_to_pdf,
    jinja_env,
    mask_id_numbers,
    stylesheet,
    write_workbook,
)
from dagster_project.report.rules_text import SUBJECT_TYPES, rule_correction, rule_title

OTHER_APPLICATION = "（他单位申报编号）"
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,31}")
SAFE_NAME_RE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff_-]+")
# Headers of ID-number columns: a quarantined value there is masked whatever its shape (a
# 17-digit or 15-digit number is no valid ID, but still most of one), also inside a
# duplicated natural key ("身份证号=…；记录日期=…").
ID_HEADERS = frozenset(c.header for f in FORMS.values() for c in f.columns if c.kind == ID_NUMBER)
ID_IN_KEY_RE = re.compile("(" + "|".join(map(re.escape, sorted(ID_HEADERS))) + ")=([^；]*)")
NOTICE_TABLES = ["marts.findings", "marts.load_audit", "raw.quarantine", "staging.stg_application_roster__applications"]


@dataclass
class NoticeFiles:
    year: int
    folder: Path
    zip: Path
    codes: list[str] = field(default_factory=list)
    pdfs: dict[str, Path] = field(default_factory=dict)
    xlsx: dict[str, Path] = field(default_factory=dict)
    clean: list[str] = field(default_factory=list)


def notices_dir(out: Path, year: int) -> Path:
    return Path(out) / "notices" / str(year)


def file_stem(code: str) -> str:
    return f"{SAFE_NAME_RE.sub('_', code) or '_'}_一次性告知书"


def notice_codes(con, year: int, inbox: Path | None = None) -> list[str]:
    """Every code with an inbox folder (or a loaded file) for the year, or named by a finding."""
    codes = {
        r[0]
        for r in con.execute(
            """
            select submitter_code from marts.load_audit where year = ?
            union select submitter_code from raw.quarantine where year = ?
            union select submitter_code from marts.findings where year = ?
            """,
            [year, year, year],
        ).fetchall()
        if r[0] not in (None, "")
    }
    if inbox is not None and (Path(inbox) / str(year)).is_dir():
        codes |= {p.name for p in (Path(inbox) / str(year)).iterdir() if p.is_dir() and not p.name.startswith(".")}
    return sorted(codes)


def _redactor(own: set[str], others: set[str]):
    foreign = others - own

    def redact(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        text = mask_id_numbers(text)
        if not foreign:
            return text
        return TOKEN_RE.sub(lambda m: OTHER_APPLICATION if m.group(0) in foreign else m.group(0), text)

    return redact


def mask_id_value(value: str) -> str:
    """Keep at most the first 6 and the last 4 characters of a value typed as an ID number."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


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


def collect_notice(con, year: int, code: str, directory: db.Directory, all_app_owner: dict[str, set[str]]) -> dict[str, Any]:
    own_names = {
        r["application_no"]: r["name"]
        for r in db.rows(
            con,
            "select application_no, name from staging.stg_application_roster__applications "
            "where year = ? and submitter_code = ? and application_no is not null",
            [year, code],
        )
    }
    own = set(own_names)
    others = {a for a, owners in all_app_owner.items() if owners - {code}}
    redact = _redactor(own, others)

    files = db.rows(
        con,
        """
        select file, sheet, form, rows_read, rows_loaded, rows_quarantined, superseded
        from marts.load_audit where year = ? and submitter_code = ? order by file, sheet
        """,
        [year, code],
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
    quarantine = db.rows(
        con,
        """
        select q._source_file as file, q._source_sheet as sheet, q._source_row as row, q.form,
               q.column_name as column, q.value, q.reason
        from raw.quarantine q
        where q.year = ? and q.submitter_code = ?
          and not exists (
              select 1 from marts.load_audit a
              where a.superseded and a.sha256 = q._file_sha256 and a.sheet = q._source_sheet
          )
        order by q._source_file, q._source_sheet, q._source_row, q.column_name nulls first
        """,
        [year, code],
    )
    by_file: "OrderedDict[tuple, dict]" = OrderedDict()
    for q in quarantine:
        q["value"] = redact(quarantine_value(q["column"], q["value"]))
        q["reason"] = redact(q["reason"])
        q["correction"] = correction(q["column"], q["reason"])
        key = (q["file"], q["sheet"])
        g = by_file.setdefault(
            key, {"file": q["file"], "sheet": q["sheet"], "file_name": Path(q["file"] or "").name, "items": []}
        )
        g["items"].append(q)
    quarantine_rows = len({(q["file"], q["sheet"], q["row"]) for q in quarantine})

    findings = db.rows(
        con,
        """
        select rule_id, severity, clause, subject_type, subject_key, committee_code, series, level,
               detail, source_file, source_row
        from marts.findings where year = ? and submitter_code = ?
        order by rule_id, severity, source_file nulls last, source_row nulls last, subject_key
        """,
        [year, code],
    )
    rules: "OrderedDict[tuple, dict]" = OrderedDict()
    for f in findings:
        key = (f["rule_id"], f["severity"], f["clause"])
        r = rules.setdefault(
            key,
            {
                "rule_id": f["rule_id"],
                "severity": f["severity"],
                "clause": f["clause"],
                "clause_text": _clause_text(f["clause"], year),
                "title": rule_title(f["rule_id"]),
                "correction": rule_correction(f["rule_id"]),
                "items": [],
            },
        )
        r["items"].append(
            {
                "subject": redact(_subject(f, own_names, directory)),
                "subject_type": SUBJECT_TYPES.get(f["subject_type"], f["subject_type"]),
                "subject_key": redact(f["subject_key"]),
                "name": own_names.get(f["subject_key"], "") if f["subject_type"] == "application" else "",
                "detail": redact(f["detail"]) or "",
                "source": _source(f["source_file"], f["source_row"]),
                "source_file": f["source_file"],
                "source_row": f["source_row"],
            }
        )
    kind = directory.kind(code)
    kind_name = db.KIND_NAMES.get(kind, "")
    if kind == "unknown":
        addressee = f"报送代码为 {code} 的报送单位（该代码未在参考数据中登记）"
    elif kind == "region" and directory.region_kind.get(code) in ("市辖区", "旗县"):
        addressee = f"{directory.name(code)}人力资源和社会保障局"
    else:
        addressee = directory.name(code)
    notice = {
        "code": code,
        "name": directory.name(code),
        "kind_name": kind_name,
        "addressee": addressee,
        "files": files,
        "rows_read": sum(int(f["rows_read"] or 0) for f in files),
        "quarantine": quarantine,
        "quarantine_rows": quarantine_rows,
        "quarantine_by_file": list(by_file.values()),
        "rules": list(rules.values()),
        "findings_total": len(findings),
        "breaches": sum(1 for f in findings if f["severity"] == "违规"),
        "advisories": sum(1 for f in findings if f["severity"] != "违规"),
        "unrecognised": [f for f in files if f["form"] == UNRECOGNISED and not f["superseded"]],
    }
    # a sheet that is no form (an instruction sheet, a scanned letter) is listed, not counted as a problem
    notice["clean"] = not quarantine and not findings
    return notice


def _clause_text(clause: str | None, year: int) -> str:
    if not clause:
        return "相关规定"
    if "人社部令" in clause:
        return f"《职称评审管理暂行规定》（{clause}）"
    return f"《关于做好全市{year}年职称评审工作的通知》{clause}"


def _subject(f: dict, own_names: dict[str, str], directory: db.Directory) -> str:
    st, key = f["subject_type"], f["subject_key"]
    if st == "application":
        name = own_names.get(key)
        return f"申报编号 {key}" + (f"（{name}）" if name else "")
    if st in ("submitter", "committee", "region"):
        return directory.label(key)
    if st == "region_field" and key and "/" in key:
        region, fld = key.split("/", 1)
        return f"{directory.name(region)}·{fld}"
    if st == "city":
        return "全市"
    if st == "evaluator":
        return f"评委（编码 {key}）"
    if st == "unit":
        return f"单位：{key}"
    return key or "—"


def _source(file: str | None, row: Any) -> str:
    if not file:
        return "—"
    return f"{file} 第{row}行" if row not in (None, "") else file


def notice_sheets(year: int, n: dict[str, Any]) -> list:
    summary = [
        ["年度", year],
        ["报送单位代码", n["code"]],
        ["报送单位", n["name"]],
        ["报送文件（工作表）数", len(n["files"])],
        ["未能入库的数据行", n["quarantine_rows"]],
        ["审核发现的问题", n["findings_total"]],
        ["其中违规", n["breaches"]],
        ["其中提示", n["advisories"]],
        ["未识别、未载入的工作表", len(n["unrecognised"])],
        ["结论", "未发现需要更正的问题" if n["clean"] else "请按清单逐项更正后重新报送"],
    ]
    return [
        ("告知事项", ["项目", "内容"], summary),
        (
            "报送文件",
            ["文件", "工作表", "识别为", "读取行", "入库行", "隔离行", "说明"],
            [[f["file"], f["sheet"], f["form_name"], f["rows_read"], f["rows_loaded"], f["rows_quarantined"], f["remark"]] for f in n["files"]],
        ),
        (
            "未入库数据行",
            ["文件", "工作表", "行号", "表种", "列", "填报值", "问题", "整改要求"],
            [[q["file"], q["sheet"], q["row"], q["form"], q["column"] or "整行", q["value"], q["reason"], q["correction"]] for q in n["quarantine"]],
        ),
        (
            "审核问题",
            ["规则", "问题", "性质", "政策条款", "对象类型", "对象", "姓名", "问题说明", "整改要求", "来源文件", "来源行"],
            [
                [r["rule_id"], r["title"], r["severity"], r["clause"], i["subject_type"], i["subject_key"], i["name"], i["detail"],
                 r["correction"], i["source_file"], i["source_row"]]
                for r in n["rules"]
                for i in r["items"]
            ],
        ),
    ]


def build_notices(
    warehouse: Path,
    year: int | None,
    out: Path,
    *,
    inbox: Path | None = None,
    issue_date: dt.date | None = None,
    pdf: bool = True,
    keep_html: Path | None = None,
) -> NoticeFiles:
    """Read the warehouse read-only and write every notice of one year, then the zip."""
    with db.read_only(warehouse) as con:
        db.require_tables(con, NOTICE_TABLES)
        year = year or db.latest_policy_year(con)
        directory = db.Directory(con)
        owners: dict[str, set[str]] = {}
        for app_no, sub in con.execute(
            "select distinct application_no, submitter_code from staging.stg_application_roster__applications "
            "where year = ? and application_no is not null",
            [year],
        ).fetchall():
            owners.setdefault(app_no, set()).add(sub)
        codes = notice_codes(con, year, inbox)
        notices = [collect_notice(con, year, code, directory, owners) for code in codes]

    folder = notices_dir(out, year)
    result = NoticeFiles(year=year, folder=folder, zip=folder / f"一次性告知书_{year}.zip", codes=codes)
    template = jinja_env().get_template("notice.html.j2")
    css = stylesheet()
    day = chinese_date(issue_date or db.today())
    htmls = {n["code"]: template.render(n=n, year=year, css=css, office=ISSUING_OFFICE, issue_date=day) for n in notices}
    with building_folder(folder) as staging:
        if pdf and htmls:
            with tempfile.TemporaryDirectory(prefix="zhicheng-notices-") as tmp:
                faces = font_face_css(build_web_fonts("".join(htmls.values()), Path(tmp) / "fonts"))
                pairs = []
                for code, html in htmls.items():
                    html_path = Path(tmp) / f"{file_stem(code)}.html"
                    html_path.write_text(html.replace(FONT_FACE_MARK, faces, 1), encoding="utf-8")
                    pairs.append((html_path, staging / f"{file_stem(code)}.pdf"))
                html_many_to_pdf(pairs)
        if keep_html is not None:
            keep_html.mkdir(parents=True, exist_ok=True)
            for code, html in htmls.items():
                (keep_html / f"{file_stem(code)}.html").write_text(html, encoding="utf-8")
        for n in notices:
            write_workbook(staging / f"{file_stem(n['code'])}.xlsx", notice_sheets(year, n))
        with zipfile.ZipFile(staging / result.zip.name, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(staging.iterdir()):
                if path.suffix in (".pdf", ".xlsx"):
                    zf.write(path, arcname=path.name)
    for n in notices:
        stem = file_stem(n["code"])
        if pdf:
            result.pdfs[n["code"]] = folder / f"{stem}.pdf"
        result.xlsx[n["code"]] = folder / f"{stem}.xlsx"
        if n["clean"]:
            result.clean.append(n["code"])
    return result
