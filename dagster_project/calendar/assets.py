"""The working-day calendar as a Dagster asset (reference.workday_calendar)."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset
from dagster_duckdb import DuckDBResource

from dagster_project.calendar.workdays import build_calendar, calendar_years, write_calendar
from dagster_project.policy.assets import REFERENCE_CHECK_KEY
from dagster_project.progress import say
from dagster_project.resources import SettingsResource
from dagster_project.settings import WAREHOUSE_POOL


@asset(
    key=["reference", "workday_calendar"],
    group_name="reference",
    pool=WAREHOUSE_POOL,
    deps=[AssetKey(REFERENCE_CHECK_KEY)],  # the reference check runs first; dbt waits for this calendar
    description="工作日历：由 chinesecalendar 生成，覆盖政策日历中的每一年及其次年（含法定节假日与调休上班日）。",
)
def workday_calendar(
    context: AssetExecutionContext, settings: SettingsResource, warehouse: DuckDBResource
) -> MaterializeResult:
    years = calendar_years(settings.resolve().seeds_dir)
    table = build_calendar(years)
    with warehouse.get_connection() as con:
        rows = write_calendar(con, table)
    say(f"工作日历已生成：{years[0]}–{years[-1]} 年，共 {rows} 天")
    return MaterializeResult(metadata={"years": ",".join(map(str, years)), "days": rows})
