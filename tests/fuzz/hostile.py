"""Hostile inbox entries (issue 13 item 5): files built to crash, hang or fool a reader.

``write_hostile(inbox, year)`` adds them to an inbox and returns {relative path: kind}. Files
that could carry rows go to the folder of an unknown submitter (``FUZZ_CODE``), so whatever a
reader makes of them is quarantined and the marts of the good files stay as they were;
entries that carry no rows go beside the good files of a real submitter.

``mutate(workbook, count, seed)`` yields (name, bytes) of damaged copies of a real workbook:
flipped bytes, cut ends, inserted junk, swapped blocks (fixed seed: the same files every time).
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter

FUZZ_CODE = "X-FUZZ"  # no such submitter: every row a reader finds here is quarantined
KNOWN_CODE = "150121"  # a real submitter; only row-less entries go there

F1_HEADERS = [
    "网上申报编号",
    "姓名",
    "性别",
    "身份证号",
    "工作单位",
    "单位性质",
    "人员身份",
    "工作地层级",
    "最高学历",
    "毕业时间",
    "现职称级别",
    "专业技术工作年限",
    "申报系列",
    "申报级别",
    "申报方式",
    "评委会代码",
    "申报日期",
    "诚信承诺书",
]


def f1_values(n: int, first: str | None = None) -> list[str]:
    row = [
        f"FZ-{n:06d}",
        f"测试{n}",
        "男",
        "150121198503070016",
        "某单位",
        "事业单位",
        "在职",
        "市直",
        "大学本科",
        "2003-07-01",
        "中级",
        "18",
        "中小学教师",
        "副高级",
        "正常申报",
        "C-ZXXGJ-M",
        "2022-07-05",
        "是",
    ]
    if first is not None:
        row[1] = first
    return row


def _xlsx(
    rows: list[list],
    *,
    formulas: dict[tuple[int, int], tuple[str, object]] | None = None,
    cells: dict[tuple[int, int], object] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value))
    for (r, c), (formula, value) in (formulas or {}).items():
        sheet.write_formula(r, c, formula, None, value)
    for (r, c), value in (cells or {}).items():
        sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def _replace_member(workbook: bytes, member: str, data: bytes, *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == member else source.read(info.filename))
    return buffer.getvalue()


def _zip_bomb(workbook: bytes) -> bytes:
    """A valid workbook whose sheet XML inflates to 150 MB of blank rows."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    filler = b"<row/>" * (150 * 1024 * 1024 // 6)
    return _replace_member(workbook, "xl/worksheets/sheet1.xml", head + filler + b"</sheetData></worksheet>")


def _xml_bomb(workbook: bytes) -> bytes:
    """Billion laughs in the shared strings and the sheet."""
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE lolz [{entities}]>".encode()
    sheet = (
        b'<?xml version="1.0"?>'
        + doctype
        + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>'
    )
    return _replace_member(workbook, "xl/worksheets/sheet1.xml", sheet)


def _rows_200k() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("明细")
    for r in range(200_000):
        sheet.write_number(r, 0, r)
        sheet.write_string(r, 1, "说明文字")
    book.close()
    return buffer.getvalue()


def _utf16_csv() -> bytes:
    lines = ["\t".join(F1_HEADERS)] + ["\t".join(f1_values(n)) for n in range(1, 4)]
    return "\r\n".join(lines).encode("utf-16")  # with BOM, as Excel / WPS save "Unicode text"


def _nul_csv() -> bytes:
    lines = [",".join(F1_HEADERS)] + [",".join(f1_values(n, first=f"张\0{n}")) for n in range(1, 4)]
    return ("\n".join(lines) + "\n\0\0\0").encode("utf-8")


