"""Charts of the report: matplotlib (Agg) with the Simplified-Chinese Noto face, written as PNG.

Drawing a chart takes about a third of a second; a chart whose data, labels and options are those of the
chart in the last report (and whose code, matplotlib and font are unchanged) is carried over instead: each
PNG has its key beside it (``.<name>.png.key``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

from .fonts import SC_FACE, cjk_font_file

_MPL_READY = False
COLORS = ["#9b1c1c", "#1f4e79", "#c08a2c", "#4a7c59", "#6b4c9a", "#7f7f7f"]


def matplotlib_cjk():
    """matplotlib (Agg backend) set up with the Chinese font; returns pyplot."""
    global _MPL_READY
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    if not _MPL_READY:
        font_manager.fontManager.addfont(str(cjk_font_file()))
        matplotlib.rcParams.update(
            {
                "font.family": "sans-serif",
                "font.sans-serif": [SC_FACE],
                "axes.unicode_minus": False,
                "font.size": 10,
                "svg.fonttype": "none",
                "pdf.fonttype": 42,
            }
        )
        _MPL_READY = True
    return plt


@cache
def _drawing_key() -> str:
    """What every chart's look depends on besides its data: this module, matplotlib and the font file."""
    font = cjk_font_file()
    return hashlib.sha256(
        Path(__file__).read_bytes() + metadata.version("matplotlib").encode() + f"{font}:{font.stat().st_size}".encode()
    ).hexdigest()


def _key_file(path: Path) -> Path:
    return path.with_name(f".{path.name}.key")


def _carried_over(previous: Path, path: Path, key: str) -> bool:
    """Link (or copy) the previous report's chart to ``path`` when it was drawn from the same key."""
    try:
        if _key_file(previous).read_text(encoding="utf-8") != key:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        for src, dst in ((previous, path), (_key_file(previous), _key_file(path))):
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
    except FileNotFoundError:
        return False
    return True


def _size(n: int, k: int, horizontal: bool, stacked: bool) -> tuple[float, float]:
    if not horizontal:
        return min(7.2, 3.0 + 0.45 * n), 3.4
    per_bar = 0.24 * (1 if stacked else max(1.0, 0.55 * k))
    return 7.2, min(10.5, 1.3 + per_bar * n)


def bar_chart(
    path: Path,
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    horizontal: bool = False,
    percent: bool = False,
    ylabel: str = "",
    stacked: bool = False,
    reference_line: float | None = None,
    reference_label: str = "",
    previous: Path | None = None,
) -> Path:
    """A bar chart (grouped or stacked) with Chinese labels, written as a PNG; the chart of the same name in the
    folder ``previous`` (the last report's) is carried over when it was drawn from the same data and options."""
    spec = [title, list(categories), {name: list(values) for name, values in series.items()}]
    spec += [horizontal, percent, ylabel, stacked, reference_line, reference_label]
    key = hashlib.sha256((_drawing_key() + json.dumps(spec, ensure_ascii=False, default=str)).encode()).hexdigest()
    if previous is not None and _carried_over(previous / path.name, path, key):
        return path
    plt = matplotlib_cjk()
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    names = list(series)
    k = max(len(names), 1)
    fig, ax = plt.subplots(figsize=_size(max(len(categories), 1), k, horizontal, stacked), dpi=200)
    x = np.arange(len(categories))
    bar_w = 0.8 / (1 if stacked else k)
    bottom = np.zeros(len(categories))
    for i, name in enumerate(names):
        values = np.array([0.0 if v is None else float(v) for v in series[name]])
        shown = values * 100 if percent else values
        offset = 0 if stacked else (i - (k - 1) / 2) * bar_w
        draw = ax.barh if horizontal else ax.bar
        base = {"left" if horizontal else "bottom": bottom if stacked else None}
        bars = draw(x + offset, shown, bar_w, label=name, color=COLORS[i % len(COLORS)], **base)
        if not stacked and len(categories) * k <= 40:
            labels = [f"{v:.1f}%" if percent else f"{v:g}" for v in shown]
            ax.bar_label(bars, labels=labels, fontsize=7, padding=1.5)
        if stacked:
            bottom = bottom + shown
    if reference_line is not None:
        ref = reference_line * 100 if percent else reference_line
        line = ax.axvline if horizontal else ax.axhline
        line(ref, color="#333333", linestyle="--", linewidth=0.9, label=reference_label or None)
    n = len(categories)
    if horizontal:
        ax.set_yticks(x, list(categories), fontsize=9)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlabel(ylabel)
        if percent:
            ax.set_xlim(0, 105)
    else:
        ax.set_xticks(x, list(categories), rotation=30 if n > 6 else 0, ha="right" if n > 6 else "center")
        ax.set_ylabel(ylabel)
        if percent:
            ax.set_ylim(0, 110)
    if not percent:
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=11, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if len(names) > 1 or reference_label:
        ax.legend(fontsize=8, frameon=False, loc="best")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=200)
    plt.close(fig)
    _key_file(path).write_text(key, encoding="utf-8")
    return path
