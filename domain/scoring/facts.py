"""What scoring needs to know about a candidate and a job: plain values, no database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.enums import RemotePreference, Seniority
from domain.geo import Point


@dataclass(frozen=True)
class CandidateFacts:
    """A candidate as scoring sees it; salary is annual."""

    skills: tuple[str, ...]
    seniority: Seniority | None
    years_of_experience: float | None
    preferred_locations: tuple[str, ...]
    remote_preference: RemotePreference | None
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    keywords_text: str = ""
    # (the place as written, its coordinates); empty = geocoded from preferred_locations.
    preferred_points: tuple[tuple[str, Point], ...] = ()
    search_radius_km: float | None = None  # None: places match by name only


@dataclass(frozen=True)
class JobFacts:
    """A job as scoring sees it; salary is the annual equivalent."""

    id: str
    title: str
    skills: tuple[str, ...]
    seniority: Seniority | None
    city: str | None
    region: str | None
    country: str | None
    location: str | None
    is_remote: bool
    experience_min: float | None
    experience_max: float | None
    salary_annual_min: float | None
    salary_annual_max: float | None
    salary_currency: str | None
    posted_at: datetime | None
    keywords_text: str = ""
    job_point: Point | None = None  # None: geocoded from the job's city, if it names one
