"""The two location factors: binary location_match (SWIPE_HYBRID) and the tabled location score."""

from __future__ import annotations

import functools

from domain.enums import RemotePreference
from domain.geo import Point, distance_km, geocode
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


def nearest_preferred(candidate: CandidateFacts, job: JobFacts) -> tuple[str, float] | None:
    """The preferred place nearest the job and its distance in km; None when either side has no
    coordinates or the candidate set no search radius."""
    if candidate.search_radius_km is None:
        return None
    point = job.job_point or _city_point(place_of(job))
    points = preferred_points(candidate)
    if point is None or not points:
        return None
    return min(((place, distance_km(point, there)) for place, there in points), key=_distance)


def preferred_points(candidate: CandidateFacts) -> tuple[tuple[str, Point], ...]:
    """The preferred places that are cities, with their coordinates."""
    return candidate.preferred_points or tuple(
        (place, found) for place in preferred_places(candidate) if (found := _geocoded(place))
    )


def within_radius(candidate: CandidateFacts, job: JobFacts) -> tuple[str, float] | None:
    """The nearest preferred place when the job is inside the candidate's search radius."""
    near = nearest_preferred(candidate, job)
    radius = candidate.search_radius_km
    return near if near is not None and radius is not None and near[1] <= radius else None


def location_match(candidate: CandidateFacts, job: JobFacts) -> float:
    """100 when the job is remote and remote is fine, inside the search radius of a preferred
    place, or in a preferred city."""
    if job.is_remote and accepts_remote(candidate):
        return 100.0
    if within_radius(candidate, job) is not None:
        return 100.0
    return 100.0 if best_match(candidate, job) is PlaceMatch.CITY else 0.0


def _distance(pair: tuple[str, float]) -> float:
    return pair[1]


def _city_point(place: Location | None) -> Point | None:
    """Only a city is a point; a region's or country's centroid is no place to measure from."""
    return geocode(place) if place is not None and place.city is not None else None


@functools.lru_cache(maxsize=4096)
def _geocoded(text: str) -> Point | None:
    return _city_point(job_place(None, None, None, text))


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
