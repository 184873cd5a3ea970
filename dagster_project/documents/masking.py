"""Masking of personal data in documents: ID numbers inside texts, ID-number values, foreign application numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,31}")
OTHER_APPLICATION = "（他单位申报编号）"


def mask_id_numbers(text: Any) -> Any:
    """Mask every 18-character ID number inside a text: keep the first 6 and last 4."""
    if not isinstance(text, str):
        return text
    return ID_NUMBER_RE.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


@dataclass(frozen=True)
class TextRewrite:
    """A rewrite of texts (a masking) and an RE2 pattern that every text it changes matches."""

    candidate: str
    rewrite: Callable[[str], str]


# ID_NUMBER_RE's number without its surroundings (\d there is any decimal digit, \p{Nd} in RE2):
# a column none of whose texts match needs no masking
ID_NUMBERS_MASKED = TextRewrite(r"\p{Nd}{17}[\p{Nd}Xx]", mask_id_numbers)


def mask_id_value(value: str) -> str:
    """Keep at most the first 6 and the last 4 characters of a value typed as an ID number."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


class _Foreign:
    """The application numbers of other submitters, without building the difference of two large sets."""

    def __init__(self, own: set[str], others: set[str]):
        self.own, self.others = own, others

    def __contains__(self, value: object) -> bool:
        return value in self.others and value not in self.own

    def __bool__(self) -> bool:
        return len(self.others) > len(self.own) or any(v not in self.own for v in self.others)


def redactor(own: set[str], others: set[str]) -> Callable[[Any], Any]:
    """A function that masks ID numbers and blanks application numbers of other submitters."""
    foreign = _Foreign(own, others)
    any_foreign = bool(foreign)

    def redact(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        text = mask_id_numbers(text)
        if not any_foreign:
            return text
        return TOKEN_RE.sub(lambda m: OTHER_APPLICATION if m.group(0) in foreign else m.group(0), text)

    redact.foreign = foreign  # type: ignore[attr-defined]
    return redact
