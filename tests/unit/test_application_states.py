"""The application state machine of SPEC §5."""

import pytest

from domain.applications import PIPELINE, allowed_transitions, is_final, transition
from domain.enums import ApplicationStatus as S
from domain.enums import Role
from domain.errors import InvalidInput

RECRUITERS = [Role.RECRUITER, Role.COMPANY_ADMIN, "RECRUITER"]
OPEN = [s for s in S if s not in (S.HIRED, S.REJECTED, S.WITHDRAWN)]


@pytest.mark.parametrize("role", RECRUITERS)
def test_recruiters_move_forward_one_stage(role: Role | str) -> None:
    for current, following in zip(PIPELINE, PIPELINE[1:], strict=False):
        transition(current, following, role)


def test_recruiters_may_skip_stages() -> None:
    transition(S.SUBMITTED, S.TECHNICAL_INTERVIEW, Role.RECRUITER)
    transition(S.WAITING_FOR_REVIEW, S.HIRED, Role.RECRUITER)


@pytest.mark.parametrize("current", OPEN)
def test_recruiters_may_reject_any_open_application(current: S) -> None:
    transition(current, S.REJECTED, Role.RECRUITER)


def test_recruiters_may_not_move_backward() -> None:
    with pytest.raises(InvalidInput, match="may not move"):
        transition(S.FINAL_INTERVIEW, S.HR_MEETING, Role.RECRUITER)
    with pytest.raises(InvalidInput):
        transition(S.WAITING_FOR_REVIEW, S.SUBMITTED, Role.COMPANY_ADMIN)


@pytest.mark.parametrize("current", OPEN)
def test_the_same_status_again_is_illegal(current: S) -> None:
    with pytest.raises(InvalidInput, match="already"):
        transition(current, current, Role.RECRUITER)


@pytest.mark.parametrize("current", OPEN)
def test_only_the_candidate_withdraws_an_open_application(current: S) -> None:
    transition(current, S.WITHDRAWN, Role.CANDIDATE)
    with pytest.raises(InvalidInput):
        transition(current, S.WITHDRAWN, Role.RECRUITER)


def test_candidates_cannot_move_their_application_along_the_pipeline() -> None:
    with pytest.raises(InvalidInput):
        transition(S.SUBMITTED, S.HIRED, Role.CANDIDATE)
    with pytest.raises(InvalidInput):
        transition(S.SUBMITTED, S.REJECTED, Role.CANDIDATE)


@pytest.mark.parametrize("final", [S.HIRED, S.REJECTED, S.WITHDRAWN])
@pytest.mark.parametrize("role", [Role.RECRUITER, Role.CANDIDATE])
def test_final_statuses_cannot_change(final: S, role: Role) -> None:
    assert is_final(final)
    assert allowed_transitions(final, role) == frozenset()
    for target in S:
        with pytest.raises(InvalidInput, match="final"):
            transition(final, target, role)


def test_platform_admins_cannot_change_applications() -> None:
    assert allowed_transitions(S.SUBMITTED, Role.PLATFORM_ADMIN) == frozenset()
    with pytest.raises(InvalidInput):
        transition(S.SUBMITTED, S.HR_MEETING, Role.PLATFORM_ADMIN)


def test_unknown_roles_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="Unknown role"):
        transition(S.SUBMITTED, S.HR_MEETING, "JANITOR")


def test_recruiter_moves_from_submitted_are_every_later_stage_or_rejection() -> None:
    assert allowed_transitions(S.SUBMITTED, Role.RECRUITER) == frozenset(
        {
            S.WAITING_FOR_REVIEW,
            S.HR_MEETING,
            S.TECHNICAL_INTERVIEW,
            S.FINAL_INTERVIEW,
            S.HIRED,
            S.REJECTED,
        }
    )
    assert allowed_transitions(S.FINAL_INTERVIEW, Role.RECRUITER) == frozenset(
        {S.HIRED, S.REJECTED}
    )
