# Every target is safe to run twice; `.venv` is created when missing.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# dbt's own environment (pyproject.toml, [tool.zhicheng.dbt-environment])
DBT_VENV := .venv-dbt
DBT := $(DBT_VENV)/bin/dbt
DBT_STAMP := $(DBT_VENV)/.installed
export DO_NOT_TRACK := 1
export DAGSTER_HOME := $(CURDIR)/dagster_home

INBOX ?= data/inbox
WAREHOUSE ?= data/warehouse.duckdb
OUT ?= output
SEED ?= 2022
APPLICATIONS ?= 400
# sizes of the end-to-end benchmark (benchmarks/pipeline.py): 400, 100k, 1M (1M takes long)
BENCH_SIZES ?= 400 100k

.PHONY: setup system-deps demo test ui bench lint docs clean superset superset-setup serve fuzz

# Debian packages that the reports, notices and browser tests need (installed when missing).
DEBIAN_PACKAGES := chromium chromium-driver fonts-noto-cjk poppler-utils

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# dbt now has its own environment: a dbt-core left here from before would be imported by dagster-dbt
	@$(BIN)/python -m pip uninstall --quiet -y dbt-core dbt-duckdb >/dev/null 2>&1 || true
	@touch $(STAMP)

$(DBT_STAMP): pyproject.toml
	@test -x $(DBT_VENV)/bin/python || $(PYTHON) -m venv $(DBT_VENV)
	$(DBT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DBT_VENV)/bin/python -m pip install --quiet $$($(DBT_VENV)/bin/python scripts/dbt_requirements.py)
	@touch $(DBT_STAMP)

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "安装系统软件包：$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

setup: $(STAMP) $(DBT_STAMP) system-deps
	@$(BIN)/python -c "from dagster_project.transform.project import ensure_manifest; ensure_manifest()"

demo: setup
	$(BIN)/zhicheng sample --out $(INBOX) --seed $(SEED) --applications $(APPLICATIONS)
	$(BIN)/zhicheng run --inbox $(INBOX) --warehouse $(WAREHOUSE) --out $(OUT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt dagster_project
	$(BIN)/pytest

ui: setup
	ZHICHENG_INBOX=$(abspath $(INBOX)) ZHICHENG_WAREHOUSE=$(abspath $(WAREHOUSE)) ZHICHENG_OUT=$(abspath $(OUT)) \
		$(BIN)/dagster dev -m dagster_project.definitions -h 127.0.0.1 -p 3000

superset-setup: setup
	bash scripts/superset/setup.sh

superset: superset-setup
	ZHICHENG_OUT=$(abspath $(OUT)) bash scripts/superset/serve.sh superset

serve: superset-setup
	ZHICHENG_INBOX=$(abspath $(INBOX)) ZHICHENG_WAREHOUSE=$(abspath $(WAREHOUSE)) ZHICHENG_OUT=$(abspath $(OUT)) \
		bash scripts/superset/serve.sh all

bench: setup
	$(BIN)/python benchmarks/ingest.py
	for size in $(BENCH_SIZES); do $(BIN)/python benchmarks/pipeline.py --size $$size || exit 1; done

# hostile entries and 10,000 mutated workbooks through one run: files, crashes, rows lost, peak memory
fuzz: setup
	$(BIN)/python -m tests.fuzz.fuzz_inbox --files 10000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt dagster_project

docs: setup
	cd dbt && ZHICHENG_WAREHOUSE=$(abspath $(WAREHOUSE)) ../$(DBT) docs generate --profiles-dir .

clean:
	rm -rf data output dbt/target dbt/logs
