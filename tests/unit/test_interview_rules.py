"""Interview rules, pure: slots, overlaps, durations, ratings, places, open statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.enums import InterviewStatus
from domain.errors import InvalidInput
from domain.interviews import (
    Slot,
    check_no_overlap,
    check_open,
    check_outcome,
    check_place,
    check_slot,
    check_subject,
)

NOW = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


def slot(hours: float, minutes: int = 60) -> Slot:
    return Slot(NOW + timedelta(hours=hours), minutes)


def test_back_to_back_slots_do_not_overlap_but_one_minute_more_does() -> None:
    check_no_overlap(slot(1), [slot(0), slot(2)])
    with pytest.raises(InvalidInput):
        check_no_overlap(slot(1, 61), [slot(2)])
    with pytest.raises(InvalidInput):
        check_no_overlap(slot(0.5, 15), [slot(0, 120)])  # inside another


@pytest.mark.parametrize("minutes", [14, 481, 0, -30])
def test_durations_outside_15_to_480_minutes_are_refused(minutes: int) -> None:
    with pytest.raises(InvalidInput, match="durationMinutes"):
        check_slot(slot(1, minutes), NOW)


def test_only_future_starts_are_accepted() -> None:
    check_slot(slot(0.01, 15), NOW)
    check_slot(slot(1, 480), NOW)
    for past in (0, -1):
        with pytest.raises(InvalidInput, match="future"):
            check_slot(slot(past), NOW)


def test_ratings_are_1_to_5_and_blank_feedback_is_none() -> None:
    assert check_outcome("  ", 1) is None
    assert check_outcome(" ok ", 5) == "ok"
    for rating in (0, 6):
        with pytest.raises(InvalidInput, match="rating"):
            check_outcome(None, rating)


def test_links_are_http_urls_and_blank_places_are_none() -> None:
    assert check_place(" ", "") == (None, None)
    assert check_place("HQ", "https://meet.example.com/x") == ("HQ", "https://meet.example.com/x")
    with pytest.raises(InvalidInput, match="link"):
        check_place(None, "javascript:alert(1)")


def test_rejected_subjects_and_closed_interviews_are_final() -> None:
    check_subject("SHORTLISTED", "match")
    with pytest.raises(InvalidInput):
        check_subject("REJECTED", "application")
    check_open(InterviewStatus.SCHEDULED, "cancel")
    for status in (InterviewStatus.CANCELLED, InterviewStatus.COMPLETED):
        with pytest.raises(InvalidInput):
            check_open(status, "reschedule")
