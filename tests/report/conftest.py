"""Fixtures: a synthetic warehouse with the contract's tables, and the report and notices built from it once."""

from __future__ import annotations

import datetime as dt

import pytest
from report_fixture_warehouse import make_warehouse


@pytest.fixture(scope="session")
def fx_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("report_fx") / "warehouse.duckdb"
    facts = make_warehouse(path)
    return path, facts


@pytest.fixture(scope="session")
def fx_outputs(fx_warehouse, tmp_path_factory):
    from dagster_project.notices.build import build_notices
    from dagster_project.report.build import build_report

    warehouse, facts = fx_warehouse
    out = tmp_path_factory.mktemp("report_fx_out")
    inbox = tmp_path_factory.mktemp("report_fx_inbox")
    (inbox / "2022" / "150123").mkdir(parents=True)  # a folder that sent nothing loadable
    report = build_report(warehouse, None, out, issue_date=dt.date(2022, 11, 30))
    notices = build_notices(warehouse, None, out, inbox=inbox, issue_date=dt.date(2022, 11, 30))
    return {"out": out, "report": report, "notices": notices, "facts": facts, "warehouse": warehouse}
