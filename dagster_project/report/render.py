"""Shared output helpers for the report and the notices: Jinja2, charts, PDF and XLSX.

PDF: Debian's headless ``chromium`` prints the HTML (A4, CSS @page); no browser is
ever downloaded.  Charts: matplotlib with the Simplified-Chinese face of Debian's
``fonts-noto-cjk`` (extracted once from the .ttc collection, which matplotlib cannot
index by face).  XLSX: xlsxwriter with a formatted, frozen header and every text that
could run as a formula neutralised.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = [Path(__file__).resolve().parent / "templates", Path(__file__).resolve().parent.parent / "notices" / "templates"]
ISSUING_OFFICE = "呼和浩特市人力资源和社会保障局"
CJK_FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/opentype/noto-cjk"))
SC_FACE = "Noto Sans CJK SC"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")

NUMERALS = "一二三四五六七八九十"


class OutputError(RuntimeError):
    """A Chinese message for a person: a missing system package, a failed print."""


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (section numbers of an official document)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_date(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def pct(value: Any, digits: int = 1) -> str:
    """A rate in [0,1] as a percentage text, "—" when unknown."""
    if value is None:
        return "—"
    try:
        if value != value:  # NaN
            return "—"
    except TypeError:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def num(value: Any) -> str:
    """Integers plainly; other numbers with at most two decimals; None as —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "—"
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def yes_no(value: Any) -> str:
    if value is None:
        return "—"
    return "是" if value else "否"


def mask_id_numbers(text: Any) -> Any:
    """Mask every 18-character ID number inside a text: keep the first 6 and last 4."""
    if not isinstance(text, str):
        return text
    return ID_NUMBER_RE.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


def jinja_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(p) for p in TEMPLATES]),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, num=num, yes_no=yes_no, fmt_date=fmt_date, cn=chinese_numeral)
    return env


def stylesheet() -> str:
    return (TEMPLATES[0] / "official.css").read_text(encoding="utf-8")


# ---------------------------------------------------------------- fonts and charts

def _font_cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path(tempfile.gettempdir()))
    path = base / f"zhicheng-fonts-{os.getuid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cjk_font_file() -> Path:
    """The Simplified-Chinese face of Noto Sans CJK as a single font file (extracted once)."""
    for directory in CJK_FONT_DIRS:
        ttc = directory / "NotoSansCJK-Regular.ttc"
        if ttc.exists():
            break
    else:
        raise OutputError("未找到中文字体：请安装 Debian 软件包 fonts-noto-cjk（make system-deps）")
    target = _font_cache_dir() / f"NotoSansCJKsc-Regular-{int(ttc.stat().st_mtime)}.otf"
    if not target.exists():
        from fontTools.ttLib import TTCollection

        collection = TTCollection(str(ttc), lazy=True)
        for font in collection.fonts:
            if font["name"].getDebugName(1) == SC_FACE:
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                font.save(str(tmp))
                os.replace(tmp, target)
                break
        else:
            raise OutputError(f"字体集合 {ttc} 中没有 {SC_FACE}")
    return target


