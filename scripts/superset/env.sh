# 供 scripts/superset/*.sh 引用的公共变量（source 本文件）。所有路径都可用环境变量覆盖。
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SUPERSET_SCRIPTS="$REPO_ROOT/scripts/superset"
: "${PYTHON_SUPERSET:=python3.11}"
# 虚拟环境本体放在仓库外的缓存目录（按版本固定的哈希命名），仓库里的 .venv-superset 只是指向它的链接，
# 因此同一台机器上的新克隆（例如 CI）可以直接复用，无需重新安装。
: "${ZHICHENG_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/zhicheng}"
: "${SUPERSET_VENV:=$REPO_ROOT/.venv-superset}"
# 元数据库、密钥、管理员口令文件（均不纳入版本库）
: "${SUPERSET_DATA:=$REPO_ROOT/data/superset}"
: "${SUPERSET_PORT:=8088}"
: "${SUPERSET_HOST:=127.0.0.1}"
: "${ZHICHENG_OUT:=$REPO_ROOT/output}"
: "${SUPERSET_ADMIN_USER:=admin}"
export SUPERSET_CONFIG_PATH="$REPO_ROOT/superset/superset_config.py"
export SUPERSET_DATA SUPERSET_PORT SUPERSET_HOST ZHICHENG_OUT
export FLASK_APP=superset
export DO_NOT_TRACK=1
export SUPERSET_LOAD_EXAMPLES=no
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
# superset-client 在纯 http 上通过 oauthlib 登录，需要此变量（仅本机 127.0.0.1）
export OAUTHLIB_INSECURE_TRANSPORT=1

superset_pins_key() {
  { cat "$SUPERSET_SCRIPTS/requirements.txt" "$SUPERSET_SCRIPTS/constraints.txt"; "$PYTHON_SUPERSET" -c 'import sys; print(sys.version.split()[0])'; echo layout-1; } \
    | sha256sum | cut -c1-16
}
