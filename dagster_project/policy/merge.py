"""A reference-data directory that adds another set of rows (a test-only policy year) to seeds/.

The project ships real 2022 rows only; tests and rehearsals merge extra rows into a copy and point the
run at it (ZHICHENG_SEEDS). Files of the extra directory must have the seed's header; other files are copied.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from dagster_project.settings import SEEDS_DIR


def merge_reference(extra: Path, out: Path, base: Path = SEEDS_DIR) -> Path:
    """Copy ``base`` to ``out`` and append the rows of every CSV in ``extra`` to the seed of the same name."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(base, out)
    for path in sorted(Path(extra).glob("*.csv")):
        target = out / path.name
        with target.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != header:
                raise ValueError(f"{path} 的列（{'、'.join(reader.fieldnames or [])}）与 {target.name} 的列不一致")
            rows = list(reader)
        text = target.read_text(encoding="utf-8")
        with target.open("a", encoding="utf-8", newline="") as fh:
            if text and not text.endswith("\n"):
                fh.write("\n")
            csv.DictWriter(fh, header, lineterminator="\n").writerows(rows)
    return out


if __name__ == "__main__":  # python -m dagster_project.policy.merge <extra rows> <out>
    import sys

    if len(sys.argv) != 3:
        sys.exit("用法：python -m dagster_project.policy.merge <追加行的目录> <输出目录>")
    print(f"合并后的参考数据目录：{merge_reference(Path(sys.argv[1]), Path(sys.argv[2]))}")
