#!/usr/bin/env bash
# 建立（或复用缓存的）Superset 虚拟环境。缓存键 = requirements.txt + Python 版本的哈希。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

command -v "$PYTHON_SUPERSET" >/dev/null || { echo "需要 Python 3.11（$PYTHON_SUPERSET）" >&2; exit 1; }
key="$(superset_pins_key)"
target="$ZHICHENG_CACHE/superset-venv-$key"
start=$(date +%s)
if [ ! -f "$target/.zhicheng-ready" ]; then
  echo "正在建立 Superset 虚拟环境（首次约需数分钟）：$target"
  rm -rf "$target"
  mkdir -p "$ZHICHENG_CACHE"
  "$PYTHON_SUPERSET" -m venv "$target"
  "$target/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  log="$target.pip.log"
  if ! "$target/bin/python" -m pip install --quiet -r "$SUPERSET_SCRIPTS/requirements.txt" -c "$SUPERSET_SCRIPTS/constraints.txt" >"$log" 2>&1; then
    grep -v '^WARNING: Location' "$log" >&2; echo "Superset 虚拟环境安装失败（日志：$log）" >&2; exit 1
  fi
  "$target/bin/python" -m pip check >/dev/null || { "$target/bin/python" -m pip check; echo "Superset 虚拟环境依赖检查未通过" >&2; exit 1; }
  echo "$key" > "$target/.zhicheng-ready"
  echo "Superset 虚拟环境已建立，用时 $(( $(date +%s) - start )) 秒"
else
  echo "复用已缓存的 Superset 虚拟环境：$target"
fi
# 其它（旧版本固定的）缓存虚拟环境不再需要
for old in "$ZHICHENG_CACHE"/superset-venv-*; do
  case "$old" in "$target"|"$target".*) ;; *) [ -d "$old" ] && rm -rf "$old" ;; esac
done
rm -f "$ZHICHENG_CACHE"/superset-venv-*.pip.log 2>/dev/null || true
# 仓库内的 .venv-superset 指向缓存（已是正确链接时不改动）
if [ "$(readlink "$SUPERSET_VENV" 2>/dev/null || true)" != "$target" ]; then
  if [ -e "$SUPERSET_VENV" ] && [ ! -L "$SUPERSET_VENV" ]; then rm -rf "$SUPERSET_VENV"; fi
  ln -sfn "$target" "$SUPERSET_VENV"
fi
# 更新版本：改 requirements.txt，删去 constraints.txt 中的旧行后运行本脚本，再用
#   .venv-superset/bin/pip freeze | grep -v '^-e' 重新生成 constraints.txt。
