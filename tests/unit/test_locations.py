"""Location parsing (SPEC §2): normalized city, region and country, remote flag, raw kept."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.enums import ScoringPreset
from domain.locations import Location, normalize_country, parse_location
from domain.scoring import PRESETS, score
from domain.scoring.factors import location, location_match
from domain.skills import default_normalizer
from tests.unit.facts_support import candidate_facts, job_facts

US, UK, CA = "United States", "United Kingdom", "Canada"


def place(raw: str) -> tuple[str | None, str | None, str | None]:
    location = parse_location(raw)
    return location.city, location.region, location.country


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Austin, TX", ("Austin", "Texas", US)),
        ("Gilbert, Arizona", ("Gilbert", "Arizona", US)),
        ("Denver, CO - US", ("Denver", "Colorado", US)),
        ("Arvada, CO - US", ("Arvada", "Colorado", US)),
        ("Presidio, CA", ("Presidio", "California", US)),
        ("Indianapolis, IN", ("Indianapolis", "Indiana", US)),
        ("Hoboken,NJ", ("Hoboken", "New Jersey", US)),
        ("USA - Lehi UT", ("Lehi", "Utah", US)),
        ("Atlanta (GA)", ("Atlanta", "Georgia", US)),
    ],
)
def test_us_state_abbreviations_and_names_give_the_region(
    raw: str, expected: tuple[str, str, str]
) -> None:
    assert place(raw) == expected


@pytest.mark.parametrize(
    "raw", ["New York City", "NYC", "New York", "New York, NY (HQ)", "New York, New York",
            "New York City-Hybrid", "NYC Office - 307 7th Ave", "USA - New York NY"],
)  # fmt: skip
def test_new_york_city_spellings_are_new_york(raw: str) -> None:
    assert place(raw) == ("New York", "New York", US)


def test_a_borough_keeps_its_name_with_the_state() -> None:
    assert place("Brooklyn, New York") == ("Brooklyn", "New York", US)


@pytest.mark.parametrize(
    "raw",
    ["San Francisco", "San Francisco-Hybrid", "San Francisco Office", "SF", "Bay Area",
     "*HQ - San Francisco, CA", "San Francisco, California, United States"],
)  # fmt: skip
def test_san_francisco_spellings(raw: str) -> None:
    assert place(raw) == ("San Francisco", "California", US)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("London", ("London", "England", UK)),
        ("London, UK", ("London", "England", UK)),
        ("Berlin, Germany", ("Berlin", None, "Germany")),
        ("Berlin, DE", ("Berlin", None, "Germany")),
        ("Paris", ("Paris", None, "France")),
        ("Toronto", ("Toronto", "Ontario", CA)),
        ("Toronto, ON", ("Toronto", "Ontario", CA)),
        ("Toronto, CA", ("Toronto", "Ontario", CA)),
        ("Bangalore", ("Bengaluru", "Karnataka", "India")),
        ("India - Bengaluru", ("Bengaluru", "Karnataka", "India")),
        ("China-Shanghai", ("Shanghai", None, "China")),
        ("Greece, Athens", ("Athens", None, "Greece")),
        ("São Paulo", ("Sao Paulo", None, "Brazil")),
        ("Montréal - Remote", ("Montreal", "Quebec", CA)),
        ("Singapore", ("Singapore", None, "Singapore")),
        ("Washington, D.C.", ("Washington", "District of Columbia", US)),
    ],
)
def test_well_known_world_cities_bring_their_country(
    raw: str, expected: tuple[str, str | None, str]
) -> None:
    assert place(raw) == expected


def test_an_explicit_region_wins_over_the_famous_city_of_the_same_name() -> None:
    assert place("Birmingham, Alabama") == ("Birmingham", "Alabama", US)
    assert place("Bellevue, Tennessee") == ("Bellevue", "Tennessee", US)
    assert place("Glasgow, KY") == ("Glasgow", "Kentucky", US)


def test_a_province_written_before_a_state_is_the_city_name() -> None:
    assert place("Ontario, Ohio") == ("Ontario", "Ohio", US)


@pytest.mark.parametrize(
    ("raw", "country"),
    [("US", US), ("USA", US), ("U.S.", US), ("United States", US), ("UK", UK),
     ("United Kingdom", UK), ("Korea", "South Korea"), ("UAE", "United Arab Emirates"),
     ("The Philippines", "Philippines"), ("france", "France"), ("Mapbox Germany", "Germany")],
)  # fmt: skip
def test_country_names_are_normalized(raw: str, country: str) -> None:
    assert place(raw) == (None, None, country)


def test_a_region_alone_has_no_city() -> None:
    assert place("California") == (None, "California", US)
    assert place("Washington - Remote") == (None, "Washington", US)
    assert place("India-Karnataka") == (None, "Karnataka", "India")


@pytest.mark.parametrize(
    ("raw", "country"),
    [("Remote", None), ("Remote - US", US), ("US Remote", US), ("Remote (US)", US),
     ("USA - Remote", US), ("Remote - Canada", CA), ("Remote (non-U.S.)", None),
     ("Anywhere in France, Belgium, Spain", "France"), ("Worldwide", None), ("Global", None),
     ("Remote - Europe", None), ("Remote | Remote - US or Canada", US)],
)  # fmt: skip
def test_remote_locations(raw: str, country: str | None) -> None:
    location = parse_location(raw)
    assert location.is_remote
    assert (location.city, location.country) == (None, country)


def test_remote_with_several_countries_takes_the_first_listed() -> None:
    location = parse_location("Remote (United States | Canada)")
    assert (location.country, location.is_remote) == (US, True)


def test_remote_with_a_preferred_city_keeps_the_city() -> None:
    location = parse_location("Remote (Boston, MA - Preferred)")
    assert (location.city, location.region, location.is_remote) == ("Boston", "Massachusetts", True)


@pytest.mark.parametrize("raw", ["San Francisco-Hybrid", "London - On-site", "Hybrid", "Berlin"])
def test_hybrid_and_onsite_are_not_remote(raw: str) -> None:
    assert parse_location(raw).is_remote is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("New York, NY; San Francisco, CA", ("New York", "New York", US)),
        ("San Francisco, CA or New York, NY", ("San Francisco", "California", US)),
        ("Paris, France; Bordeaux, France", ("Paris", None, "France")),
        ("SF / NY", ("San Francisco", "California", US)),
        ("San Francisco (CA),  Denver (CO), New York (NY)", ("San Francisco", "California", US)),
        ("New York, San Francisco, or Seattle (Hybrid)", ("New York", "New York", US)),
        ("Alabama, Florida, Texas", (None, "Alabama", US)),
        ("NerdWallet Offshore | Philippines", (None, None, "Philippines")),
    ],
)
def test_several_places_give_the_first_and_keep_raw(
    raw: str, expected: tuple[str | None, str | None, str]
) -> None:
    location = parse_location(raw)
    assert (location.city, location.region, location.country) == expected
    assert location.raw == raw


def test_unknown_place_name_is_kept_as_the_city() -> None:
    # Kalamazoo, the old example, is in the GeoNames gazetteer now; a made-up name stays unknown.
    assert place("Quillbrook") == ("Quillbrook", None, None)
    assert place("Kalamazoo") == ("Kalamazoo", "Michigan", US)
    assert place("Maryland Heights, Missouri") == ("Maryland Heights", "Missouri", US)


@pytest.mark.parametrize("raw", [None, "", "   ", "Headquarters", "EMEA", "LatAm"])
def test_text_naming_no_place_gives_an_empty_location(raw: str | None) -> None:
    assert parse_location(raw) == Location(None, None, None, False, raw or "")


def test_normalize_country() -> None:
    assert normalize_country("USA") == US
    assert normalize_country("u.k.") == UK
    assert normalize_country("DE") == "Germany"
    assert normalize_country("Atlantis") is None
    assert normalize_country(None) is None


def test_saint_louis_preference_matches_a_st_louis_job() -> None:
    job = job_facts(city="St. Louis", region="Missouri", location="St. Louis, MO")
    raw_job = replace(job, city=None, region=None, country=None, location="Saint Louis")
    candidate = candidate_facts(preferred_locations=("Saint Louis, MO",))
    assert location_match(candidate, job) == 100.0
    assert location_match(candidate, raw_job) == 100.0
    assert location(candidate, job) == 100.0


def test_a_job_inside_the_search_radius_matches_and_says_how_far() -> None:
    job = job_facts(city="Round Rock", location="Round Rock, TX")
    near = candidate_facts(preferred_locations=("Austin, TX",), search_radius_km=40.0)
    tight = candidate_facts(preferred_locations=("Austin, TX",), search_radius_km=10.0)
    by_name = candidate_facts(preferred_locations=("Austin, TX",))
    assert location_match(near, job) == 100.0
    assert location_match(tight, job) == 0.0
    assert location_match(by_name, job) == 0.0
    result = score(
        PRESETS[ScoringPreset.SWIPE_HYBRID], near, job, cosine=None,
        now=datetime(2025, 6, 1, tzinfo=UTC), normalizer=default_normalizer(),
    )  # fmt: skip
    assert "The job is within 28 km of Austin, TX." in result.reasons
