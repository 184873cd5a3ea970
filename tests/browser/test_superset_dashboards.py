"""Superset for real: set up (cached venv), start on 127.0.0.1, provision the bundle, query every
chart through the API, and screenshot both dashboards in headless Debian chromium.

Needs: python3.11, Debian packages chromium, chromium-driver and fonts-noto-cjk (setup.sh
installs the fonts when run as root). The Superset venv is cached under ~/.cache/zhicheng,
keyed by scripts/superset/requirements.txt + constraints.txt: a cold set-up takes about
1 to 3 minutes, a cached one a few seconds.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts" / "superset"
sys.path.insert(0, str(ROOT / "superset"))

import bundle  # noqa: E402  (superset/bundle.py: the dashboards as code)

SHOT_DIR = Path(os.environ.get("ZHICHENG_SCREENSHOT_DIR", ROOT / "data" / "screenshots"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served_snapshot(request) -> Path:
    """The serving snapshot published by the real pipeline run (tests/conftest.py)."""
    override = os.environ.get("ZHICHENG_BROWSER_SNAPSHOT")  # only to try the test on another snapshot
    snapshot = Path(override) if override else request.getfixturevalue("pipeline_run")[1] / "serving.duckdb"
    assert snapshot.exists(), f"zhicheng run 没有发布服务快照：{snapshot}"
    return snapshot


@pytest.fixture(scope="module")
def superset_server(served_snapshot, tmp_path_factory):
    data = tmp_path_factory.mktemp("superset_data")
    port = _free_port()
    env = {
        **os.environ,
        "SUPERSET_DATA": str(data),
        "SUPERSET_PORT": str(port),
        "SUPERSET_ADMIN_PASSWORD": secrets.token_urlsafe(12),
        "SUPERSET_WORKERS": "1",
        "SUPERSET_ACCESS_LOG": "/dev/null",
        "ZHICHENG_OUT": str(served_snapshot.parent),
    }
    started = time.monotonic()
    setup = subprocess.run(["bash", str(SCRIPTS / "setup.sh")], env=env, capture_output=True, text=True, timeout=1200)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    print(f"Superset 安装用时 {time.monotonic() - started:.0f} 秒")
    log = open(data / "server.log", "w")
    server = subprocess.Popen(
        ["bash", str(SCRIPTS / "start.sh")], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
            assert server.poll() is None, (data / "server.log").read_text()
        else:
            pytest.fail("Superset 未能在 60 秒内启动：\n" + (data / "server.log").read_text()[-3000:])
        yield {"url": url, "env": env, "data": data}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _superset_python(server, *args, timeout=300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(ROOT / ".venv-superset" / "bin" / "python"), *args],
        env=server["env"],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def provisioned(superset_server, served_snapshot):
    first = _superset_python(
        superset_server, "superset/provision.py", "--snapshot", str(served_snapshot), "--url", superset_server["url"]
    )
    assert "已导入资产包" in first.stdout
    return superset_server


def _report(server, *filters: str) -> dict:
    """Every chart's query through the chart-data API; each "column=value" is added as a native filter adds it."""
    extra = [arg for item in filters for arg in ("--filter", item)]
    return json.loads(
        _superset_python(server, "superset/provision.py", "--report", "--url", server["url"], *extra).stdout
    )


