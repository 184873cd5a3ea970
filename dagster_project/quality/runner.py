"""Run the suites of expectations/ on DataFrames read from DuckDB, and build Data Docs.

GE 1.24.1's SQL datasource cannot read DuckDB (architecture.md), so each dataset's SQL is
run with duckdb and the DataFrame is validated with GE's pandas datasource. Policy
thresholds come from reference.policy_parameters at run time, per year, as GE expectation
parameters. Analytics are off (GX_ANALYTICS_ENABLED=false).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # no analytics, ever

import duckdb  # noqa: E402

# great_expectations and pandas are imported where the suites run, not when they are declared.
from dagster_project.quality.spec import Dataset, Suite  # noqa: E402

if TYPE_CHECKING:
    import great_expectations as gx
    import pandas as pd
from dagster_project.settings import EXPECTATIONS_DIR  # noqa: E402

FIRST_SUBJECTS = 10
SITE_NAME = "zhicheng"


def import_in_background() -> None:
    """Start importing Great Expectations (2–3 s: pandas, scipy, pydantic), for a step that waits on another
    process (the dbt build) before the checks run."""
    from dagster_project.background import import_in_background as start

    start("great_expectations")


class QualityError(RuntimeError):
    """A suite could not be evaluated (missing table, missing policy parameter …)."""


def load_suites(directory: Path = EXPECTATIONS_DIR) -> list[Suite]:
    """Every expectations/<name>.py that defines SUITE, in file-name order."""
    suites = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"zhicheng_expectations_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        suite = getattr(module, "SUITE", None)
        if isinstance(suite, Suite):
            suites.append(suite)
    return suites


def all_datasets(suites: list[Suite] | None = None) -> list[Dataset]:
    return [d for s in (suites if suites is not None else load_suites()) for d in s.datasets]


def read_policy_parameters(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, float | int]]:
    """reference.policy_parameters as {year: {PARAMETER: value}} (whole numbers as int)."""
    rows = con.execute("select year, parameter, value from reference.policy_parameters").fetchall()
    params: dict[int, dict[str, float | int]] = {}
    for year, name, value in rows:
        value = float(value)
        params.setdefault(int(year), {})[name] = int(value) if value.is_integer() else value
    return params


@dataclass
class ExpectationOutcome:
    rule_id: str
    clause: str
    expectation: str
    column: str
    success: bool
    unexpected_count: int
    note: str
    subjects: set[str] = field(default_factory=set)  # every failing row as year:subject (one key per row)
    failures: list[dict] = field(default_factory=list)  # failing rows: their codes and the values checked


# columns that name a failing row to a clerk, besides the dataset's subject columns (summary page)
IDENTIFYING_COLUMNS = ("committee_code", "submitter_code", "region_code", "application_no", "file", "sheet")


def _cell(value):
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value


def _failure(df: pd.DataFrame, index, dataset: Dataset, checked: list[str]) -> dict:
    """One failing row as a clerk reads it: year, identifying codes, the values the expectation checked."""
    row = df.loc[index]
    keys = [c for c in (*dataset.subject_columns, *IDENTIFYING_COLUMNS) if c in df.columns]
    return {
        "year": _cell(row["year"]) if "year" in df.columns else None,
        "codes": {c: _cell(row[c]) for c in dict.fromkeys(keys)},
        "values": {c: _cell(row[c]) for c in checked if c in df.columns},
    }


@dataclass
class DatasetOutcome:
    dataset: Dataset
    evaluated: int = 0
    unexpected_rows: int = 0
    failed_expectations: int = 0
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    first_subjects: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # Data Docs pages, relative to the site root
    error: str | None = None

    @property
    def success(self) -> bool:
        return self.error is None and self.failed_expectations == 0

    def rule_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for e in self.expectations:
            counts[e.rule_id] = counts.get(e.rule_id, 0) + e.unexpected_count
        return counts

    def summary_zh(self) -> str:
        kind = "阻断" if self.dataset.blocking else "警告"
        if self.error:
            return f"{self.dataset.title}：无法检查（{self.error}）"
        if self.success:
            return f"{self.dataset.title}：通过（检查 {self.evaluated} 条）"
        subjects = "、".join(self.first_subjects[:5])
        return (
            f"{self.dataset.title}：不通过（{kind}）— 检查 {self.evaluated} 条，{self.unexpected_rows} 条不符合，"
            f"{self.failed_expectations} 项期望未满足；例如 {subjects}"
        )


def _quiet_ge(context) -> None:
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # pragma: no cover - only cosmetic
        pass


def _subject(df: pd.DataFrame, index, columns: tuple[str, ...], with_year: bool) -> str:
    import pandas as pd

    row = df.loc[index]
    text = "/".join("" if pd.isna(row[c]) else str(row[c]) for c in columns)
    return f"{int(row['year'])}:{text}" if with_year and "year" in df.columns else text


class QualityRun:
    """One evaluation of suites against one warehouse; builds one Data Docs site."""

    def __init__(self, docs_dir: Path | None = None, run_name: str | None = None):
        self.docs_dir = Path(docs_dir) if docs_dir else None
        self.run_time = dt.datetime.now(dt.UTC)
        self.run_name = run_name or "run-" + self.run_time.strftime("%Y%m%dT%H%M%S")
        import great_expectations as gx

        self.context = gx.get_context(mode="ephemeral")
        _quiet_ge(self.context)
        for site in list(self.context.get_site_names()):
            self.context.delete_data_docs_site(site)
        if self.docs_dir is not None:
            self.context.add_data_docs_site(
                site_name=SITE_NAME,
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        self.datasource = self.context.data_sources.add_pandas("warehouse")
        self._identifiers: dict[str, list] = {}

    def _suite(self, dataset: Dataset) -> gx.ExpectationSuite:
        import great_expectations as gx

        suite = gx.ExpectationSuite(
            name=dataset.name,
            meta={"notes": {"format": "markdown", "content": [f"**{dataset.title}**", dataset.notes]}},
            notes=[dataset.title, dataset.notes],
        )
        for expectation in dataset.expectations:
            suite.add_expectation(expectation.build())
        return self.context.suites.add(suite)

    def validate(
        self, con: duckdb.DuckDBPyConnection, dataset: Dataset, params: dict[int, dict] | None = None
    ) -> DatasetOutcome:
        import great_expectations as gx

        outcome = DatasetOutcome(dataset)
        try:
            frame = con.execute(dataset.sql).df()
        except duckdb.Error as exc:
            outcome.error = f"读取数据失败：{exc}".splitlines()[0]
            return outcome
        if dataset.per_year:
            params = params if params is not None else read_policy_parameters(con)
            needed = dataset.parameter_names()
            batches = []
            for year in sorted(params):
                missing = sorted(needed - set(params[year]))
                if missing:
                    outcome.error = f"{year} 年的 reference.policy_parameters 缺少参数 {'、'.join(missing)}"
                    return outcome
                batches.append((year, frame[frame["year"] == year].reset_index(drop=True), params[year]))
        else:
            batches = [(None, frame.reset_index(drop=True), {})]

        asset = self.datasource.add_dataframe_asset(dataset.name)
        batch_definition = asset.add_batch_definition_whole_dataframe("全部行")
        suite = self._suite(dataset)
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=dataset.name, data=batch_definition, suite=suite)
        )
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name=dataset.name,
                validation_definitions=[definition],
                actions=[],
                result_format={"result_format": "COMPLETE"},
            )
        )
        by_rule: dict[tuple, ExpectationOutcome] = {}
        bad_rows: list[str] = []
        for year, batch, year_params in batches:
            run_name = f"{self.run_name}-{year}" if year is not None else f"{self.run_name}-all-years"
            result = checkpoint.run(
                batch_parameters={"dataframe": batch},
                expectation_parameters=year_params,
                run_id=gx.RunIdentifier(run_name=run_name, run_time=self.run_time),
            )
            if year is not None:
                outcome.years.append(year)
            outcome.evaluated += len(batch)
            seen: set = set()
            for identifier, validation in result.run_results.items():
                self._identifiers.setdefault(dataset.name, []).append(identifier)
                for er in validation.results:
                    config = er.expectation_config
                    meta = config.meta or {}
                    kwargs = config.kwargs
                    column = (
                        kwargs.get("column")
                        or "、".join(str(kwargs.get(k)) for k in ("column_A", "column_B") if kwargs.get(k))
                        or "、".join(kwargs.get("column_list") or [])
                    )
                    key = (config.type, column, meta.get("rule_id"))
                    unexpected = int((er.result or {}).get("unexpected_count") or 0)
                    if er.exception_info and er.exception_info.get("raised_exception"):
                        outcome.error = f"期望 {config.type} 执行出错：{er.exception_info.get('exception_message')}"
                    item = by_rule.setdefault(
                        key,
                        ExpectationOutcome(
                            rule_id=meta.get("rule_id", ""),
                            clause=meta.get("clause", ""),
                            expectation=config.type,
                            column=column,
                            success=True,
                            unexpected_count=0,
                            note=config.notes or "",
                        ),
                    )
                    item.unexpected_count += unexpected
                    if not er.success:
                        item.success = False
                    checked = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)]
                    checked += list(kwargs.get("column_list") or [])
                    for index in (er.result or {}).get("unexpected_index_list") or []:
                        if isinstance(index, dict):  # compound expectations report the row as a dict
                            index = index.get("index", None)
                        if index is None:
                            continue
                        item.subjects.add(_subject(batch, index, dataset.subject_columns, True))
                        item.failures.append(_failure(batch, index, dataset, checked))
                        if index in seen:
                            continue
                        seen.add(index)
                        bad_rows.append(_subject(batch, index, dataset.subject_columns, len(batches) > 1))
        outcome.expectations = list(by_rule.values())
        outcome.failed_expectations = sum(1 for e in outcome.expectations if not e.success)
        outcome.unexpected_rows = len(bad_rows)
        outcome.first_subjects = list(dict.fromkeys(bad_rows))[:FIRST_SUBJECTS]
        return outcome

    def build_docs(
        self, outcomes: list[DatasetOutcome], names: dict[str, str] | None = None, params: dict[int, dict] | None = None
    ) -> Path | None:
        """Write the static site (offline: no network link), fill each outcome's page paths, and write
        the Chinese summary page beside index.html (quality/summary.py)."""
        if self.docs_dir is None:
            return None
        if self.docs_dir.exists():
            shutil.rmtree(self.docs_dir)
        self.docs_dir.mkdir(parents=True)
        self.context.build_data_docs(site_names=[SITE_NAME])
        for outcome in outcomes:
            for identifier in self._identifiers.get(outcome.dataset.name, []):
                urls = self.context.get_docs_sites_urls(resource_identifier=identifier, site_name=SITE_NAME)
                for url in urls:
                    path = Path(unquote(url["site_url"].removeprefix("file://")))
                    try:
                        outcome.pages.append(str(path.relative_to(self.docs_dir)))
                    except ValueError:
                        outcome.pages.append(str(path))
        from dagster_project.quality.docs import make_offline

        make_offline(self.docs_dir)
        from dagster_project.quality.summary import write_summary

        write_summary(
            self.docs_dir,
            outcomes,
            run_name=self.run_name,
            run_time=self.run_time,
            names=names or {},
            params=params or {},
        )
        return self.docs_dir / "index.html"


def run_suites(
    con: duckdb.DuckDBPyConnection,
    docs_dir: Path | None = None,
    suites: list[Suite] | None = None,
    run_name: str | None = None,
) -> list[DatasetOutcome]:
    """Validate every dataset of the suites; build Data Docs into docs_dir when given."""
    run = QualityRun(docs_dir, run_name)
    params = read_policy_parameters(con)
    outcomes = [run.validate(con, dataset, params) for dataset in all_datasets(suites)]
    from dagster_project.quality.summary import code_names

    run.build_docs(outcomes, code_names(con), params)
    return outcomes
