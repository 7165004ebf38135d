"""Analytics arithmetic: rates without data are null, deciles line up, jobs rank by activity."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.analytics import Tally, busiest, check_window, ratio
from domain.enums import ApplicationStatus
from domain.errors import InvalidInput


def test_a_rate_without_a_denominator_is_none_not_zero() -> None:
    assert ratio(0, 0) is None
    assert ratio(0, 4) == 0.0
    assert ratio(3, 4) == 0.75


def test_all_ten_deciles_are_listed_with_their_ctr() -> None:
    tally = Tally(views={3: (4, 1), 10: (2, 2)})
    deciles = tally.ctr_by_decile()
    assert [d.decile for d in deciles] == list(range(1, 11))
    assert [(d.impressions, d.ctr) for d in deciles if d.impressions] == [(4, 0.25), (2, 1.0)]
    assert deciles[0].ctr is None
    assert tally.impressions == 6


def test_applications_by_status_follow_the_pipeline_order() -> None:
    tally = Tally(applications={"REJECTED": 1, "SUBMITTED": 2, "HIRED": 3})
    assert tally.applications_by_status() == [
        (ApplicationStatus.SUBMITTED, 2),
        (ApplicationStatus.HIRED, 3),
        (ApplicationStatus.REJECTED, 1),
    ]
    assert tally.total_applications == 6


def test_busiest_jobs_come_first_ties_by_id_totals_left_out() -> None:
    a, b, c = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
    tallies = {
        None: Tally(matches=9),
        c: Tally(matches=1),
        b: Tally(matches=5),
        a: Tally(matches=1),
    }
    assert busiest(tallies, 10) == [b, a, c]
    assert busiest(tallies, 2) == [b, a]


def test_a_window_must_start_before_it_ends() -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    check_window(start, end)
    check_window(None, end)
    with pytest.raises(InvalidInput):
        check_window(end, start)
    with pytest.raises(InvalidInput):
        check_window(start, start)
