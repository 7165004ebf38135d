"""Every scoring factor in one table: its name, how its value is computed and how it reads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from domain.scoring import factors as f
from domain.scoring import sentences as s
from domain.scoring.context import ScoringContext


@dataclass(frozen=True)
class FactorDefinition:
    """A factor presets may weigh: `value` is in [0, 100]; `describe` gives (reason, gap)."""

    name: str
    value: Callable[[ScoringContext], float]
    describe: Callable[[ScoringContext, float], s.Sentences]


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


def _experience(ctx: ScoringContext) -> float:
    job = ctx.job
    return f.experience(ctx.candidate.years_of_experience, job.experience_min, job.experience_max)


FACTORS: Mapping[str, FactorDefinition] = MappingProxyType(
    {
        factor.name: factor
        for factor in (
            FactorDefinition("semantic", lambda ctx: f.semantic(ctx.cosine), s.semantic),
            FactorDefinition(
                "skill_overlap",
                lambda ctx: ctx.overlap.value,
                lambda ctx, _: s.skill_sentences(ctx.overlap),
            ),
            FactorDefinition(
                "skills", lambda ctx: ctx.skills.value, lambda ctx, _: s.skill_sentences(ctx.skills)
            ),
            FactorDefinition(
                "seniority",
                lambda ctx: f.seniority(ctx.candidate.seniority, ctx.job.seniority),
                s.seniority,
            ),
            FactorDefinition("recency_decay", lambda ctx: f.recency_decay(ctx.hours), s.recency),
            FactorDefinition("recency_steps", lambda ctx: f.recency_steps(_days(ctx)), s.recency),
            FactorDefinition(
                "location_match",
                lambda ctx: f.location_match(ctx.candidate, ctx.job),
                s.location_match,
            ),
            FactorDefinition(
                "location", lambda ctx: f.location(ctx.candidate, ctx.job), s.location
            ),
            FactorDefinition("experience", _experience, s.experience),
            FactorDefinition("salary", _salary, s.salary),
            FactorDefinition(
                "keyword_similarity",
                lambda ctx: f.keyword_similarity(
                    ctx.candidate.keywords_text, ctx.job.keywords_text
                ),
                s.keywords,
            ),
        )
    }
)
FACTOR_NAMES = frozenset(FACTORS)
