"""Superset 配置（由 scripts/superset/*.sh 通过 SUPERSET_CONFIG_PATH 载入）。

- 元数据库：$SUPERSET_DATA/superset.db（SQLite，不纳入版本库）
- 密钥：$SUPERSET_SECRET_KEY，否则 $SUPERSET_DATA/secret_key（由 setup.sh 生成）
- 只在 127.0.0.1 上服务（由启动脚本绑定）；内容安全策略只允许本站资源，不向外部取任何东西
- 界面默认中文
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

_DATA = Path(os.environ.get("SUPERSET_DATA", Path(__file__).resolve().parent.parent / "data" / "superset"))
_DATA.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    value = os.environ.get("SUPERSET_SECRET_KEY")
    if value:
        return value
    key_file = _DATA / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    raise RuntimeError(
        f"缺少 Superset 密钥：请设置 SUPERSET_SECRET_KEY 或先运行 scripts/superset/setup.sh（生成 {key_file}）"
    )


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = "sqlite:///" + str(_DATA / "superset.db") + "?check_same_thread=false"
DATA_DIR = str(_DATA)

APP_NAME = "职称评审监管"
BABEL_DEFAULT_LOCALE = "zh"
# only Chinese: every page, the login page included, is in Chinese whatever the browser asks for
LANGUAGES = {"zh": {"flag": "cn", "name": "简体中文"}}

# Superset's own Chinese pack leaves the login page half English ("Sign in" → "Not In", empty or wrong
# entries) and says nothing plain on an empty chart. These entries replace those of the pack.
ZH_OVERRIDES = {
    "Sign in": "登录",
    "Sign In": "登录",
    "Sign in with": "登录方式",
    "Enter your login and password below:": "请输入用户名和口令：",
    "Username:": "用户名：",
    "Password:": "口令：",
    "Username": "用户名",
    "Password": "口令",
    "Please enter your username": "请输入用户名",
    "Please enter your password": "请输入口令",
    "Invalid username or password": "用户名或口令不正确",
    "Invalid login. Please try again.": "登录失败，请重试。",
    "Register": "注册",
    "No results were returned for this query": "无数据",
    "No results": "无数据",
    "No data": "无数据",
    "No Data": "无数据",
    (
        "Make sure that the controls are configured properly and the datasource contains data for the selected "
        "time range"
    ): "当前筛选条件下没有数据。",
    "No data after filtering or data is NULL for the latest time record": "无数据（筛选后没有数据）",
    "Try applying different filters or ensuring your datasource has data": "当前筛选条件下没有数据。",
    "There is currently no information to display.": "当前筛选条件下没有数据。",
}


def _chinese_language_pack(app) -> None:
    """Serve Superset's zh pack with ZH_OVERRIDES at /superset/language_pack/zh/, to every page.

    The front end fetches that address on every page; Superset's own view sends the file as it is and
    requires a login, so the login page fell back to English. The pack is public interface text.
    """
    import json

    from flask import request
    from superset.translations import utils as translations

    path = Path(translations.__file__).parent / "zh" / "LC_MESSAGES" / "messages.json"
    pack = json.loads(path.read_text(encoding="utf-8"))
    messages = pack["locale_data"]["superset"]
    for english, chinese in ZH_OVERRIDES.items():
        messages[english] = [chinese]
    translations.ALL_LANGUAGE_PACKS["zh"] = pack  # the server-side bootstrap reads this cache
    body = json.dumps(pack, ensure_ascii=False)

    @app.before_request
    def _zh_language_pack():
        if request.path.rstrip("/") == "/superset/language_pack/zh":
            return app.response_class(body, mimetype="application/json")
        return None


FLASK_APP_MUTATOR = _chinese_language_pack

# 不加载示例，不发送任何统计，不显示外部帮助链接
SUPERSET_LOAD_EXAMPLES = False
SCARF_ANALYTICS = False
DOCUMENTATION_URL = None
BUG_REPORT_URL = None
TROUBLESHOOTING_LINK = None
MAPBOX_API_KEY = ""

FEATURE_FLAGS = {
    "DASHBOARD_CROSS_FILTERS": True,
    "DASHBOARD_RBAC": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    "EMBEDDED_SUPERSET": False,
    "DRILL_TO_DETAIL": True,
}

# 图表数据缓存 60 秒：服务快照更新后一分钟内即可看到新数据
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300, "CACHE_KEY_PREFIX": "zhicheng_"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 60, "CACHE_KEY_PREFIX": "zhicheng_data_"}
FILTER_STATE_CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 86400,
    "CACHE_KEY_PREFIX": "zhicheng_fs_",
}
EXPLORE_FORM_DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "SimpleCache",
    "CACHE_DEFAULT_TIMEOUT": 86400,
    "CACHE_KEY_PREFIX": "zhicheng_ef_",
}
RATELIMIT_STORAGE_URI = "memory://"
GLOBAL_ASYNC_QUERIES = False

SQLLAB_TIMEOUT = 60
SUPERSET_WEBSERVER_TIMEOUT = 120
ROW_LIMIT = 50000

# ---- 内容安全策略：一切资源只来自本站（'self'），不允许任何外部地址 ----
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
THEME_DEFAULT = {
    "token": {
        "brandAppName": APP_NAME,
        "brandLogoAlt": APP_NAME,
        "brandLogoHref": "/",
        "fontUrls": [],
        # 中文字形来自系统字体（Debian fonts-noto-cjk），不从外部加载字体
        "fontFamily": "Inter, 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', Helvetica, Arial, sans-serif",
    },
    "algorithm": "default",
}
THEME_DARK = None

_CSP = {
    "base-uri": ["'self'"],
    "default-src": ["'self'"],
    "img-src": ["'self'", "blob:", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": "'none'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "font-src": ["'self'", "data:"],
    "script-src": ["'self'", "'strict-dynamic'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
}
TALISMAN_ENABLED = True
CONTENT_SECURITY_POLICY_WARNING = False
TALISMAN_CONFIG = {
    "content_security_policy": _CSP,
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
TALISMAN_DEV_CONFIG = TALISMAN_CONFIG

# 会话与 CSRF（本机 http）
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
WTF_CSRF_ENABLED = True
PERMANENT_SESSION_LIFETIME = timedelta(hours=12)


# ---- DuckDB 连接：服务快照只读、不能访问其他文件、SQL Lab 里不能用 SET 改内存上限或线程数 ----
def DB_CONNECTION_MUTATOR(uri, params, username, security_manager, source):  # noqa: N802 - Superset's name
    """Every DuckDB connection Superset opens gets lock_configuration (and stays read-only, no file access)."""
    if str(getattr(uri, "drivername", uri)).startswith("duckdb"):
        connect_args = dict(params.get("connect_args") or {})
        config = dict(connect_args.get("config") or {})
        config.update({"enable_external_access": False, "lock_configuration": True})
        connect_args.update({"read_only": True, "config": config})
        params = {**params, "connect_args": connect_args}
    return uri, params
