"""The issuing office's own data (name, department, contact, 文号, 签发人) from ``config/office.toml``.

This is the bureau's operational data, not policy: policy numbers and dates stay in ``seeds/``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dagster_project.settings import PROJECT_ROOT

from .errors import OutputError

OFFICE_FILE = PROJECT_ROOT / "config" / "office.toml"
REQUIRED = ("name", "short_name", "department", "contact", "phone")


@dataclass(frozen=True)
class Office:
    name: str
    short_name: str
    department: str
    contact: str
    phone: str
    address: str
    report_addressee: str
    report_signer: str
    report_copy_to: str
    numbers: dict

    def report_number(self, year: int) -> str:
        return self._numbers(year)["report"].format(year=year, seq="")

    def notice_number(self, year: int, seq: int) -> str:
        return self._numbers(year)["notice"].format(year=year, seq=seq)

    def _numbers(self, year: int) -> dict:
        found = self.numbers.get(str(year)) or self.numbers.get("default")
        if not found or "report" not in found or "notice" not in found:
            raise OutputError(f"{OFFICE_FILE} 中没有 {year} 年度的文号（[numbers.{year}] 的 report 与 notice）")
        return found

    @property
    def contact_line(self) -> str:
        return f"联系单位：{self.department}　联系人：{self.contact}　联系电话：{self.phone}"


@cache
def office(path: Path = OFFICE_FILE) -> Office:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise OutputError(f"缺少发文机关设置文件：{path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise OutputError(f"发文机关设置文件 {path} 格式有误：{exc}") from exc
    main = data.get("office", {})
    missing = [k for k in REQUIRED if not main.get(k)]
    if missing:
        raise OutputError(f"发文机关设置文件 {path} 的 [office] 缺少：{'、'.join(missing)}")
    report = data.get("report", {})
    return Office(
        name=main["name"],
        short_name=main["short_name"],
        department=main["department"],
        contact=main["contact"],
        phone=main["phone"],
        address=main.get("address", ""),
        report_addressee=report.get("addressee", ""),
        report_signer=report.get("signer", ""),
        report_copy_to=report.get("copy_to", ""),
        numbers=data.get("numbers", {}),
    )
