"""The pool candidate's status machine and updateCandidate's rules, without a database."""

from __future__ import annotations

import pytest

from domain.candidates import after_matching, edit_candidate, move_candidate, pool_filter
from domain.enums import CandidateStatus
from domain.errors import InvalidInput
from domain.skills import default_normalizer

S = CandidateStatus
CURRENT = {
    "status": "READY",
    "name": "Jane",
    "headline": "Backend Engineer",
    "skills": ["Python"],
    "salary_min": 90000.0,
    "salary_max": None,
    "preferred_locations": [],
}


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.PENDING_REVIEW, S.READY),
        (S.PENDING_REVIEW, S.ARCHIVED),
        (S.READY, S.PLACED),
        (S.READY, S.ARCHIVED),
        (S.PLACED, S.ARCHIVED),
    ],
)
def test_allowed_moves(current: CandidateStatus, new: CandidateStatus) -> None:
    move_candidate(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.PENDING_REVIEW, S.PLACED),
        (S.ARCHIVED, S.READY),
        (S.ARCHIVED, S.ARCHIVED),
        (S.READY, S.PENDING_REVIEW),
        (S.PLACED, S.PENDING_REVIEW),
    ],
)
def test_refused_moves(current: CandidateStatus, new: CandidateStatus) -> None:
    with pytest.raises(InvalidInput):
        move_candidate(current, new)


def test_generating_matches_makes_only_a_candidate_under_review_ready() -> None:
    assert after_matching(S.PENDING_REVIEW) is S.READY
    assert [after_matching(s) for s in (S.READY, S.PLACED, S.ARCHIVED)] == [
        S.READY,
        S.PLACED,
        S.ARCHIVED,
    ]


def test_an_edit_is_checked_against_stored_values_and_only_profile_changes_reembed() -> None:
    normalizer = default_normalizer()
    with pytest.raises(InvalidInput):
        edit_candidate(CURRENT, None, {"salary_max": 50000.0}, normalizer)
    renamed = edit_candidate(CURRENT, None, {"name": "Jane Roe"}, normalizer)
    assert renamed.changes == {"name": "Jane Roe"} and renamed.text is None
    reskilled = edit_candidate(CURRENT, None, {"skills": ["go"], "headline": None}, normalizer)
    assert reskilled.changes == {"skills": ["Go"], "headline": None}
    assert reskilled.text is not None and "Go" in reskilled.text
    placed = edit_candidate(CURRENT, None, {"status": S.PLACED}, normalizer)
    assert placed.status is S.PLACED and placed.changes == {"status": "PLACED"}
    with pytest.raises(InvalidInput):
        edit_candidate(CURRENT, None, {"status": S.READY}, normalizer)
    with pytest.raises(InvalidInput):
        edit_candidate(CURRENT | {"status": "ARCHIVED"}, None, {"name": "X"}, normalizer)


def test_the_pool_filter_hides_archived_unless_asked_and_normalizes_skills() -> None:
    normalizer = default_normalizer()
    plain = pool_filter(None, None, None, None, normalizer)
    assert S.ARCHIVED not in plain.statuses and S.READY in plain.statuses
    asked = pool_filter(S.ARCHIVED, ["excel"], "  Austin   TX ", "a  b", normalizer)
    assert asked.statuses == (S.ARCHIVED,) and asked.skills_any == ("Microsoft Excel",)
    assert asked.location == "Austin TX" and asked.terms == ("a", "b")
