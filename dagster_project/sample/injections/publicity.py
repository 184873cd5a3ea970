"""PUB: the unit publicity of each application (five working days, ended before the materials)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.reference_data import next_workday, period_of
from dagster_project.sample.vocabulary import DAY, VIOLATION

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator


def pub_01(g: Generator) -> None:
    """PUB-01 unit publicity"""
    m = g.materials["150104"]
    a = g.app("150104", "卫生", "中级", unit_publicity_start=None, unit_publicity_end=None)
    g.find("PUB-01", VIOLATION, "application", a["application_no"])
    a = g.app("150104", "卫生", "中级")
    a["unit_publicity_start"], a["unit_publicity_end"] = period_of(next_workday(a["application_date"] - 20 * DAY), 4)
    g.find("PUB-01", VIOLATION, "application", a["application_no"])
    a = g.app("150104", "卫生", "中级", unit_publicity_start=m - 9 * DAY, unit_publicity_end=m)
    g.find("PUB-01", VIOLATION, "application", a["application_no"])
    a = g.app("150104", "卫生", "中级", unit_publicity_start=m - 9 * DAY, unit_publicity_end=m - DAY)  # clean
    a = g.app("U-SYY", "卫生", "中级", unit_publicity_start=g.d(9, 29), unit_publicity_end=g.d(10, 10), _f5=None)
    a = g.app("U-SYY", "卫生", "中级", unit_publicity_start=g.d(9, 29), unit_publicity_end=g.d(10, 9), _f5=None)
    g.find("PUB-01", VIOLATION, "application", a["application_no"])


# in the order the generator injects them
CASES = (pub_01,)
