"""Coordinates of places from the bundled gazetteer, and distances between them."""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

from domain.locations import Location, parse_location
from domain.places import gazetteer, name_key

EARTH_RADIUS_KM = 6371.0088


class Point(NamedTuple):
    """A position in degrees."""

    lat: float
    lon: float


@functools.lru_cache(maxsize=16384)
def geocode(place: Location | str) -> Point | None:
    """Memoized (places and their names are values). The place's city, else its region's or country's population centroid; None when unknown."""
    location = parse_location(place) if isinstance(place, str) else place
    if location.city is not None:
        for city in gazetteer().get(name_key(location.city), ()):
            region_ok = city.region is None or location.region in (None, city.region)
            if region_ok and location.country in (None, city.country):
                return Point(city.lat, city.lon)
    if location.region is not None:
        return _centroids().get((location.region, location.country))
    if location.country is not None:
        return _centroids().get((None, location.country))
    return None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def within_km(a: Point, b: Point, radius_km: float) -> bool:
    return distance_km(a, b) <= radius_km


@functools.cache
def _centroids() -> dict[tuple[str | None, str | None], Point]:
    """(region, country) and (None, country) -> the population-weighted centroid of its cities."""
    sums: dict[tuple[str | None, str | None], list[float]] = {}
    seen = set()
    for cities in gazetteer().values():
        for city in cities:
            if city in seen:
                continue
            seen.add(city)
            for key in ((city.region, city.country), (None, city.country)):
                total = sums.setdefault(key, [0.0, 0.0, 0.0])
                total[0] += city.population * city.lat
                total[1] += city.population * city.lon
                total[2] += city.population
    return {key: Point(la / w, lo / w) for key, (la, lo, w) in sums.items() if w > 0}
