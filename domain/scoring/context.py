"""One candidate-job pair being scored, with the values several factors share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from domain.scoring import factors as f
from domain.scoring.facts import CandidateFacts, JobFacts
from domain.skills import SkillNormalizer


@dataclass(frozen=True)
class ScoringContext:
    """Inputs of one score; `cosine` is the precomputed embedding cosine, None when unknown."""

    candidate: CandidateFacts
    job: JobFacts
    cosine: float | None
    now: datetime
    normalizer: SkillNormalizer

    @cached_property
    def skills(self) -> f.SkillMatch:
        return f.skills(self.candidate.skills, self.job.skills, self.normalizer)

    @cached_property
    def overlap(self) -> f.SkillMatch:
        return f.skill_overlap(self.candidate.skills, self.job.skills, self.normalizer)

    @cached_property
    def hours(self) -> float | None:
        return f.hours_since(self.job.posted_at, self.now)
