"""Headless screenshots of the Superset dashboards with Debian's chromium (no browser download).

Runs with the Superset venv's Python (selenium is a Superset dependency); the driver is
Debian's /usr/bin/chromedriver, so Selenium Manager never downloads anything.

    .venv-superset/bin/python scripts/superset/screenshot.py --out DIR [--url URL] [--filters JSON --suffix S] SLUG...

--filters applies native filters through the dashboard URL (``native_filters``, Rison), as a user
who picked them would: a JSON object {slug: {filter_id: {"column": ..., "values": [...]}}}.

Logs in as the admin (password from SUPERSET_ADMIN_PASSWORD or $SUPERSET_DATA/admin_password),
opens each dashboard, waits until every chart has rendered, checks it in the page, saves
DIR/<slug>.png and prints one JSON object per dashboard:
  {"slug", "png", "charts", "errors": [...], "cjk_glyphs_distinct": bool, "title", "loading_left"}
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--disable-dev-shm-usage",
    "--lang=zh-CN",
    "--window-size=1600,2400",
    "--hide-scrollbars",
    "--metrics-recording-only",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-default-browser-check",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]

# In the page: chart holders, spinners, error boxes, and whether CJK glyphs are real glyphs
# (two different characters drawn in the page's font must give different bitmaps; missing
# fonts give the same "tofu" box for both).
PROBE_JS = r"""
const holders = Array.from(document.querySelectorAll('[data-test="dashboard-component-chart-holder"]'));
const loading = document.querySelectorAll('[data-test="loading-indicator"], .loading, [aria-label="loading"]').length;
const errors = [];
const empty = [];
for (const h of holders) {
  const bad = h.querySelectorAll('.ant-alert-error, [data-test="error-message"], .alert-danger, [role="alert"]');
  const text = h.innerText || '';
  if (bad.length || /Unexpected error|Error:|错误|出错|No results|No data|没有结果|此查询没有数据返回/.test(text)) {
    errors.push(text.slice(0, 300));
  } else if (/无数据/.test(text)) {
    empty.push(text.slice(0, 100));
  }
}
function glyph(ch, family) {
  const c = document.createElement('canvas'); c.width = 40; c.height = 40;
  const x = c.getContext('2d'); x.fillStyle = '#fff'; x.fillRect(0, 0, 40, 40);
  x.fillStyle = '#000'; x.font = '32px ' + family; x.textBaseline = 'top'; x.fillText(ch, 2, 2);
  return Array.from(x.getImageData(0, 0, 40, 40).data).join(',');
}
const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
const cjk = glyph('职', family) !== glyph('称', family) && glyph('评', family) !== glyph('审', family);
const drawn = 'canvas, svg, table, .superset-legacy-chart-big-number, .header-line, .markdown-container';
const rendered = holders.filter(h => h.querySelector(drawn) || /无数据/.test(h.innerText || '')).length;
const titles = '[data-test="editable-title-input"], .editable-title input, .dashboard-header h1, title';
return {charts: holders.length, rendered, loading, errors, empty, cjk, family,
        title: (document.querySelector(titles) || {}).value
               || document.title, text: document.body.innerText.slice(0, 50000)};
"""


def admin_password() -> str:
    value = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if value:
        return value
    data = Path(os.environ.get("SUPERSET_DATA", Path(__file__).resolve().parents[2] / "data" / "superset"))
    return (data / "admin_password").read_text(encoding="utf-8").strip()


def driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    service = Service(executable_path=CHROMEDRIVER)
    return webdriver.Chrome(options=options, service=service)


def login(browser, url: str, user: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{url}/login/")
    wait = WebDriverWait(browser, 60)
    username = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "input#username, input[name='username']")))
    username.send_keys(user)
    browser.find_element(By.CSS_SELECTOR, "input#password, input[name='password'], input[type='password']").send_keys(
        password
    )
    browser.find_element(By.CSS_SELECTOR, "button[type='submit'], [data-test='login-button']").click()
    wait.until(lambda b: "/login" not in b.current_url)


def rison_filters(filters: dict) -> str:
    """{filter_id: {"column", "values"}} → the dashboard URL's native_filters value (Rison)."""

    def text(value) -> str:
        return "'" + str(value).replace("!", "!!").replace("'", "!'") + "'"

    parts = []
    for filter_id, spec in filters.items():
        values = ",".join(text(v) if isinstance(v, str) else str(v) for v in spec["values"])
        parts.append(
            f"{filter_id}:(id:{filter_id},extraFormData:(filters:!((col:{spec['column']},op:IN,val:!({values})))),"
            f"filterState:(value:!({values})),ownState:())"
        )
    return "(" + ",".join(parts) + ")"


