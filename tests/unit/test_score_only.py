"""Ranking whole pools by score alone (no explanations) must give the explained scores and order."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from domain.enums import RemotePreference, ScoringPreset, Seniority
from domain.matching import PoolJob, best_explained, feed_order, rank_feed, rank_pool
from domain.scoring import get_preset, score
from domain.scoring.explain import score_value
from domain.skills import default_normalizer
from tests.unit.facts_support import candidate_facts, job_facts

NOW = datetime(2026, 11, 22, tzinfo=UTC)
CANDIDATE = candidate_facts(
    skills=("Python", "PostgreSQL", "Docker"),
    seniority=Seniority.SENIOR,
    years_of_experience=6,
    preferred_locations=("Austin, TX",),
    remote_preference=RemotePreference.ONSITE,
    salary_min=120_000.0,
    salary_currency="USD",
    search_radius_km=25,
)
SKILLS = ("Python", "Go", "Java", "PostgreSQL", "Docker", "React")
PLACES = (("Austin", "Texas", "Austin, TX"), ("Boston", "Massachusetts", "Boston, MA"))


def _pool() -> list[PoolJob]:
    """Jobs varied in every scored respect, including ones a LAYERED hard filter drops
    (remote for an onsite candidate, far places, low salaries, junior levels)."""
    pool = []
    combos = itertools.product(range(4), PLACES, (False, True), (None, 60_000.0, 150_000.0))
    for n, (k, (city, region, location), remote, salary) in enumerate(combos):
        pool.append(
            PoolJob(
                job_facts(
                    id=f"job-{n:03d}",
                    title=("Backend Engineer", "Data Engineer", "Frontend Developer")[n % 3],
                    skills=SKILLS[k : k + 3],
                    seniority=(Seniority.JUNIOR, Seniority.SENIOR, None)[n % 3],
                    city=city,
                    region=region,
                    location=location,
                    is_remote=remote,
                    experience_min=float(k),
                    salary_annual_min=salary,
                    salary_annual_max=salary * 1.2 if salary else None,
                    salary_currency="USD" if salary else None,
                    posted_at=NOW - timedelta(days=n % 20),
                ),
                cosine=0.2 + (n % 7) / 10 if n % 5 else None,
            )
        )
    return pool


@pytest.mark.parametrize("preset", list(ScoringPreset))
def test_score_value_is_the_explained_score(preset: ScoringPreset) -> None:
    chosen, normalizer = get_preset(preset), default_normalizer()
    for item in _pool():
        kwargs = {"cosine": item.cosine, "now": NOW, "normalizer": normalizer}
        explained = score(chosen, CANDIDATE, item.facts, **kwargs)  # type: ignore[arg-type]
        assert score_value(chosen, CANDIDATE, item.facts, **kwargs) == explained.score  # type: ignore[arg-type]


@pytest.mark.parametrize("preset", list(ScoringPreset))
def test_best_explained_is_the_top_of_the_fully_explained_ranking(preset: ScoringPreset) -> None:
    pool, normalizer = _pool(), default_normalizer()
    full = rank_pool(preset, CANDIDATE, pool, now=NOW, normalizer=normalizer)
    count, top = best_explained(
        preset, CANDIDATE, pool, now=NOW, normalizer=normalizer, limit=5, minimum=40.0
    )
    passing = [r for r in full if r.explanation.score >= 40.0]
    assert count == len(passing)
    assert top == passing[:5]


def test_the_feed_order_is_the_explained_feed_order() -> None:
    pool, normalizer = _pool(), default_normalizer()
    preset = ScoringPreset.SWIPE_HYBRID
    order = feed_order(preset, CANDIDATE, pool, now=NOW, normalizer=normalizer)
    explained = rank_feed(preset, CANDIDATE, pool, now=NOW, normalizer=normalizer)
    assert [(s.job_id, s.score) for s in order] == [
        (r.job_id, r.explanation.score) for r in explained
    ]
    assert len(order) == len(pool)
