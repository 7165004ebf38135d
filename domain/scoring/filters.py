"""LAYERED hard filters: a job must pass all of them before it is scored at all."""

from __future__ import annotations

from domain.locations import PlaceMatch, match_level, parse_locations
from domain.scoring.facts import CandidateFacts, JobFacts
from domain.scoring.location import place_of, preferred_places, seeks_remote

SALARY_TOLERANCE = 0.85
EXPERIENCE_GRACE_BELOW = 1.0
EXPERIENCE_GRACE_ABOVE = 2.0
HARD_FILTERS = ("salary", "location", "experience")


def passes_salary(candidate: CandidateFacts, job: JobFacts) -> bool:
    """Job max >= 0.85 x candidate min; a missing amount or a different currency passes."""
    low, top = candidate.salary_min, job.salary_annual_max
    if low is None or top is None:
        return True
    a, b = candidate.salary_currency, job.salary_currency
    if a is not None and b is not None and a.strip().upper() != b.strip().upper():
        return True
    return top >= SALARY_TOLERANCE * low


def passes_location(candidate: CandidateFacts, job: JobFacts) -> bool:
    """Remote jobs pass; a remote seeker passes an onsite job only in another preferred place.

    A remote seeker lists "Remote" among the preferred locations or is REMOTE_ONLY; others pass.
    The job's places are its normalized fields and every place its raw location names.
    """
    if job.is_remote or not seeks_remote(candidate):
        return True
    places = [place for place in (place_of(job), *parse_locations(job.location)) if place]
    return any(
        match_level(wanted, place) >= PlaceMatch.REGION
        for wanted in preferred_places(candidate)
        for place in places
    )


def passes_experience(candidate: CandidateFacts, job: JobFacts) -> bool:
    """Years >= job min - 1 and (no job max or years <= job max + 2); unknown years pass."""
    years = candidate.years_of_experience
    if years is None:
        return True
    if years < (job.experience_min or 0.0) - EXPERIENCE_GRACE_BELOW:
        return False
    return job.experience_max is None or years <= job.experience_max + EXPERIENCE_GRACE_ABOVE


def failed_filters(candidate: CandidateFacts, job: JobFacts) -> tuple[str, ...]:
    """Names of the hard filters the job fails, in HARD_FILTERS order; empty when it passes."""
    checks = {"salary": passes_salary, "location": passes_location, "experience": passes_experience}
    return tuple(name for name in HARD_FILTERS if not checks[name](candidate, job))