def _filter_choices(snapshot: Path) -> dict[str, object]:
    """For each dashboard filter column, the value with the most applications in the snapshot."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return {
            column: con.execute(
                f"select {column} from analyst.applications where {column} is not null "
                "group by 1 order by count(*) desc, 1 limit 1"
            ).fetchone()[0]
            for column in bundle.FILTER_COLUMNS
        }
    finally:
        con.close()


def test_server_only_on_loopback_with_strict_csp(superset_server):
    with urllib.request.urlopen(f"{superset_server['url']}/login/") as response:
        csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    sources = [token for token in csp.replace(";", " ").split() if "." in token or "://" in token]
    assert sources == [], f"内容安全策略允许了外部来源：{sources}"
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    port = superset_server["env"]["SUPERSET_PORT"]
    lines = [line for line in listening.splitlines() if f":{port} " in line + " "]
    assert lines and all("127.0.0.1:" in line for line in lines), lines


def test_every_chart_returns_rows_from_duckdb(provisioned, served_snapshot):
    report = _report(provisioned)
    assert [d["backend"] for d in report["databases"]] == ["duckdb"]
    charts = report["charts"]
    expected = {bundle.chart_uuid(key): spec["title"] for key, spec in bundle.CHARTS.items()}
    assert set(charts) == set(expected)
    for chart_uuid, result in charts.items():
        assert result["error"] is None, f"{expected[chart_uuid]}：{result['error']}"
        assert result["rowcount"] > 0, f"图表“{expected[chart_uuid]}”没有数据"
    # the headline numbers are those DuckDB gives on the snapshot itself
    con = duckdb.connect(str(served_snapshot), read_only=True)
    direct = {
        "kpi_applications": con.execute("select count(*) from analyst.applications").fetchone()[0],
        "kpi_passed": con.execute("select count(*) from analyst.applications where is_passed").fetchone()[0],
        "kpi_violations": con.execute("select count(*) from marts.findings where severity = '违规'").fetchone()[0],
    }
    for key, value in direct.items():
        (row,) = charts[bundle.chart_uuid(key)]["data"]
        assert list(row.values()) == [value], key


def test_native_filters_change_the_numbers_of_every_chart(provisioned, served_snapshot):
    """Each of 年度、评委会、地区、系列、层级, applied as a dashboard applies it, reaches every chart."""
    unfiltered = _report(provisioned)["charts"]
    con = duckdb.connect(str(served_snapshot), read_only=True)
    choices = _filter_choices(served_snapshot)
    years = con.execute("select count(distinct year) from analyst.applications").fetchone()[0]
    kpi = bundle.chart_uuid("kpi_applications")
    comparison = bundle.chart_uuid("group_comparison")
    try:
        for column, value in choices.items():
            charts = _report(provisioned, f"{column}={value}")["charts"]
            for chart_uuid, result in charts.items():
                assert result["error"] is None, (column, chart_uuid, result["error"])
            applications, evaluated = con.execute(
                f"select count(*), count(*) filter (where is_evaluated) from analyst.applications where {column} = ?",
                [value],
            ).fetchone()
            assert [list(r.values()) for r in charts[kpi]["data"]] == [[applications]], column
            # the pass-rate comparison obeys the filter too (it ignored 地区 before)
            assert sum(r["group_evaluated"] for r in charts[comparison]["data"]) == evaluated, column
            if column != "year" or years > 1:
                changed = [u for u, r in charts.items() if r["data"] != unfiltered[u]["data"]]
                assert kpi in changed and comparison in changed, column
                print(f"筛选 {column}={value}：{len(changed)}/{len(charts)} 个图表的数字随之变化")
    finally:
        con.close()


def test_reprovisioning_changes_nothing(provisioned, served_snapshot):
    before = _report(provisioned)["export_digest"]
    again = _superset_python(
        provisioned, "superset/provision.py", "--snapshot", str(served_snapshot), "--url", provisioned["url"]
    )
    assert "未做任何改动" in again.stdout
    forced = _superset_python(
        provisioned, "superset/provision.py", "--snapshot", str(served_snapshot), "--url", provisioned["url"], "--force"
    )
    assert "已导入资产包" in forced.stdout
    assert _report(provisioned)["export_digest"] == before


def _filters_for_screenshots(values: dict[str, object]) -> dict:
    """{slug: {filter id: {column, values}}} for 年度 and 地区 on both dashboards."""
    shots = {}
    for key, spec in bundle.DASHBOARDS.items():
        chosen = {}
        for name, label, dataset, column in spec["filters"]:
            if column in ("year", "region_name"):
                chosen[bundle._native_filter(key, name, label, dataset, column)["id"]] = {
                    "column": column,
                    "values": [values[column]],
                }
        shots[spec["slug"]] = chosen
    return shots


def test_dashboards_render_in_headless_chromium(provisioned, served_snapshot):
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"仪表板截图保存在：{SHOT_DIR}")
    slugs = {spec["slug"]: key for key, spec in bundle.DASHBOARDS.items()}
    result = _superset_python(
        provisioned,
        str(SCRIPTS / "screenshot.py"),
        "--out",
        str(SHOT_DIR),
        "--login-page",
        "--url",
        provisioned["url"],
        *slugs,
        timeout=400,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    login, shots = lines[0], lines[1:]
    # the login page, seen before logging in, is Chinese
    assert login["slug"] == "login" and "登录" in login["text"] and "用户名" in login["text"], login["text"]
    assert "Sign in" not in login["text"] and "Username" not in login["text"], login["text"]
    assert [s["slug"] for s in shots] == list(slugs)
    for shot in shots:
        key = slugs[shot["slug"]]
        assert shot["errors"] == [], f"{shot['slug']} 有图表报错：{shot['errors']}"
        assert shot["empty"] == [], f"{shot['slug']} 在未筛选时有空图表：{shot['empty']}"
        assert shot["loading_left"] == 0, shot["slug"]
        assert shot["rendered"] >= len(bundle.dashboard_charts(key)), shot
        assert shot["cjk_glyphs_distinct"], "中文字形未能显示（缺少 fonts-noto-cjk？）"
        assert bundle.DASHBOARDS[key]["title"] in shot["text"]
        for chart_key in bundle.dashboard_charts(key):
            assert bundle.CHARTS[chart_key]["title"] in shot["text"], chart_key
        png = Path(shot["png"])
        assert png.stat().st_size > 50_000, "截图过小，页面可能是空白"
    # the same dashboards with 年度 and 地区 applied through the dashboard URL (native filter state)
    values = _filter_choices(served_snapshot)
    filtered = _superset_python(
        provisioned,
        str(SCRIPTS / "screenshot.py"),
        "--out",
        str(SHOT_DIR),
        "--url",
        provisioned["url"],
        "--suffix",
        "_筛选后",
        "--filters",
        json.dumps(_filters_for_screenshots(values), ensure_ascii=False),
        *slugs,
        timeout=400,
    )
    filtered_shots = [json.loads(line) for line in filtered.stdout.splitlines() if line.startswith("{")]
    assert [s["slug"] for s in filtered_shots] == list(slugs)
    for shot, plain in zip(filtered_shots, shots, strict=False):
        assert shot["errors"] == [], f"{shot['slug']}（筛选后）有图表报错：{shot['errors']}"
        assert shot["rendered"] >= len(bundle.dashboard_charts(slugs[shot["slug"]])), shot
        assert str(values["region_name"]) in shot["text"]  # the chosen value shows in the filter bar
        assert shot["text"] != plain["text"], "筛选后页面上的数字没有变化"
        assert Path(shot["png"]).stat().st_size > 50_000
        print(
            f"{shot['slug']}：{plain['png']}（未筛选），{shot['png']}（年度={values['year']}、地区={values['region_name']}）；"
            f"筛选后无数据的图表：{[e.splitlines()[0] for e in shot['empty']]}"
        )
    print(f"登录页截图：{login['png']}")
