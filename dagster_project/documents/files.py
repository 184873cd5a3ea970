"""Writing a folder of documents so that readers never see it half-written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _link(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@contextmanager
def building_folder(folder: Path, keep: bool = False) -> Iterator[Path]:
    """An ``.<name>.building`` folder beside `folder` to write into; swapped into place when the
    block ends, removed when it fails.  With ``keep`` the folder starts as a copy of the current
    one (so unchanged documents need not be made again)."""
    folder = Path(folder)
    staging = folder.with_name(f".{folder.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    if keep and folder.is_dir():
        # hard links: the unchanged files are carried over without copying a byte (every writer replaces, never edits)
        shutil.copytree(folder, staging, copy_function=_link)
    else:
        staging.mkdir(parents=True)
    try:
        yield staging
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
            staging.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
