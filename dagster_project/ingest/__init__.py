"""Ingestion: inbox files → DuckDB schema ``raw`` (contract.md sections 1–2).

    from dagster_project.ingest import load_inbox
    summary = load_inbox(inbox, con, pii_key, log=print)
"""

from dagster_project.ingest.load import RAW_TABLES, LoadSummary, ensure_schema, keyed, load_inbox, recompute_superseded

__all__ = ["RAW_TABLES", "LoadSummary", "ensure_schema", "keyed", "load_inbox", "recompute_superseded"]
