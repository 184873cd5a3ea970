"""The program's own files as one digest: what turns the inputs into results.

The dbt project, the package's Python and templates, the expectation suites and the office's
own data the documents print (``config/*.toml``). A result computed by this program from the
same inputs is the same result, so a digest of these files is part of every "unchanged since
the last run" test: the run's fingerprint (transform/fingerprint.py, which adds the reference
data folder) and each notice's inputs (notices/inputs.py).
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


def files(extra_folders: Iterable[Path] = ()) -> list[Path]:
    """The program's files, and those of ``extra_folders`` (e.g. the reference data in use), sorted."""
    found = [path for path in FILES if path.is_file()]
    for folder in (*FOLDERS, *extra_folders):
        if folder.is_dir():
            found.extend(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    return sorted(found)


def update(digest, extra_folders: Iterable[Path] = ()) -> None:  # noqa: ANN001 - a hashlib object
    """Feed every file's path and content hash into ``digest``."""
    for path in files(extra_folders):
        digest.update(str(path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def digest(extra_folders: Iterable[Path] = ()) -> str:
    value = hashlib.sha256()
    update(value, extra_folders)
    return value.hexdigest()
