"""Environment-specific settings in one place (paths and the personal-data key)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
SEEDS_ENV = "ZHICHENG_SEEDS"
DBT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
LOCAL_KEY_FILE = PROJECT_ROOT / ".local" / "pii_key"

# Every asset that opens the warehouse runs in this Dagster pool (limit 1 in dagster_home/dagster.yaml),
# so DuckDB never sees two writers.
WAREHOUSE_POOL = "duckdb_warehouse"


@dataclass(frozen=True)
class Settings:
    inbox: Path
    warehouse: Path
    out: Path
    year: int | None = None
    # The reference CSVs the run reads (dbt seeds, known codes, policy years): seeds/ unless
    # ZHICHENG_SEEDS names another folder (benchmarks, test fixtures; dbt reads the same variable).
    seeds_dir: Path = SEEDS_DIR

    @classmethod
    def from_env(cls) -> "Settings":
        year = os.environ.get("ZHICHENG_YEAR")
        return cls(
            inbox=Path(os.environ.get("ZHICHENG_INBOX", PROJECT_ROOT / "data" / "inbox")),
            warehouse=Path(os.environ.get("ZHICHENG_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse.duckdb")),
            out=Path(os.environ.get("ZHICHENG_OUT", PROJECT_ROOT / "output")),
            year=int(year) if year else None,
            seeds_dir=Path(os.environ.get(SEEDS_ENV, SEEDS_DIR)),
        )


class MissingKeyError(RuntimeError):
    pass


def pii_key() -> bytes:
    """The HMAC key for person_key / evaluator_key: ZHICHENG_PII_KEY, else the local key file."""
    value = os.environ.get("ZHICHENG_PII_KEY")
    if value:
        return value.encode("utf-8")
    if LOCAL_KEY_FILE.exists():
        return LOCAL_KEY_FILE.read_text(encoding="utf-8").strip().encode("utf-8")
    raise MissingKeyError(
        "未设置个人信息密钥：请设置环境变量 ZHICHENG_PII_KEY，或先运行 make demo 生成本地密钥文件 .local/pii_key"
    )


def ensure_local_key() -> tuple[bytes, bool]:
    """Return the key, creating a random local one when none is set. Second item: created now."""
    try:
        return pii_key(), False
    except MissingKeyError:
        import secrets

        LOCAL_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        LOCAL_KEY_FILE.write_text(secrets.token_hex(32), encoding="utf-8")
        os.chmod(LOCAL_KEY_FILE, 0o600)
        return pii_key(), True
