"""Loading: who may send what, supersede, idempotency, reconciliation."""

from __future__ import annotations

import shutil

from tests.ingest.conftest import ID_M, f1_row, f5_row, roster, rows_to_grid, write_xlsx

T0 = 1_656_000_000.0  # 2022-06-23


def f1_file(wh, name, numbers, folder="2022/150121", mtime=T0, **over):
    rows = [f1_row(n, **over) for n in numbers]
    return write_xlsx(wh.inbox / folder / name, {"花名册": roster(rows)}, mtime=mtime)


def current(wh, table="application_roster"):
    return sorted(r[0] for r in wh.q(f"select application_no from raw.{table} where not _superseded"))


def reconcile(wh):
    """rows read = loaded + quarantined per file × sheet, and the tables agree with the audit."""
    bad = wh.q("select file, sheet from raw.load_audit where rows_read <> rows_loaded + rows_quarantined")
    assert bad == []
    loaded = dict(
        ((r[0], r[1]), r[2]) for r in wh.q("select file, sheet, rows_loaded from raw.load_audit where form <> '未识别'")
    )
    counted = {}
    for table in (
        "application_roster",
        "work_events",
        "evaluation_outcomes",
        "evaluator_roster",
        "integrity_blacklist",
        "post_structure",
        "directed_posts",
    ):
        for f, s, n in wh.q(f"select _source_file, _source_sheet, count(*) from raw.{table} group by all"):
            counted[(f, s)] = counted.get((f, s), 0) + n
    assert {k: v for k, v in loaded.items() if v} == counted
    q = dict(
        ((r[0], r[1]), r[2])
        for r in wh.q(
            "select _source_file, _source_sheet, count(distinct _source_row) from raw.quarantine group by all"
        )
    )
    audit_q = dict(
        ((r[0], r[1]), r[2])
        for r in wh.q("select file, sheet, rows_quarantined from raw.load_audit where rows_quarantined > 0")
    )
    assert q == audit_q


def test_unknown_folder_code_loads_nothing(wh):
    f1_file(wh, "x.xlsx", [1, 2], folder="2022/150199")
    s = wh.load()
    assert wh.one("select count(*) from raw.application_roster") == (0,)
    got = wh.q("select _source_row, column_name, value, reason from raw.quarantine order by 1")
    assert got == [(r, None, "150199", "报送目录“150199”不是已知的报送单位代码，本文件的数据不予入库") for r in (5, 6)]
    assert wh.one("select rows_read, rows_loaded, rows_quarantined from raw.load_audit") == (2, 0, 2)
    assert s.rows_quarantined["F1"] == 2
    reconcile(wh)


def test_forbidden_form_loads_nothing(wh):
    f7 = [["身份证号", "记录日期"], [ID_M, "2021-01-01"]]
    write_xlsx(wh.inbox / "2022/150121/f7.xlsx", {"s": f7})
    write_xlsx(wh.inbox / "2022/B-RSJ/f1.xlsx", {"s": roster([f1_row(1)])})
    wh.load()
    assert wh.q("select _source_file, reason from raw.quarantine order by 1") == [
        ("2022/150121/f7.xlsx", "旗县区“150121”不能报送失信记录（F7），本工作表的数据不予入库"),
        ("2022/B-RSJ/f1.xlsx", "市人社局“B-RSJ”不能报送申报人员花名册（F1），本工作表的数据不予入库"),
    ]
    assert wh.one("select count(*) from raw.integrity_blacklist") == (0,)
    assert wh.one("select count(*) from raw.application_roster") == (0,)
    reconcile(wh)


def test_region_may_send_f5_with_committee_code_but_committee_may_not_send_f1(wh):
    headers, grid = rows_to_grid([f5_row(1)])
    write_xlsx(wh.inbox / "2022/150121/f5.xlsx", {"s": [headers] + grid})
    f1_file(wh, "f1.xlsx", [1], folder="2022/C-ZXX-150121")
    wh.load()
    assert wh.one("select count(*) from raw.evaluation_outcomes") == (1,)
    assert wh.one("select count(*), any_value(reason) from raw.quarantine") == (
        1,
        "评委会“C-ZXX-150121”不能报送申报人员花名册（F1），本工作表的数据不予入库",
    )


def test_corrected_roster_replaces_the_old_file_whole(wh):
    f1_file(wh, "6月花名册.xlsx", [1, 2, 3], mtime=T0)
    wh.load()
    f1_file(wh, "6月花名册（更正）.xlsx", [2, 3], mtime=T0 + 3600)  # 1 withdrawn
    wh.load()
    assert current(wh) == ["NM-0002", "NM-0003"]
    assert wh.one("select count(*) from raw.application_roster where _superseded") == (3,)
    assert sorted(wh.q("select file, superseded from raw.load_audit")) == [
        ("2022/150121/6月花名册.xlsx", True),
        ("2022/150121/6月花名册（更正）.xlsx", False),
    ]
    reconcile(wh)


def test_second_batch_with_other_keys_stands_beside(wh):
    f1_file(wh, "高级.xlsx", [1, 2], mtime=T0)
    f1_file(wh, "中级.xlsx", [3, 4], mtime=T0 + 86400 * 30)
    wh.load()
    assert current(wh) == ["NM-0001", "NM-0002", "NM-0003", "NM-0004"]
    assert wh.q("select distinct superseded from raw.load_audit") == [(False,)]


