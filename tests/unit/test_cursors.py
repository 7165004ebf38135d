"""Cursors are opaque to clients, but clients hold them: their formats never change."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.errors import InvalidInput
from schema.cursors import Keyset, Ranked, decode_keyset, decode_ranked, encode

ROW_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_keyset_cursors_keep_the_k1_format() -> None:
    at = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    issued = b64(f"k1|2025-03-01T12:30:00+00:00|{ROW_ID}")
    assert encode(Keyset(at, ROW_ID)) == issued
    assert decode_keyset(issued) == (at, ROW_ID)


def test_keyset_cursors_with_an_offset_decode_to_utc() -> None:
    local = datetime(2025, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    decoded = decode_keyset(encode(Keyset(local, ROW_ID)))
    assert decoded is not None and decoded.at.tzinfo is UTC and decoded.at == local


def test_ranked_cursors_keep_the_r1_format() -> None:
    issued = b64(f"r1|{ROW_ID}|40")
    assert encode(Ranked(ROW_ID, 40)) == issued
    assert decode_ranked(issued) == (ROW_ID, 40)


def test_no_cursor_means_the_first_page() -> None:
    assert decode_keyset(None) is None and decode_ranked(None) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        b64(f"r1|{ROW_ID}|1"),  # a ranked cursor where a keyset one belongs
        b64(f"k1|2025-03-01T12:30:00|{ROW_ID}"),  # no offset
        b64(f"k1|2025-03-01T12:30:00+00:00|{ROW_ID}|x"),
        b64(f"k2|2025-03-01T12:30:00+00:00|{ROW_ID}"),
    ],
)
def test_a_keyset_cursor_we_did_not_issue_is_bad_input(cursor: str) -> None:
    with pytest.raises(InvalidInput):
        decode_keyset(cursor)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        b64(f"k1|2025-03-01T12:30:00+00:00|{ROW_ID}"),
        b64(f"r1|{ROW_ID}|-1"),
        b64(f"r1|{ROW_ID}|{2**31}"),
        b64("r1|x|1"),
    ],
)
def test_a_ranked_cursor_we_did_not_issue_is_bad_input(cursor: str) -> None:
    with pytest.raises(InvalidInput):
        decode_ranked(cursor)
