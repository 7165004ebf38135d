"""Location text as people write it -> city, region, country, remote; how close two places are."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from domain.places import (
    CA,
    CANADIAN_PROVINCES,
    CITY_ALIASES,
    CITY_REGIONS,
    COUNTRY_ALIASES,
    ISO2_COUNTRIES,
    MACROS,
    REMOTE,
    REMOTE_WORDS,
    US,
    US_CITIES,
    US_STATES,
    WORLD_CITIES,
    gazetteer,
    name_key,
    region_index,
)

_NOISE = re.compile(
    rf"\bnon[- ]\s*[\w.]+|\b(?:{REMOTE_WORDS}|hybrid|on-?site|in[- ]office|offices?|hq|"
    r"headquarters|fully|only|preferred|accepted|available|international|data cent(?:er|re)|"
    r"metro area)\b|\*",
    re.I,
)
# `(?<!\s)`: a whitespace run is tried once, from its start, not once per character.
_ALTERNATIVES = re.compile(r";|\||/|(?<!\s)\s+(?:or|&|and)\s+|\n", re.I)
_FILLER = re.compile(r"^(?:(?:in|or|and|from|the|of|based|within|near|to)\b|[\s+.,:'-])+")
_FILLER_END_WORDS = ("in", "or", "and", "from", "the", "of", "based")
_FILLER_END_CHARS = "+.,:'-"


@dataclass(frozen=True)
class Location:
    """A parsed location; `raw` keeps the text it came from."""

    city: str | None
    region: str | None
    country: str | None
    is_remote: bool
    raw: str


class _Hit(NamedTuple):
    city: str | None
    region: str | None
    country: str | None


_key = name_key


def _gazetteer_hit(text: str, region: str | None = None, country: str | None = None) -> _Hit | None:
    """The most populous gazetteer city named `text` (in `region`/`country` when given)."""
    for city in gazetteer().get(_key(text), ()):
        if region in (None, city.region) and country in (None, city.country):
            return _Hit(city.name, city.region, city.country)
    return None


def _gazetteer_phrase(key: str) -> bool:
    """A gazetteer city of several words ("Lake Zurich"); single words are too often words."""
    return " " in key and key in gazetteer()


def _build_indexes() -> tuple[dict[str, str], dict[str, _Hit]]:
    countries = {_key(name): name for name in COUNTRY_ALIASES}
    for name, aliases in COUNTRY_ALIASES.items():
        countries.update({_key(alias): name for alias in aliases})
    cities = {_key(city): _Hit(city, US_STATES[state], US) for city, state in US_CITIES.items()}
    for city, country in WORLD_CITIES.items():
        cities[_key(city)] = _Hit(city, CITY_REGIONS.get(city), country)
    cities.update({alias: cities[_key(city)] for alias, city in CITY_ALIASES.items()})
    del cities["washington"]  # alone, the state; the city is "Washington, DC" or "DC"
    return countries, cities


_COUNTRIES, _CITIES = _build_indexes()
_REGIONS = region_index()
# In words; +1 for the "the " a country may be written with ("the Netherlands").
_LONGEST_NAME = 1 + max(len(key.split()) for key in (*_COUNTRIES, *_CITIES, *MACROS, *_REGIONS))
_MAX_SPAN = 4 * _LONGEST_NAME


def normalize_country(name: str | None) -> str | None:
    """The canonical English name of a country ("USA" -> "United States"), or None if unknown."""
    if name is None:
        return None
    return _COUNTRIES.get(_key(name)) or ISO2_COUNTRIES.get(name.strip().upper())


def parse_location(raw: str | None) -> Location:
    """Parse the first place named in `raw`.

    Of several places ("New York, NY; San Francisco, CA", "Remote (United States | Canada)")
    the first known one wins, else the first named one; `raw` keeps them all. A known city
    brings its region and country; a region or country written next to it wins over those.
    Remote, anywhere, worldwide and global set `is_remote`; hybrid does not. A place name the
    parser does not know is kept as the city, with no region or country.
    """
    text = raw or ""
    places = parse_locations(text)
    return places[0] if places else Location(None, None, None, is_remote_term(text), text)


def parse_locations(raw: str | None) -> tuple[Location, ...]:
    """Every known place named in `raw` in order, else the first named one; maybe none."""
    text = raw or ""
    remote = is_remote_term(text)
    cleaned = _NOISE.sub(" ", text.replace("(", ",").replace(")", ","))
    places = [_parse_one(alternative) for alternative in _ALTERNATIVES.split(cleaned)]
    known = [slots.place for slots in places if slots.known]
    named = [slots.place for slots in places if slots.place != _Hit(None, None, None)]
    return tuple(Location(*place, remote, text) for place in known or named[:1])


def is_remote_term(text: str) -> bool:
    """Whether `text` says remote ("Remote", "Anywhere", "Worldwide", "WFH", ...)."""
    return REMOTE.search(text) is not None


class PlaceMatch(IntEnum):
    """How closely a place someone asks for matches a job's place."""

    NONE = 0
    REGION = 1
    CITY = 2


