"""The job lifecycle: recruiters close and reopen, the clock expires, re-imports refresh."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.enums import JobStatus as S
from domain.errors import InvalidInput
from domain.jobs import activates, close, is_live, reimported, reopen

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def test_only_an_active_job_closes_and_only_as_filled_or_closed() -> None:
    assert close(S.ACTIVE, S.FILLED) is S.FILLED
    with pytest.raises(InvalidInput, match="only an ACTIVE job can be closed; this one is FILLED"):
        close(S.FILLED, S.CLOSED)
    with pytest.raises(InvalidInput, match="reason must be FILLED or CLOSED"):
        close(S.ACTIVE, S.EXPIRED)


def test_reopening_keeps_a_future_expiry_and_renews_a_past_one() -> None:
    later = NOW + timedelta(days=3)
    assert reopen(S.CLOSED, later, NOW, 30) == later
    assert reopen(S.EXPIRED, NOW, NOW, 30) == NOW + timedelta(days=30)
    with pytest.raises(InvalidInput, match="already ACTIVE"):
        reopen(S.ACTIVE, later, NOW, 30)


def test_a_reimport_never_undoes_a_recruiters_close() -> None:
    assert reimported(S.FILLED, S.ACTIVE) is S.FILLED
    assert reimported(S.EXPIRED, S.ACTIVE) is S.ACTIVE
    assert activates(S.EXPIRED, S.ACTIVE) and activates(None, S.ACTIVE)
    assert not activates(S.ACTIVE, S.ACTIVE)


def test_an_active_job_past_its_expiry_is_not_live() -> None:
    assert is_live(S.ACTIVE, NOW + timedelta(seconds=1), NOW)
    assert not is_live(S.ACTIVE, NOW, NOW)
    assert not is_live(S.CLOSED, None, NOW)
