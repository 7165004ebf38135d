"""One candidate-job pair being scored, and the value of every factor for it."""

from __future__ import annotations

from collections.abc import Callable
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


def _salary(ctx: ScoringContext) -> float:
    c, j = ctx.candidate, ctx.job
    return f.salary(
        c.salary_min,
        j.salary_annual_max,
        candidate_max=c.salary_max,
        job_min=j.salary_annual_min,
        candidate_currency=c.salary_currency,
        job_currency=j.salary_currency,
    )


def _days(ctx: ScoringContext) -> float | None:
    return None if ctx.hours is None else ctx.hours / 24.0


FACTOR_VALUES: dict[str, Callable[[ScoringContext], float]] = {
    "semantic": lambda ctx: f.semantic(ctx.cosine),
    "skill_overlap": lambda ctx: ctx.overlap.value,
    "skills": lambda ctx: ctx.skills.value,
    "seniority": lambda ctx: f.seniority(ctx.candidate.seniority, ctx.job.seniority),
    "recency_decay": lambda ctx: f.recency_decay(ctx.hours),
    "recency_steps": lambda ctx: f.recency_steps(_days(ctx)),
    "location_match": lambda ctx: f.location_match(ctx.candidate, ctx.job),
    "location": lambda ctx: f.location(ctx.candidate, ctx.job),
    "experience": lambda ctx: f.experience(
        ctx.candidate.years_of_experience, ctx.job.experience_min, ctx.job.experience_max
    ),
    "salary": _salary,
    "keyword_similarity": lambda ctx: f.keyword_similarity(
        ctx.candidate.keywords_text, ctx.job.keywords_text
    ),
}
