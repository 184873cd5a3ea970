"""The report and the notices of a real `zhicheng run` over the sample inbox (pipeline_run fixture),
and the stand-alone `zhicheng report` / `zhicheng notices` commands against its warehouse."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from report_checks import ID_NUMBER, assert_pdf_ok, assert_xlsx_safe, pdf_text, xlsx_text

YEAR = 2022
ZHICHENG = str(Path(sys.executable).parent / "zhicheng")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _html_text(path: Path) -> str:
    return re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def run_outputs(pipeline_run):
    warehouse, out, _ = pipeline_run
    report_dir, notices_dir = out / "report" / str(YEAR), out / "notices" / str(YEAR)
    assert report_dir.is_dir(), f"zhicheng run did not write {report_dir}"
    assert notices_dir.is_dir(), f"zhicheng run did not write {notices_dir}"
    return warehouse, report_dir, notices_dir


def test_run_writes_report(run_outputs):
    warehouse, report_dir, _ = run_outputs
    pdf = report_dir / f"监管报告_{YEAR}.pdf"
    assert_pdf_ok(
        pdf,
        [
            "呼和浩特市人力资源和社会保障局",
            "监管报告",
            "一、总体情况",
            "三、单独分组评审通过率",
            "七、违规问题及政策依据",
            "九、工作建议",
        ],
    )
    sheets, text = xlsx_text(report_dir / f"监管报告数据_{YEAR}.xlsx")
    assert {"总体情况", "分组通过率", "问题明细"} <= set(sheets)
    assert_xlsx_safe(report_dir / f"监管报告数据_{YEAR}.xlsx")
    assert len(list((report_dir / "charts").glob("*.png"))) >= 3


def test_report_numbers_recomputed_from_warehouse(run_outputs):
    warehouse, report_dir, _ = run_outputs
    text = _html_text(report_dir / f"监管报告_{YEAR}.html")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        one = lambda sql: con.execute(sql, [YEAR]).fetchone()[0]  # noqa: E731
        n_apps = one("select count(*) from marts.applications where year = ?")
        n_eval = one("select count(*) from marts.applications where year = ? and outcome in ('通过', '未通过')")
        n_pass = one("select count(*) from marts.applications where year = ? and outcome = '通过'")
        n_breach = one("select count(*) from marts.findings where year = ? and severity = '违规'")
        n_quar = one("select coalesce(sum(rows_quarantined), 0) from marts.load_audit where year = ?")
        assert n_apps > 0 and n_eval > 0
        assert f"受理职称申报{n_apps}人" in text
        assert f"参加评审{n_eval}人，评审通过{n_pass}人，通过率{n_pass / n_eval * 100:.1f}%" in text
        assert f"违规{n_breach}条" in text
        assert f"隔离{n_quar}行" in text
        # a pass rate of one separate group, as the mart has it
        row = con.execute(
            "select level, group_name, evaluated, passed, pass_rate from marts.pass_rate_by_group "
            "where year = ? and group_name <> '普通组' order by evaluated desc, committee_code limit 1",
            [YEAR],
        ).fetchone()
        if row:
            level, group, evaluated, passed, rate = row
            assert re.search(rf"{level}\s+{group}\s+{evaluated}\s+{passed}\s+\d+\s+{rate * 100:.1f}%", text)
        # every rule's count, with its clause
        for rule_id, severity, clause, count in con.execute(
            "select rule_id, severity, clause, count(*) from marts.findings where year = ? group by all", [YEAR]
        ).fetchall():
            assert re.search(rf"{re.escape(rule_id)}\s.*?{severity}\s+{re.escape(clause)}\s+{count}\s", text), (
                rule_id,
                severity,
                count,
            )
        names = {
            r[0]
            for r in con.execute(
                "select name from staging.stg_application_roster__applications where name is not null"
            ).fetchall()
        }
    finally:
        con.close()
    assert not ID_NUMBER.search(text)
    full = pdf_text(report_dir / f"监管报告_{YEAR}.pdf") + xlsx_text(report_dir / f"监管报告数据_{YEAR}.xlsx")[1]
    assert not ID_NUMBER.search(full)
    leaked = [n for n in names if len(n) >= 2 and n in text]
    assert not leaked, leaked[:5]


def test_one_notice_per_submitter(run_outputs, sample_inbox):
    warehouse, _, notices_dir = run_outputs
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        expected = {
            r[0]
            for r in con.execute(
                (
                    "select submitter_code from marts.load_audit where year = ? union select submitter_code "
                    "from marts.findings where year = ?"
                ),
                [YEAR, YEAR],
            ).fetchall()
            if r[0]
        }
    finally:
        con.close()
    expected |= {p.name for p in (sample_inbox / str(YEAR)).iterdir() if p.is_dir()}
    pdfs = {p.name.split("_一次性告知书")[0] for p in notices_dir.glob("*.pdf")}
    xlsxs = {p.name.split("_一次性告知书")[0] for p in notices_dir.glob("*.xlsx")}
    assert pdfs == xlsxs == expected
    assert (notices_dir / f"一次性告知书_{YEAR}.zip").exists()


def test_no_notice_has_another_submitters_applicant(run_outputs):
    warehouse, _, notices_dir = run_outputs
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        roster = con.execute(
            (
                "select submitter_code, application_no, name from staging.stg_application_roster__applications "
                "where year = ?"
            ),
            [YEAR],
        ).fetchall()
    finally:
        con.close()
    names, apps = {}, {}
    for sub, app, name in roster:
        names.setdefault(sub, set()).add(name)
        apps.setdefault(sub, set()).add(app)
    all_names = set().union(*names.values()) if names else set()
    all_apps = set().union(*apps.values()) if apps else set()
    checked = 0
    for xlsx in sorted(notices_dir.glob("*.xlsx")):
        code = xlsx.name.split("_一次性告知书")[0]
        text = xlsx_text(xlsx)[1] + "\n" + pdf_text(xlsx.with_suffix(".pdf"))
        assert not ID_NUMBER.search(text), code
        own_names, own_apps = names.get(code, set()), apps.get(code, set())
        foreign_names = {n for n in all_names - own_names if n and len(n) >= 2}
        # a foreign name that is part of an own applicant's name (龙洋 in 龙洋娟) proves nothing
        hits = [n for n in foreign_names if n in text and not any(n in own for own in own_names)]
        assert not hits, (code, hits[:5])
        sheets, _ = xlsx_text(xlsx)
        header = sheets["审核问题"][0]
        shown = {row[header.index("姓名")] for row in sheets["审核问题"][1:]} - {None, ""}
        assert shown <= own_names, (code, shown - own_names)
        tokens = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9-]{3,31}", text))
        foreign_apps = (all_apps - own_apps) & tokens
        assert not foreign_apps, (code, sorted(foreign_apps)[:5])
        checked += 1
    assert checked > 5


def test_notice_pdfs_render(run_outputs):
    _, _, notices_dir = run_outputs
    pdfs = sorted(notices_dir.glob("*.pdf"))
    for pdf in pdfs:
        assert_pdf_ok(pdf, ["呼和浩特市人力资源和社会保障局", "一次性告知书"])
    texts = {pdf.name: re.sub(r"\s+", "", pdf_text(pdf)) for pdf in pdfs}
    assert any("审核发现的问题" in t and "整改要求" in t for t in texts.values())


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [ZHICHENG, *args], cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_report_and_notices_commands_on_their_own(run_outputs, tmp_path):
    warehouse, _, notices_dir = run_outputs
    env = {"ZHICHENG_INBOX": str(tmp_path / "no-inbox")}
    _cli("report", "--year", str(YEAR), "--warehouse", str(warehouse), "--out", str(tmp_path), env=env)
    assert (tmp_path / "report" / str(YEAR) / f"监管报告_{YEAR}.pdf").exists()
    assert (tmp_path / "report" / str(YEAR) / f"监管报告数据_{YEAR}.xlsx").exists()
    done = _cli("notices", "--year", str(YEAR), "--warehouse", str(warehouse), "--out", str(tmp_path), env=env)
    assert "一次性告知书" in done.stdout
    made = {p.name for p in (tmp_path / "notices" / str(YEAR)).glob("*.xlsx")}
    # without the inbox, every code with a loaded file or a finding still gets its notice
    assert made and made <= {p.name for p in notices_dir.glob("*.xlsx")}


def test_every_finding_reaches_every_party(run_outputs):
    """On the real run: every finding is in at least one notice, every committee-conduct finding in its committee's
    notice (a committee of the autonomous region: in the report's list to raise upward), and what the report says of
    the notices is what they hold."""
    from types import SimpleNamespace

    from test_documents import check_every_finding_reaches_its_parties

    warehouse, report_dir, notices_dir = run_outputs
    xlsx = {p.name.split("_一次性告知书")[0]: p for p in notices_dir.glob("*.xlsx")}
    notices = SimpleNamespace(xlsx=xlsx, codes=sorted(xlsx))
    assert check_every_finding_reaches_its_parties(warehouse, notices) > 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        told = con.execute(
            "select count(distinct recipient_code) from marts.notice_recipients where year = ? and channel = '告知书'",
            [YEAR],
        ).fetchone()[0]
    finally:
        con.close()
    assert f"本年度共向{told}个单位发出" in _html_text(report_dir / f"监管报告_{YEAR}.html").replace(" ", "")


def test_committee_notice_names_evaluators_by_number(run_outputs):
    """A committee's notice shows its evaluators by its own 评委编号, never by their key."""
    warehouse, _, notices_dir = run_outputs
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        keys = {
            r[0]
            for r in con.execute(
                "select distinct evaluator_key from staging.stg_evaluator_roster__evaluators"
            ).fetchall()
        }
        committees = [
            r[0]
            for r in con.execute(
                "select distinct submitter_code from marts.findings where year = ? and subject_type = 'evaluator'",
                [YEAR],
            ).fetchall()
        ]
    finally:
        con.close()
    assert committees
    for code in committees:
        for path in notices_dir.glob(f"{code}_一次性告知书*"):
            text = pdf_text(path) if path.suffix == ".pdf" else xlsx_text(path)[1]
            assert not [k for k in keys if k and k in text], (code, path.name)
            assert "评委编号" in text
