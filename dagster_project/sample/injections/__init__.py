"""The generator's injected breaches, one module per rule family.

Each case adds the applications (and other rows) of one breach with its clean boundary twins
and writes the findings it must raise to the ground truth. The cases run in the order of
``CASES``: every application draws from the generator's random stream, so the order is part
of the sample (same seed, same files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster_project.sample.injections import (
    channels,
    committees,
    eligibility,
    filing,
    integrity,
    posts,
    publicity,
    quotas,
    schedule,
)

if TYPE_CHECKING:
    from dagster_project.sample.generator import Generator

CASES = (
    committees.evaluated_applications,
    *eligibility.CASES,
    *channels.CASES,
    *posts.CASES,
    *quotas.CASES,
    *schedule.CASES,
    *publicity.CASES,
    *filing.CASES,
    *integrity.CASES,
    *committees.CASES,
)


def inject(g: Generator) -> None:
    """Each breach on its own, plus clean boundary twins (no finding)."""
    for case in CASES:
        case(g)
