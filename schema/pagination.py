"""Relay connection pieces and opaque keyset cursors."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime

import strawberry

from domain.errors import InvalidInput


@strawberry.type(description="Where a page ends and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when another page follows.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")


def encode_keyset(posted_at: datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"k1|{posted_at.isoformat()}|{row_id}".encode()).decode()


def decode_keyset(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """A cursor we did not issue is BAD_USER_INPUT, never a 500."""
    if cursor is None:
        return None
    try:
        version, stamp, raw_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if version != "k1":
            raise ValueError(version)
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError(stamp)
        # Offsets can push a valid local time outside the years 1-9999 in UTC.
        return moment.astimezone(UTC), uuid.UUID(raw_id)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("after is not a valid cursor", field="after") from None
