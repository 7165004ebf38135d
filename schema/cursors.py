"""Opaque cursors into a ranked snapshot: the snapshot's id and a 1-based position in it."""

from __future__ import annotations

import base64
import binascii
import uuid

from domain.errors import InvalidInput

VERSION = "r1"
MAX_POSITION = 2**31 - 1  # the position is compared with an integer column


def encode_ranked(snapshot_id: uuid.UUID, position: int) -> str:
    return base64.urlsafe_b64encode(f"{VERSION}|{snapshot_id}|{position}".encode()).decode()


def decode_ranked(cursor: str | None) -> tuple[uuid.UUID, int] | None:
    """A cursor we did not issue is BAD_USER_INPUT; whose it is and whether it is still alive
    is checked against the stored snapshot."""
    if cursor is None:
        return None
    try:
        version, raw_id, raw_position = (
            base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        )
        position = int(raw_position)
        if version != VERSION or not 0 <= position <= MAX_POSITION:
            raise ValueError(version)
        return uuid.UUID(raw_id), position
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("after is not a valid cursor", field="after") from None
