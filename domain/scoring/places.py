"""Place names: read "Austin, TX"-style strings and compare them with a job's city and region."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

_US_STATES = {
    "al": "alabama", "ak": "alaska", "az": "arizona", "ar": "arkansas", "ca": "california",
    "co": "colorado", "ct": "connecticut", "de": "delaware", "fl": "florida", "ga": "georgia",
    "hi": "hawaii", "id": "idaho", "il": "illinois", "in": "indiana", "ia": "iowa",
    "ks": "kansas", "ky": "kentucky", "la": "louisiana", "me": "maine", "md": "maryland",
    "ma": "massachusetts", "mi": "michigan", "mn": "minnesota", "ms": "mississippi",
    "mo": "missouri", "mt": "montana", "ne": "nebraska", "nv": "nevada",
    "nh": "new hampshire", "nj": "new jersey", "nm": "new mexico", "ny": "new york",
    "nc": "north carolina", "nd": "north dakota", "oh": "ohio", "ok": "oklahoma",
    "or": "oregon", "pa": "pennsylvania", "ri": "rhode island", "sc": "south carolina",
    "sd": "south dakota", "tn": "tennessee", "tx": "texas", "ut": "utah", "vt": "vermont",
    "va": "virginia", "wa": "washington", "wv": "west virginia", "wi": "wisconsin",
    "wy": "wyoming", "dc": "district of columbia",
}  # fmt: skip

_COUNTRIES = {
    "us": "united states", "usa": "united states", "u.s.": "united states",
    "u.s.a.": "united states", "united states of america": "united states",
    "uk": "united kingdom", "u.k.": "united kingdom", "gb": "united kingdom",
    "great britain": "united kingdom", "deutschland": "germany",
}  # fmt: skip

_ALIASES = {**_US_STATES, **_COUNTRIES}
_REMOTE = re.compile(r"\bremote\b", re.IGNORECASE)


class PlaceMatch(IntEnum):
    """How closely a preferred location matches a job's place."""

    NONE = 0
    REGION = 1
    CITY = 2


@dataclass(frozen=True)
class Place:
    """A job's place as comparison keys; "" where unknown."""

    city: str
    region: str
    country: str


def place_key(text: str | None) -> str:
    """Lower-case, single-spaced, with US state and common country abbreviations spelled out."""
    key = " ".join((text or "").strip().lower().split())
    return _ALIASES.get(key, key)


def is_remote_term(text: str) -> bool:
    return bool(_REMOTE.search(text))


def job_place(
    city: str | None, region: str | None, country: str | None, location: str | None
) -> Place | None:
    """The normalized fields when any is set, else the raw location as city, region, country."""
    if city or region or country:
        return Place(place_key(city), place_key(region), place_key(country))
    parts = [p for p in (location or "").split(",") if p.strip() and not is_remote_term(p)]
    if not parts:
        return None
    keys = [place_key(p) for p in parts]
    return Place(keys[0], keys[1] if len(keys) > 1 else "", keys[-1] if len(keys) > 2 else "")


def match_level(preference: str, place: Place) -> PlaceMatch:
    """CITY when the first part names the job's city and no later part names another region."""
    parts = [place_key(p) for p in preference.split(",") if p.strip()]
    if not parts:
        return PlaceMatch.NONE
    head, rest = parts[0], parts[1:]
    known = {k for k in (place.region, place.country) if k}
    if place.city and head == place.city and (not place.region or all(p in known for p in rest)):
        return PlaceMatch.CITY
    if any(p in known for p in parts):
        return PlaceMatch.REGION
    return PlaceMatch.NONE
