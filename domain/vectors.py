"""Vector arithmetic on embeddings: the dynamic profile of SPEC §3."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from domain.errors import InvalidInput

DYNAMIC_PROFILE_MIN_SWIPES = 5
BASE_WEIGHT = 0.30
SWIPED_WEIGHT = 0.70


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
