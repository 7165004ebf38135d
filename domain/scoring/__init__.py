"""Matching and scoring: presets as data, pure factor functions, explanations and ranking."""

from domain.scoring.explain import (
    Factor,
    MatchExplanation,
    feed_score,
    grade_for,
    score,
    what_if,
)
from domain.scoring.facts import CandidateFacts, JobFacts
from domain.scoring.filters import HARD_FILTERS, failed_filters
from domain.scoring.presets import PRESETS, Preset, get_preset
from domain.scoring.ranking import rank, rrf

__all__ = [
    "HARD_FILTERS",
    "PRESETS",
    "CandidateFacts",
    "Factor",
    "JobFacts",
    "MatchExplanation",
    "Preset",
    "failed_filters",
    "feed_score",
    "get_preset",
    "grade_for",
    "rank",
    "rrf",
    "score",
    "what_if",
]
