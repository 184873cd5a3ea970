"""The province-scale sample: more submitters and files, reference rows in a seeds folder of their own."""

from __future__ import annotations

import csv
import hashlib

import duckdb
import pytest

from dagster_project import reference
from dagster_project.ingest import load_inbox
from dagster_project.sample.scale import generate_scaled_inbox, write_seeds
from dagster_project.settings import SEEDS_DIR, SEEDS_ENV

CACHED = (
    reference.region_codes,
    reference.regions,
    reference.department_codes,
    reference.unit_codes,
    reference.committee_codes,
    reference.committees,
    reference.series_names,
)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture()
def scaled(tmp_path, monkeypatch):
    seeds_before = _digest(SEEDS_DIR)
    result = generate_scaled_inbox(tmp_path / "inbox", tmp_path / "seeds", seed=5, applications=1500, submitters=40)
    assert _digest(SEEDS_DIR) == seeds_before  # seeds/ holds only the 2022 rows
    monkeypatch.setenv(SEEDS_ENV, str(result.seeds_dir))
    for f in CACHED:
        if hasattr(f, "cache_clear"):
            f.cache_clear()
    yield result
    for f in CACHED:
        if hasattr(f, "cache_clear"):
            f.cache_clear()


def test_scaled_inbox_has_the_submitters_files_and_reference_rows(scaled):
    folders = {p.name for p in scaled.inbox.glob("2022/*") if p.is_dir()}
    assert scaled.submitters == 40
    assert len([c for c in folders if c.startswith(("159", "D-S0"))]) == 40 - 23
    assert scaled.files > 200
    assert scaled.applications >= 1500
    assert not (scaled.inbox / "ground_truth.csv").exists()
    with (scaled.seeds_dir / "regions.csv").open(encoding="utf-8") as fh:
        regions = {r["region_code"]: r for r in csv.DictReader(fh)}
    with (scaled.seeds_dir / "policy_calendar.csv").open(encoding="utf-8") as fh:
        windows = {r["scope_code"] for r in csv.DictReader(fh) if r["scope_type"] == "submitter"}
    for code in folders:
        if code.startswith("159"):
            assert code in regions and code in windows, code


def test_scaled_inbox_loads_with_its_seeds(scaled, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        load_inbox(scaled.inbox, con, b"test-key")
        unknown = con.execute(
            "select count(*) from raw.quarantine where reason like '%代码未知%' "
            "and (_source_file like '2022/159%' or _source_file like '2022/D-S0%')"
        ).fetchone()[0]
        audit = {
            (f, s): (form, read, q)
            for f, s, form, read, q in con.execute(
                "select file, sheet, form, rows_read, rows_quarantined from raw.load_audit"
            ).fetchall()
        }
    finally:
        con.close()
    with (scaled.inbox / "expected_sheets.csv").open(encoding="utf-8") as fh:
        expected = {
            (r["file"], r["sheet"]): (r["form"], int(r["rows_read"]), int(r["rows_quarantined"]))
            for r in csv.DictReader(fh)
        }
    assert audit == expected  # every file and sheet, with the rows the copies quarantine (their templates' bad rows)
    assert unknown == 0


def test_seeds_are_never_written_into_seeds(tmp_path):
    with pytest.raises(ValueError, match="seeds/"):
        write_seeds(SEEDS_DIR, None)
