"""Ordering scored jobs, fusing ranked lists, and the swipe-driven dynamic profile vector."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from domain.errors import InvalidInput
from domain.scoring.explain import MatchExplanation

RRF_K = 60
DYNAMIC_PROFILE_MIN_SWIPES = 5
BASE_WEIGHT = 0.30
SWIPED_WEIGHT = 0.70


def rank(explanations: Mapping[str, MatchExplanation]) -> list[tuple[str, MatchExplanation]]:
    """Best score first; equal scores by job id ascending, so pages cut from it are stable."""
    return sorted(explanations.items(), key=lambda item: (-item[1].score, item[0]))


def rrf(rank_lists: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of 1 / (k + rank + 1), rank 0-based; ties by id ascending.

    An id repeated within one list counts at its first (best) rank only.
    """
    if k < 0:
        raise InvalidInput("k must not be negative", field="k")
    scores: dict[str, float] = {}
    for ranked in rank_lists:
        seen: set[str] = set()
        for position, item in enumerate(ranked):
            if item not in seen:
                seen.add(item)
                scores[item] = scores.get(item, 0.0) + 1.0 / (k + position + 1)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def dynamic_profile(
    base: Sequence[float], right_swiped: Sequence[Sequence[float]]
) -> list[float] | None:
    """normalize(0.30 x base + 0.70 x mean(right-swiped)) from the 5th RIGHT swipe on, else None."""
    if len(right_swiped) < DYNAMIC_PROFILE_MIN_SWIPES:
        return None
    try:
        base_vector = np.asarray(base, dtype=np.float64)
        swiped = np.asarray(right_swiped, dtype=np.float64)
    except ValueError as error:
        raise InvalidInput("Embeddings must be lists of numbers", field="embedding") from error
    if base_vector.ndim != 1 or swiped.ndim != 2 or swiped.shape[1] != base_vector.shape[0]:
        raise InvalidInput("Embeddings must all have the same dimension", field="embedding")
    combined = BASE_WEIGHT * base_vector + SWIPED_WEIGHT * swiped.mean(axis=0)
    norm = float(np.linalg.norm(combined))
    if norm == 0.0 or not np.isfinite(norm):
        raise InvalidInput("The combined profile vector cannot be normalized", field="embedding")
    return [float(x) for x in combined / norm]
