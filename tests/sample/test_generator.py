"""The sample generator: deterministic, every rule breached, truth = data, every messy case present."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from dagster_project import forms
from dagster_project.ingest.load import keyed
from dagster_project.sample.generator import Generator, generate_inbox, load_ground_truth
from dagster_project.settings import PROJECT_ROOT
from tests.sample import sample_rulecheck

RULES_MD = PROJECT_ROOT.parent / "shared" / "design" / "rules.md"
# the rule ids of rules.md v2 (used when the design folder is not beside the repository)
RULE_IDS = (
    [f"ELG-{i:02d}" for i in range(1, 14)]
    + [f"CHN-{i:02d}" for i in range(1, 6)]
    + [f"QTA-{i:02d}" for i in range(1, 5)]
    + [f"POS-{i:02d}" for i in range(1, 4)]
    + [f"SCH-{i:02d}" for i in range(1, 6)]
    + [f"PUB-{i:02d}" for i in range(1, 5)]
    + [f"FIL-{i:02d}" for i in range(1, 4)]
    + [f"COM-{i:02d}" for i in range(1, 5)]
    + ["INT-01"]
)


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_bytes_and_mtimes(tmp_path):
    a = generate_inbox(tmp_path / "a", seed=5, applications=120)
    b = generate_inbox(tmp_path / "b", seed=5, applications=120)
    ta, tb = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert ta.keys() == tb.keys()
    assert [k for k in ta if ta[k] != tb[k]] == []
    assert a.read_bytes() == b.read_bytes()
    c = generate_inbox(tmp_path / "c", seed=6, applications=120)
    assert _tree(tmp_path / "c") != ta or c.read_bytes() != a.read_bytes()


def test_xlsx_document_timestamps_are_fixed(generated):
    out, _ = generated
    path = out / "2022" / "150121" / "申报人员花名册.xlsx"
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
        stamps = {i.date_time for i in z.infolist()}
        assert len(stamps) == 1 and next(iter(stamps))[0] == 1980  # not the time of generation
    assert "<dcterms:created" in core and "2022-" in core


def test_ground_truth_covers_every_rule_of_rules_md(generated):
    out, _ = generated
    ids = set(RULE_IDS)
    if RULES_MD.exists():
        ids |= set(re.findall(r"^\| ([A-Z]{3}-\d\d) \|", RULES_MD.read_text(encoding="utf-8"), re.M))
    truth = load_ground_truth(out / "ground_truth.csv")
    assert ids - {k[0] for k in truth} == set()
    with (out / "ground_truth.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["rule_id", "severity", "subject_type", "subject_key"]
    assert {k[1] for k in truth} <= {"违规", "提示"}
    assert {k[2] for k in truth} <= {
        "application",
        "unit",
        "submitter",
        "committee",
        "evaluator",
        "region",
        "region_field",
        "city",
    }


@pytest.mark.parametrize("seed,size", [(11, 150), (2022, 400), (3, 260)])
def test_ground_truth_is_exactly_what_the_data_holds(seed, size, tmp_path):
    """An independent reading of rules.md over the generated data finds exactly the ground truth."""
    g = Generator(seed, size, 2022)
    truth_path = g.run(tmp_path)
    expected = load_ground_truth(truth_path)
    found = sample_rulecheck.findings(g)
    assert sorted((found - expected).elements()) == []
    assert sorted((expected - found).elements()) == []


def test_multiplicities_follow_the_rules(generated):
    out, _ = generated
    truth = load_ground_truth(out / "ground_truth.csv")
    assert truth[("FIL-01", "违规", "submitter", "150172")] == 3  # one per missing item
    assert sum(v for k, v in truth.items() if k[0] == "CHN-01") == 2  # one per application
    com01 = [k for k in truth if k[0] == "COM-01"]
    assert sorted(truth[k] for k in com01) == [1, 2]  # evaluator × committee
    assert ("SCH-02", "提示", "committee", "C-ZH-150105") in truth  # 延期申请 turns it into an advisory
    assert ("SCH-02", "违规", "committee", "C-WS-150122") in truth


def test_evaluator_keys_use_the_pii_key(generated):
    out, _ = generated
    plain = load_ground_truth(out / "ground_truth.csv")
    with_keys = load_ground_truth(out / "ground_truth.csv", b"k")
    nos = [k[3] for k in plain if k[2] == "evaluator"]
    # the same key the loader computes for 评委编号 at loading
    assert nos and all(("COM-01", "提示", "evaluator", keyed(n, b"k")) in with_keys for n in nos)
    assert all(k[3] not in nos for k in with_keys if k[2] == "evaluator")


def test_inbox_holds_every_messy_case(generated):
    out, g = generated
    y = out / "2022"
    files = [p for p in out.rglob("*") if p.is_file() and p.parent != out]
    assert {p.parts[-3] for p in files} >= {"2019", "2020", "2021", "2022"}  # history years
    assert (y / "150199").is_dir() and not (set(g.subs) & {"150199"})  # an unknown folder
    assert any(p.suffix == ".pdf" for p in files)  # no spreadsheet
    assert any(p.suffix == ".xls" and p.read_bytes().startswith(b"\xd0\xcf\x11\xe0") for p in files)  # Excel 97
    # CSV encodings
    csvs = [p for p in files if p.suffix == ".csv"]
    raw = [p.read_bytes() for p in csvs]
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw)
    assert any(not b.startswith(b"\xef\xbb\xbf") and _utf8(b) for b in raw)
    assert any(not _utf8(b) and b.decode("gb18030") for b in raw)
    # xlsx: title blocks, merged cells, footers, blank rows inside the data, several sheets
    roster = openpyxl.load_workbook(y / "150121" / "申报人员花名册.xlsx")
    assert roster.sheetnames == ["花名册", "岗位情况", "填表说明"]
    ws = roster["花名册"]
    assert ws.merged_cells.ranges and str(ws["A1"].value).endswith("申报专业技术资格人员汇总花名册")
    first = [c.value for c in ws["A"]]
    assert any(str(v).startswith("合计") for v in first if v) and any(str(v).startswith("填表人") for v in first if v)
    header_row = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if "网上申报编号" in r)
    last_data = max(i for i, v in enumerate(first, 1) if isinstance(v, int))
    assert any(
        all(c is None for c in r) for r in ws.iter_rows(min_row=header_row + 1, max_row=last_data, values_only=True)
    )
    # dates in every format, full-width digits, yes/no styles, numbers in text columns
    texts, numbers = [], []
    for p in files:
        if p.suffix == ".xlsx":
            for sheet in openpyxl.load_workbook(p).worksheets:
                for r in sheet.iter_rows(values_only=True):
                    for v in r:
                        (numbers if isinstance(v, (int, float)) else texts).append(v)
        elif p.suffix == ".csv":
            data = p.read_bytes()
            text = data.decode("utf-8-sig") if _utf8(data) else data.decode("gb18030")
            texts += [v for row in csv.reader(io.StringIO(text)) for v in row]
    texts = [str(t) for t in texts if t is not None]
    patterns = {
        "iso": r"^2022-\d\d-\d\d$",
        "nopad": r"^2022-\d{1,2}-\d{1,2}$",
        "slash": r"^2022/\d{1,2}/\d{1,2}$",
        "dot": r"^2022\.\d\d\.\d\d$",
        "cn": r"^2022年\d{1,2}月\d{1,2}日$",
        "ymd": r"^2022\d{4}$",
        "fullwidth": r"^２０２２－",
        "Y/N": r"^[YN]$",
        "check": r"^√$",
    }
    for name, pat in patterns.items():
        assert any(re.search(pat, t) for t in texts), name
    assert any(isinstance(v, int) and 20220101 <= v <= 20221231 for v in numbers)  # 20220613 as a number
    assert any(isinstance(v, int) and 44562 <= v <= 44926 for v in numbers)  # Excel serials of 2022
    assert any(re.fullmatch(r"[０-９]+", t) for t in texts)  # full-width numbers
    zjj = openpyxl.load_workbook(y / "D-ZJJ" / "申报人员花名册.xlsx")["花名册"]
    col = next(
        c.column
        for c in zjj[next(i for i, r in enumerate(zjj.iter_rows(values_only=True), 1) if "网上申报编号" in r)]
        if c.value == "网上申报编号"
    )
    assert any(isinstance(c.value, int) for c in next(zjj.iter_cols(min_col=col, max_col=col)))
    # a superseded roster: two F1 files of 150103 sharing numbers, the correction newer
    old, new = y / "150103" / "申报人员花名册.xlsx", y / "150103" / "申报人员花名册(更正).xlsx"
    assert old.stat().st_mtime < new.stat().st_mtime
    # F7 correction with the same modification time (the later name wins)
    a, b = y / "B-RSJ" / "失信记录.csv", y / "B-RSJ" / "失信记录_更正.csv"
    assert a.stat().st_mtime == b.stat().st_mtime and a.name < b.name
    # quarantinable rows of every kind, listed in the manifest
    with (out / "expected_quarantine.csv").open(encoding="utf-8") as fh:
        reasons = {r["reason"] for r in csv.DictReader(fh)}
    for needed in (
        "身份证号校验位错误",
        "身份证号被存为数字",
        "申报日期不是有效日期",
        "缺少必填项：姓名",
        "实到评委数大于应到评委数",
        "同一文件内网上申报编号重复",
        "报送单位无权报送此表",
        "报送单位代码未知",
    ):
        assert needed in reasons
    # two forms in one workbook and an instruction sheet
    with (out / "expected_sheets.csv").open(encoding="utf-8") as fh:
        sheets = list(csv.DictReader(fh))
    per_file = Counter(r["file"] for r in sheets if r["form"] != forms.UNRECOGNISED)
    assert max(per_file.values()) >= 2
    assert any(r["form"] == forms.UNRECOGNISED and r["file"].endswith(".xlsx") for r in sheets)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_generation_is_fast(tmp_path):
    import time

    t = time.process_time()  # CPU time: robust against a busy machine
    generate_inbox(tmp_path, seed=1, applications=300)
    assert time.process_time() - t < 15


def test_only_2022_is_supported(tmp_path):
    with pytest.raises(ValueError, match="2022"):
        generate_inbox(tmp_path, year=2023)
