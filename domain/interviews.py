"""Interview rules (SPEC §13): when one may be scheduled, moved, cancelled or completed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.enums import InterviewStatus
from domain.errors import InvalidInput
from domain.inputs import NOTE, cap

DEFAULT_MINUTES = 60
MIN_MINUTES = 15
MAX_MINUTES = 480
LOCATION = 255
LINK = 500
FEEDBACK = 10_000
# Subject statuses that end the conversation: an interview for them makes no sense.
REFUSED_SUBJECTS = frozenset({"REJECTED", "WITHDRAWN"})


@dataclass(frozen=True)
class Slot:
    """When an interview takes place: [start, start + minutes)."""

    start: datetime
    minutes: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def overlaps(self, other: Slot) -> bool:
        return self.start < other.end and other.start < self.end


def check_subject(status: str, kind: str) -> None:
    """No interview for a REJECTED (or withdrawn) application or match."""
    if status in REFUSED_SUBJECTS:
        raise InvalidInput(
            f"the {kind} is {status}: no interview can be scheduled for it", field=kind + "Id"
        )


def check_slot(slot: Slot, now: datetime) -> None:
    if slot.start.tzinfo is None:
        raise InvalidInput("scheduledAt needs a time zone offset", field="scheduledAt")
    if not MIN_MINUTES <= slot.minutes <= MAX_MINUTES:
        raise InvalidInput(
            f"durationMinutes must be between {MIN_MINUTES} and {MAX_MINUTES}",
            field="durationMinutes",
        )
    if slot.start <= now:
        raise InvalidInput("scheduledAt must be in the future", field="scheduledAt")


def check_no_overlap(slot: Slot, booked: Iterable[Slot]) -> None:
    """The same person is never in two SCHEDULED interviews at once."""
    for other in booked:
        if slot.overlaps(other):
            raise InvalidInput(
                f"the candidate already has an interview from {other.start.isoformat()} "
                f"to {other.end.isoformat()}",
                field="scheduledAt",
            )


def check_place(location: str | None, link: str | None) -> tuple[str | None, str | None]:
    """Blank is none; a link is an http(s) URL."""
    location = cap((location or "").strip() or None, "location", LOCATION)
    link = cap((link or "").strip() or None, "link", LINK)
    if link is not None and not link.lower().startswith(("https://", "http://")):
        raise InvalidInput("link must be an http(s) URL", field="link")
    return location, link


def check_open(status: InterviewStatus, action: str) -> None:
    """Only a SCHEDULED interview may be rescheduled, cancelled or completed."""
    if status is not InterviewStatus.SCHEDULED:
        raise InvalidInput(f"cannot {action} an interview that is {status.value}", field="status")


def check_outcome(feedback: str | None, rating: int | None) -> str | None:
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput("rating must be between 1 and 5", field="rating")
    return cap((feedback or "").strip() or None, "feedback", FEEDBACK)


def clean_reason(reason: str | None) -> str | None:
    return cap((reason or "").strip() or None, "reason", NOTE)
