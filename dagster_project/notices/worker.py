"""A worker process that makes a share of a year's notices (``python -m dagster_project.notices.worker``).

It reads ``(warehouse, run, numbered)`` pickled on stdin, opens the warehouse read-only, writes the
share's workbooks and answers on stdout with the pickled ``("ok", notices)`` or ``("error", exception)``.
A process of its own, started afresh, rather than multiprocessing: nothing of the parent (its DuckDB
connection, its browsers, its main module) is forked or imported again.
"""

import pickle
import sys

from dagster_project.documents.errors import OutputError
from dagster_project.notices.build import _make_notices_from


def main() -> None:
    warehouse, run, numbered = pickle.load(sys.stdin.buffer)
    try:
        answer = pickle.dumps(("ok", _make_notices_from(warehouse, run, numbered)))
    except Exception as exc:  # noqa: BLE001 - the parent raises it again
        try:
            answer = pickle.dumps(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its text
            answer = pickle.dumps(("error", OutputError(f"生成告知书时出错：{type(exc).__name__}: {exc}")))
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
