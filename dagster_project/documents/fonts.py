"""Chinese fonts for documents and charts, from Debian's ``fonts-noto-cjk``, prepared once and cached.

Chromium's PDF backend (Skia) writes CFF-outline OpenType fonts — which is what
fonts-noto-cjk ships — as unnamed Type 3 glyph procedures.  A TrueType-outline font is
embedded as a real, named CID font.  So the Simplified-Chinese Noto faces are subset to
the characters the documents use and their outlines converted to TrueType (quadratic)
with fontTools; the HTML loads them with @font-face.  The result is cached in the user's
cache folder together with the characters it covers: a later run whose documents use no
new character reuses it; one that does rebuilds it for the union, so the cache only grows.

Faces: 宋体-like Noto Serif CJK SC for body text and titles (the closest the Debian
archive has to the 仿宋/小标宋 of GB/T 9704; Debian ships no FangSong face for Simplified
Chinese), and Noto Sans CJK SC (黑体-like) for section headings and tables.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

CJK_FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/opentype/noto-cjk"))
SC_FACE = "Noto Sans CJK SC"
WEB_FACES = (
    # css family, weight, collection file, face, file stem
    ("ZC Serif", 400, "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Regular"),
    ("ZC Serif", 700, "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Bold"),
    ("ZC Sans", 400, "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Regular"),
    ("ZC Sans", 700, "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Bold"),
)
FONT_FACE_MARK = "/*@font-faces*/"
ALWAYS = "0123456789%（）：；，。、—-+ 第页共"
FONTS_VERSION = "2"  # bump when the conversion changes


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path(tempfile.gettempdir()))
    path = base / f"zhicheng-fonts-{os.getuid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _collection_path(filename: str) -> Path:
    for directory in CJK_FONT_DIRS:
        path = directory / filename
        if path.exists():
            return path
    raise OutputError("未找到中文字体：请安装 Debian 软件包 fonts-noto-cjk（make system-deps）")


def _collection_face(filename: str, family: str):
    from fontTools.ttLib import TTCollection, TTFont

    path = _collection_path(filename)
    collection = TTCollection(str(path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return TTFont(str(path), fontNumber=index)
    raise OutputError(f"字体集合 {path} 中没有 {family}")


def cjk_font_file() -> Path:
    """The Simplified-Chinese face of Noto Sans CJK as a single font file (for matplotlib; extracted once)."""
    ttc = _collection_path("NotoSansCJK-Regular.ttc")
    target = cache_dir() / f"NotoSansCJKsc-Regular-{int(ttc.stat().st_mtime)}.otf"
    if not target.exists():
        font = _collection_face("NotoSansCJK-Regular.ttc", SC_FACE)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, target)
    return target


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
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"


def _subset_face(filename: str, face: str, chars: str, target: Path) -> None:
    from fontTools import subset

    font = _collection_face(filename, face)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    _cff_to_truetype(font)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(tmp))
    font.close()
    os.replace(tmp, target)


def web_fonts(text: str) -> list[tuple[str, int, Path]]:
    """TrueType subsets of the four faces covering every character of ``text``: (family, weight, path).

    Cached: the files are reused while they cover the text; otherwise rebuilt for the union
    of the characters they covered and the new ones.
    """
    folder = cache_dir() / f"web-v{FONTS_VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    covered_file = folder / "characters.txt"
    wanted = {ch for ch in text + ALWAYS if ch.isprintable()}
    covered = set(covered_file.read_text(encoding="utf-8")) if covered_file.exists() else set()
    made = [(family, weight, folder / f"{stem}.ttf") for family, weight, _, _, stem in WEB_FACES]
    if wanted <= covered and all(path.exists() for _, _, path in made):
        return made
    chars = "".join(sorted(covered | wanted))
    for (_, _, filename, face, _), (_, _, path) in zip(WEB_FACES, made, strict=True):
        _subset_face(filename, face, chars, path)
    tmp = covered_file.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(chars, encoding="utf-8")
    os.replace(tmp, covered_file)
    return made


def font_face_css(fonts: list[tuple[str, int, Path]]) -> str:
    rules = []
    for family, weight, path in fonts:
        # the version of the cached file in the URL, so a rebuilt font is never taken from a stale cache
        tag = hashlib.sha1(f"{path.stat().st_mtime_ns}".encode()).hexdigest()[:8]
        url = f"{Path(path).resolve().as_uri()}?v={tag}"
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{url}") format("truetype"); }}'
        )
    return "\n".join(rules)


def with_fonts(html: str, fonts: list[tuple[str, int, Path]]) -> str:
    """Put the @font-face rules into the document's stylesheet (at its ``/*@font-faces*/`` mark)."""
    return html.replace(FONT_FACE_MARK, font_face_css(fonts), 1)
