"""The six named, versioned scoring presets of SPEC §4, as data."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from domain.enums import ScoringPreset
from domain.errors import InvalidInput
from domain.scoring.registry import FACTOR_NAMES

WEIGHT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Preset:
    """Weights per factor name, summing to 1; `hard_filters` puts the LAYERED filters first."""

    name: ScoringPreset
    version: str
    weights: Mapping[str, float] = field(hash=False)
    hard_filters: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        weights = dict(self.weights)
        unknown = sorted(set(weights) - FACTOR_NAMES)
        if unknown:
            raise InvalidInput(f"Unknown scoring factors: {', '.join(unknown)}", field="weights")
        if not weights:
            raise InvalidInput("A preset needs at least one weight", field="weights")
        if any(not math.isfinite(w) or w < 0 for w in weights.values()):
            raise InvalidInput("Weights must be finite and not negative", field="weights")
        total = math.fsum(weights.values())
        if not math.isclose(total, 1.0, rel_tol=0.0, abs_tol=WEIGHT_TOLERANCE):
            raise InvalidInput(f"Weights must sum to 1, not {total:g}", field="weights")
        object.__setattr__(self, "weights", MappingProxyType(weights))


def _preset(name: ScoringPreset, description: str, **weights: float) -> Preset:
    layered = name is ScoringPreset.LAYERED
    return Preset(name, "1", weights, hard_filters=layered, description=description)


PRESETS: Mapping[ScoringPreset, Preset] = MappingProxyType(
    {
        p.name: p
        for p in (
            _preset(
                ScoringPreset.SWIPE_HYBRID,
                "The feed: embedding similarity first, then skills, seniority, freshness, place.",
                semantic=0.55,
                skill_overlap=0.20,
                seniority=0.10,
                recency_decay=0.10,
                location_match=0.05,
            ),
            _preset(
                ScoringPreset.SEMANTIC_SKILLS,
                "Embedding similarity and matched skills.",
                semantic=0.60,
                skills=0.40,
            ),
            _preset(
                ScoringPreset.RUBRIC,
                "A recruiter's rubric: skills, experience, location, salary.",
                skills=0.40,
                experience=0.30,
                location=0.20,
                salary=0.10,
            ),
            _preset(
                ScoringPreset.SKILLS_FIRST,
                "Skills first, then experience and keyword overlap.",
                skills=0.50,
                experience=0.30,
                keyword_similarity=0.20,
            ),
            _preset(
                ScoringPreset.FIVE_FACTOR,
                "Recruiter ranking and match generation: five weighted factors.",
                skills=0.40,
                experience=0.25,
                location=0.15,
                salary=0.10,
                semantic=0.10,
            ),
            _preset(
                ScoringPreset.LAYERED,
                "Hard filters on salary, location and experience, then five weighted factors.",
                skills=0.35,
                semantic=0.25,
                location=0.15,
                salary=0.15,
                recency_steps=0.10,
            ),
        )
    }
)


def get_preset(name: ScoringPreset | str) -> Preset:
    """The current version of a named preset."""
    try:
        return PRESETS[ScoringPreset(name)]
    except ValueError as error:
        raise InvalidInput(f"Unknown scoring preset: {name}", field="preset") from error