_MPL_READY = False


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
) -> Path:
    """A bar chart (grouped or stacked) with Chinese labels, written as a PNG."""
    plt = matplotlib_cjk()
    import numpy as np

    n = max(len(categories), 1)
    width = min(7.2, 3.0 + 0.45 * n) if not horizontal else 7.2
    per_bar = 0.24 * (1 if stacked else max(1.0, 0.55 * len(series)))
    height = 3.4 if not horizontal else min(10.5, 1.3 + per_bar * n)
    fig, ax = plt.subplots(figsize=(width, height), dpi=200)
    colors = ["#9b1c1c", "#1f4e79", "#c08a2c", "#4a7c59", "#6b4c9a", "#7f7f7f"]
    x = np.arange(len(categories))
    names = list(series)
    k = max(len(names), 1)
    bar_w = 0.8 / (1 if stacked else k)
    bottom = np.zeros(len(categories))
    for i, name in enumerate(names):
        values = np.array([0.0 if v is None else float(v) for v in series[name]])
        shown = values * 100 if percent else values
        offset = 0 if stacked else (i - (k - 1) / 2) * bar_w
        if horizontal:
            bars = ax.barh(x + offset, shown, bar_w, left=bottom if stacked else None, label=name, color=colors[i % len(colors)])
        else:
            bars = ax.bar(x + offset, shown, bar_w, bottom=bottom if stacked else None, label=name, color=colors[i % len(colors)])
        if not stacked and len(categories) * k <= 40:
            labels = [f"{v:.1f}%" if percent else f"{v:g}" for v in shown]
            ax.bar_label(bars, labels=labels, fontsize=7, padding=1.5)
        if stacked:
            bottom = bottom + shown
    if reference_line is not None:
        ref = reference_line * 100 if percent else reference_line
        if horizontal:
            ax.axvline(ref, color="#333333", linestyle="--", linewidth=0.9, label=reference_label or None)
        else:
            ax.axhline(ref, color="#333333", linestyle="--", linewidth=0.9, label=reference_label or None)
    if horizontal:
        ax.set_yticks(x, list(categories), fontsize=9)
        ax.set_ylim(len(categories) - 0.5, -0.5)
        ax.set_xlabel(ylabel)
        if percent:
            ax.set_xlim(0, 105)
    else:
        ax.set_xticks(x, list(categories), rotation=30 if n > 6 else 0, ha="right" if n > 6 else "center")
        ax.set_ylabel(ylabel)
        if percent:
            ax.set_ylim(0, 110)
    from matplotlib.ticker import MaxNLocator

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
    return path


# ---------------------------------------------------------------- PDF

def chromium_path() -> str:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise OutputError("未找到 chromium：请安装 Debian 软件包 chromium（make system-deps），用于生成 PDF")


def html_to_pdf(html_path: Path, pdf_path: Path, timeout: int = 180) -> Path:
    """Print a local HTML file to an A4 PDF with headless Debian chromium (no network)."""
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_pdf = pdf_path.with_name(pdf_path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="zhicheng-chromium-") as profile:
        cmd = [
            chromium_path(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--mute-audio",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={tmp_pdf}",
            html_path.as_uri(),
        ]
        env = {**os.environ, "HOME": profile}
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise OutputError(f"chromium 生成 PDF 超时（{timeout} 秒）：{html_path}") from exc
    if done.returncode != 0 or not tmp_pdf.exists() or tmp_pdf.stat().st_size == 0:
        tmp_pdf.unlink(missing_ok=True)
        raise OutputError(f"chromium 生成 PDF 失败（退出码 {done.returncode}）：{html_path}\n{done.stderr[-2000:]}")
    os.replace(tmp_pdf, pdf_path)
    return pdf_path


def html_many_to_pdf(pairs: Iterable[tuple[Path, Path]], workers: int = 4) -> list[Path]:
    """Print several HTML files, a few at a time (each print mostly waits on chromium start-up)."""
    from concurrent.futures import ThreadPoolExecutor

    pairs = list(pairs)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda p: html_to_pdf(*p), pairs))


# ---------------------------------------------------------------- XLSX

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet could run as a formula gets a leading apostrophe-free guard.

    Text starting with = + - @ (or a tab / carriage return) is prefixed with a single
    quote character so that it is shown, never evaluated.  Numbers stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.datetime,)):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, (int, float)):
        return value
    return neutralise(str(value))


def safe_sheet_name(name: str, used: set[str]) -> str:
    base = SHEET_NAME_BAD.sub("_", name)[:31] or "表"
    candidate, i = base, 2
    while candidate in used:
        suffix = f"_{i}"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(candidate)
    return candidate