@functools.lru_cache(maxsize=16384)
def place_key(text: str | None) -> str:
    """Memoized (a feed compares a few names with hundreds of jobs'). A place name to compare by: its canonical name in lower case ("TX" -> "texas",
    "NYC" -> "new york", "USA" -> "united states"); an unknown name as written."""
    if text is None or not text.strip():
        return ""
    region = _region(text)
    if region is not None:
        return _key(region[0])
    city = _CITIES.get(_key(text))
    return _key(normalize_country(text) or (city.city if city and city.city else text))


@functools.lru_cache(maxsize=16384)
def job_place(
    city: str | None, region: str | None, country: str | None, location: str | None
) -> Location | None:
    """Memoized, like place_key. A job's place: its normalized fields when any is set, else its parsed raw location;
    None when neither names a place."""
    if city or region or country:
        known_city = _CITIES.get(_key(city or ""))
        known_region = _region(region or "")
        return Location(
            known_city.city if known_city else city,
            known_region[0] if known_region else region,
            normalize_country(country) or country,
            is_remote_term(location or ""),
            location or "",
        )
    places = _parse_cached(location or "")
    return places[0] if places else None


@functools.lru_cache(maxsize=16384)
def match_level(preference: str, place: Location) -> PlaceMatch:
    """Memoized. CITY when `preference` names the place's city in no other region or country; REGION when
    it names the place's region, or is the place's whole country; else NONE."""
    wanted = _parse_cached(preference)
    if not wanted:
        return PlaceMatch.NONE
    city, region, country = wanted[0].city, wanted[0].region, wanted[0].country
    if (
        _same(city, place.city)
        and not _differ(region, place.region)
        and not _differ(country, place.country)
    ):
        return PlaceMatch.CITY
    if _same(region, place.region) or (
        city is None and region is None and _same(country, place.country)
    ):
        return PlaceMatch.REGION
    return PlaceMatch.NONE


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str) -> tuple[Location, ...]:
    """Memoized: a feed compares the same few preferred places with hundreds of jobs."""
    return parse_locations(text)


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and place_key(a) == place_key(b)


