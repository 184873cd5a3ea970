"""Make the Data Docs site browsable offline.

GE's pages load bootstrap, jQuery, bootstrap-table, font-awesome and vega from CDNs.
Every such <link>/<script> is replaced by a small local stylesheet and script shipped
with this package (static/offline.css, static/offline.js: enough of jQuery and
bootstrap-table for GE's pages), images point to the site's own static/ folder, and any
other http(s) link is turned into plain text. The page labels are put into Chinese, and GE's
footers (newsletter, tutorials call-to-action) with their script are removed.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

STATIC = Path(__file__).parent / "static"
OFFLINE_DIR = "static/offline"

_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']https?://[^>]*>\s*", re.I)
_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>\s*", re.I)
_IMG = re.compile(r"(<img\b[^>]*\bsrc=)[\"']https?://[^\"']*logo[^\"']*[\"']", re.I)
_HREF = re.compile(r"\bhref=[\"']https?://[^\"']*[\"']", re.I)
_SRC = re.compile(r"\bsrc=[\"']https?://[^\"']*[\"']", re.I)
_ACTION = re.compile(r"\baction=[\"']https?://[^\"']*[\"']", re.I)
_CSS_URL = re.compile(r"url\(\s*[\"']?https?://[^)]*\)", re.I)
_ANY_URL = re.compile(r"https?://[^\s\"'<>)]+", re.I)
_FOOTER = re.compile(r"<footer\b.*?</footer>\s*", re.I | re.S)
_CTA_SCRIPT = re.compile(r"<script>(?:(?!</script>).)*ge-cta-footer.*?</script>\s*", re.I | re.S)

LABELS = {
    ">Validation Results<": ">校验结果<",
    ">Expectation Suites<": ">期望套件<",
    "'title': 'Status'": "'title': '状态'",
    "'title': 'Run Time'": "'title': '运行时间'",
    "'title': 'Run Name'": "'title': '运行名称'",
    "'title': 'Asset Name'": "'title': '数据集'",
    "'title': 'Batch ID'": "'title': '批次'",
    "'title': 'Expectation Suite'": "'title': '期望套件'",
    "'title': 'Expectation Suite Name'": "'title': '期望套件'",
    ">Clear Filters<": ">清除筛选<",
    "Data Docs created by Great Expectations": "数据质量检查报告（Great Expectations）",
    ">Overview<": ">概览<",
    ">Table of Contents<": ">目录<",
    ">Actions<": ">操作<",
    ">Notes<": ">说明<",
    ">Statistics<": ">统计<",
    ">Expectation<": ">期望<",
    ">Observed Value<": ">实际值<",
    ">Status<": ">状态<",
    ">Info<": ">信息<",
    ">Evaluated Expectations<": ">已评估期望<",
    ">Successful Expectations<": ">满足的期望<",
    ">Unsuccessful Expectations<": ">未满足的期望<",
    ">Success Percent<": ">满足比例<",
    ">Show more info...<": ">更多信息…<",
    ">Home<": ">首页<",
}


def _relative_static(page: Path, root: Path) -> str:
    depth = len(page.relative_to(root).parts) - 1
    return "../" * depth + OFFLINE_DIR


def _offline_html(html: str, static_prefix: str) -> str:
    css = f'<link rel="stylesheet" href="{static_prefix}/offline.css">\n'
    js = f'<script src="{static_prefix}/offline.js"></script>\n'
    html = _CTA_SCRIPT.sub("", _FOOTER.sub("", html))  # GE's advertising footers
    html, n_links = _LINK.subn("", html)
    html, n_scripts = _SCRIPT.subn("", html)
    html = re.sub(r"</title>", "</title>\n" + css, html, count=1) if n_links or "<title>" in html else html
    if n_scripts:
        # the shim must run before the inline scripts that call $(…): put it at the top of <head>
        html = re.sub(r"<head>", "<head>\n" + js, html, count=1)
    html = _IMG.sub(lambda m: f'{m.group(1)}"{static_prefix.removesuffix("/offline")}/images/logo-long.png"', html)
    html = _HREF.sub('href="#"', html)
    html = _SRC.sub('src=""', html)
    html = _ACTION.sub('action="#"', html)
    html = _ANY_URL.sub("", html)
    for english, chinese in LABELS.items():
        if english.startswith(">") and english.endswith("<"):
            pattern = r">(\s*)" + re.escape(english[1:-1]) + r"(\s*)<"
            html = re.sub(pattern, lambda m, c=chinese[1:-1]: f">{m.group(1)}{c}{m.group(2)}<", html)
        else:
            html = html.replace(english, chinese)
    return html


def make_offline(site: Path) -> list[Path]:
    """Rewrite every page of the site in place; returns the pages rewritten."""
    site = Path(site)
    target = site / OFFLINE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in ("offline.css", "offline.js"):
        shutil.copyfile(STATIC / name, target / name)
    pages = []
    for root, _dirs, files in os.walk(site):
        for name in files:
            if name.endswith(".css"):
                sheet = Path(root) / name
                text = sheet.read_text(encoding="utf-8", errors="replace")
                sheet.write_text(_CSS_URL.sub("none", text), encoding="utf-8")
            if name.endswith(".html"):
                page = Path(root) / name
                text = page.read_text(encoding="utf-8")
                page.write_text(_offline_html(text, _relative_static(page, site)), encoding="utf-8")
                pages.append(page)
    return pages


def network_links(site: Path) -> list[tuple[Path, str]]:
    """Every http(s) address left in the site's HTML, CSS or JS (should be none)."""
    found = []
    for path in Path(site).rglob("*"):
        if path.suffix in {".html", ".css", ".js"}:
            for match in _ANY_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
                found.append((path, match.group(0)))
    return found
