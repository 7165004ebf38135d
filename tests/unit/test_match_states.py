"""Match records' rules: the status machine, which scores are kept, explanations round-trip."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.enums import MatchStatus, RemotePreference, ScoringPreset, Seniority
from domain.errors import InvalidInput
from domain.matches import enters_top, from_json, keep_top, score_pairs, to_json, transition
from domain.scoring import CandidateFacts, JobFacts, MatchExplanation
from domain.skills import SkillNormalizer

S = MatchStatus
NOW = datetime(2026, 6, 1, tzinfo=UTC)
CANDIDATE = CandidateFacts(
    skills=("Python", "PostgreSQL"),
    seniority=Seniority.SENIOR,
    years_of_experience=6,
    preferred_locations=("Austin, TX",),
    remote_preference=RemotePreference.REMOTE_OK,
    salary_min=None,
    salary_max=None,
    salary_currency=None,
)
JOB = JobFacts(
    id="j",
    title="Backend Engineer",
    skills=("Python", "Go"),
    seniority=Seniority.SENIOR,
    city="Austin",
    region="TX",
    country="US",
    location="Austin, TX",
    is_remote=False,
    experience_min=3,
    experience_max=None,
    salary_annual_min=None,
    salary_annual_max=None,
    salary_currency=None,
    posted_at=NOW,
)


def _explained(score: float) -> MatchExplanation:
    [base] = score_pairs(
        ScoringPreset.FIVE_FACTOR, [(CANDIDATE, JOB, 0.5)], now=NOW, normalizer=SkillNormalizer({})
    )
    return replace(base, score=score)


def test_a_match_moves_forward_skipping_stages_or_to_rejected() -> None:
    transition(S.SUGGESTED, S.CONTACTED)
    transition(S.VIEWED, S.SHORTLISTED)
    transition(S.CONTACTED, S.REJECTED)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.SHORTLISTED, S.VIEWED),
        (S.VIEWED, S.VIEWED),
        (S.APPLIED, S.REJECTED),
        (S.REJECTED, S.SUGGESTED),
        (S.REJECTED, S.APPLIED),
    ],
)
def test_a_match_never_moves_back_or_out_of_a_final_status(
    current: MatchStatus, new: MatchStatus
) -> None:
    with pytest.raises(InvalidInput):
        transition(current, new)


def test_keep_top_keeps_the_best_at_or_above_50_ties_by_id() -> None:
    scored = [("c", _explained(70)), ("a", _explained(49.99)), ("b", _explained(70))]
    scored += [(f"x{n:02}", _explained(50 + n / 10)) for n in range(60)]
    kept = keep_top(scored)
    assert len(kept) == 50
    assert [key for key, _ in kept[:2]] == ["b", "c"]
    assert "a" not in {key for key, _ in kept}
    assert min(e.score for _, e in kept) >= 50


def test_a_new_score_enters_a_full_top_list_only_above_its_lowest() -> None:
    assert enters_top(60, held=10, lowest_held=80)
    assert not enters_top(49.99, held=0, lowest_held=None)
    assert not enters_top(60, held=50, lowest_held=60)
    assert enters_top(60.01, held=50, lowest_held=60)


def test_an_explanation_survives_its_json_form() -> None:
    explanation = _explained(0)
    [real] = score_pairs(
        ScoringPreset.FIVE_FACTOR, [(CANDIDATE, JOB, 0.5)], now=NOW, normalizer=SkillNormalizer({})
    )
    assert from_json(to_json(real)) == real
    assert explanation.matched_skills == ("Python",)
