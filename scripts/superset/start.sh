#!/usr/bin/env bash
# 在 127.0.0.1:$SUPERSET_PORT 上前台运行 Superset（gunicorn）。先运行 setup.sh。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -x "$SUPERSET_VENV/bin/gunicorn" ] || { echo "Superset 未安装：请先运行 make superset" >&2; exit 1; }
[ -f "$SUPERSET_DATA/superset.db" ] || { echo "Superset 元数据库不存在：请先运行 make superset" >&2; exit 1; }
exec "$SUPERSET_VENV/bin/gunicorn" \
  --bind "$SUPERSET_HOST:$SUPERSET_PORT" \
  --workers "${SUPERSET_WORKERS:-2}" --threads "${SUPERSET_THREADS:-4}" --worker-class gthread \
  --timeout 120 --limit-request-line 0 --limit-request-field_size 0 \
  --access-logfile "${SUPERSET_ACCESS_LOG:--}" --error-logfile - --log-level warning \
  "superset.app:create_app()"
