"""Rows turned into what scoring reads: CandidateFacts from a user, JobFacts from a job row."""

from __future__ import annotations

from typing import Any

from db.models import Candidate, Job, User
from domain.accounts import search_radius
from domain.enums import RemotePreference, Seniority
from domain.geo import Point
from domain.matching import candidate_keywords, job_keywords
from domain.scoring import CandidateFacts, JobFacts

# The columns scoring needs; a candidate pool selects these instead of whole rows.
FACT_COLUMNS = (
    Job.id,
    Job.company_id,
    Job.title,
    Job.skills,
    Job.keywords,
    Job.seniority,
    Job.city,
    Job.region,
    Job.country,
    Job.lat,
    Job.lon,
    Job.location,
    Job.is_remote,
    Job.experience_min,
    Job.experience_max,
    Job.salary_annual_min,
    Job.salary_annual_max,
    Job.salary_currency,
    Job.posted_at,
)


def job_facts(row: Any) -> JobFacts:
    """From a Job row or any row carrying FACT_COLUMNS."""
    skills = tuple(row.skills or ())
    return JobFacts(
        id=str(row.id),
        title=row.title,
        skills=skills,
        seniority=Seniority(row.seniority) if row.seniority else None,
        city=row.city,
        region=row.region,
        country=row.country,
        location=row.location,
        is_remote=bool(row.is_remote),
        experience_min=row.experience_min,
        experience_max=row.experience_max,
        salary_annual_min=row.salary_annual_min,
        salary_annual_max=row.salary_annual_max,
        salary_currency=row.salary_currency,
        posted_at=row.posted_at,
        keywords_text=job_keywords(row.title, row.keywords or (), skills),
        job_point=Point(row.lat, row.lon) if row.lat is not None and row.lon is not None else None,
    )


def candidate_facts(user: User | Candidate) -> CandidateFacts:
    """From a signed-up candidate or a pool candidate: both carry the profile fields."""
    skills = tuple(user.skills or ())
    return CandidateFacts(
        skills=skills,
        seniority=Seniority(user.seniority) if user.seniority else None,
        years_of_experience=user.years_of_experience,
        preferred_locations=tuple(user.preferred_locations or ()),
        remote_preference=RemotePreference(user.remote_preference)
        if user.remote_preference
        else None,
        salary_min=user.salary_min,
        salary_max=user.salary_max,
        salary_currency=user.salary_currency,
        keywords_text=candidate_keywords(user.headline, skills),
        # A signed-up candidate searches a radius; a recruiter's pool candidate matches by name.
        search_radius_km=search_radius(user.search_radius_km) if isinstance(user, User) else None,
    )


def profile_vector(user: User) -> list[float] | None:
    """The embedding the feed ranks with: the current (swipe-adjusted) one, else the base."""
    vector = user.current_embedding if user.current_embedding is not None else user.base_embedding
    return None if vector is None else [float(x) for x in vector]