def _differ(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and place_key(a) != place_key(b)


def _parse_one(text: str) -> _Slots:
    slots = _Slots()
    pieces = [piece for part in _parts(text) for piece in _pieces(part)]
    for piece in pieces:
        if not slots.add(piece):
            break
    return slots


def _parts(text: str) -> list[str]:
    parts: list[str] = []
    for chunk in re.split(r",|\s[-–—]|[-–—]\s", text):
        pieces = chunk.split("-")
        if len(pieces) > 1 and not any(_known(_tidy(piece)) for piece in pieces):
            pieces = [chunk]
        parts.extend(tidy for piece in pieces if (tidy := _tidy(piece)))
    return [part for part in parts if not any(char.isdigit() for char in part)]


def _tidy(text: str) -> str:
    text = _FILLER.sub("", text.strip())
    return " ".join(text[: _filler_end(text)].split())


def _filler_end(text: str) -> int:
    """Where trailing filler words and punctuation start; a scan from the end, as a `$`-anchored
    pattern would retry from every position (quadratic on long runs of spaces)."""
    end = len(text)
    while True:
        cut = end
        while cut and (text[cut - 1].isspace() or text[cut - 1] in _FILLER_END_CHARS):
            cut -= 1
        for word in _FILLER_END_WORDS:
            start = cut - len(word)
            if start >= 0 and text.startswith(word, start) and not _is_word_char(text, start - 1):
                cut = start
                break
        if cut == end:
            return end
        end = cut


def _is_word_char(text: str, index: int) -> bool:
    return index >= 0 and (text[index].isalnum() or text[index] == "_")


def _pieces(part: str) -> list[str]:
    """Split "USA New York NY" or "Mapbox Germany" into the place names it is made of."""
    words = part.split()
    if _known(part) or len(words) == 1:
        return [part]
    pieces: list[str] = []
    unknown: list[str] = []
    counted = [bool(_key(word)) for word in words]
    start = 0
    while start < len(words):
        end = next((e for e in _ends(counted, start) if _known(" ".join(words[start:e]))), None)
        if end is None:
            unknown.append(words[start])
            start += 1
            continue
        span = " ".join(words[start:end])
        if unknown and _is_region_only(span):
            pieces.append(" ".join(unknown))  # "Lehi UT"; not "Mapbox Germany"
        unknown = []
        pieces.append(span)
        start = end
    only_macros = all(_key(piece) in MACROS for piece in pieces) and _key(words[0]) in MACROS
    # "West Valley City", "Maryland Heights": one name that merely starts with a known word.
    if not pieces or only_macros or (unknown and _is_region_only(pieces[-1])):
        return [part]
    return pieces


def _ends(counted: list[bool], start: int) -> range:
    """Span ends to try from `start`, longest first: no span longer than the longest known name
    (words that vanish from a key, like ".", do not count), so each word is tried a bounded number
    of times and parsing stays linear."""
    end, named = start, 0
    while end < len(counted) and end - start < _MAX_SPAN:
        if counted[end] and named == _LONGEST_NAME:
            break
        named += counted[end]
        end += 1
    return range(end, start, -1)


def _is_region_only(text: str) -> bool:
    return _region(text) is not None and _key(text) not in _CITIES


def _known(text: str) -> bool:
    key = _key(text)
    return (
        key in MACROS
        or key in _CITIES
        or _gazetteer_phrase(key)
        or key.removeprefix("the ") in _COUNTRIES
        or _region(text) is not None
        or text.strip() in ISO2_COUNTRIES
    )


def _region(text: str) -> tuple[str, str] | None:
    token = text.strip()
    if token in US_STATES:
        return US_STATES[token], US
    if token in CANADIAN_PROVINCES:
        return CANADIAN_PROVINCES[token], CA
    return _REGIONS.get(_key(token))


def _candidates(piece: str, *, city_first: bool) -> list[_Hit]:
    key = _key(piece)
    city = _CITIES.get(key) or (_gazetteer_hit(piece) if _gazetteer_phrase(key) else None)
    country = _COUNTRIES.get(key.removeprefix("the "))
    region = _region(piece)
    iso = ISO2_COUNTRIES.get(piece) if piece.isupper() else None
    hits = [
        city,
        _Hit(None, None, country) if country else None,
        _Hit(None, region[0], region[1]) if region else None,
    ]
    # "New York" alone is the city; after a city it is the region ("Brooklyn, New York").
    ordered = hits if city_first else hits[1:] + hits[:1]
    ordered.append(_Hit(None, None, iso) if iso else None)
    return [hit for hit in ordered if hit is not None]


class _Slots:
    """Fills city, region and country from successive pieces until one names another place."""

    def __init__(self) -> None:
        self.place = _Hit(None, None, None)
        self.implied = True  # region and country so far only follow from a known city
        self.region_text: str | None = None
        self.known = False  # whether any piece was a place the parser knows
        self.guessed = False  # the city is a name the parser does not know ("Weave - Lehi, UT")

    def add(self, piece: str) -> bool:
        if _key(piece) in MACROS:
            return True
        city_first = self.place.city is None and self.place.region is None
        candidates = _candidates(piece, city_first=city_first)
        if self.place.city is None and self.region_text:  # "Ontario, CA": the city in California
            named = [hit for hit in candidates if hit.region and self._names_city(hit)]
            candidates = named or candidates
        if any(self._repeats(hit) for hit in candidates):
            return True
        if not candidates:
            known = _gazetteer_hit(piece)
            guessed = known is None and self.place.city is None
            self.known = self.known or known is not None
            applied = self._apply(known or _Hit(piece, None, None), piece)
            self.guessed = self.guessed or guessed
            return applied
        applied = any(self._apply(hit, piece) for hit in candidates)
        self.known = self.known or applied
        return applied

    def _names_city(self, hit: _Hit) -> bool:
        return _gazetteer_hit(self.region_text or "", hit.region, hit.country) is not None

    def _repeats(self, hit: _Hit) -> bool:
        pairs = zip(hit, self.place, strict=True)
        return all(new is None or new == old for new, old in pairs)

    def _apply(self, hit: _Hit, piece: str) -> bool:
        city, region, country = self.place
        if hit.city is not None:
            if city is not None and not (self.guessed and region is None and country is None):
                return False
            self.guessed = False
            if country is None or country == hit.country:
                self.place = _Hit(hit.city, region or hit.region, country or hit.country)
            else:
                self.place = _Hit(hit.city, region, country)
            return True
        if hit.region is not None:
            if region is not None and not self.implied:
                # "Ontario, Ohio", "Washington, DC": the first region was the city's name;
                # "Alabama, Florida" is a list of regions.
                named_city = (
                    country != hit.country
                    or hit.region == US_STATES["DC"]
                    or _gazetteer_hit(self.region_text or "", hit.region, hit.country) is not None
                )
                if city is not None or self.region_text is None or not named_city:
                    return False
                self.place = _Hit(self.region_text, hit.region, hit.country)
                return True
            if country is not None and country != hit.country and not self.implied:
                # "Jamaica, NY": a country's name that is also a city of the region.
                named = self.region_text and _gazetteer_hit(
                    self.region_text, hit.region, hit.country
                )
                if city is not None or region is not None or not named:
                    return False
                self.place, self.region_text = named, None
                return True
            self.place, self.implied = _Hit(city, hit.region, hit.country), False
            self.region_text = piece if city is None else None
            return True
        if country is not None and not self.implied:
            return False
        keep_region = region if region is not None and country == hit.country else None
        self.place, self.implied = _Hit(city, keep_region, hit.country), False
        self.region_text = piece if city is None and region is None else self.region_text
        return True