def write_hostile(inbox: Path, year: int = 2022) -> dict[str, str]:
    """Add the hostile entries to `inbox`; {relative path (as recorded): kind}."""
    inbox = Path(inbox)
    known, fuzz = inbox / str(year) / KNOWN_CODE, inbox / str(year) / FUZZ_CODE
    known.mkdir(parents=True, exist_ok=True)
    fuzz.mkdir(parents=True, exist_ok=True)
    good = _xlsx([F1_HEADERS, f1_values(1), f1_values(2)])
    entries: dict[str, str] = {}

    def put(folder: Path, name: str, data: bytes, kind: str) -> None:
        (folder / name).write_bytes(data)
        entries[f"{year}/{folder.name}/{name}"] = kind

    put(known, "空文件.xlsx", b"", "empty")
    put(known, "截断.xlsx", good[: len(good) // 2], "truncated")
    put(known, "改名的文本.xlsx", "这不是电子表格，只是改了扩展名。\n".encode() * 20, "renamed text")
    put(known, "加密.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(random.Random(1).randbytes(4096)), "encrypted")
    put(known, "压缩炸弹.xlsx", _zip_bomb(good), "zip bomb")
    put(known, "XML炸弹.xlsx", _xml_bomb(good), "xml bomb")
    put(known, "极端范围.xlsx", _xlsx([["网上申报编号"]], cells={(1_048_575, 16_383): "远处"}), "sparse extreme")
    put(known, "二十万行.xlsx", _rows_200k(), "200k rows")
    put(known, ".隐藏的花名册.xlsx", good, "dot file")
    put(known, "~$花名册.xlsx", b"\x00" * 162, "office lock file")
    put(fuzz, "空字节.csv", _nul_csv(), "nul bytes")
    put(fuzz, "Unicode文本.csv", _utf16_csv(), "utf-16 csv")
    formulas = {(3, 0): ('=A2&"X"', "FZ-000001X"), (3, 1): ("=1+1", 2)}
    values = [
        F1_HEADERS,
        f1_values(1, '=HYPERLINK("http://127.0.0.1","点我")'),
        f1_values(2, "+86 123"),
        f1_values(4, "-2+3"),
        f1_values(5, "@SUM(1,2)"),
    ]
    put(fuzz, "公式与特殊开头.xlsx", _xlsx(values, formulas=formulas), "formulas")
    # a name that is not UTF-8 (GBK bytes of 申报花名册, as zips from Chinese Windows carry)
    raw_name = "申报花名册.csv".encode("gbk")
    with open(os.fsencode(fuzz) + b"/" + raw_name, "wb") as handle:
        handle.write(("\n".join([",".join(F1_HEADERS), ",".join(f1_values(7))]) + "\n").encode("gbk"))
    entries[f"{year}/{FUZZ_CODE}/" + raw_name.decode("utf-8", errors="replace")] = "non-utf-8 name"
    # links and special files: never followed, never opened
    first_good = next(
        p
        for p in sorted(known.iterdir())
        if p.suffix == ".xlsx" and p.name[0] not in ".~" and p.stat().st_size > 1000 and "炸弹" not in p.name
    )
    for name, target, kind in (
        ("链接到收件箱内.xlsx", first_good, "symlink in"),
        ("链接到系统文件.csv", Path("/etc/passwd"), "symlink out"),
        ("链接到无穷设备.xlsx", Path("/dev/zero"), "symlink to device"),
    ):
        (known / name).symlink_to(target)
        entries[f"{year}/{KNOWN_CODE}/{name}"] = kind
    os.mkfifo(known / "命名管道.csv")
    entries[f"{year}/{KNOWN_CODE}/命名管道.csv"] = "fifo"
    return entries


def mutate(workbook: bytes, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """`count` distinct damaged copies of `workbook` (deterministic for a seed)."""
    rng = random.Random(seed)
    seen = {bytes(workbook)}
    for i in range(count):
        how, data = _mutated_once(rng, workbook)
        while data in seen:  # identical copies would be de-duplicated by content
            how, data = _mutated_once(rng, workbook)
        seen.add(data)
        yield f"变异{i:05d}_{how}.xlsx", data


def _mutated_once(rng: random.Random, workbook: bytes) -> tuple[str, bytes]:
    data = bytearray(workbook)
    how = rng.choice(("flip", "cut", "insert", "swap", "zero"))
    if how == "flip":
        for _ in range(rng.randint(1, 32)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif how == "cut":
        data = data[: rng.randrange(1, len(data))]
    elif how == "insert":
        at = rng.randrange(len(data))
        data[at:at] = rng.randbytes(rng.randint(1, 512))
    elif how == "swap":
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        size = min(rng.randint(1, 256), len(data) - b)
        data[a : a + size], data[b : b + size] = data[b : b + size], data[a : a + size]
    else:
        at = rng.randrange(len(data))
        size = min(rng.randint(1, 1024), len(data) - at)
        data[at : at + size] = bytes(size)
    return how, bytes(data)


def write_mutated(inbox: Path, workbook: Path, count: int, seed: int, year: int = 2022) -> dict[str, str]:
    folder = Path(inbox) / str(year) / FUZZ_CODE
    folder.mkdir(parents=True, exist_ok=True)
    entries = {}
    for name, data in mutate(Path(workbook).read_bytes(), count, seed):
        (folder / name).write_bytes(data)
        entries[f"{year}/{FUZZ_CODE}/{name}"] = "mutated"
    return entries
