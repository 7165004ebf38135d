"""Vector arithmetic on embeddings: the dynamic profile of SPEC §3."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DYNAMIC_PROFILE_MIN_RIGHT_SWIPES = 5
BASE_WEIGHT = 0.30
SWIPES_WEIGHT = 0.70


def normalize(vector: Sequence[float]) -> list[float]:
    array = np.asarray(vector, dtype=np.float64)
    norm = float(np.linalg.norm(array))
    if norm == 0.0:
        return [float(x) for x in array]
    return [float(x) for x in array / norm]


def current_profile(base: Sequence[float], right_swiped: Sequence[Sequence[float]]) -> list[float]:
    """normalize(0.30 base + 0.70 mean(right-swiped)) from the 5th RIGHT swipe on, else the base."""
    if len(right_swiped) < DYNAMIC_PROFILE_MIN_RIGHT_SWIPES:
        return [float(x) for x in base]
    mean = np.mean(np.asarray(right_swiped, dtype=np.float64), axis=0)
    blended = BASE_WEIGHT * np.asarray(base, dtype=np.float64) + SWIPES_WEIGHT * mean
    return normalize(blended.tolist())