def test_other_submitter_or_year_is_never_superseded(wh):
    f1_file(wh, "a.xlsx", [1], folder="2022/150121", mtime=T0)
    f1_file(wh, "b.xlsx", [1], folder="2022/150122", mtime=T0 + 10)
    f1_file(wh, "c.xlsx", [1], folder="2021/150121", mtime=T0 + 20)
    wh.load()
    assert wh.one("select count(*) from raw.application_roster where not _superseded") == (3,)


def test_equal_mtime_later_name_wins(wh):
    f1_file(wh, "b.xlsx", [1, 2], mtime=T0)
    f1_file(wh, "a.xlsx", [2, 5], mtime=T0)
    wh.load()
    assert current(wh) == ["NM-0001", "NM-0002"]
    assert wh.q("select file from raw.load_audit where superseded") == [("2022/150121/a.xlsx",)]


def test_supersede_is_per_form(wh):
    f4 = [["事项类型", "报送日期", "签字盖章"], ["材料报送", "2022-07-20", "是"]]
    write_xlsx(wh.inbox / "2022/150121/old.xlsx", {"花名册": roster([f1_row(1)]), "事项": f4}, mtime=T0)
    f1_file(wh, "new.xlsx", [1], mtime=T0 + 60)
    wh.load()
    assert wh.one("select count(*) from raw.work_events where not _superseded") == (1,)
    assert sorted(wh.q("select file, sheet, superseded from raw.load_audit")) == [
        ("2022/150121/new.xlsx", "花名册", False),
        ("2022/150121/old.xlsx", "事项", False),
        ("2022/150121/old.xlsx", "花名册", True),
    ]


def test_second_load_changes_nothing(wh):
    f1_file(wh, "a.xlsx", [1, 2, 3], 姓名=None)
    f1_file(wh, "b.xlsx", [4, 5])
    first = wh.load()
    counts = [wh.one(f"select count(*) from raw.{t}") for t in ("application_roster", "quarantine", "load_audit")]
    second = wh.load()
    assert (first.files_loaded, second.files_loaded, second.files_skipped) == (2, 0, 2)
    assert [
        wh.one(f"select count(*) from raw.{t}") for t in ("application_roster", "quarantine", "load_audit")
    ] == counts


def test_changed_content_replaces_that_paths_rows(wh):
    f1_file(wh, "a.xlsx", [1, 2, 3], 姓名=None)  # all quarantined
    wh.load()
    f1_file(wh, "a.xlsx", [1, 2], mtime=T0 + 5)
    s = wh.load()
    assert s.files_loaded == 1
    assert wh.one("select count(*) from raw.quarantine") == (0,)
    assert wh.q("select rows_read, rows_loaded from raw.load_audit") == [(2, 2)]
    assert current(wh) == ["NM-0001", "NM-0002"]
    reconcile(wh)


def test_same_bytes_under_another_name_is_skipped(wh):
    path = f1_file(wh, "a.xlsx", [1, 2])
    wh.load()
    shutil.copy2(path, path.with_name("a - 副本.xlsx"))
    s = wh.load()
    assert (s.files_loaded, s.files_skipped) == (0, 2)
    assert wh.one("select count(*) from raw.application_roster") == (2,)


def test_summary_and_log(wh, tmp_path):
    f1_file(wh, "a.xlsx", [1, 2], 姓名=None)
    f1_file(wh, "b.xlsx", [3])
    lines = []
    from dagster_project.ingest import load_inbox
    from tests.ingest.conftest import KEY

    s = load_inbox(wh.inbox, wh.con, KEY, log=lines.append)
    assert (s.files_seen, s.files_loaded, s.rows_loaded["F1"], s.rows_quarantined["F1"]) == (2, 2, 1, 2)
    assert lines == s.messages and any("隔离 2 行" in m for m in lines)
    reconcile(wh)


def test_file_changed_into_a_copy_of_another_loses_its_old_rows(wh):
    a = f1_file(wh, "a.xlsx", [1, 2], mtime=T0)
    b = f1_file(wh, "b.xlsx", [7, 8], mtime=T0 + 10)
    wh.load()
    shutil.copyfile(b, a)  # a.xlsx now holds b.xlsx's bytes
    s = wh.load()
    assert (s.files_loaded, s.files_skipped) == (0, 2)
    assert wh.q("select distinct _source_file from raw.application_roster") == [("2022/150121/b.xlsx",)]
    assert wh.q("select file from raw.load_audit") == [("2022/150121/b.xlsx",)]
    assert current(wh) == ["NM-0007", "NM-0008"]
    reconcile(wh)


def test_a_blank_committee_code_is_the_committee_of_the_folder_it_came_from(wh):
    # the sheets of several committees are validated together; each row keeps its own folder's committee
    for folder, numbers in (("C-ZXX-150121", [1, 2]), ("C-ZXXGJ-M", [3])):
        headers, grid = rows_to_grid([f5_row(n, 评委会代码=None) for n in numbers])
        write_xlsx(wh.inbox / "2022" / folder / "评审结果.xlsx", {"s": [headers] + grid})
    headers, grid = rows_to_grid([f5_row(4, 评委会代码=None)])
    write_xlsx(wh.inbox / "2022/150121/评审结果.xlsx", {"s": [headers] + grid})  # a region must name it
    wh.load()
    assert wh.q("select application_no, committee_code from raw.evaluation_outcomes order by 1") == [
        ("NM-0001", "C-ZXX-150121"),
        ("NM-0002", "C-ZXX-150121"),
        ("NM-0003", "C-ZXXGJ-M"),
    ]
    assert wh.q("select _source_file, column_name, reason from raw.quarantine") == [
        ("2022/150121/评审结果.xlsx", "评委会代码", "报送单位不是评委会时，评委会代码为必填项")
    ]
