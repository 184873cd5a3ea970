"""The policy years as Dagster partitions: the report and the notices are materialised once per year.

The years are those of the reference folder's ``policy_calendar.csv`` when the code location loads, so
adding a year's rows (``zhicheng policy-import``) adds its partition; the dbt models compute every year
in one build and are not partitioned.
"""

from __future__ import annotations

from dagster import StaticPartitionsDefinition

from dagster_project.reference import policy_years
from dagster_project.settings import seeds_dir

POLICY_YEARS = StaticPartitionsDefinition([str(year) for year in policy_years(seeds_dir())])


class UnknownYearError(ValueError):
    pass


def year_partition(year: int | None) -> str:
    """The partition of ``year``, or of the latest policy year when none is given."""
    keys = POLICY_YEARS.get_partition_keys()
    if not keys:
        raise UnknownYearError(f"参考数据 {seeds_dir() / 'policy_calendar.csv'} 中没有任何政策年度")
    if year is None:
        return keys[-1]
    if str(year) not in keys:
        known = "、".join(keys)
        raise UnknownYearError(f"{year} 年度没有政策数据（已有年度：{known}）；请先用 zhicheng policy-import 导入")
    return str(year)
