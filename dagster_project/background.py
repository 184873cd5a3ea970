"""Imports started ahead of need, in a daemon thread, while this process waits on another one."""

from __future__ import annotations

import importlib
import sys
import threading


def import_in_background(module: str) -> None:
    """Start importing ``module`` in a daemon thread, unless it is imported already.

    For a step that waits on other processes (readers, dbt) before it needs the module: its own import then
    finds it loaded, or waits for the import under way. A failure is left for that import to report.
    """

    def load() -> None:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001, S110 - the step's own import raises it again
            pass

    if module not in sys.modules:
        threading.Thread(target=load, daemon=True, name=f"import-{module}").start()
