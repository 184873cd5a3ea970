#!/usr/bin/env bash
# make superset：建立 Superset（独立虚拟环境、元数据库、管理员、中文字体）。重复运行是安全的。
#   管理员口令取自环境变量 SUPERSET_ADMIN_PASSWORD；未设置时生成随机口令写入
#   $SUPERSET_DATA/admin_password（不纳入版本库）并打印其位置。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
start=$(date +%s)

# 1. 中文字体（Debian fonts-noto-cjk）与无界面浏览器所需的字体
if ! fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装中文字体 fonts-noto-cjk …"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }
  else
    echo "警告：未找到中文字体，请以 root 运行 apt-get install fonts-noto-cjk" >&2
  fi
fi

# 2. 虚拟环境（按版本固定缓存）
bash "$SUPERSET_SCRIPTS/install-venv.sh"
venv_dir="$(readlink -f "$SUPERSET_VENV")"

# 3. 密钥与元数据库
mkdir -p "$SUPERSET_DATA"
chmod 700 "$SUPERSET_DATA"
if [ -z "${SUPERSET_SECRET_KEY:-}" ] && [ ! -s "$SUPERSET_DATA/secret_key" ]; then
  "$venv_dir/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))' > "$SUPERSET_DATA/secret_key"
  chmod 600 "$SUPERSET_DATA/secret_key"
fi
key="$(superset_pins_key)"
template="$venv_dir/metadata-template.db"
if [ ! -f "$SUPERSET_DATA/superset.db" ] || [ "$(cat "$SUPERSET_DATA/.schema" 2>/dev/null)" != "$key" ]; then
  if [ ! -f "$template" ]; then
    echo "初始化 Superset 元数据库模板（每个虚拟环境只需一次）…"
    tmpdata="$(mktemp -d)"
    SUPERSET_DATA="$tmpdata" SUPERSET_SECRET_KEY=template-only "$venv_dir/bin/superset" db upgrade >"$tmpdata/upgrade.log" 2>&1 \
      || { cat "$tmpdata/upgrade.log" >&2; exit 1; }
    SUPERSET_DATA="$tmpdata" SUPERSET_SECRET_KEY=template-only "$venv_dir/bin/superset" init >"$tmpdata/init.log" 2>&1 \
      || { cat "$tmpdata/init.log" >&2; exit 1; }
    cp "$tmpdata/superset.db" "$template.part" && mv "$template.part" "$template"
    rm -rf "$tmpdata"
  fi
  if [ -f "$SUPERSET_DATA/superset.db" ]; then
    echo "升级已有的 Superset 元数据库 …"
    "$venv_dir/bin/superset" db upgrade >"$SUPERSET_DATA/upgrade.log" 2>&1 || { cat "$SUPERSET_DATA/upgrade.log" >&2; exit 1; }
    "$venv_dir/bin/superset" init >"$SUPERSET_DATA/init.log" 2>&1 || { cat "$SUPERSET_DATA/init.log" >&2; exit 1; }
  else
    cp "$template" "$SUPERSET_DATA/superset.db"
  fi
  echo "$key" > "$SUPERSET_DATA/.schema"
fi

# 4. 管理员（口令只来自环境变量或未纳入版本库的口令文件）
password_note=""
if [ -z "${SUPERSET_ADMIN_PASSWORD:-}" ]; then
  if [ ! -s "$SUPERSET_DATA/admin_password" ]; then
    "$venv_dir/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))' > "$SUPERSET_DATA/admin_password"
    chmod 600 "$SUPERSET_DATA/admin_password"
  fi
  SUPERSET_ADMIN_PASSWORD="$(cat "$SUPERSET_DATA/admin_password")"
  password_note="管理员口令保存在（未纳入版本库）：$SUPERSET_DATA/admin_password"
fi
export SUPERSET_ADMIN_PASSWORD SUPERSET_ADMIN_USER
"$venv_dir/bin/python" "$SUPERSET_SCRIPTS/ensure_admin.py" >"$SUPERSET_DATA/admin.log" 2>&1 \
  || { cat "$SUPERSET_DATA/admin.log" >&2; exit 1; }
grep -E '^(已|管理员)' "$SUPERSET_DATA/admin.log" || true

echo "Superset 已就绪（用时 $(( $(date +%s) - start )) 秒）。配置：$SUPERSET_CONFIG_PATH，元数据：$SUPERSET_DATA"
echo "管理员用户：$SUPERSET_ADMIN_USER"
[ -n "$password_note" ] && echo "$password_note" || echo "管理员口令取自环境变量 SUPERSET_ADMIN_PASSWORD"
