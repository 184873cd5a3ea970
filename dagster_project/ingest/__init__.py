"""Ingestion: inbox files → DuckDB schema ``raw`` (contract.md sections 1–2).

    from dagster_project.ingest import load_inbox
    summary = load_inbox(inbox, con, pii_key, log=print)

The names are imported on first use, so a reading worker (``python -m
dagster_project.ingest.isolate``) starts without DuckDB and the loader.
"""

__all__ = ["RAW_TABLES", "LoadSummary", "ensure_schema", "keyed", "load_inbox", "recompute_superseded"]


def __getattr__(name: str):
    if name in __all__:
        from dagster_project.ingest import load

        return getattr(load, name)
    raise AttributeError(name)
