"""Matching a candidate against a pool of jobs: cosine, ranking, thresholds, snapshot pages."""

from __future__ import annotations

import math
import re
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import numpy as np

from domain.enums import ScoringPreset
from domain.errors import InvalidInput
from domain.locations import PlaceMatch
from domain.scoring import (
    CandidateFacts,
    JobFacts,
    MatchExplanation,
    Preset,
    get_preset,
    rank,
    score,
)
from domain.scoring.explain import score_value
from domain.scoring.location import (
    accepts_remote,
    best_match,
    nearest_preferred,
    preferred_places,
    within_radius,
)
from domain.skills import SkillNormalizer

MAX_PAGE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class PoolJob:
    """One job of a candidate pool with its embedding cosine to the profile (None: unknown)."""

    facts: JobFacts
    cosine: float | None
    group: str = ""  # near-duplicate key (duplicate_key); "" = unique


@dataclass(frozen=True)
class Ranked:
    """A job's place in a ranked list."""

    job_id: str
    explanation: MatchExplanation


def cosine(a: Sequence[float] | None, b: Sequence[float] | None) -> float | None:
    """Cosine of two vectors; None when either is missing, empty or zero."""
    if a is None or b is None:
        return None
    left = np.asarray(a, dtype=np.float64)
    right = np.asarray(b, dtype=np.float64)
    if left.shape != right.shape or left.size == 0:
        return None
    norms = float(np.linalg.norm(left) * np.linalg.norm(right))
    if norms == 0.0 or not math.isfinite(norms):
        return None
    return float(left @ right) / norms


def check_page_size(first: int, limit: int = MAX_PAGE) -> int:
    if first < 0 or first > limit:
        raise InvalidInput(f"first must be between 0 and {limit}", field="first")
    return first


def check_min_score(min_score: float) -> float:
    if not math.isfinite(min_score) or not 0 <= min_score <= 100:
        raise InvalidInput("minScore must be between 0 and 100", field="minScore")
    return min_score


def _explained(
    preset: Preset, candidate: CandidateFacts, item: PoolJob, now: datetime, n: SkillNormalizer
) -> MatchExplanation:
    return score(preset, candidate, item.facts, cosine=item.cosine, now=now, normalizer=n)


def _value(
    preset: Preset, candidate: CandidateFacts, item: PoolJob, now: datetime, n: SkillNormalizer
) -> float:
    return score_value(preset, candidate, item.facts, cosine=item.cosine, now=now, normalizer=n)


def rank_pool(
    preset: ScoringPreset,
    candidate: CandidateFacts,
    pool: Sequence[PoolJob],
    *,
    now: datetime,
    normalizer: SkillNormalizer,
) -> list[Ranked]:
    """Every pool job scored under `preset`, best first, ties by job id ascending."""
    chosen = get_preset(preset)
    explained = {
        item.facts.id: _explained(chosen, candidate, item, now, normalizer) for item in pool
    }
    return [Ranked(job_id, explanation) for job_id, explanation in rank(explained)]


def best_explained(
    preset: ScoringPreset,
    candidate: CandidateFacts,
    pool: Sequence[PoolJob],
    *,
    now: datetime,
    normalizer: SkillNormalizer,
    limit: int,
    minimum: float = 0.0,
) -> tuple[int, list[Ranked]]:
    """How many pool jobs score at least `minimum`, and the best `limit` of those explained,
    ties by job id: `rank_pool`'s answer without explaining the jobs nobody will see."""
    chosen = get_preset(preset)
    by_id = {item.facts.id: item for item in pool}
    values = {
        job_id: _value(chosen, candidate, item, now, normalizer) for job_id, item in by_id.items()
    }
    passing = sorted((j for j, v in values.items() if v >= minimum), key=lambda j: (-values[j], j))
    explained = [
        Ranked(job_id, _explained(chosen, candidate, by_id[job_id], now, normalizer))
        for job_id in passing[:limit]
    ]
    return len(passing), explained


@dataclass(frozen=True)
class Scored:
    """A job's score without its explanation: what ordering a whole pool needs."""

    job_id: str
    score: float


def feed_order(
    preset: ScoringPreset,
    candidate: CandidateFacts,
    pool: Sequence[PoolJob],
    *,
    now: datetime,
    normalizer: SkillNormalizer,
) -> list[Scored]:
    """A feed's order: scores (ties by job id) in tiers (`tiered`), near-duplicates spread out
    (`spread`). No explanations: a page explains its own few jobs."""
    chosen = get_preset(preset)
    scored = sorted(
        (Scored(item.facts.id, _value(chosen, candidate, item, now, normalizer)) for item in pool),
        key=lambda s: (-s.score, s.job_id),
    )
    facts = {item.facts.id: item.facts for item in pool}
    groups = {item.facts.id: item.group for item in pool}
    return spread(tiered(candidate, scored, facts), lambda r: groups[r.job_id])


