"""Import the dashboards-as-code bundle (superset/assets/) into a running Superset.

Runs with the Superset venv's Python (it has superset-client):
    .venv-superset/bin/python superset/provision.py [--snapshot PATH] [--url URL] [--force]

superset-client does: the login (POST /api/v1/security/login, with
OAUTHLIB_INSECURE_TRANSPORT=1 on plain http), the CSRF token, the bundle import
(`client.assets.import_file` → POST /api/v1/assets/import/) and the export
(`client.assets.export` → GET /api/v1/assets/export/). Where it lacks a call, this
script uses the REST API through the client's authenticated session:
  - GET /api/v1/chart/?q=…        (list charts with their uuids; client.charts.find
                                    does not return uuids)
  - GET /api/v1/chart/<id>/data/  (run a chart's saved query; the client has none)
  - GET /api/v1/dashboard/<slug>  (look a dashboard up by slug)
superset-client's databases.add() fails on Superset 6.1, so the database, too, comes in
with the bundle.

Re-running changes nothing: the bundle's hash (with the snapshot path filled in) is
kept beside the metadata database; when it matches and every object of the bundle is
still there, no import is made. With --force the bundle is imported again, and the
import itself is idempotent (same uuids → the same rows updated with the same values).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
PLACEHOLDER = "{{SERVING_SNAPSHOT}}"
DATA = Path(os.environ.get("SUPERSET_DATA", HERE.parent / "data" / "superset"))
STAMP = DATA / "provisioned.json"


def rendered_bundle(snapshot: Path) -> dict[str, str]:
    files = {}
    for path in sorted(ASSETS.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        files[path.relative_to(ASSETS).as_posix()] = text.replace(PLACEHOLDER, str(snapshot))
    if "metadata.yaml" not in files:
        raise SystemExit(f"错误：资产目录缺少 metadata.yaml：{ASSETS}（请运行 python superset/bundle.py）")
    return files


def bundle_hash(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name, text in sorted(files.items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


def bundle_uuids(files: dict[str, str]) -> set[str]:
    import yaml

    return {str(yaml.safe_load(text)["uuid"]) for name, text in files.items() if name != "metadata.yaml"}


def export_bytes(client) -> dict[str, bytes]:
    """The whole export, file by file (metadata.yaml, which holds a timestamp, left out)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "export.zip"
        client.assets.export(target)
        with zipfile.ZipFile(target) as archive:
            return {
                "/".join(n.split("/")[1:]): archive.read(n)
                for n in archive.namelist()
                if not n.endswith("metadata.yaml")
            }


def exported_uuids(client) -> set[str]:
    import yaml

    uuids = set()
    for name, data in export_bytes(client).items():
        if name.endswith(".yaml"):
            document = yaml.safe_load(data)
            if isinstance(document, dict) and "uuid" in document:
                uuids.add(str(document["uuid"]))
    return uuids


def make_zip(files: dict[str, str], folder: Path) -> Path:
    target = folder / "zhicheng_bundle.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(f"zhicheng_bundle/{name}", date_time=(2022, 1, 1, 0, 0, 0))
            archive.writestr(info, text.encode("utf-8"))
    target.write_bytes(buffer.getvalue())
    return target


def admin_password() -> str:
    value = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if value:
        return value
    file = DATA / "admin_password"
    if file.exists():
        return file.read_text(encoding="utf-8").strip()
    raise SystemExit(f"错误：未设置 SUPERSET_ADMIN_PASSWORD，也没有口令文件 {file}（请先运行 make superset）")


def connect(url: str):
    os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on 127.0.0.1 only
    from supersetapiclient.client import SupersetClient

    client = SupersetClient(
        host=url, username=os.environ.get("SUPERSET_ADMIN_USER", "admin"), password=admin_password()
    )
    client.session  # noqa: B018 - logs in and fetches the CSRF token now, so errors surface here
    return client


