"""No file can take ingestion down (contract v3 §1): every entry listed, readers isolated and bounded."""

from __future__ import annotations

import os
import subprocess
import sys

import xlsxwriter

from dagster_project.ingest import writer_lock
from dagster_project.ingest.isolate import ReaderPool
from tests.ingest.conftest import f1_row, roster, rows_to_grid, write_xlsx


def _audit(wh):
    return {
        row[0]: row[1:]
        for row in wh.q(
            "select file, form, rows_read, rows_loaded, rows_quarantined, unreadable, reason from raw.load_audit"
        )
    }


def _sparse(path):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    sheet.write_string(0, 0, "网上申报编号")
    sheet.write_string(1_048_575, 16_383, "远处")
    book.close()
    return path


def test_utf16_csv_with_bom_is_read_as_tab_separated(wh):
    headers, grid = rows_to_grid([f1_row(1), f1_row(2)])
    text = "\r\n".join("\t".join("" if v is None else str(v) for v in row) for row in [headers, *grid])
    (wh.inbox / "2022/150121").mkdir(parents=True)
    (wh.inbox / "2022/150121/Unicode文本.csv").write_bytes(text.encode("utf-16"))
    s = wh.load()
    assert _audit(wh)["2022/150121/Unicode文本.csv"][:4] == ("F1", 2, 2, 0)
    assert s.files_unreadable == 0


def test_links_special_hidden_and_undecodable_names_are_all_listed(wh, tmp_path):
    folder = wh.inbox / "2022/150121"
    good = write_xlsx(folder / "花名册.xlsx", {"花名册": roster([f1_row(1)])})
    (folder / "链接.xlsx").symlink_to(good)
    (folder / "系统.csv").symlink_to("/etc/passwd")
    (folder / "零.xlsx").symlink_to("/dev/zero")
    os.mkfifo(folder / "管道.csv")
    write_xlsx(folder / ".隐藏.xlsx", {"花名册": roster([f1_row(2)])})
    write_xlsx(folder / "~$花名册.xlsx", {"花名册": roster([f1_row(3)])})
    headers, grid = rows_to_grid([f1_row(4)])
    name = os.fsencode(folder) + b"/" + "申报表.csv".encode("gbk")
    with open(name, "wb") as handle:
        handle.write("\n".join(",".join(str(v) for v in row) for row in [headers, *grid]).encode("gbk"))
    s = wh.load()
    audit = _audit(wh)
    assert audit["2022/150121/花名册.xlsx"][:3] == ("F1", 1, 1)
    for rel, word in (
        ("链接.xlsx", "符号链接"),
        ("系统.csv", "/etc/passwd"),
        ("零.xlsx", "/dev/zero"),
        ("管道.csv", "命名管道"),
    ):
        form, read, _, _, unreadable, reason = audit[f"2022/150121/{rel}"]
        assert (form, read, unreadable) == ("未识别", 0, True) and word in reason, rel
    for rel, word in ((".隐藏.xlsx", "隐藏文件"), ("~$花名册.xlsx", "临时锁文件")):
        form, read, _, _, unreadable, reason = audit[f"2022/150121/{rel}"]
        assert (form, read, unreadable) == ("未识别", 0, False) and word in reason, rel
    undecodable = [f for f in audit if "\ufffd" in f]
    assert len(undecodable) == 1 and audit[undecodable[0]][:3] == ("F1", 1, 1)
    # rows of a hidden file are never loaded; the link's target is loaded once, as itself
    assert wh.one("select count(*) from raw.application_roster")[0] == 2
    assert (s.files_seen, s.files_unreadable, s.entries_listed) == (8, 4, 6)
    assert "无法读取 4 个" in s.messages[-1] and "收件箱共 8 个文件" in s.messages[-1]


def test_hidden_submitter_folder_is_reported(wh):
    (wh.inbox / "2022/.git").mkdir(parents=True)
    s = wh.load()
    assert any("2022/.git 是隐藏目录" in m for m in s.messages)


def test_stored_cells_too_far_apart_are_refused_before_reading(wh):
    (wh.inbox / "2022/150121").mkdir(parents=True)
    _sparse(wh.inbox / "2022/150121/极端.xlsx")
    wh.load()
    form, _, _, _, unreadable, reason = _audit(wh)["2022/150121/极端.xlsx"]
    assert form == "未识别" and unreadable and "1,048,576 行 × 16,384 列" in reason


