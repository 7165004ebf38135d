"""Location factors of SPEC §4: the location table, SWIPE_HYBRID's location_match, place names."""

from dataclasses import replace

import pytest

from domain.enums import RemotePreference
from domain.locations import PlaceMatch, job_place, match_level, place_key
from domain.scoring.factors import location, location_match
from domain.scoring.facts import CandidateFacts, JobFacts
from domain.scoring.filters import failed_filters
from tests.unit.facts_support import candidate_facts, job_facts

CANDIDATE = candidate_facts()
JOB = job_facts()
REMOTE_JOB = replace(JOB, is_remote=True)
NOWHERE_JOB = replace(JOB, city=None, region=None, country=None, location=None)


def who(*places: str, pref: RemotePreference | None = None) -> CandidateFacts:
    return replace(CANDIDATE, preferred_locations=places, remote_preference=pref)


def test_remote_job_for_a_candidate_who_wants_remote_scores_100() -> None:
    assert location(who(pref=RemotePreference.REMOTE_ONLY), REMOTE_JOB) == 100.0
    assert location(who("Remote"), REMOTE_JOB) == 100.0


def test_remote_job_for_a_flexible_candidate_scores_90() -> None:
    assert location(who("Berlin", pref=RemotePreference.REMOTE_OK), REMOTE_JOB) == 90.0
    assert location(who(), REMOTE_JOB) == 90.0
    assert location(who("Remote", "Berlin"), REMOTE_JOB) == 90.0


def test_same_city_and_region_scores_100() -> None:
    assert location(who("Austin, TX"), JOB) == 100.0
    assert location(who("austin, texas"), JOB) == 100.0
    assert location(who("Austin"), JOB) == 100.0
    assert location(who("Paris", "Austin, TX, USA"), JOB) == 100.0


def test_same_region_other_city_scores_75() -> None:
    assert location(who("Dallas, TX"), JOB) == 75.0
    assert location(who("Texas"), JOB) == 75.0


def test_candidate_wanting_remote_only_and_an_onsite_job_scores_40() -> None:
    assert location(who("Austin, TX", pref=RemotePreference.REMOTE_ONLY), JOB) == 40.0
    assert location(who("Remote"), JOB) == 40.0


def test_different_places_not_remote_scores_30() -> None:
    assert location(who("Berlin", pref=RemotePreference.ONSITE), JOB) == 30.0
    assert location(who("Portland, OR"), replace(JOB, city="Portland", region="ME")) == 30.0


def test_missing_location_data_scores_50() -> None:
    assert location(who(), JOB) == 50.0
    assert location(who("Remote", pref=RemotePreference.REMOTE_OK), JOB) == 50.0
    assert location(who("Berlin"), NOWHERE_JOB) == 50.0


def test_remote_job_for_an_onsite_candidate_is_judged_by_its_place() -> None:
    assert location(who("Austin", pref=RemotePreference.ONSITE), REMOTE_JOB) == 100.0
    assert location(who("Berlin", pref=RemotePreference.ONSITE), REMOTE_JOB) == 30.0


def test_job_place_falls_back_to_the_raw_location() -> None:
    job = replace(NOWHERE_JOB, location="Dallas, TX (Remote)")
    assert location(who("Dallas, Texas"), job) == 100.0


def test_location_match_is_100_when_the_job_city_is_preferred() -> None:
    assert location_match(who("Berlin", "Austin, TX"), JOB) == 100.0


def test_location_match_is_100_for_a_remote_job_when_remote_is_accepted() -> None:
    assert location_match(who(pref=RemotePreference.REMOTE_OK), REMOTE_JOB) == 100.0
    assert location_match(who("Remote", pref=RemotePreference.ONSITE), REMOTE_JOB) == 100.0


