"""The reference check as a Dagster asset: upstream of the working-day calendar, hence of every dbt model."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from dagster_project.policy.check import check_reference, requirements
from dagster_project.progress import say
from dagster_project.resources import SettingsResource
from dagster_project.settings import dbt_seed_path

REFERENCE_CHECK_KEY = ["reference", "reference_check"]


@asset(
    key=REFERENCE_CHECK_KEY,
    group_name="reference",
    description=(
        "参考数据检查：每个政策年度都有规则读取的全部参数与要求代码，时间窗口在本年或次年，"
        "引用的代码都存在，键不重复。有问题即停止运行，并指出文件、年度与取值。"
    ),
)
def reference_check(context: AssetExecutionContext, settings: SettingsResource) -> MaterializeResult:
    folder = settings.resolve().seeds_dir
    years = check_reference(folder)  # raises ReferenceDataError with the Chinese list of problems
    dbt_path = dbt_seed_path(folder)  # the copy dbt reads (staged here, once per content)
    req = requirements()
    say(f"参考数据检查通过：政策年度 {'、'.join(map(str, years))}（{folder}）")
    return MaterializeResult(
        metadata={
            "seeds_dir": str(folder),
            "dbt_seed_path": dbt_path,
            "policy_years": ",".join(map(str, years)),
            "parameters_read": len(req.parameters),
            "requirements_read": ",".join(sorted(req.deadlines | req.windows)),
        }
    )
