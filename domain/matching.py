"""Matching a candidate against a pool of jobs: cosine, ranking, thresholds, snapshot pages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from domain.enums import ScoringPreset
from domain.errors import InvalidInput
from domain.scoring import CandidateFacts, JobFacts, MatchExplanation, get_preset, rank, score
from domain.skills import SkillNormalizer

MAX_PAGE = 100


@dataclass(frozen=True)
class PoolJob:
    """One job of a candidate pool with its embedding cosine to the profile (None: unknown)."""

    facts: JobFacts
    cosine: float | None


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
        item.facts.id: score(
            chosen, candidate, item.facts, cosine=item.cosine, now=now, normalizer=normalizer
        )
        for item in pool
    }
    return [Ranked(job_id, explanation) for job_id, explanation in rank(explained)]


def above(ranked: Sequence[Ranked], min_score: float, first: int) -> list[Ranked]:
    """The best `first` entries scoring at least `min_score` (ranked is already sorted)."""
    return [r for r in ranked if r.explanation.score >= min_score][:first]


def candidate_keywords(headline: str | None, skills: Sequence[str]) -> str:
    """The text a candidate's keyword vector is built from (SKILLS_FIRST)."""
    return " ".join([headline or "", *skills]).strip()


def job_keywords(title: str, keywords: Sequence[str], skills: Sequence[str]) -> str:
    return " ".join([title, *keywords, *skills]).strip()
