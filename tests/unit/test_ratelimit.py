"""Rate-limit policy: fixed windows, and a per-account back-off that doubles up to a cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.ratelimit import Window, backoff_s, retry_after_s, window_retry_after

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_the_first_failures_are_free_then_the_back_off_doubles() -> None:
    waits = [backoff_s(n, free_failures=5, cap_s=900) for n in range(1, 12)]
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]


def test_the_back_off_never_exceeds_its_cap() -> None:
    assert backoff_s(15, free_failures=5, cap_s=900) == 900
    assert backoff_s(10**9, free_failures=5, cap_s=900) == 900


def test_a_window_with_room_has_no_retry_hint() -> None:
    window = Window(start=NOW - timedelta(seconds=20), hits=10)
    assert window_retry_after(window, limit=10, window_s=60, now=NOW) is None


def test_a_full_window_says_when_it_ends() -> None:
    window = Window(start=NOW - timedelta(seconds=20), hits=11)
    assert window_retry_after(window, limit=10, window_s=60, now=NOW) == 40


def test_retry_hints_round_up_and_are_never_zero() -> None:
    assert retry_after_s(NOW + timedelta(seconds=1.2), NOW) == 2
    assert retry_after_s(NOW, NOW) == 1
