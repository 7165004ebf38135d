"""The two location factors: binary location_match (SWIPE_HYBRID) and the tabled location score."""

from __future__ import annotations

from domain.enums import RemotePreference
from domain.locations import Location, PlaceMatch, is_remote_term, job_place, match_level
from domain.scoring.facts import CandidateFacts, JobFacts


def wants_remote_only(candidate: CandidateFacts) -> bool:
    """REMOTE_ONLY, or no stated preference and "Remote" is the only preferred location."""
    if candidate.remote_preference is not None:
        return candidate.remote_preference is RemotePreference.REMOTE_ONLY
    prefs = candidate.preferred_locations
    return bool(prefs) and all(is_remote_term(p) for p in prefs)


def accepts_remote(candidate: CandidateFacts) -> bool:
    """Everyone but an ONSITE candidate who does not list "Remote" among the preferred locations."""
    if any(is_remote_term(p) for p in candidate.preferred_locations):
        return True
    return candidate.remote_preference is not RemotePreference.ONSITE


def seeks_remote(candidate: CandidateFacts) -> bool:
    """REMOTE_ONLY, or "Remote" among the preferred locations."""
    return candidate.remote_preference is RemotePreference.REMOTE_ONLY or any(
        is_remote_term(p) for p in candidate.preferred_locations
    )


def preferred_places(candidate: CandidateFacts) -> tuple[str, ...]:
    return tuple(p for p in candidate.preferred_locations if p.strip() and not is_remote_term(p))


def place_of(job: JobFacts) -> Location | None:
    return job_place(job.city, job.region, job.country, job.location)


def best_match(candidate: CandidateFacts, job: JobFacts) -> PlaceMatch | None:
    """The closest preferred place to the job's; None when either side has no place."""
    place = place_of(job)
    places = preferred_places(candidate)
    if place is None or not places:
        return None
    return max(match_level(p, place) for p in places)


def location_match(candidate: CandidateFacts, job: JobFacts) -> float:
    """100 when the job's city is a preferred location or the job is remote and remote is fine."""
    if job.is_remote and accepts_remote(candidate):
        return 100.0
    return 100.0 if best_match(candidate, job) is PlaceMatch.CITY else 0.0


def location(candidate: CandidateFacts, job: JobFacts) -> float:
    """SPEC §4 location table; a remote job for an onsite-only candidate is judged by its place."""
    if job.is_remote:
        if wants_remote_only(candidate):
            return 100.0
        if accepts_remote(candidate):
            return 90.0
    elif wants_remote_only(candidate):
        return 40.0
    level = best_match(candidate, job)
    if level is None:
        return 50.0
    return {PlaceMatch.CITY: 100.0, PlaceMatch.REGION: 75.0, PlaceMatch.NONE: 30.0}[level]
