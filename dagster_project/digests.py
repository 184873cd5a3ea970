"""What "unchanged since the last run" is measured by: the program's files and a table's rows.

The program is the dbt project, the package's Python and templates, the expectation suites and
the office's own data the documents print (``config/*.toml``): a result computed by the same
program from the same rows is the same result. Both digests are read by every such test: the
run's fingerprint (transform/fingerprint.py, which adds the reference data folder) and each
notice's inputs (notices/inputs.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from dagster_project.settings import DBT_DIR, EXPECTATIONS_DIR, PROJECT_ROOT

SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".j2", ".css", ".js", ".csv", ".toml"}
FOLDERS = (
    DBT_DIR / "models",
    DBT_DIR / "macros",
    DBT_DIR / "tests",
    PROJECT_ROOT / "dagster_project",
    EXPECTATIONS_DIR,
    PROJECT_ROOT / "config",
)
FILES = (DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml")


def program_files(extra_folders: Iterable[Path] = ()) -> list[Path]:
    """The program's files, and those of ``extra_folders`` (e.g. the reference data in use), sorted."""
    found = [path for path in FILES if path.is_file()]
    for folder in (*FOLDERS, *extra_folders):
        if folder.is_dir():
            found.extend(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    return sorted(found)


def update_program(digest, extra_folders: Iterable[Path] = ()) -> None:  # noqa: ANN001 - a hashlib object
    """Feed every file's path and content hash into ``digest``."""
    for path in program_files(extra_folders):
        digest.update(str(path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def table(con, schema: str, name: str) -> str:  # noqa: ANN001 - a DuckDB connection
    """Every row's content, in any order, as ``<count>:<sum of row hashes>``: a row changed, added or removed
    by any means shows."""
    count, total = con.execute(f'select count(*), coalesce(sum(hash(t)), 0) from "{schema}"."{name}" t').fetchone()
    return f"{count}:{total}"