def login_page(browser, url: str, out: Path) -> dict:
    """The login page as a new visitor sees it (before logging in)."""
    browser.get(f"{url}/login/")
    time.sleep(3)
    png = out / "login.png"
    browser.save_screenshot(str(png))
    return {"slug": "login", "png": str(png), "text": browser.execute_script("return document.body.innerText")}


def shoot(
    browser, url: str, slug: str, out: Path, timeout: float = 90, filters: dict | None = None, suffix: str = ""
) -> dict:
    from urllib.parse import quote

    query = f"&native_filters={quote(rison_filters(filters))}" if filters else ""
    browser.get(f"{url}/superset/dashboard/{slug}/?standalone=0{query}")
    browser.set_window_size(1600, 2400)
    deadline = time.monotonic() + timeout
    probe: dict = {}
    stable, last = 0, None
    while time.monotonic() < deadline:
        time.sleep(1)
        probe = browser.execute_script(PROBE_JS)
        # settled: holders present, no spinner, and the same rendered count three probes running
        settled = probe["charts"] > 0 and probe["loading"] == 0
        stable = stable + 1 if settled and probe["rendered"] == last else 0
        last = probe["rendered"]
        if stable >= 3 or probe["rendered"] >= probe["charts"] > 0 and probe["loading"] == 0:
            break
    time.sleep(1)  # let the last animations settle
    # full height screenshot: grow the window to the page
    height = browser.execute_script(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
    )
    browser.set_window_size(1600, min(max(int(height) + 100, 1200), 6000))
    time.sleep(1)
    probe = browser.execute_script(PROBE_JS)
    png = out / f"{slug}{suffix}.png"
    browser.save_screenshot(str(png))
    return {
        "slug": slug,
        "png": str(png),
        "charts": probe["charts"],
        "rendered": probe["rendered"],
        "loading_left": probe["loading"],
        "errors": probe["errors"],
        "empty": probe["empty"],
        "cjk_glyphs_distinct": probe["cjk"],
        "font_family": probe["family"],
        "title": probe["title"],
        "text": probe["text"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="用无界面 Chromium 截取 Superset 仪表板")
    parser.add_argument("slugs", nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('SUPERSET_PORT', '8088')}")
    parser.add_argument("--filters", default="", help="JSON：{slug: {filter_id: {column, values}}}，截取筛选后的仪表板")
    parser.add_argument("--suffix", default="", help="截图文件名后缀（如 _filtered）")
    parser.add_argument("--login-page", action="store_true", help="先截取登录页（login.png）")
    args = parser.parse_args()
    filters = json.loads(args.filters) if args.filters else {}
    args.out.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="zhicheng-chromium-"))  # a fresh profile every time
    browser = driver(profile)
    try:
        if args.login_page:
            print(json.dumps(login_page(browser, args.url, args.out), ensure_ascii=False), flush=True)
        login(browser, args.url, os.environ.get("SUPERSET_ADMIN_USER", "admin"), admin_password())
        for slug in args.slugs:
            shot = shoot(browser, args.url, slug, args.out, filters=filters.get(slug), suffix=args.suffix)
            print(json.dumps(shot, ensure_ascii=False), flush=True)
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