def rank_feed(
    preset: ScoringPreset,
    candidate: CandidateFacts,
    pool: Sequence[PoolJob],
    *,
    now: datetime,
    normalizer: SkillNormalizer,
) -> list[Ranked]:
    """`feed_order` with every job's explanation."""
    chosen = get_preset(preset)
    by_id = {item.facts.id: item for item in pool}
    return [
        Ranked(s.job_id, _explained(chosen, candidate, by_id[s.job_id], now, normalizer))
        for s in feed_order(preset, candidate, pool, now=now, normalizer=normalizer)
    ]


def above(ranked: Sequence[Ranked], min_score: float, first: int) -> list[Ranked]:
    """The best `first` entries scoring at least `min_score` (ranked is already sorted)."""
    return [r for r in ranked if r.explanation.score >= min_score][:first]


def candidate_keywords(headline: str | None, skills: Sequence[str]) -> str:
    """The text a candidate's keyword vector is built from (SKILLS_FIRST)."""
    return " ".join([headline or "", *skills]).strip()


def job_keywords(title: str, keywords: Sequence[str], skills: Sequence[str]) -> str:
    return " ".join([title, *keywords, *skills]).strip()


def has_places(candidate: CandidateFacts) -> bool:
    """Whether the feed ranks in tiers: the candidate names a place that is not "Remote"."""
    return bool(preferred_places(candidate))


def in_reach(candidate: CandidateFacts, job: JobFacts) -> bool:
    """Tier 1: a remote job the candidate accepts, or a job inside the search radius of (or in
    the very city of) a preferred place. Everything is in reach without preferred places."""
    if not has_places(candidate):
        return True
    if job.is_remote and accepts_remote(candidate):
        return True
    return (
        within_radius(candidate, job) is not None or best_match(candidate, job) is PlaceMatch.CITY
    )


DISTANCE_BUCKETS_KM = (5.0, 15.0)  # then the search radius; a bucket ranks before score
UNPLACED_FIRST = False  # remote and unplaced jobs of tier 1: before the placed ones, or after


def distance_bucket(km: float | None, *, unplaced_first: bool = UNPLACED_FIRST) -> int:
    """A tier-1 job's band by its distance to the nearest preferred place: 0-5 km, 5-15, beyond;
    a job with no distance (remote, unplaced) in a band of its own, first or last."""
    if km is None:
        return -1 if unplaced_first else len(DISTANCE_BUCKETS_KM) + 1
    return sum(km > edge for edge in DISTANCE_BUCKETS_KM)


def tiered(
    candidate: CandidateFacts, ranked: Sequence[Scored], facts: dict[str, JobFacts]
) -> list[Scored]:
    """Jobs in reach first, then the rest. Inside tier 1 by distance band to the nearest
    preferred place (`distance_bucket`), then by score; by score inside tier 2; nearer first
    among equals (remote and unplaced jobs after placed ones)."""
    if not has_places(candidate):
        return list(ranked)

    def key(item: Scored) -> tuple[int, int, float, float]:
        job = facts[item.job_id]
        near = nearest_preferred(candidate, job)
        km = near[1] if near is not None else None
        if in_reach(candidate, job):
            return 0, distance_bucket(km), -item.score, _or_inf(km)
        return 1, 0, -item.score, _or_inf(km)

    return sorted(ranked, key=key)  # stable: equal keys keep rank()'s job id order


def _or_inf(km: float | None) -> float:
    return math.inf if km is None else km


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def duplicate_key(title: str, company: str) -> str:
    """Jobs with the same normalized title at the same company are near-duplicates (e.g. one
    posting copied to several locations)."""
    normalized = " ".join(_NOT_WORD.sub(" ", title.lower()).split())
    return f"{normalized}|{company}"


def spread(
    items: Sequence[T], key: Callable[[T], str], *, most: int = 2, window: int = 10
) -> list[T]:
    """The same items, each one as early as its rank allows while no `window` consecutive ones
    hold more than `most` of a key; when only over-represented keys are left, they follow in
    order (none is dropped). An empty key is never limited."""
    pending = list(items)
    out: list[T] = []
    recent: deque[str] = deque(maxlen=window - 1)
    counts: Counter[str] = Counter()
    while pending:
        index = next(
            (i for i, item in enumerate(pending) if not key(item) or counts[key(item)] < most), 0
        )
        item = pending.pop(index)
        out.append(item)
        if len(recent) == recent.maxlen:
            counts[recent[0]] -= 1
        recent.append(key(item))
        counts[key(item)] += 1
    return out
