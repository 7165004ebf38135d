"""Match records (SPEC §13): the status machine, which scores are kept, explanations as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from domain.enums import Grade, MatchStatus, ScoringPreset
from domain.errors import InvalidInput
from domain.scoring import (
    CandidateFacts,
    Factor,
    JobFacts,
    MatchExplanation,
    get_preset,
    score,
)
from domain.skills import SkillNormalizer

S = MatchStatus
PIPELINE = (S.SUGGESTED, S.VIEWED, S.SHORTLISTED, S.CONTACTED, S.APPLIED)
FINAL = frozenset({S.APPLIED, S.REJECTED})
KEEP = 50  # seed 004: the top 50 per candidate...
MIN_SCORE = 50.0  # ...scoring at least 50
# Statuses a recruiter has acted on: a refresh never drops these records.
ACTED = frozenset({S.SHORTLISTED, S.CONTACTED, S.APPLIED, S.REJECTED})


def allowed_transitions(current: MatchStatus) -> frozenset[MatchStatus]:
    """Forward along the pipeline (stages may be skipped) or to REJECTED; finals stay."""
    if current in FINAL:
        return frozenset()
    return frozenset({*PIPELINE[PIPELINE.index(current) + 1 :], S.REJECTED})


def transition(current: MatchStatus, new: MatchStatus) -> None:
    if new not in allowed_transitions(current):
        reason = (
            f"{current.value} is final"
            if current in FINAL
            else f"the match is already {current.value}"
            if current is new
            else "a match only moves forward"
        )
        raise InvalidInput(
            f"Cannot change the match from {current.value} to {new.value}: {reason}",
            field="status",
        )


def keep_top(
    scored: Iterable[tuple[str, MatchExplanation]], limit: int = KEEP, minimum: float = MIN_SCORE
) -> list[tuple[str, MatchExplanation]]:
    """The best `limit` at or above `minimum`, best first, ties by id ascending."""
    kept = [(key, e) for key, e in scored if float(e.score) >= minimum]
    kept.sort(key=lambda pair: (-float(pair[1].score), pair[0]))
    return kept[:limit]


def enters_top(score: float, held: int, lowest_held: float | None, limit: int = KEEP) -> bool:
    """Whether a new score joins a candidate's top list holding `held` records."""
    if score < MIN_SCORE:
        return False
    return held < limit or lowest_held is None or score > lowest_held


def to_json(value: MatchExplanation) -> dict[str, Any]:
    return {
        "preset": value.preset.value,
        "preset_version": value.preset_version,
        "score": float(value.score),
        "grade": value.grade.value,
        "recommended": value.recommended,
        "factors": [
            {"name": f.name, "weight": f.weight, "value": f.value, "contribution": f.contribution}
            for f in value.factors
        ],
        "matched_skills": list(value.matched_skills),
        "missing_skills": list(value.missing_skills),
        "reasons": list(value.reasons),
        "gaps": list(value.gaps),
        "summary": value.summary,
        "failed_filters": list(value.failed_filters),
    }


def from_json(data: Mapping[str, Any]) -> MatchExplanation:
    return MatchExplanation(
        preset=ScoringPreset(data["preset"]),
        preset_version=str(data["preset_version"]),
        score=float(data["score"]),
        grade=Grade(data["grade"]),
        recommended=bool(data["recommended"]),
        factors=tuple(Factor(**f) for f in data["factors"]),
        matched_skills=tuple(data["matched_skills"]),
        missing_skills=tuple(data["missing_skills"]),
        reasons=tuple(data["reasons"]),
        gaps=tuple(data["gaps"]),
        summary=str(data["summary"]),
        failed_filters=tuple(data.get("failed_filters", ())),
    )


def score_pairs(
    preset: ScoringPreset,
    pairs: Sequence[tuple[CandidateFacts, JobFacts, float | None]],
    *,
    now: datetime,
    normalizer: SkillNormalizer,
) -> list[MatchExplanation]:
    """Each (candidate, job, cosine) scored under `preset`, in order."""
    chosen = get_preset(preset)
    return [
        score(chosen, c, j, cosine=cosine, now=now, normalizer=normalizer) for c, j, cosine in pairs
    ]
