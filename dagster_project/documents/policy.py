"""One policy year as documents need it: parameters, deadlines, the registry's texts filled for the year,
the clause references, and the correction deadline of a notice (working days after its date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dagster_project import rule_registry

from . import db
from .errors import OutputError

CORRECTION_PARAMETER = "CORRECTION_WORKDAYS"
DEPARTMENT_RULE = "人社部令"


class YearPolicy:
    def __init__(self, con, year: int):
        self.year = year
        self.parameters: dict[str, str] = {
            str(r["parameter"]): str(r["value"])
            for r in db.reference_rows(con, "policy_parameters")
            if str(r.get("year")) == str(year)
        }
        self.deadlines: dict[str, dt.date] = {}
        for r in db.reference_rows(con, "policy_calendar"):
            if str(r.get("year")) != str(year) or r.get("scope_type") != "all" or not r.get("end_date"):
                continue
            end = r["end_date"]
            self.deadlines[str(r["requirement_code"])] = (
                end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end))
            )
        self.values = rule_registry.year_values(self.parameters, self.deadlines)

    def fill(self, text: str) -> str:
        try:
            return rule_registry.fill(text, self.values)
        except rule_registry.MissingPolicyValue as exc:
            raise OutputError(f"{self.year} 年度：{exc.args[0]}（请在 seeds/policy_parameters.csv 中补充）") from exc

    def rule_texts(self, rule_id: str) -> dict[str, str]:
        rule = rule_registry.rules().get(rule_id)
        if rule is None:
            return {"title": rule_id, "correction": "请对照所列条款核实更正。", "description": ""}
        return {
            "title": self.fill(rule.title),
            "correction": self.fill(rule.correction),
            "description": self.fill(rule.description),
        }

    def clause_text(self, clause: str | None) -> str:
        if not clause:
            return "相关规定"
        if DEPARTMENT_RULE in clause:
            return f"《职称评审管理暂行规定》（{clause}）"
        return f"《关于做好全市{self.year}年职称评审工作的通知》{clause}"

    @property
    def correction_workdays(self) -> int:
        value: Any = self.parameters.get(CORRECTION_PARAMETER)
        if value in (None, ""):
            raise OutputError(
                f"{self.year} 年度缺少政策参数 {CORRECTION_PARAMETER}（告知书整改期限的工作日数），"
                "请在 seeds/policy_parameters.csv 中补充"
            )
        return int(float(value))

    def correction_deadline(self, issued: dt.date) -> dt.date:
        """The day `correction_workdays` working days after `issued` (official calendar, chinesecalendar)."""
        import chinese_calendar

        day, left = issued, self.correction_workdays
        try:
            while left > 0:
                day += dt.timedelta(days=1)
                if chinese_calendar.is_workday(day):
                    left -= 1
        except NotImplementedError as exc:
            raise OutputError(f"工作日历缺少 {day.year} 年的数据，无法计算整改期限：请升级 chinesecalendar") from exc
        return day