def write_workbook(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> Path:
    """Write an XLSX: one sheet per (name, headers, rows); header formatted and frozen.

    Every string cell is written as a string (never parsed as a formula), and any text
    that starts with = + - @ is neutralised as well, so that a copy pasted elsewhere
    cannot run either.
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    header_fmt = workbook.add_format(
        {"bold": True, "font_name": "宋体", "font_size": 11, "bg_color": "#DDE4EE", "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    cell_fmt = workbook.add_format({"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top", "text_wrap": True})
    used: set[str] = set()
    for name, headers, rows in sheets:
        ws = workbook.add_worksheet(safe_sheet_name(name, used))
        widths = [max(6, min(40, _display_width(h) + 2)) for h in headers]
        for c, h in enumerate(headers):
            ws.write_string(0, c, neutralise(str(h)), header_fmt)
        r = 0
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                v = _cell(value)
                if isinstance(v, str):
                    ws.write_string(r, c, v, cell_fmt)
                else:
                    ws.write_number(r, c, v, cell_fmt)
                if c < len(widths):
                    widths[c] = max(widths[c], min(50, _display_width(v) + 2))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.set_row(0, 24)
        ws.freeze_panes(1, 0)
        if headers:
            ws.autofilter(0, 0, max(r, 0), len(headers) - 1)
    workbook.close()
    os.replace(tmp, path)
    return path


@contextmanager
def building_folder(folder: Path) -> Iterator[Path]:
    """An empty ``.<name>.building`` folder beside `folder` to write into; swapped into place
    when the block ends, removed when it fails (readers never see a half-written folder)."""
    folder = Path(folder)
    staging = folder.with_name(f".{folder.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
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


def _display_width(value: Any) -> int:
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_text_atomic(path: Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


# ---------------------------------------------------------------- fonts embedded in the PDF
#
# Chromium's PDF backend (Skia) writes CFF-outline OpenType fonts — which is what
# fonts-noto-cjk ships — as unnamed Type 3 bitmaps-of-paths.  A TrueType-outline
# font is embedded as a real, named CID font.  So for each document we subset the
# Simplified-Chinese Noto faces to the characters the document uses and convert the
# subset's outlines to TrueType (quadratic) with fontTools; the HTML loads them with
# @font-face.  About two seconds per face.

WEB_FACES = (
    # css family, weight, collection file, file stem
    ("ZC Serif", 400, "NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular"),
    ("ZC Serif", 700, "NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold"),
    ("ZC Sans", 400, "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular"),
    ("ZC Sans", 700, "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold"),
)
FONT_FACE_MARK = "/*@font-faces*/"


def _collection_face(filename: str, family: str):
    from fontTools.ttLib import TTCollection, TTFont

    for directory in CJK_FONT_DIRS:
        path = directory / filename
        if path.exists():
            break
    else:
        raise OutputError("未找到中文字体：请安装 Debian 软件包 fonts-noto-cjk（make system-deps）")
    collection = TTCollection(str(path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return TTFont(str(path), fontNumber=index)
    raise OutputError(f"字体集合 {path} 中没有 {family}")


def _cff_to_truetype(font) -> None:
    """Replace a CFF-outline font's outlines by TrueType quadratic ones (in place)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"


def build_web_fonts(text: str, folder: Path) -> list[tuple[str, int, Path]]:
    """Subset TrueType fonts holding every character of ``text``; returns (family, weight, path)."""
    from fontTools import subset

    folder.mkdir(parents=True, exist_ok=True)
    chars = "".join(sorted(set(text) | set("0123456789%（）：；，。、—-+ ")))
    made = []
    for family, weight, filename, stem in WEB_FACES:
        font = _collection_face(filename, "Noto Serif CJK SC" if "Serif" in family else "Noto Sans CJK SC")
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        _cff_to_truetype(font)
        target = folder / f"{stem}.ttf"
        font.save(str(target))
        font.close()
        made.append((family, weight, target))
    return made


def font_face_css(fonts: list[tuple[str, int, Path]], relative_to: Path | None = None) -> str:
    rules = []
    for family, weight, path in fonts:
        url = os.path.relpath(path, relative_to) if relative_to else Path(path).resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{url}") format("truetype"); }}')
    return "\n".join(rules)


def with_fonts(html: str, fonts_dir: Path, html_dir: Path | None = None, text: str | None = None) -> str:
    """Put @font-face rules for subset fonts of the document's characters into its CSS."""
    fonts = build_web_fonts(text if text is not None else html, fonts_dir)
    return html.replace(FONT_FACE_MARK, font_face_css(fonts, html_dir), 1)
