"""A run's output folders swapped into place as one step, and what an interrupted run left.

A step that writes several folders of ``<out>`` (report, notices, Data Docs) builds each in a
staging folder ``<out>/…/.<name>.building`` and then calls :func:`swap_folders` once with all
of them. The swap first writes a journal (``<out>/.swap-journal.json``) naming every
(staging, final) pair, then renames, then removes the journal. A run killed in the middle
leaves the journal, and the next run (``recover_outputs``, called by ``zhicheng run`` before
anything else, under the warehouse lock) rolls the swap forward: either all the new folders
appear or — when the kill came before the journal was written — none of them.

    with staged_folders([out / "report" / "2022", out / "notices" / "2022"]) as (report, notices):
        write_report(report); write_notices(notices)
    # both folders are in place now, or (on an exception) neither changed

``recover_outputs`` also removes staging and old folders and snapshot temporaries that a dead
run left behind, saying so in Chinese.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

JOURNAL_NAME = ".swap-journal.json"
_LEFTOVER_PATTERNS = (".*.building", ".*.old", ".serving.duckdb.*.tmp", ".serving.duckdb.*.tmp.wal")


def staging_of(folder: Path) -> Path:
    folder = Path(folder)
    return folder.with_name(f".{folder.name}.building")


def _old_of(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.old")


def _journal(out: Path) -> Path:
    return Path(out) / JOURNAL_NAME


def _write_atomic(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".part")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _apply(pairs: list[tuple[Path, Path]]) -> None:
    """Rename every staging folder over its final folder (idempotent: safe to repeat after a crash)."""
    for staging, final in pairs:
        if not staging.exists():
            continue  # already swapped
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            old = _old_of(final)
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
        staging.rename(final)
    for _, final in pairs:
        shutil.rmtree(_old_of(final), ignore_errors=True)


def swap_folders(out: Path, pairs: Sequence[tuple[Path, Path]]) -> None:
    """Put every staging folder in place of its final folder, as one step (see the module docstring)."""
    pairs = [(Path(a), Path(b)) for a, b in pairs]
    journal = _journal(out)
    journal.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(journal, json.dumps([[str(a), str(b)] for a, b in pairs], ensure_ascii=False))
    _apply(pairs)
    journal.unlink(missing_ok=True)


@contextmanager
def staged_folders(out: Path, folders: Sequence[Path]) -> Iterator[list[Path]]:
    """Empty staging folders for `folders`; all swapped in when the block ends, all removed if it fails."""
    stagings = [staging_of(f) for f in folders]
    for staging in stagings:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
    try:
        yield stagings
        swap_folders(out, list(zip(stagings, [Path(f) for f in folders], strict=True)))
    except BaseException:
        for staging in stagings:
            shutil.rmtree(staging, ignore_errors=True)
        raise


def recover_outputs(out: Path, say=print) -> list[Path]:
    """Finish a swap that a dead run began, then remove its leftovers. Call with the warehouse lock held."""
    out = Path(out)
    journal = _journal(out)
    if journal.exists():
        try:
            pairs = [(Path(a), Path(b)) for a, b in json.loads(journal.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError):
            pairs = []
        _apply(pairs)
        journal.unlink(missing_ok=True)
        say(f"上次运行在替换输出目录时中断：已补完替换（{len(pairs)} 个目录），各输出现为同一次运行的结果")
    removed: list[Path] = []
    if out.is_dir():
        for depth in ("", "*/", "*/*/"):
            for pattern in _LEFTOVER_PATTERNS:
                removed.extend(out.glob(depth + pattern))
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if removed:
        names = "、".join(str(p.relative_to(out)) for p in removed[:5]) + ("等" if len(removed) > 5 else "")
        say(f"已清理上次中断的运行留下的临时文件或目录 {len(removed)} 个（{names}）")
    return removed
