"""Partial-update inputs: an omitted field stays as it is, an explicit null clears it."""

from __future__ import annotations

import strawberry


def given(input: object) -> dict[str, object]:
    """The fields the client gave, by Python name; omitted ones are absent."""
    return {k: v for k, v in vars(input).items() if v is not strawberry.UNSET}
