"""Ordering scored jobs and fusing ranked lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.errors import InvalidInput
from domain.scoring.explain import MatchExplanation

RRF_K = 60


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
