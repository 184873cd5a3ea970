"""Chinese progress lines for a person watching `zhicheng run`."""

from __future__ import annotations

import sys

# The stream at import time: tools that redirect sys.stdout (dbt's event echo) do not hide these lines.
_STREAM = sys.stdout


def say(message: str) -> None:
    print(f"[职称监管] {message}", file=_STREAM, flush=True)
