"""Opaque global ids (`base64("Type:uuid")`) for the Relay Node interface."""

from __future__ import annotations

import base64
import binascii
import uuid

from domain.errors import NotFound

NODE_TYPES = (
    "User",
    "Company",
    "Job",
    "Application",
    "ImportBatch",
    "Swipe",
    "Candidate",
    "Resume",
    "Interview",
    "Match",
    "Digest",
)


def to_global_id(type_name: str, value: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{value}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, uuid.UUID]:
    """Raises NOT_FOUND for anything that is not an id we issued: a bad id names no object."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, raw = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        if type_name not in NODE_TYPES:
            raise ValueError(type_name)
        return type_name, uuid.UUID(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise NotFound("no object has this id") from None


def expect_id(global_id: str, type_name: str) -> uuid.UUID:
    kind, value = from_global_id(global_id)
    if kind != type_name:
        raise NotFound(f"no {type_name} has this id")
    return value
