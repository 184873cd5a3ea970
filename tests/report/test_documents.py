"""The documents' shared behaviour on the synthetic warehouse: routing to every party that must act,
page numbers, notice deadlines and contact, typed XLSX cells, incremental printing, bounded lists."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import duckdb
import pytest
from report_checks import pdf_text, xlsx_rows_with_cells, xlsx_text

COMMITTEE_CONDUCT = {"COM-02", "COM-03", "COM-04", "CHN-03", "CHN-04", "PUB-03", "SCH-02", "SCH-03", "SCH-04"}


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _finding_ids(xlsx) -> set[str]:
    sheets, _ = xlsx_text(xlsx)
    rows = sheets["审核问题"]
    col = rows[0].index("发现编号")
    return {r[col] for r in rows[1:] if r[col]}


def _routing_facts(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        findings = con.execute(
            "select finding_id, rule_id, submitter_code, committee_code from marts.findings"
        ).fetchall()
        scopes = dict(con.execute("select committee_code, scope from reference.committees").fetchall())
        upward = {
            r[0]
            for r in con.execute(
                "select finding_id from marts.notice_recipients where channel = '向自治区反映'"
            ).fetchall()
        }
    finally:
        con.close()
    return findings, scopes, upward


def check_every_finding_reaches_its_parties(warehouse, notices) -> int:
    """Every finding is in at least one notice; a committee-conduct finding is in its committee's notice
    (or, for a committee of the autonomous region, in the report's list to raise upward)."""
    findings, scopes, upward = _routing_facts(warehouse)
    by_code = {code: _finding_ids(path) for code, path in notices.xlsx.items()}
    # a finding whose only party is a committee of the autonomous region is raised upward, in the report
    delivered = set().union(*by_code.values()) | upward
    missing = [f for f in findings if f[0] not in delivered]
    assert not missing, missing[:5]
    checked = 0
    for finding_id, rule_id, submitter, committee in findings:
        if scopes.get(submitter) == "自治区":
            assert finding_id in upward, (rule_id, submitter)
        else:
            assert finding_id in by_code.get(submitter, set()), (rule_id, submitter)
        if rule_id in COMMITTEE_CONDUCT and committee in scopes:
            if scopes[committee] == "自治区":
                assert finding_id in upward, (rule_id, committee)
                assert committee not in notices.codes or finding_id not in by_code[committee]
            else:
                assert finding_id in by_code[committee], (rule_id, committee)
            checked += 1
    return checked


def test_every_finding_reaches_every_party(fx_outputs):
    checked = check_every_finding_reaches_its_parties(fx_outputs["warehouse"], fx_outputs["notices"])
    assert checked >= 2  # the fixture has a city committee's COM-03 and a regional committee's COM-04


def test_committee_notice_says_what_to_correct_and_what_is_for_information(fx_outputs):
    notices = fx_outputs["notices"]
    committee = re.sub(r"\s+", "", pdf_text(notices.pdfs["C-ZXX-M"]))
    assert "审核发现的问题（须贵单位整改）" in committee and "COM-03" in committee
    # the applicant belongs to another submitter: the committee reads its own result row, not the number
    assert "本单位评审结果第" in committee
    sheets, _ = xlsx_text(notices.xlsx["C-ZXX-M"])
    header = sheets["审核问题"][0]
    assert {r[header.index("处理方式")] for r in sheets["审核问题"][1:]} == {"须整改"}
    # the submitter of that application hears of it, for its information
    con = duckdb.connect(str(fx_outputs["warehouse"]), read_only=True)
    submitter = con.execute("select submitter_code from marts.findings where rule_id = 'COM-03'").fetchone()[0]
    con.close()
    text = re.sub(r"\s+", "", pdf_text(notices.pdfs[submitter]))
    assert "审核发现的问题（供贵单位知悉）" in text and "COM-03" in text


def test_report_lists_what_to_raise_upward(fx_outputs):
    text = re.sub(r"\s+", "", pdf_text(fx_outputs["report"].pdf))
    assert "需向自治区反映的问题" in text
    html = fx_outputs["report"].html.read_text(encoding="utf-8")
    upward = html[html.index("需向自治区反映的问题") :]
    assert "C-WS-NMG" in upward and "COM-04" in upward


def test_page_numbers_deadline_contact_and_number(fx_outputs):
    from dagster_project.documents.office import office

    contact = office()
    report = fx_outputs["report"]
    pages = _pages(report.pdf)
    text = re.sub(r"\s+", "", pdf_text(report.pdf))
    assert f"第1页共{pages}页" in text and f"第{pages}页共{pages}页" in text
    assert contact.report_number(2022) in text and "签发人" in text and contact.report_addressee in text
    notice = fx_outputs["notices"].pdfs["150102"]
    text = re.sub(r"\s+", "", pdf_text(notice))
    assert f"第1页共{_pages(notice)}页" in text
    # 10 working days after 2022-11-30 (the year's CORRECTION_WORKDAYS) is 2022-12-14
    assert "2022年12月14日" in text and "10个工作日内" in text
    assert contact.phone in text and contact.department in text
    assert "呼人社职告〔2022〕" in text


def test_every_notice_numbers_its_own_pages(fx_outputs):
    """The notices are printed in batches and split: each page carries its number within its own notice."""
    pdfs = fx_outputs["notices"].pdfs
    assert len(pdfs) > 3
    for code, pdf in pdfs.items():
        pages = _pages(pdf)
        texts = pdf_text(pdf).split("\f")[:pages]
        for k, page in enumerate(texts, start=1):
            assert f"第{k}页共{pages}页" in re.sub(r"\s+", "", page), (code, k, pages)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"一次性告知书（{code}）" in info  # its own title, not the batch's


def test_file_names_carry_code_and_name(fx_outputs):
    assert fx_outputs["notices"].pdfs["150121"].name == "150121_一次性告知书_土默特左旗.pdf"
    assert fx_outputs["notices"].pdfs["999999"].name == "999999_一次性告知书.pdf"


def test_report_xlsx_types(fx_outputs):
    from openpyxl import load_workbook

    wb = load_workbook(fx_outputs["report"].xlsx)
    groups = wb["分组通过率"]
    header = [c.value for c in groups[1]]
    rate = groups.cell(2, header.index("通过率") + 1)
    count = groups.cell(2, header.index("参评人数") + 1)
    assert isinstance(rate.value, float) and 0 <= rate.value <= 1 and rate.number_format == "0.0%"
    assert isinstance(count.value, int)
    overview = {r[0].value: r[1] for r in wb["总体情况"].iter_rows(min_row=2)}
    assert overview["通过率"].number_format == "0.0%" and isinstance(overview["申报人数"].value, int)
    quota = wb["数额控制"]
    assert "全市" in [c.value for c in quota["C"]]  # scope type by its Chinese name, not "city"
    schedule = wb["时间进度"]
    states = {r[8].value for r in schedule.iter_rows(min_row=2)}
    assert states <= {"提前", "按期", "逾期", "未报送"} and "未报送" in states
    lateness = [r[10].value for r in schedule.iter_rows(min_row=2) if isinstance(r[10].value, int | float)]
    assert all(v >= 0 for v in lateness)
    # one row per application only in the CSV extract
    extract = fx_outputs["report"].folder / "时间进度明细_2022.csv"
    assert extract.exists() and "APPLY-WINDOW" in extract.read_text(encoding="utf-8-sig")


def test_unchanged_notices_are_not_printed_again(fx_warehouse, tmp_path):
    from dagster_project.notices.build import build_notices

    warehouse, _ = fx_warehouse
    day = dt.date(2022, 11, 30)
    first = build_notices(warehouse, 2022, tmp_path, issue_date=day)
    assert set(first.printed) == set(first.codes)
    stamp = {c: p.stat().st_mtime_ns for c, p in first.pdfs.items()}
    workbooks = {c: p.stat().st_mtime_ns for c, p in first.xlsx.items()}
    assert set(first.written) == set(first.codes)
    assert set(first.made) == set(first.codes)
    again = build_notices(warehouse, 2022, tmp_path, issue_date=day)
    assert again.printed == [] and again.written == [] and again.made == []  # not even queried again
    assert {c: p.stat().st_mtime_ns for c, p in again.pdfs.items()} == stamp
    assert {c: p.stat().st_mtime_ns for c, p in again.xlsx.items()} == workbooks
    # one submitter's finding changes in a copy of the warehouse: only its notice is made again
    changed = tmp_path / "changed.duckdb"
    shutil.copy(warehouse, changed)
    con = duckdb.connect(str(changed))
    code, finding = con.execute(
        "select recipient_code, finding_id from marts.notice_recipients where year = 2022 and recipient_code in "
        f"({', '.join(repr(c) for c in first.codes)}) order by recipient_code, finding_id limit 1"
    ).fetchone()
    con.execute("update marts.findings set detail = detail || '（更正）' where finding_id = ?", [finding])
    con.close()
    one = build_notices(changed, 2022, tmp_path, issue_date=day)
    assert one.made == [code] and one.written == [code] and one.printed == [code]
    assert "（更正）" in xlsx_text(one.xlsx[code])[1]
    # a notice whose PDF is gone is made and printed again although its inputs are unchanged
    other = next(c for c in first.codes if c != code)
    one.pdfs[other].unlink()
    missing = build_notices(changed, 2022, tmp_path, issue_date=day)
    assert missing.made == [other] and missing.printed == [other] and missing.written == []
    # a new date changes every notice's deadline: all printed again
    later = build_notices(warehouse, 2022, tmp_path, issue_date=day + dt.timedelta(days=1))
    assert set(later.printed) == set(later.codes) and set(later.written) == set(later.codes)


# One row a recipient's notice reads, changed in a copy of the warehouse: (table, the recipient's code column,
# the change). Each must change that recipient's inputs key, and no other recipient's.
OWN_ROW_CHANGES = [
    ("marts.findings", "submitter_code", "detail = detail || '（更正）'"),
    ("raw.quarantine", "submitter_code", "reason = reason || '（更正）'"),
    ("marts.load_audit", "submitter_code", "rows_read = rows_read + 1"),
    ("staging.stg_application_roster__applications", "submitter_code", "name = name || '甲'"),
    ("staging.stg_evaluation_outcomes__outcomes", "submitter_code", "_source_row = _source_row + 1"),
    ("staging.stg_evaluator_roster__evaluators", "committee_code", "evaluator_no = evaluator_no || '0'"),
]


def _as_table(con, table: str) -> None:
    """A view of the warehouse (staging) replaced by a table of its rows, so that a test can change one."""
    schema, name = table.split(".")
    kind = con.execute(
        "select table_type from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    ).fetchone()[0]
    if kind == "VIEW":
        con.execute(f"create table {table}__rows as select * from {table}")
        con.execute(f"drop view {table}")
        con.execute(f"alter table {table}__rows rename to {name}")


@pytest.mark.parametrize(("table", "code_column", "change"), OWN_ROW_CHANGES, ids=[c[0] for c in OWN_ROW_CHANGES])
def test_a_notices_inputs_key_changes_with_each_row_it_reads(pipeline_run, tmp_path, table, code_column, change):
    from dagster_project.notices import inputs

    warehouse, _, _ = pipeline_run
    changed = tmp_path / "changed.duckdb"
    shutil.copy(warehouse, changed)
    con = duckdb.connect(str(changed))
    _as_table(con, table)
    codes = [r[0] for r in con.execute("select distinct submitter_code from marts.load_audit order by 1").fetchall()]
    codes += [r[0] for r in con.execute("select committee_code from reference.committees order by 1").fetchall()]
    numbered = list(enumerate(dict.fromkeys(codes), start=1))
    before = inputs.keys(con, 2022, numbered, "2022-11-30")
    if table == "marts.findings":  # a finding reaches its recipients by notice_recipients
        finding, code = con.execute(
            "select finding_id, recipient_code from marts.notice_recipients where year = 2022 and channel = '告知书' "
            "order by 1 limit 1"
        ).fetchone()
        con.execute(f"update {table} set {change} where finding_id = ?", [finding])
        touched = {
            r[0]
            for r in con.execute(
                "select recipient_code from marts.notice_recipients where finding_id = ? and channel = '告知书'",
                [finding],
            ).fetchall()
        }
    else:
        year = "" if "evaluator" in table else "year = 2022 and "
        code = con.execute(f"select min({code_column}) from {table} where {year}{code_column} is not null").fetchone()[
            0
        ]
        con.execute(f"update {table} set {change} where {code_column} = ?", [code])
        touched = {code}
    after = inputs.keys(con, 2022, numbered, "2022-11-30")
    con.close()
    assert touched and touched <= set(before), touched
    assert {c for c in before if before[c] != after[c]} == touched


def test_what_every_notice_shares_is_in_every_notices_inputs_key(pipeline_run, tmp_path):
    """The date, the reference data, the directory and the year's application numbers (another submitter's
    number is blanked out of a notice): a change to any of them changes every recipient's key."""
    from dagster_project.notices import inputs

    warehouse, _, _ = pipeline_run
    changed = tmp_path / "changed.duckdb"
    shutil.copy(warehouse, changed)
    con = duckdb.connect(str(changed))
    codes = [r[0] for r in con.execute("select distinct submitter_code from marts.load_audit order by 1").fetchall()]
    numbered = list(enumerate(codes, start=1))
    before = inputs.keys(con, 2022, numbered, "2022-11-30")
    assert len(set(before.values())) == len(codes)
    _as_table(con, "staging.stg_application_roster__applications")
    changes = [
        "update reference.policy_parameters set value = value + 1 where parameter = 'CORRECTION_WORKDAYS'",
        "update marts.submitters set submitter_name = submitter_name || '（更名）' where submitter_kind = 'region'",
        # a number moves between two of one submitter's rows: its own rows' digest… and every notice's redaction
        "update staging.stg_application_roster__applications set application_no = application_no || 'X' "
        "where application_no = (select min(application_no) from staging.stg_application_roster__applications)",
    ]
    assert all(
        a != b for a, b in zip(before.values(), inputs.keys(con, 2022, numbered, "2022-12-01").values(), strict=True)
    )
    for sql in changes:
        keys = inputs.keys(con, 2022, numbered, "2022-11-30")
        con.execute(sql)
        after = inputs.keys(con, 2022, numbered, "2022-11-30")
        assert all(keys[c] != after[c] for c in codes), sql
    con.close()


def test_notices_made_by_worker_processes_are_those_made_in_one(fx_warehouse, tmp_path, monkeypatch):
    """A year's notices dealt to three processes (two workers beside the run's own): the same notices,
    numbered and written as when one process makes them all; a worker's error reaches the run."""
    from dagster_project.documents import db
    from dagster_project.documents.errors import OutputError
    from dagster_project.notices import build

    warehouse, _ = fx_warehouse
    day = dt.date(2022, 11, 30)
    alone = build.build_notices(warehouse, 2022, tmp_path / "alone", issue_date=day, pdf=False)
    assert build.worker_count(len(alone.codes)) == 1  # the synthetic year is small: one process
    monkeypatch.setattr(build, "worker_count", lambda codes: 3)
    shared = build.build_notices(warehouse, 2022, tmp_path / "shared", issue_date=day, pdf=False)
    assert shared.codes == alone.codes and len(shared.codes) >= 3
    assert shared.clean == alone.clean and sorted(shared.written) == sorted(alone.written) == alone.codes
    for code in alone.codes:
        assert shared.xlsx[code].name == alone.xlsx[code].name
        assert xlsx_text(shared.xlsx[code]) == xlsx_text(alone.xlsx[code]), code
        keys = [build._stored_key(files.xlsx[code]) for files in (alone, shared)]
        assert keys[0] is not None and keys[0] == keys[1], code  # the key covers the notice's HTML too
    run = build._Run(2022, day, tmp_path, None, pdf=False)
    with db.read_only(warehouse) as con, pytest.raises(OutputError, match="数据仓库文件不存在"):
        build._make_all(con, tmp_path / "no-such-warehouse.duckdb", run, alone.codes)


def test_notice_with_200000_problems_is_bounded(fx_warehouse, tmp_path):
    """The PDF lists a bounded number and says so; the XLSX lists every problem."""
    from dagster_project.notices.build import PDF_ITEM_LIMIT, build_notices

    warehouse, _ = fx_warehouse
    big = tmp_path / "big.duckdb"
    shutil.copy(warehouse, big)
    n = 200_000
    con = duckdb.connect(str(big))
    con.execute(
        f"""insert into marts.findings (year, rule_id, severity, subject_type, subject_key, submitter_code, clause,
                detail, source_file, source_row, finding_id)
            select 2022, 'FIL-02', '违规', 'application', 'HHX' || i, '150125', '七(三)', '“诚信承诺书”为否',
                '2022/150125/花名册.xlsx', i, md5('big' || i)
            from range({n}) t(i)"""
    )
    con.execute(
        "insert into marts.notice_recipients select 2022, finding_id, rule_id, '150125', '整改', '告知书', '报送单位' "
        "from marts.findings where subject_key like 'HHX%'"
    )
    con.close()
    files = build_notices(big, 2022, tmp_path / "out", issue_date=dt.date(2022, 11, 30))
    pdf = files.pdfs["150125"]
    text = re.sub(r"\s+", "", pdf_text(pdf))
    listed = re.search(r"共(\d+)条，本告知书列出前(\d+)条，全部\1条见所附Excel清单", text)
    assert listed and int(listed.group(1)) >= n and int(listed.group(2)) <= PDF_ITEM_LIMIT
    assert _pages(pdf) < 60
    assert xlsx_rows_with_cells(files.xlsx["150125"], "审核问题") >= n


def test_notice_of_a_sender_with_thousands_of_files_is_bounded(fx_warehouse, tmp_path):
    """A folder of 5,000 unreadable files (as `make fuzz` sends): the PDF lists the first files and says where
    the rest are, and the XLSX lists every file."""
    from openpyxl import load_workbook

    from dagster_project.notices.build import PDF_ITEM_LIMIT, build_notices

    warehouse, _ = fx_warehouse
    many = tmp_path / "many.duckdb"
    shutil.copy(warehouse, many)
    n = 5_000
    con = duckdb.connect(str(many))
    con.execute(
        f"""insert into marts.load_audit by name
            select 2022 as year, '150125' as submitter_code, '2022/150125/损坏' || i || '.xlsx' as file,
                '损坏' || i || '.xlsx' as sheet, '未识别' as form, 0 as rows_read, 0 as rows_loaded,
                0 as rows_quarantined, false as superseded
            from range({n}) t(i)"""
    )
    con.close()
    files = build_notices(many, 2022, tmp_path / "out", issue_date=dt.date(2022, 11, 30))
    text = re.sub(r"\s+", "", pdf_text(files.pdfs["150125"]))
    listed = re.search(r"共收到([\d,]+)个工作表（文件），本告知书列出前(\d+)个", text)
    assert listed and int(listed.group(1).replace(",", "")) > n and int(listed.group(2)) == PDF_ITEM_LIMIT
    assert _pages(files.pdfs["150125"]) < 60
    ws = load_workbook(files.xlsx["150125"], read_only=True)["报送文件"]
    assert sum(1 for _ in ws.iter_rows(min_row=2, values_only=True)) > n


@pytest.mark.parametrize("kind", ["notice", "report"])
def test_documents_use_registry_texts(fx_outputs, kind):
    """Titles come from the rule registry, filled with the year's parameters (no literal numbers in Python)."""
    from dagster_project import rule_registry

    title = rule_registry.rules()["ELG-04"].title
    pdf = fx_outputs["notices"].pdfs["150102"] if kind == "notice" else fx_outputs["report"].pdf
    assert title in re.sub(r"\s+", "", pdf_text(pdf))


def test_report_compares_with_previous_year(fx_warehouse, tmp_path):
    """Year Y's report compares with Y−1 where the warehouse has Y−1 (a second year made in this test)."""
    from report_fixture_warehouse import MODELS, build_model

    from dagster_project.report.build import build_report

    warehouse, _ = fx_warehouse
    two = tmp_path / "two.duckdb"
    shutil.copy(warehouse, two)
    con = duckdb.connect(str(two))
    for table in (
        "marts.applications",
        "marts.findings",
        "marts.pass_rate_by_group",
        "marts.filing_completeness",
        "marts.load_audit",
    ):
        con.execute(f"insert into {table} by name select * replace (2021 as year) from {table} where year = 2022")
    con.execute(
        "delete from marts.applications where year = 2021 and series = '工程'"
    )  # fewer engineers the year before
    # a test-only policy year 2021 (invented: the fixture year's rows a year earlier), so that 2021 is a policy year
    con.execute(
        "insert into reference.policy_calendar by name select * replace (2021 as year, start_date - interval 1 year "
        "as start_date, end_date - interval 1 year as end_date) from reference.policy_calendar where year = 2022"
    )
    for model in MODELS:
        if model.startswith("report_"):
            con.execute(f"drop table marts.{model}")
            build_model(con, model)
    prev_eng = con.execute("select count(*) from marts.applications where year = 2022 and series = '工程'").fetchone()[
        0
    ]
    con.close()
    report = build_report(two, 2022, tmp_path / "out", issue_date=dt.date(2022, 11, 30))
    html = re.sub(r"<[^>]+>", " ", report.html.read_text(encoding="utf-8"))
    assert "与2021年度比较" in html
    assert re.search(rf"工程\s+中级\s+0\s+{prev_eng}\s", html), "engineering: none in 2021, all in 2022"
    assert "连续两年材料报送和公示不完整的报送单位" in html
    assert (report.folder / "charts" / "trend.png").exists()


def test_a_chart_drawn_from_unchanged_data_is_carried_over(fx_warehouse, tmp_path):
    """A report made again draws only the charts whose data changed; the others are the last report's files."""
    from dagster_project.report.build import build_report

    warehouse, _ = fx_warehouse
    day = dt.date(2022, 11, 30)
    first = build_report(warehouse, 2022, tmp_path, issue_date=day, pdf=False)
    drawn = {p.name: (p.stat().st_ino, p.read_bytes()) for p in first.charts}
    assert {"series.png", "rules.png"} <= set(drawn)
    again = build_report(warehouse, 2022, tmp_path, issue_date=day, pdf=False)
    assert {p.name: p.stat().st_ino for p in again.charts} == {name: ino for name, (ino, _) in drawn.items()}
    # one rule's findings change in a copy of the warehouse: only the chart of findings by rule is drawn again
    changed = tmp_path / "changed.duckdb"
    shutil.copy(warehouse, changed)
    con = duckdb.connect(str(changed))
    con.execute(
        "update marts.report_rules set findings = findings + 1 where year = 2022 and rule_id = "
        "(select min(rule_id) from marts.report_rules where year = 2022)"
    )
    con.close()
    later = build_report(changed, 2022, tmp_path, issue_date=day, pdf=False)
    redrawn = {p.name for p in later.charts if p.stat().st_ino != drawn[p.name][0]}
    assert redrawn == {"rules.png"}
    assert (later.folder / "charts" / "rules.png").read_bytes() != drawn["rules.png"][1]
