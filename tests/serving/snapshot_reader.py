"""A reader that keeps querying the serving snapshot until told to stop (run as its own process).

    python snapshot_reader.py SNAPSHOT STOPFILE
Prints one JSON line at the end: queries, errors (messages), distinct snapshots seen (by inode
and publication time).
"""

import json
import os
import sys
import time

import duckdb

QUERIES = [
    "select count(*) from marts.findings",
    "select count(*) from marts.applications",
    "select sum(applications) from analyst.headline",
    "select count(*) from analyst.findings where severity = '违规'",
    "select max(published_at) from analyst.snapshot_info",
]


def main(snapshot: str, stop_file: str) -> None:
    queries, errors, seen, started = 0, [], set(), time.monotonic()
    while not os.path.exists(stop_file) and time.monotonic() - started < 1500:
        if not os.path.exists(snapshot):
            time.sleep(0.05)
            continue
        try:
            inode = os.stat(snapshot).st_ino
            con = duckdb.connect(snapshot, read_only=True)
            try:
                results = [con.execute(q).fetchall()[0][0] for q in QUERIES]
            finally:
                con.close()
            queries += len(QUERIES)
            if results[1] != results[2]:
                errors.append(f"不一致：marts.applications={results[1]} headline={results[2]}")
            seen.add(f"{inode}/{results[4]}")
        except Exception as error:  # every failure counts
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(0.02)
    print(
        json.dumps(
            {"queries": queries, "errors": errors[:20], "error_count": len(errors), "snapshots_seen": len(seen)},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
