"""Fixtures of the sample-data tests: one generated inbox per session (small, fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.sample.generator import Generator

SEED, SIZE = 11, 150


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> tuple[Path, Generator]:
    out = tmp_path_factory.mktemp("sample_inbox")
    g = Generator(SEED, SIZE, 2022)
    g.run(out)
    return out, g
