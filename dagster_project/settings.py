"""Environment-specific settings in one place (paths and the personal-data key)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
SEEDS_ENV = "ZHICHENG_SEEDS"
DBT_SEEDS_ENV = "ZHICHENG_DBT_SEEDS"  # what dbt_project.yml's seed-paths reads: a path relative to dbt/
DBT_DIR = PROJECT_ROOT / "dbt"
# dbt's own environment (pyproject.toml, [tool.zhicheng.dbt-environment]; `make setup` makes it)
DBT_ENVIRONMENT = PROJECT_ROOT / ".venv-dbt"
DBT_PYTHON = DBT_ENVIRONMENT / "bin" / "python"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
LOCAL_KEY_FILE = PROJECT_ROOT / ".local" / "pii_key"

# Every asset that opens the warehouse is tagged with this Dagster pool, so a deployment can limit it; here
# one writer per warehouse is kept by an operating-system file lock (ingest/writer_lock.py), which dies with
# its process, and dagster_home/dagster.yaml sets no pool limit (a slot would outlive a killed run).
WAREHOUSE_POOL = "duckdb_warehouse"

# A review group with fewer evaluated applications than this has its pass rate marked "仅供参考"
# (dashboards; the comparison of a separate group with the general group needs a few people).
MIN_GROUP_SIZE = 5


DEFAULT_INBOX = PROJECT_ROOT / "data" / "inbox"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse.duckdb"
DEFAULT_OUT = PROJECT_ROOT / "output"
# The environment variables a deployment (make ui, a scheduled instance) sets; definitions.py reads them as EnvVar.
SETTINGS_ENV = {
    "inbox": "ZHICHENG_INBOX",
    "warehouse": "ZHICHENG_WAREHOUSE",
    "out": "ZHICHENG_OUT",
    "pii_key": "ZHICHENG_PII_KEY",
}


@dataclass(frozen=True)
class Settings:
    """The paths of one run (and the year of its documents), as the code uses them."""

    inbox: Path
    warehouse: Path
    out: Path
    year: int | None = None
    # The reference CSVs the run reads (dbt seeds, known codes, policy years): seeds/ unless
    # ZHICHENG_SEEDS names another folder (benchmarks, test fixtures; dbt reads the same folder).
    seeds_dir: Path = SEEDS_DIR

    @classmethod
    def defaults(cls, inbox: Path | None = None, warehouse: Path | None = None, out: Path | None = None) -> Settings:
        """What a command line option left open: the deployment's environment variable, else the project default."""

        def pick(given: Path | None, field: str, default: Path) -> Path:
            if given is not None:
                return Path(given).resolve()
            value = os.environ.get(SETTINGS_ENV[field])
            return Path(value).resolve() if value else default

        return cls(
            inbox=pick(inbox, "inbox", DEFAULT_INBOX),
            warehouse=pick(warehouse, "warehouse", DEFAULT_WAREHOUSE),
            out=pick(out, "out", DEFAULT_OUT),
            seeds_dir=seeds_dir(),
        )


def seeds_dir() -> Path:
    """The reference-data directory a run uses: ZHICHENG_SEEDS (dbt's seed-paths reads the same variable), else seeds/.

    Tests point it at a merged copy that adds a test-only policy year; seeds/ itself holds the real 2022 rows only.
    """
    value = os.environ.get(SEEDS_ENV)
    return Path(value).resolve() if value else SEEDS_DIR


def dbt_seed_path(folder: Path | None = None) -> str:
    """The seed directory for dbt, relative to dbt/: ``../seeds``, or a staged copy of ZHICHENG_SEEDS.

    dbt writes each seed's load statement to ``target/run/<project>/<seed path>``: with a path outside the
    project (an absolute one) that would be the seed file itself. So another directory is copied, by content
    hash, under dbt/target/reference_seeds/ and dbt reads the copy.
    """
    import hashlib
    import shutil
    import tempfile

    folder = Path(folder).resolve() if folder else seeds_dir()
    if folder == SEEDS_DIR:
        return "../seeds"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    staged = DBT_DIR / "target" / "reference_seeds" / digest.hexdigest()[:16]
    if not staged.exists():
        staged.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=staged.parent))
        for path in sorted(folder.glob("*.csv")):
            shutil.copy2(path, work / path.name)
        try:
            work.rename(staged)
        except OSError:  # staged meanwhile by another process: same content
            shutil.rmtree(work, ignore_errors=True)
    return os.path.relpath(staged, DBT_DIR)


def dbt_environment(settings: Settings) -> dict[str, str]:
    """What the dbt process of a run reads from its environment: the warehouse (profiles.yml) and the
    seed folder (dbt_project.yml's seed-paths); given to that process only (resources.DbtResource)."""
    return {SETTINGS_ENV["warehouse"]: str(settings.warehouse), DBT_SEEDS_ENV: dbt_seed_path(settings.seeds_dir)}


def build_target_dir(warehouse: Path) -> Path:
    """The target folder of the pipeline's `dbt build` on ``warehouse`` (artifacts, dbt.log, partial parse).

    One folder per warehouse, kept between runs: dbt's partial parse depends on the warehouse path
    (it is in the profile), so the next run on the same warehouse reuses the last parse, and runs on
    two warehouses never share artifacts.
    """
    import hashlib

    digest = hashlib.sha256(str(Path(warehouse).resolve()).encode("utf-8")).hexdigest()[:12]
    return DBT_DIR / "target" / f"run-{digest}"


def dbt_build_environment(settings: Settings) -> dict[str, str]:
    """What the parse of a run's `dbt build` reads from its environment: dbt_environment, and the folders
    dagster-dbt gives it (project, profiles, target; resources.DbtResource). The dbt started early
    (transform/warm_dbt.py) parses the project with these while the run starts."""
    return {
        **dbt_environment(settings),
        "DBT_PROJECT_DIR": str(DBT_DIR),
        "DBT_PROFILES_DIR": str(DBT_DIR),
        "DBT_TARGET_PATH": str(build_target_dir(settings.warehouse)),
    }


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
