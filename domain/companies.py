"""Company rules: which profile fields an admin may set, and how they are cleaned."""

from __future__ import annotations

from typing import Any

from domain.errors import InvalidInput
from domain.inputs import COMPANY, Patch, cap


def company_changes(patch: Patch) -> dict[str, Any]:
    """The column values of a company profile edit; InvalidInput names the first bad field."""
    cleaned: dict[str, Any] = {}
    for key, value in patch.items():
        if value is None:
            if key == "name":
                raise InvalidInput("name cannot be empty", field="name")
            cleaned[key] = None
            continue
        cap(str(value), key, COMPANY[key] * 2)  # before the whitespace is normalized
        text = " ".join(str(value).split()) if key != "description" else str(value).strip()
        if key == "name" and not text:
            raise InvalidInput("name cannot be empty", field="name")
        if len(text) > COMPANY[key]:
            raise InvalidInput(f"{key} must be at most {COMPANY[key]} characters", field=key)
        if key == "website" and text and not text.startswith(("https://", "http://")):
            raise InvalidInput("website must be an http(s) URL", field="website")
        cleaned[key] = text or None
    return cleaned
