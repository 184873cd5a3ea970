"""Texts of documents: Chinese numerals and dates, number formatting, and the Jinja2 environment."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = [PACKAGE / "templates", PACKAGE.parent / "report" / "templates", PACKAGE.parent / "notices" / "templates"]
NUMERALS = "一二三四五六七八九十"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (section numbers of an official document)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_date(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.date | dt.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value)


def pct(value: Any, digits: int = 1) -> str:
    """A rate in [0,1] as a percentage text, "—" when unknown."""
    if value is None:
        return "—"
    try:
        if value != value:  # NaN
            return "—"
    except TypeError:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def num(value: Any) -> str:
    """Integers plainly; other numbers with at most two decimals; None as —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "—"
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def yes_no(value: Any) -> str:
    if value is None:
        return "—"
    return "是" if value else "否"


def jinja_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(p) for p in TEMPLATES]),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, num=num, yes_no=yes_no, fmt_date=fmt_date, cn=chinese_numeral)
    return env


def stylesheet() -> str:
    return (TEMPLATES[0] / "official.css").read_text(encoding="utf-8")


def write_text_atomic(path: Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
