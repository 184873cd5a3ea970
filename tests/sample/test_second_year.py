"""The two-year sample inbox: 2022 exactly as generate_inbox writes it, plus the fixture year's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.policy.merge import merge_reference
from dagster_project.sample.generator import generate_inbox
from dagster_project.sample.second_year import generate_two_year_inbox

FIXTURE_YEAR = Path(__file__).resolve().parent.parent / "fixtures" / "year_2023"


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_two_year_inbox_keeps_2022_byte_for_byte_and_adds_the_year(tmp_path):
    seeds = merge_reference(FIXTURE_YEAR, tmp_path / "seeds")
    one, two = tmp_path / "one", tmp_path / "two"
    generate_inbox(one, seed=3, applications=80)
    truths = generate_two_year_inbox(two, seeds, seed=3, applications=80)
    assert [t.name for t in truths] == ["ground_truth.csv", "ground_truth_2023.csv"]
    first, both = _tree(one), _tree(two)
    added = sorted(set(both) - set(first))
    assert all(name.startswith("2023/") for name in added if name != "ground_truth_2023.csv")
    assert {name: both[name] for name in first} == first  # every 2022 (and history) file the same, mtime too
    assert {n.split("/")[1] for n in added if n.startswith("2023/")} >= {
        "150121",
        "150125",
        "D-GXJ",
        "B-RSJ",
        "C-ZXX-150121",
        "C-GC-M",
        "C-GC-NMG",
    }
    rules = [line.split(",")[0] for line in truths[1].read_text(encoding="utf-8").splitlines()[1:]]
    assert sorted(rules) == ["CHN-03", "COM-01", "ELG-07", "INT-01", "SCH-03"]


def test_more_than_one_later_year_is_refused(tmp_path):
    seeds = merge_reference(FIXTURE_YEAR, tmp_path / "seeds")
    calendar = seeds / "policy_calendar.csv"
    lines = calendar.read_text(encoding="utf-8").splitlines(keepends=True)
    calendar.write_text(
        "".join(lines + [line.replace("2023", "2024") for line in lines if line.startswith("2023")]), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="只接受 2022 年之后的一个政策年度"):
        generate_two_year_inbox(tmp_path / "inbox", seeds, seed=3, applications=40)