def test_a_reader_that_dies_is_recorded_and_never_read_again(wh, monkeypatch):
    # without the cell budget, the 9 KB sheet makes the reader ask for hundreds of GB: it dies
    monkeypatch.setenv("ZHICHENG_READER_MAX_CELLS", str(10**15))
    monkeypatch.setenv("ZHICHENG_READER_MEMORY_MB", "1024")
    folder = wh.inbox / "2022/150121"
    folder.mkdir(parents=True)
    _sparse(folder / "致命.xlsx")
    write_xlsx(folder / "花名册.xlsx", {"花名册": roster([f1_row(1)])})
    first = wh.load()
    form, _, _, _, unreadable, reason = _audit(wh)["2022/150121/致命.xlsx"]
    assert form == "未识别" and unreadable, reason
    assert "异常终止" in reason or "内存" in reason
    assert _audit(wh)["2022/150121/花名册.xlsx"][:3] == ("F1", 1, 1)  # the other file still loads
    second = wh.load()
    assert (first.files_loaded, second.files_loaded, second.files_skipped) == (2, 0, 2)
    assert second.files_unreadable == 1  # still told, never re-read


def test_worker_time_limit(tmp_path):
    big = write_xlsx(tmp_path / "大.xlsx", {"S": [[f"第{i}行", i] for i in range(60_000)]})
    with ReaderPool(1, seconds=0.01) as pool:
        [(_, result)] = list(pool.read_all([big]))
    assert result.unreadable and "秒仍未完成" in result.error


def test_results_come_back_in_order_across_workers(tmp_path):
    paths = [write_xlsx(tmp_path / f"{i}.xlsx", {"花名册": roster([f1_row(i + 1)])}) for i in range(5)]
    paths.insert(2, tmp_path / "坏.xlsx")
    paths[2].write_bytes(b"PK\x03\x04 broken")
    with ReaderPool(2) as pool:
        results = list(pool.read_all(paths))
    assert [p for p, _ in results] == paths
    assert [bool(r.error) for _, r in results] == [False, False, True, False, False, False]


def test_a_worker_without_pandas_reads_what_this_process_reads(tmp_path):
    """The workers refuse to import pandas (pyarrow would import it only to ask whether a list is a pandas
    object): a workbook and CSV files read there give the same sheets and tables as read here, with pandas."""
    import pandas  # noqa: F401 - this process reads with pandas imported

    headers, grid = rows_to_grid([f1_row(1), f1_row(2)])
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in [headers, *grid])
    paths = [write_xlsx(tmp_path / "花名册.xlsx", {"花名册": roster([f1_row(i) for i in range(1, 4)])})]
    paths.append(tmp_path / "花名册.csv")
    paths[-1].write_text(text, encoding="utf-8-sig")
    paths.append(tmp_path / "Unicode文本.csv")
    paths[-1].write_bytes(text.replace(",", "\t").encode("utf-16"))

    def sheets(workers):
        with ReaderPool(workers) as pool:
            return [[(s.name, s.form.code, s.table) for s in r.sheets] for _, r in pool.read_all(paths)]

    here, there = sheets(0), sheets(1)
    assert [len(f) for f in there] == [1, 1, 1]
    for ours, theirs in zip(here, there, strict=True):
        assert [(n, f) for n, f, _ in ours] == [(n, f) for n, f, _ in theirs]
        assert all(a.equals(b) and a.num_rows > 0 for (_, _, a), (_, _, b) in zip(ours, theirs, strict=True))


def test_second_holder_of_the_warehouse_lock_is_refused_with_its_pid(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from dagster_project.ingest import writer_lock; "
            f"writer_lock.acquire({str(warehouse)!r}); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        try:
            writer_lock.acquire(warehouse)
            raise AssertionError("a second writer was let in")
        except writer_lock.WarehouseBusy as busy:
            assert busy.holder.pid == holder.pid and f"进程 {holder.pid}" in str(busy)
    finally:
        holder.kill()
        holder.wait()
    assert writer_lock.acquire(warehouse)  # the lock died with its process
    writer_lock.release(warehouse)
