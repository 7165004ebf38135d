"""Application rules: the state machine of SPEC §5 (who may move an application where), notes."""

from __future__ import annotations

from domain.enums import RECRUITER_ROLES, ApplicationStatus, Role
from domain.errors import InvalidInput
from domain.inputs import NOTE

S = ApplicationStatus
PIPELINE = (
    S.SUBMITTED,
    S.WAITING_FOR_REVIEW,
    S.HR_MEETING,
    S.TECHNICAL_INTERVIEW,
    S.FINAL_INTERVIEW,
    S.HIRED,
)
FINAL = frozenset({S.HIRED, S.REJECTED, S.WITHDRAWN})


def is_final(status: ApplicationStatus) -> bool:
    return status in FINAL


def _role(actor_role: Role | str) -> Role:
    try:
        return Role(actor_role)
    except ValueError as error:
        raise InvalidInput(f"Unknown role: {actor_role}", field="role") from error


def allowed_transitions(
    current: ApplicationStatus, actor_role: Role | str
) -> frozenset[ApplicationStatus]:
    """Statuses `actor_role` may move an application in `current` to.

    Recruiters move forward (stages may be skipped) or reject; only the candidate withdraws.
    Nothing leaves a final status.
    """
    role = _role(actor_role)
    if current in FINAL:
        return frozenset()
    if role is Role.CANDIDATE:
        return frozenset({S.WITHDRAWN})
    if role in RECRUITER_ROLES:
        later = PIPELINE[PIPELINE.index(current) + 1 :]
        return frozenset({*later, S.REJECTED})
    return frozenset()


def transition(current: ApplicationStatus, new: ApplicationStatus, actor_role: Role | str) -> None:
    """Raise InvalidInput unless `actor_role` may move an application from `current` to `new`."""
    if new not in allowed_transitions(current, actor_role):
        if current in FINAL:
            reason = f"{current.value} is final"
        elif current is new:
            reason = f"the application is already {current.value}"
        else:
            reason = f"{_role(actor_role).value} may not move it to {new.value}"
        raise InvalidInput(
            f"Cannot change the application from {current.value} to {new.value}: {reason}",
            field="status",
        )


def clean_note(note: str | None) -> str | None:
    """A recruiter's or candidate's note on a status change; blank is none."""
    cleaned = (note or "").strip()
    if len(cleaned) > NOTE:
        raise InvalidInput(f"note must be at most {NOTE} characters", field="note")
    return cleaned or None
