"""Caps on user-supplied text, checked before any parsing, text a database cannot store, and
the shape of a partial update."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.errors import InvalidInput

# A partial update: the fields a client sent, by their Python name. An absent key leaves the
# field as it is; None clears it (where clearing is allowed).
Patch = Mapping[str, Any]

JOB_TITLE = 300
JOB_DESCRIPTION = 100_000
JOB_REQUIREMENTS = 100_000
JOB_LOCATION = 200
SKILL = 100
SKILLS = 100
HEADLINE = 300
PREFERRED_LOCATION = 200
PREFERRED_LOCATIONS = 20
PREFERRED_ROLES = 20
SEARCH_QUERY = 500
ADD_SKILLS = 50
VIEW_MS = 24 * 3600 * 1000
NOTE = 2_000
PLATFORM = 100
# The scrape queue (SPEC §14): jobs per submitScrapedJobs, a failScrapeRole error, a key's name.
SCRAPE_JOBS = 500
SCRAPE_ERROR = 2_000
SCRAPER_KEY_NAME = 100
COMPANY: Mapping[str, int] = {
    "name": 255,
    "description": 10_000,
    "website": 500,
    "location": 255,
    "size": 50,
    "industry": 100,
}
# SPEC §9 rows: the same caps as the typed fields, plus the scraper-only ones.
IMPORT_ROW: Mapping[str, int] = {
    "external_job_id": 300,
    "title": JOB_TITLE,
    "company": COMPANY["name"],
    "location": JOB_LOCATION,
    "salary": 500,
    "description": JOB_DESCRIPTION,
    "requirements": JOB_REQUIREMENTS,
    "posted_date": 100,
    "job_url": 2_000,
    "job_type": 100,
    "experience_required": 500,
}


def cap(value: str | None, field: str, limit: int) -> str | None:
    """`value` unchanged; InvalidInput naming `field` when it is longer than `limit`."""
    if value is not None and len(value) > limit:
        raise InvalidInput(f"{field} must be at most {limit:,} characters", field=field)
    return value


def cap_list(values: Sequence[str] | None, field: str, *, entries: int, each: int) -> None:
    """At most `entries` entries of at most `each` characters."""
    if values is None:
        return
    if len(values) > entries:
        raise InvalidInput(f"{field} accepts at most {entries} entries", field=field)
    if any(isinstance(v, str) and len(v) > each for v in values):
        raise InvalidInput(f"each entry of {field} must be at most {each} characters", field=field)


def unstorable(value: str) -> str | None:
    """Why PostgreSQL (NUL) or UTF-8 (a lone surrogate) cannot hold `value`; None when both can."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate"
    return None


def check_storable(value: str, field: str) -> str:
    problem = unstorable(value)
    if problem is not None:
        raise InvalidInput(f"{field} {problem}", field=field)
    return value


def search_query(query: str) -> str:
    """A free-text query with its whitespace normalized."""
    cap(query, "query", SEARCH_QUERY * 2)  # before the whitespace is normalized
    text = " ".join(query.split())
    if not text or len(text) > SEARCH_QUERY:
        raise InvalidInput(f"query must have 1 to {SEARCH_QUERY} characters", field="query")
    return text


def view_duration(duration_ms: int) -> int:
    if not 0 <= duration_ms <= VIEW_MS:
        raise InvalidInput(f"durationMs must be between 0 and {VIEW_MS}", field="durationMs")
    return duration_ms


def added_skills(skills: Sequence[str]) -> Sequence[str]:
    if len(skills) > ADD_SKILLS:
        raise InvalidInput(f"addSkills accepts at most {ADD_SKILLS} skills", field="addSkills")
    return skills
