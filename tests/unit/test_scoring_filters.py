"""LAYERED hard filters of SPEC §4: salary, location and experience, each with its edges."""

from dataclasses import replace

from domain.enums import RemotePreference
from domain.scoring.filters import failed_filters
from tests.unit.facts_support import candidate_facts, job_facts

CANDIDATE = candidate_facts(years_of_experience=5, salary_min=100_000, salary_currency="USD")
JOB = job_facts(
    location="Austin, TX",
    experience_min=3,
    experience_max=6,
    salary_annual_max=120_000,
    salary_currency="USD",
)


def test_a_fitting_job_passes_every_filter() -> None:
    assert failed_filters(CANDIDATE, JOB) == ()


def test_salary_filter_needs_job_max_of_at_least_85_percent_of_candidate_min() -> None:
    assert failed_filters(CANDIDATE, replace(JOB, salary_annual_max=85_000)) == ()
    assert failed_filters(CANDIDATE, replace(JOB, salary_annual_max=84_999)) == ("salary",)


def test_salary_filter_passes_missing_amounts_and_other_currencies() -> None:
    assert (
        failed_filters(replace(CANDIDATE, salary_min=None), replace(JOB, salary_annual_max=1)) == ()
    )
    assert failed_filters(CANDIDATE, replace(JOB, salary_annual_max=None)) == ()
    assert failed_filters(CANDIDATE, replace(JOB, salary_annual_max=1, salary_currency="EUR")) == ()


def test_location_filter_passes_remote_jobs_and_candidates_without_preference() -> None:
    wants_remote = replace(CANDIDATE, preferred_locations=("Remote",))
    assert failed_filters(wants_remote, replace(JOB, is_remote=True)) == ()
    assert failed_filters(CANDIDATE, JOB) == ()


def test_remote_seeker_passes_an_onsite_job_only_in_another_preferred_place() -> None:
    remote_and_austin = replace(CANDIDATE, preferred_locations=("Remote", "Austin, TX"))
    remote_and_texas = replace(CANDIDATE, preferred_locations=("Remote", "Texas"))
    remote_and_berlin = replace(CANDIDATE, preferred_locations=("Remote", "Berlin"))
    assert failed_filters(remote_and_austin, JOB) == ()
    assert failed_filters(remote_and_texas, JOB) == ()
    assert failed_filters(remote_and_berlin, JOB) == ("location",)
    assert failed_filters(replace(CANDIDATE, preferred_locations=("Remote",)), JOB) == ("location",)


def test_remote_only_preference_counts_as_seeking_remote() -> None:
    remote_only = replace(CANDIDATE, remote_preference=RemotePreference.REMOTE_ONLY)
    assert failed_filters(remote_only, JOB) == ("location",)
    in_austin = replace(remote_only, preferred_locations=("Austin",))
    assert failed_filters(in_austin, JOB) == ()


def test_location_filter_matches_whole_words_of_the_raw_location() -> None:
    seeker = replace(CANDIDATE, preferred_locations=("Remote", "CA"))
    job = replace(JOB, city=None, region=None, country=None, location="Jamaica Plain, MA")
    assert failed_filters(seeker, job) == ("location",)
    assert failed_filters(seeker, replace(job, location="San Jose, CA")) == ()


def test_onsite_candidate_with_other_places_passes_the_location_filter() -> None:
    berliner = replace(CANDIDATE, preferred_locations=("Berlin",))
    assert failed_filters(berliner, JOB) == ()


def test_experience_filter_allows_one_year_below_min_and_two_above_max() -> None:
    assert failed_filters(replace(CANDIDATE, years_of_experience=2), JOB) == ()
    assert failed_filters(replace(CANDIDATE, years_of_experience=1.9), JOB) == ("experience",)
    assert failed_filters(replace(CANDIDATE, years_of_experience=8), JOB) == ()
    assert failed_filters(replace(CANDIDATE, years_of_experience=8.5), JOB) == ("experience",)


def test_experience_filter_without_job_max_has_no_upper_limit() -> None:
    veteran = replace(CANDIDATE, years_of_experience=40)
    assert failed_filters(veteran, replace(JOB, experience_max=None)) == ()


def test_experience_filter_passes_unknown_years() -> None:
    assert failed_filters(replace(CANDIDATE, years_of_experience=None), JOB) == ()


def test_every_failed_filter_is_reported_in_order() -> None:
    candidate = replace(CANDIDATE, preferred_locations=("Remote",), years_of_experience=0)
    job = replace(JOB, salary_annual_max=10_000)
    assert failed_filters(candidate, job) == ("salary", "location", "experience")