def import_bundle(client, files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = make_zip(files, Path(tmp))
        # superset-client opens the bundle by its bare file name: run it from the bundle's folder
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            ok = client.assets.import_file(archive)
        finally:
            os.chdir(cwd)
    if not ok:
        raise SystemExit("错误：Superset 未接受资产包导入")


def chart_ids(client) -> dict[str, int]:
    """uuid → id of every chart (REST: the client has no call that returns uuids)."""
    query = "(columns:!(id,uuid,slice_name),page:0,page_size:100)"
    response = client.get(client.join_urls(client.base_url, "chart/"), params={"q": query})
    response.raise_for_status()
    return {str(item["uuid"]): item["id"] for item in response.json()["result"]}


def chart_data(client, chart_id: int) -> dict:
    """Run a chart's saved query (REST: GET /api/v1/chart/<id>/data/)."""
    response = client.get(client.join_urls(client.base_url, f"chart/{chart_id}/data/"), params={"format": "json"})
    if response.status_code != 200:
        raise RuntimeError(f"图表 {chart_id} 的数据查询失败（HTTP {response.status_code}）：{response.text[:500]}")
    return response.json()


def chart_data_filtered(client, chart_id: int, filters: list[dict]) -> dict:
    """Run a chart's saved query with extra filters, as a dashboard's native filters add them
    (their extraFormData filters: [{"col", "op": "IN", "val": [...]}]) — REST: POST /api/v1/chart/data."""
    response = client.get(client.join_urls(client.base_url, f"chart/{chart_id}"))
    response.raise_for_status()
    saved = response.json()["result"]
    form = json.loads(saved["params"])
    context = json.loads(saved["query_context"])
    datasource_id = int(str(form["datasource"]).split("__")[0])
    context["datasource"] = {"id": datasource_id, "type": "table"}
    context["form_data"] = {**form, "extra_form_data": {"filters": filters}}
    for query in context["queries"]:
        query["filters"] = [*query.get("filters", []), *filters]
    context["force"] = True
    response = client.post(client.join_urls(client.base_url, "chart/data"), json=context)
    if response.status_code != 200:
        raise RuntimeError(f"图表 {chart_id} 的筛选查询失败（HTTP {response.status_code}）：{response.text[:500]}")
    return response.json()


def provision(url: str, snapshot: Path, force: bool = False) -> bool:
    """Import when needed. True when an import was made."""
    snapshot = snapshot.resolve()
    if not snapshot.exists():
        print(f"警告：服务快照尚不存在：{snapshot}（图表要在 zhicheng run 之后才有数据）", file=sys.stderr)
    files = rendered_bundle(snapshot)
    digest = bundle_hash(files)
    client = connect(url)
    stamp = json.loads(STAMP.read_text(encoding="utf-8")) if STAMP.exists() else {}
    if not force and stamp.get("hash") == digest and bundle_uuids(files) <= exported_uuids(client):
        print("Superset 仪表板已是最新，未做任何改动。")
        return False
    import_bundle(client, files)
    missing = bundle_uuids(files) - exported_uuids(client)
    if missing:
        raise SystemExit(f"错误：导入后仍缺少对象：{sorted(missing)}")
    DATA.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(json.dumps({"hash": digest, "snapshot": str(snapshot)}, ensure_ascii=False), encoding="utf-8")
    counts = {
        kind: sum(1 for n in files if n.startswith(kind + "/"))
        for kind in ("databases", "datasets", "charts", "dashboards")
    }
    print(
        f"已导入资产包：数据库 {counts['databases']}、数据集 {counts['datasets']}、"
        f"图表 {counts['charts']}、仪表板 {counts['dashboards']}；"
        f"数据源：{snapshot}"
    )
    return True


def report(url: str, filters: list[dict] | None = None) -> dict:
    """Every chart's saved query run through the API (with `filters` added as a native filter adds
    them, when given), the database backend and a digest of the export."""
    client = connect(url)
    charts = {}
    for chart_uuid, chart_id in chart_ids(client).items():
        try:
            data = chart_data_filtered(client, chart_id, filters) if filters else chart_data(client, chart_id)
            result = data["result"][0]
            charts[chart_uuid] = {
                "id": chart_id,
                "rowcount": result.get("rowcount"),
                "error": result.get("error"),
                "data": result.get("data", [])[:1000],
            }
        except RuntimeError as error:
            charts[chart_uuid] = {"id": chart_id, "rowcount": 0, "error": str(error), "data": []}
    response = client.get(
        client.join_urls(client.base_url, "database/"),
        params={"q": "(columns:!(id,uuid,backend,database_name,sqlalchemy_uri),page_size:100)"},
    )
    response.raise_for_status()
    databases = response.json()["result"]
    exported = export_bytes(client)
    digest = hashlib.sha256(
        b"".join(name.encode() + b"\0" + data for name, data in sorted(exported.items()))
    ).hexdigest()
    return {"charts": charts, "databases": databases, "export_digest": digest, "export_files": sorted(exported)}


def main() -> None:
    parser = argparse.ArgumentParser(description="把 superset/assets/ 中的仪表板资产包导入正在运行的 Superset")
    out = Path(os.environ.get("ZHICHENG_OUT", HERE.parent / "output"))
    port = os.environ.get("SUPERSET_PORT", "8088")
    parser.add_argument(
        "--snapshot", type=Path, default=out / "serving.duckdb", help="服务快照（默认 <输出目录>/serving.duckdb）"
    )
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}", help="Superset 地址")
    parser.add_argument("--force", action="store_true", help="即使资产包未变也重新导入")
    parser.add_argument(
        "--report", action="store_true", help="不导入；以 JSON 打印每个图表的数据查询结果与导出摘要（供测试）"
    )
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="列=值",
        help="与 --report 合用：像仪表板筛选器那样给每个图表加上筛选（可重复）",
    )
    args = parser.parse_args()
    if args.report:
        filters = []
        for item in args.filter:
            column, _, value = item.partition("=")
            filters.append({"col": column, "op": "IN", "val": [int(value) if value.isdigit() else value]})
        print(json.dumps(report(args.url, filters), ensure_ascii=False, default=str))
        return
    provision(args.url, args.snapshot, args.force)


if __name__ == "__main__":
    main()
