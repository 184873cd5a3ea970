"""The suites of expectations/ as Dagster asset checks on the assets they guard.

One op evaluates every suite against the warehouse (read-only) and builds one Data Docs
site at <out>/data_docs/index.html; it reports one asset check per GE suite. Load
integrity checks are blocking (ERROR): when one fails, the op fails with a Chinese message
after reporting every result, and nothing downstream of the guarded marts (serving
snapshot, dashboards, reports) runs. Policy checks (filing, publicity) only warn (WARN).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    Failure,
    MetadataValue,
    multi_asset_check,
)

from dagster_project.progress import say
from dagster_project.quality.runner import DatasetOutcome, all_datasets, load_suites, run_suites
from dagster_project.settings import WAREHOUSE_POOL

DOCS_FOLDER = "data_docs"

SUITES = load_suites()
DATASETS = all_datasets(SUITES)


def _spec(dataset) -> AssetCheckSpec:
    kind = "阻断性检查：不通过则停止发布" if dataset.blocking else "政策检查：不通过只警告"
    return AssetCheckSpec(
        name=dataset.check_name,
        asset=AssetKey(list(dataset.guards)),
        description=f"{dataset.title}（{kind}）。{dataset.notes}",
        blocking=dataset.blocking,
        metadata={"ge_suite": dataset.name, "rules": sorted({e.meta["rule_id"] for e in dataset.expectations})},
    )


def check_result(outcome: DatasetOutcome, docs_dir: Path | None) -> AssetCheckResult:
    dataset = outcome.dataset
    if outcome.success:
        severity = AssetCheckSeverity.WARN
    else:
        severity = AssetCheckSeverity.ERROR if (dataset.blocking or outcome.error) else AssetCheckSeverity.WARN
    metadata = {
        "evaluated": outcome.evaluated,
        "unexpected_count": outcome.unexpected_rows,
        "failed_expectations": outcome.failed_expectations,
        "first_unexpected_subjects": MetadataValue.json(outcome.first_subjects),
        "unexpected_by_rule": MetadataValue.json(outcome.rule_counts()),
        "years": MetadataValue.json(outcome.years),
        "summary": outcome.summary_zh(),
    }
    if docs_dir is not None:
        metadata["data_docs_index"] = MetadataValue.path(str(docs_dir / "index.html"))
        if outcome.pages:
            metadata["data_docs_page"] = MetadataValue.path(str(docs_dir / outcome.pages[0]))
            metadata["data_docs_pages"] = MetadataValue.json([str(docs_dir / p) for p in outcome.pages])
    if outcome.error:
        metadata["error"] = outcome.error
    return AssetCheckResult(
        check_name=dataset.check_name,
        asset_key=AssetKey(list(dataset.guards)),
        passed=outcome.success,
        severity=severity,
        metadata=metadata,
        description=outcome.summary_zh(),
    )


def blocking_failure_message(outcomes: list[DatasetOutcome]) -> str | None:
    failed = [o for o in outcomes if o.dataset.blocking and not o.success]
    if not failed:
        return None
    lines = "；".join(o.summary_zh() for o in failed)
    return f"数据完整性检查未通过，已停止发布（服务快照、看板、报告均不更新）：{lines}"


@multi_asset_check(
    name="data_quality_suites",
    specs=[_spec(d) for d in DATASETS],
    description="数据质量检查（Great Expectations）：报送与备案、公示、装载完整性",
    required_resource_keys={"settings", "warehouse"},
    pool=WAREHOUSE_POOL,
    compute_kind="great_expectations",
)
def quality_checks(context):
    """Every suite of expectations/, one asset check per dataset."""
    docs_dir = context.resources.settings.resolve().out / DOCS_FOLDER
    say("数据质量检查：开始（Great Expectations）")
    with context.resources.warehouse.get_connection() as con:
        try:
            outcomes = run_suites(con, docs_dir, SUITES, run_name=f"run-{context.op_execution_context.run_id[:8]}")
        except duckdb.Error as exc:
            raise Failure(description=f"数据质量检查无法运行：{str(exc).splitlines()[0]}") from exc
    for outcome in outcomes:
        say(f"质量检查 {outcome.summary_zh()}")
        yield check_result(outcome, docs_dir)
    say(f"数据质量报告（可离线浏览）：{docs_dir / 'index.html'}")
    message = blocking_failure_message(outcomes)
    if message:
        say(message)
        raise Failure(description=message)


CHECKS = [quality_checks]
