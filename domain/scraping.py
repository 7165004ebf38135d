"""The scrape queue's rules: role names, scraper API keys, upload caps and alert thresholds."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from domain.errors import InvalidInput
from domain.inputs import SCRAPE_ERROR, SCRAPE_JOBS, SCRAPER_KEY_NAME, cap, check_storable

KEY_PREFIX = "sk_live_"
PREFIX_LENGTH = 8
ROLE_LENGTH = 100
# 60 requests per key per minute (seed 004).
KEY_LIMIT = 60
KEY_WINDOW_S = 60
# A hostile bot cycling bad keys raises at most one alert per key prefix per 10 minutes.
BAD_KEY_ALERT_WINDOW_S = 600
BACKLOG_UPLOADS = 100
BACKLOG_ALERT_WINDOW_S = 600
STUCK_AFTER_S = 3600
# Processing an upload is tried this many times before it fails with an alert.
UPLOAD_ATTEMPTS = 3
_NOT_WORD = re.compile(r"[^0-9a-z]+")


class RoleStatus(StrEnum):
    QUEUED = "QUEUED"
    SCRAPING = "SCRAPING"


class UploadStatus(StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    DONE = "DONE"
    FAILED = "FAILED"


class AlertKind(StrEnum):
    EMPTY_SCRAPE = "EMPTY_SCRAPE"
    REVOKED_KEY_USED = "REVOKED_KEY_USED"
    UNKNOWN_KEY_USED = "UNKNOWN_KEY_USED"
    BACKLOG = "BACKLOG"
    ROLE_STUCK = "ROLE_STUCK"
    EMBEDDING_FAILED = "EMBEDDING_FAILED"


def normalize_role(text: str) -> str | None:
    """ "Python Developer" -> "python_developer"; None when nothing of it is a word."""
    value = _NOT_WORD.sub("_", text.lower()).strip("_")
    return value[:ROLE_LENGTH].rstrip("_") or None


def normalize_roles(texts: Iterable[str]) -> list[str]:
    """Distinct normalized roles, in the order first given."""
    seen: dict[str, None] = {}
    for text in texts:
        role = normalize_role(text)
        if role is not None:
            seen.setdefault(role, None)
    return list(seen)


def key_hash(api_key: str) -> str:
    """What is stored of a key: its SHA-256, hex."""
    return hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()


def key_prefix(api_key: str) -> str:
    """The 8 characters an admin recognises a key by: the start of its secret part."""
    return api_key.removeprefix(KEY_PREFIX)[:PREFIX_LENGTH]


def key_name(name: str) -> str:
    value = " ".join((cap(name, "name", SCRAPER_KEY_NAME * 2) or "").split())
    if not value or len(value) > SCRAPER_KEY_NAME:
        raise InvalidInput(f"name must have 1 to {SCRAPER_KEY_NAME} characters", field="name")
    return check_storable(value, "name")


def upload_rows(rows: Sequence[object]) -> None:
    """An upload's size; each row is then read like an importJobs row (per-row failures)."""
    if len(rows) > SCRAPE_JOBS:
        raise InvalidInput(f"at most {SCRAPE_JOBS} jobs per upload", field="jobs")


def failure_reason(error: str) -> str:
    value = cap(error, "error", SCRAPE_ERROR) or ""
    return check_storable(value.strip(), "error")


def claimable(status: str) -> bool:
    return status != RoleStatus.SCRAPING


def require_scraping(status: str) -> None:
    if status != RoleStatus.SCRAPING:
        raise InvalidInput(
            "this role is not being scraped: claim it with claimScrapeRole first", field="roleId"
        )


LOCATION_HINTS = 20


def wanted_roles(
    people: Iterable[tuple[Sequence[str], Sequence[str]]],
) -> dict[str, tuple[int, list[str]]]:
    """Role -> (how many people want it, their most wanted locations) from each person's
    (preferred roles, preferred locations)."""
    counts: dict[str, int] = {}
    places: dict[str, dict[str, int]] = {}
    for roles, locations in people:
        for role in normalize_roles(roles):
            counts[role] = counts.get(role, 0) + 1
            tally = places.setdefault(role, {})
            for location in {" ".join(loc.split()) for loc in locations if loc.strip()}:
                tally[location] = tally.get(location, 0) + 1
    return {
        role: (
            count,
            sorted(places[role], key=lambda loc: (-places[role][loc], loc))[:LOCATION_HINTS],
        )
        for role, count in counts.items()
    }
