"""Scoring one job for one candidate under a preset, with the explanation people read."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from domain.enums import Grade, ScoringPreset
from domain.errors import InvalidInput
from domain.scoring.context import ScoringContext
from domain.scoring.facts import CandidateFacts, JobFacts
from domain.scoring.filters import failed_filters
from domain.scoring.presets import Preset
from domain.scoring.registry import FACTORS
from domain.scoring.sentences import filter_gap
from domain.skills import SkillNormalizer

CENT = Decimal("0.01")
GRADE_FLOORS = (
    (Decimal(90), Grade.A_PLUS),
    (Decimal(80), Grade.A),
    (Decimal(70), Grade.B),
    (Decimal(60), Grade.C),
    (Decimal(50), Grade.D),
)
RECOMMENDED_FROM = Decimal(70)
_LABELS = {
    Grade.A_PLUS: ("Excellent", "A+"),
    Grade.A: ("Strong", "A"),
    Grade.B: ("Good", "B"),
    Grade.C: ("Fair", "C"),
    Grade.D: ("Weak", "D"),
    Grade.F: ("Poor", "F"),
}


@dataclass(frozen=True)
class Factor:
    """One factor of a score: contribution = weight x value, rounded to cents."""

    name: str
    weight: float
    value: float
    contribution: float


@dataclass(frozen=True)
class MatchExplanation:
    """A score with its grade and reasons; the factor contributions add up to `score` exactly."""

    preset: ScoringPreset
    preset_version: str
    score: float
    grade: Grade
    recommended: bool
    factors: tuple[Factor, ...]
    matched_skills: tuple[str, ...]
    missing_skills: tuple[str, ...]
    reasons: tuple[str, ...]
    gaps: tuple[str, ...]
    summary: str
    failed_filters: tuple[str, ...] = ()


def cents(value: float | Decimal) -> Decimal:
    """Round half up to 2 decimals, from the shortest decimal spelling of a float."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(score: float | Decimal) -> Grade:
    rounded = cents(score)
    return next((grade for floor, grade in GRADE_FLOORS if rounded >= floor), Grade.F)


def _summary(grade: Grade, reasons: tuple[str, ...], gaps: tuple[str, ...], filtered: bool) -> str:
    label, mark = _LABELS[grade]
    if filtered:
        label = "Filtered out"
    lead = reasons if grade in (Grade.A_PLUS, Grade.A, Grade.B) else gaps
    first = next(iter(lead or reasons or gaps), "no details").removeprefix("Filtered out: ")
    first = first.rstrip(".")
    return f"{label} match ({mark}): {first}." if not filtered else f"{label} ({mark}): {first}."


def score(
    preset: Preset,
    candidate: CandidateFacts,
    job: JobFacts,
    *,
    cosine: float | None,
    now: datetime,
    normalizer: SkillNormalizer,
) -> MatchExplanation:
    """Score `job` for `candidate`; a LAYERED job failing a hard filter scores 0 (F)."""
    ctx = ScoringContext(candidate, job, cosine, now, normalizer)
    failed = failed_filters(candidate, job) if preset.hard_filters else ()
    factors: list[Factor] = []
    reasons: list[str] = []
    gaps = [filter_gap(name, ctx) for name in failed]
    total = Decimal(0)
    for name, weight, value, contribution in _contributions(preset, ctx, bool(failed)):
        total += contribution
        factors.append(Factor(name, weight, float(value), float(contribution)))
        reason, gap = FACTORS[name].describe(ctx, float(value))
        reasons += [reason] if reason else []
        gaps += [gap] if gap else []
    skill_match = ctx.overlap if "skill_overlap" in preset.weights else ctx.skills
    grade = grade_for(total)
    return MatchExplanation(
        preset=preset.name,
        preset_version=preset.version,
        score=float(total),
        grade=grade,
        recommended=total >= RECOMMENDED_FROM,
        factors=tuple(factors),
        matched_skills=skill_match.matched,
        missing_skills=skill_match.missing,
        reasons=tuple(reasons),
        gaps=tuple(gaps),
        summary=_summary(grade, tuple(reasons), tuple(gaps), bool(failed)),
        failed_filters=failed,
    )


def _contributions(
    preset: Preset, ctx: ScoringContext, failed: bool
) -> Iterable[tuple[str, float, Decimal, Decimal]]:
    """Each factor's name, weight, value and contribution (both rounded to cents)."""
    for name, weight in preset.weights.items():
        value = cents(FACTORS[name].value(ctx))
        yield name, weight, value, Decimal(0) if failed else cents(Decimal(str(weight)) * value)


def score_value(
    preset: Preset,
    candidate: CandidateFacts,
    job: JobFacts,
    *,
    cosine: float | None,
    now: datetime,
    normalizer: SkillNormalizer,
) -> float:
    """`score(...).score` without the explanation (no sentences): for ranking whole pools."""
    ctx = ScoringContext(candidate, job, cosine, now, normalizer)
    failed = bool(failed_filters(candidate, job)) if preset.hard_filters else False
    return float(sum((c for *_, c in _contributions(preset, ctx, failed)), Decimal(0)))


def feed_score(explanation: MatchExplanation) -> int:
    """The integer 0-100 the feed shows for a SWIPE_HYBRID score (half up: 84.5 -> 85)."""
    if explanation.preset is not ScoringPreset.SWIPE_HYBRID:
        raise InvalidInput("The feed shows SWIPE_HYBRID scores only", field="preset")
    whole = Decimal(str(explanation.score)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(0, min(100, int(whole)))


def what_if(
    preset: Preset,
    candidate: CandidateFacts,
    job: JobFacts,
    *,
    cosine: float | None,
    now: datetime,
    normalizer: SkillNormalizer,
    add_skills: Iterable[str] = (),
    years_of_experience: float | None = None,
) -> tuple[MatchExplanation, float]:
    """The score after adding skills and/or changing years, and its change from today's score.

    The embedding cosine is kept as given: the profile embedding is recomputed only on save.
    """
    if years_of_experience is not None and (
        not math.isfinite(years_of_experience) or years_of_experience < 0
    ):
        raise InvalidInput("Years of experience must be 0 or more", field="yearsOfExperience")
    before = score(preset, candidate, job, cosine=cosine, now=now, normalizer=normalizer)
    added = tuple(s.strip() for s in add_skills if s.strip())
    changed = replace(
        candidate,
        skills=candidate.skills + added,
        years_of_experience=(
            candidate.years_of_experience if years_of_experience is None else years_of_experience
        ),
    )
    after = score(preset, changed, job, cosine=cosine, now=now, normalizer=normalizer)
    return after, float(Decimal(str(after.score)) - Decimal(str(before.score)))
