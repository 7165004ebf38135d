"""Match explanations: MatchExplanation, `matches` and the `whatIf` mutation."""

from __future__ import annotations

import strawberry

from domain import enums
from domain import scoring as domain
from resolvers import matching
from schema.context import Info
from schema.enums import Grade, ScoringPreset
from schema.ids import expect_id
from schema.jobs import Job


@strawberry.type(description="One weighted factor of a score: contribution = weight x value.")
class MatchFactor:
    name: str = strawberry.field(description="Factor name, e.g. semantic, skills, location.")
    weight: float = strawberry.field(description="The preset's weight for it (weights sum to 1).")
    value: float = strawberry.field(description="The factor's value, 0-100.")
    contribution: float = strawberry.field(description="weight x value, rounded to cents.")


@strawberry.type(
    description="A score with its preset, factors and reasons; contributions add up to it."
)
class MatchExplanation:
    preset: ScoringPreset = strawberry.field(description="The scoring preset used.")
    preset_version: str = strawberry.field(description="The preset's version.")
    score: float = strawberry.field(description="0-100 with 2 decimals.")
    grade: Grade = strawberry.field(
        description="A_PLUS >= 90, A >= 80, B >= 70, C >= 60, D >= 50, F."
    )
    recommended: bool = strawberry.field(description="True from grade B (70) up.")
    factors: list[MatchFactor] = strawberry.field(
        description="Each factor's weight, value and contribution."
    )
    matched_skills: list[str] = strawberry.field(description="Job skills the candidate has.")
    missing_skills: list[str] = strawberry.field(description="Job skills the candidate lacks.")
    reasons: list[str] = strawberry.field(description="Strengths, in words.")
    gaps: list[str] = strawberry.field(description="Weaknesses, in words.")
    summary: str = strawberry.field(description="One sentence for a card.")
    failed_filters: list[str] = strawberry.field(description="LAYERED hard filters the job fails.")

    @classmethod
    def of(cls, value: domain.MatchExplanation) -> MatchExplanation:
        return cls(
            preset=value.preset,
            preset_version=value.preset_version,
            score=value.score,
            grade=value.grade,
            recommended=value.recommended,
            factors=[
                MatchFactor(
                    name=f.name, weight=f.weight, value=f.value, contribution=f.contribution
                )
                for f in value.factors
            ],
            matched_skills=list(value.matched_skills),
            missing_skills=list(value.missing_skills),
            reasons=list(value.reasons),
            gaps=list(value.gaps),
            summary=value.summary,
            failed_filters=list(value.failed_filters),
        )


@strawberry.type(
    name="JobMatch",
    description="A job matching the signed-in candidate, with the explanation (computed, not stored).",
)
class Match:
    job: Job = strawberry.field(description="The job.")
    score: float = strawberry.field(description="The preset's score, 0-100.")
    explanation: MatchExplanation = strawberry.field(description="Why it scores so.")


@strawberry.type(description="The score the candidate would get with other skills or experience.")
class WhatIfResult:
    explanation: MatchExplanation = strawberry.field(description="The score as it would be.")
    previous_score: float = strawberry.field(description="Today's score under the same preset.")
    delta: float = strawberry.field(description="explanation.score minus previousScore.")


@strawberry.type
class MatchQuery:
    @strawberry.field(
        description="The candidate's best current matches at or above minScore, best first "
        "(ACTIVE, unexpired, not yet swiped jobs; first at most 100)."
    )
    async def matches(
        self,
        info: Info,
        min_score: float = 70,
        first: int = 10,
        preset: ScoringPreset = enums.ScoringPreset.FIVE_FACTOR,
    ) -> list[Match]:
        ctx = info.context
        found = await matching.matches(
            ctx.services, ctx.loaders, ctx.require_viewer(), min_score, first, preset
        )
        return [
            Match(job=Job(row=job), score=e.score, explanation=MatchExplanation.of(e))
            for job, e in found
        ]


@strawberry.type
class MatchMutation:
    @strawberry.mutation(
        description="What a job would score with added skills and/or other years of experience "
        "(nothing is saved). FIVE_FACTOR by default, since it weighs both skills and experience."
    )
    async def what_if(
        self,
        info: Info,
        job_id: strawberry.ID,
        add_skills: list[str] | None = None,
        years_of_experience: float | None = None,
        preset: ScoringPreset = enums.ScoringPreset.FIVE_FACTOR,
    ) -> WhatIfResult:
        ctx = info.context
        after, delta = await matching.what_if(
            ctx.services,
            ctx.loaders,
            ctx.require_viewer(),
            expect_id(job_id, "Job"),
            add_skills or [],
            years_of_experience,
            preset,
        )
        previous = round(after.score - delta, 2)
        return WhatIfResult(
            explanation=MatchExplanation.of(after), previous_score=previous, delta=delta
        )