def test_location_match_is_0_otherwise() -> None:
    assert location_match(who("Dallas, TX"), JOB) == 0.0
    assert location_match(who(pref=RemotePreference.ONSITE), REMOTE_JOB) == 0.0
    assert location_match(who(), NOWHERE_JOB) == 0.0


@pytest.mark.parametrize(
    ("text", "key"),
    [("TX", "texas"), (" New  York ", "new york"), ("USA", "united states"), ("Berlin", "berlin")],
)
def test_place_keys_spell_out_states_and_countries(text: str, key: str) -> None:
    assert place_key(text) == key


def test_match_level_distinguishes_city_region_and_none() -> None:
    place = job_place("Austin", "TX", "US", None)
    assert place is not None
    assert match_level("Austin, Texas", place) is PlaceMatch.CITY
    assert match_level("Houston, TX", place) is PlaceMatch.REGION
    assert match_level("United States", place) is PlaceMatch.REGION
    assert match_level("Boston, MA", place) is PlaceMatch.NONE
    assert match_level("", place) is PlaceMatch.NONE


def at(city: str, region: str, country: str, raw: str) -> JobFacts:
    return replace(JOB, city=city, region=region, country=country, location=raw)


NEW_YORK = at("New York", "New York", "United States", "New York, NY")


@pytest.mark.parametrize("preferred", ["NYC", "New York City", "Manhattan", "new york, ny"])
def test_other_names_of_new_york_are_the_same_city(preferred: str) -> None:
    assert location(who(preferred), NEW_YORK) == 100.0
    assert location_match(who(preferred), NEW_YORK) == 100.0


@pytest.mark.parametrize(
    ("preferred", "job"),
    [
        ("Bangalore", at("Bengaluru", "Karnataka", "India", "Bengaluru, Karnataka, India")),
        ("Bengaluru", at("Bengaluru", "Karnataka", "India", "Bangalore, India")),
        ("Saint Louis", at("St. Louis", "Missouri", "United States", "St. Louis, MO")),
        ("SF", at("San Francisco", "California", "United States", "San Francisco, CA")),
        ("LA", at("Los Angeles", "California", "United States", "Los Angeles, CA")),
        ("DC", at("Washington", "District of Columbia", "United States", "Washington, DC")),
    ],
)
def test_city_aliases_match_the_city_they_name(preferred: str, job: JobFacts) -> None:
    assert location(who(preferred), job) == 100.0
    assert location(who(preferred), replace(job, city=None, region=None, country=None)) == 100.0


def test_brooklyn_is_its_own_city_in_the_same_region_as_new_york() -> None:
    assert location(who("Brooklyn"), NEW_YORK) == 75.0
    assert location_match(who("Brooklyn"), NEW_YORK) == 0.0


def test_a_city_in_another_country_is_no_match_even_with_the_same_name_elsewhere() -> None:
    assert location(who("Berlin"), at("Munich", "Bavaria", "Germany", "Munich")) == 30.0
    assert location(who("Germany"), at("Munich", "Bavaria", "Germany", "Munich")) == 75.0


def test_anywhere_and_worldwide_are_remote_preferences_like_remote() -> None:
    assert location(who("Anywhere"), REMOTE_JOB) == 100.0
    assert location(who("Worldwide"), JOB) == 40.0


def test_layered_location_filter_compares_parsed_places() -> None:
    seeker = who("Remote", "Bangalore")
    bengaluru = at("Bengaluru", "Karnataka", "India", "Bengaluru, India")
    assert failed_filters(seeker, bengaluru) == ()
    assert failed_filters(who("Remote", "NYC"), NEW_YORK) == ()
    assert failed_filters(who("Remote", "NYC"), JOB) == ("location",)


def test_layered_location_filter_sees_every_place_of_a_multi_place_job() -> None:
    job = at("New York", "New York", "United States", "New York, NY; San Francisco, CA")
    assert failed_filters(who("Remote", "SF"), job) == ()
    assert failed_filters(who("Remote", "Seattle"), job) == ("location",)
