"""The one codec for opaque cursors: base64 of `version|field|field`, in two payload shapes."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple, TypeVar

from domain.errors import InvalidInput

KEYSET = "k1"
RANKED = "r1"
SCORED = "s1"
MAX_POSITION = 2**31 - 1  # the position is compared with an integer column

P = TypeVar("P")


class Keyset(NamedTuple):
    """A row's place in a newest-first list: its timestamp, then its id to break ties."""

    at: datetime
    id: uuid.UUID

    def fields(self) -> tuple[str, ...]:
        return KEYSET, self.at.isoformat(), str(self.id)

    @classmethod
    def parse(cls, fields: list[str]) -> Keyset:
        stamp, raw_id = fields
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError(stamp)
        # Offsets can push a valid local time outside the years 1-9999 in UTC.
        return cls(moment.astimezone(UTC), uuid.UUID(raw_id))


class Ranked(NamedTuple):
    """A 1-based position in a stored ranked snapshot; whose it is is checked against it."""

    snapshot_id: uuid.UUID
    position: int

    def fields(self) -> tuple[str, ...]:
        return RANKED, str(self.snapshot_id), str(self.position)

    @classmethod
    def parse(cls, fields: list[str]) -> Ranked:
        raw_id, raw_position = fields
        position = int(raw_position)
        if not 0 <= position <= MAX_POSITION:
            raise ValueError(raw_position)
        return cls(uuid.UUID(raw_id), position)


class Scored(NamedTuple):
    """A row's place in a best-first list: its score, then its id to break ties."""

    score: float
    id: uuid.UUID

    def fields(self) -> tuple[str, ...]:
        return SCORED, repr(self.score), str(self.id)

    @classmethod
    def parse(cls, fields: list[str]) -> Scored:
        raw_score, raw_id = fields
        value = float(raw_score)
        if not 0 <= value <= 100:  # also refuses nan
            raise ValueError(raw_score)
        return cls(value, uuid.UUID(raw_id))


def encode(payload: Keyset | Ranked | Scored) -> str:
    return base64.urlsafe_b64encode("|".join(payload.fields()).encode()).decode()


def _decode(cursor: str, version: str, parse: Callable[[list[str]], P]) -> P:
    """A cursor we did not issue is BAD_USER_INPUT, never a 500."""
    try:
        found, *fields = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if found != version:
            raise ValueError(found)
        return parse(fields)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("after is not a valid cursor", field="after") from None


def decode_keyset(cursor: str | None) -> Keyset | None:
    return None if cursor is None else _decode(cursor, KEYSET, Keyset.parse)


def decode_ranked(cursor: str | None) -> Ranked | None:
    return None if cursor is None else _decode(cursor, RANKED, Ranked.parse)


def decode_scored(cursor: str | None) -> Scored | None:
    return None if cursor is None else _decode(cursor, SCORED, Scored.parse)
