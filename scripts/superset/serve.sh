#!/usr/bin/env bash
# make superset：安装（已缓存则跳过）并在 127.0.0.1 上运行 Superset，导入仪表板资产包。
# make serve   ：同上，并同时运行 Dagster 界面。  用法：serve.sh [superset|all]
# 按 Ctrl-C 停止全部。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
mode="${1:-all}"
: "${DAGSTER_PORT:=3000}"
: "${ZHICHENG_INBOX:=$REPO_ROOT/data/inbox}"
: "${ZHICHENG_WAREHOUSE:=$REPO_ROOT/data/warehouse.duckdb}"
export ZHICHENG_INBOX ZHICHENG_WAREHOUSE ZHICHENG_OUT
export DAGSTER_HOME="${DAGSTER_HOME:-$REPO_ROOT/dagster_home}"
snapshot="$ZHICHENG_OUT/serving.duckdb"

bash "$SUPERSET_SCRIPTS/setup.sh"
[ -f "$snapshot" ] || echo "提示：服务快照 $snapshot 尚不存在，仪表板要在 make demo（zhicheng run）之后才有数据。"

pids=()
cleanup() {
  trap - EXIT INT TERM
  # dagster dev stops cleanly on SIGINT; gunicorn too. Whatever is left after 20 s is killed.
  for pid in "${pids[@]}"; do kill -INT -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  echo "已停止 Superset$([ "$mode" = all ] && echo " 与 Dagster 界面")。"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$SUPERSET_DATA"
setsid bash "$SUPERSET_SCRIPTS/start.sh" >>"$SUPERSET_DATA/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://$SUPERSET_HOST:$SUPERSET_PORT/health" && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "Superset 启动失败，日志：$SUPERSET_DATA/server.log" >&2; tail -20 "$SUPERSET_DATA/server.log" >&2; exit 1; }
  sleep 0.5
done
"$SUPERSET_VENV/bin/python" "$REPO_ROOT/superset/provision.py" --snapshot "$snapshot" --url "http://$SUPERSET_HOST:$SUPERSET_PORT"

if [ "$mode" = all ]; then
  [ -x "$REPO_ROOT/.venv/bin/dagster" ] || { echo "缺少流水线虚拟环境：请先运行 make setup" >&2; exit 1; }
  setsid "$REPO_ROOT/.venv/bin/dagster" dev -m dagster_project.definitions -h 127.0.0.1 -p "$DAGSTER_PORT" \
    >>"$SUPERSET_DATA/dagster.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$DAGSTER_PORT/server_info" && break
    kill -0 "${pids[1]}" 2>/dev/null || { echo "Dagster 界面启动失败，日志：$SUPERSET_DATA/dagster.log" >&2; tail -20 "$SUPERSET_DATA/dagster.log" >&2; exit 1; }
    sleep 0.5
  done
fi

if [ -n "${SUPERSET_ADMIN_PASSWORD:-}" ]; then login_note="口令：环境变量 SUPERSET_ADMIN_PASSWORD 的值"
else login_note="口令见文件 $SUPERSET_DATA/admin_password"; fi
echo
echo "================ 职称评审监管 ================"
echo "Superset 仪表板： http://$SUPERSET_HOST:$SUPERSET_PORT/superset/dashboard/zhicheng-overview/"
echo "  职称科问题清单： http://$SUPERSET_HOST:$SUPERSET_PORT/superset/dashboard/zhicheng-findings/"
echo "  登录：用户 $SUPERSET_ADMIN_USER，$login_note"
[ "$mode" = all ] && echo "Dagster 界面：    http://127.0.0.1:$DAGSTER_PORT/"
echo "分析人员 SQL：     .venv/bin/zhicheng sql --out $ZHICHENG_OUT"
echo "日志：$SUPERSET_DATA/server.log$([ "$mode" = all ] && echo "，$SUPERSET_DATA/dagster.log")"
echo "按 Ctrl-C 停止。"
echo "=============================================="
wait -n "${pids[@]}"
