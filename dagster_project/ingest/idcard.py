"""中国居民身份证号码（GB 11643-1999）校验：Python 版与 DuckDB SQL 版。

两者规则相同：18 位，前 17 位为数字，第 18 位为校验码（0–9 或 X，小写 x 亦可），
第 7–14 位是真实存在的出生日期（不早于 1900-01-01，不晚于今天）。
"""

from __future__ import annotations

import datetime as _dt
import random
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"
_FORMAT = re.compile(r"^[0-9]{17}[0-9Xx]$")
EARLIEST_BIRTH = _dt.date(1900, 1, 1)


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=False))
    return CHECK_CODES[total % 11]


def birth_date(id_number: str) -> _dt.date | None:
    try:
        return _dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def problem(id_number: str, today: _dt.date | None = None) -> str | None:
    """None when the number is valid, else a Chinese reason (without the column name)."""
    today = today or _dt.date.today()
    if not _FORMAT.match(id_number):
        return "应为18位（前17位数字，末位数字或X）"
    value = id_number.upper()
    born = birth_date(value)
    if born is None or born < EARLIEST_BIRTH or born > today:
        return "出生日期部分不是真实日期"
    if check_digit(value[:17]) != value[17]:
        return "校验位错误"
    return None


def is_valid(id_number: str) -> bool:
    return problem(id_number) is None


def gender(id_number: str) -> str:
    """男 when the 17th digit is odd, else 女."""
    return "男" if int(id_number[16]) % 2 == 1 else "女"


def make(region: str, born: _dt.date, seq: int, male: bool) -> str:
    """Build a valid number (for tests, the sample generator and the benchmark)."""
    seq = seq % 1000
    if (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000 if seq < 999 else 998
        if (seq % 2 == 1) != male:
            seq = (seq + 1) % 1000
    first17 = f"{region[:6]:0>6}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def random_valid(rng: random.Random, male: bool | None = None) -> str:
    male = rng.random() < 0.5 if male is None else male
    born = _dt.date(1960, 1, 1) + _dt.timedelta(days=rng.randrange(0, 365 * 40))
    return make("150121", born, rng.randrange(0, 1000), male)


# ---- SQL (DuckDB) ---------------------------------------------------------


def sql_problem(col: str, today: _dt.date | None = None) -> str:
    """A DuckDB expression giving the same reason as :func:`problem` (NULL when valid).

    ``col`` must be a non-null, already trimmed VARCHAR expression.
    """
    today = today or _dt.date.today()
    digits = " + ".join(f"{w} * cast(substr({col}, {i + 1}, 1) as integer)" for i, w in enumerate(WEIGHTS))
    born = f"try_cast(substr({col}, 7, 4) || '-' || substr({col}, 11, 2) || '-' || substr({col}, 13, 2) as date)"
    return (
        f"case when not regexp_full_match({col}, '[0-9]{{17}}[0-9Xx]') then '应为18位（前17位数字，末位数字或X）' "
        f"when {born} is null or {born} < date '{EARLIEST_BIRTH}' or {born} > date '{today}' "
        f"then '出生日期部分不是真实日期' "
        f"when substr('{CHECK_CODES}', (({digits}) % 11) + 1, 1) <> upper(substr({col}, 18, 1)) then '校验位错误' "
        f"end"
    )
