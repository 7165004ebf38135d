"""Scrape queue rules: role names, key digests, caps."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.inputs import SCRAPE_ERROR, SCRAPE_JOBS, SCRAPER_KEY_NAME
from domain.scraping import (
    failure_reason,
    key_hash,
    key_name,
    key_prefix,
    normalize_role,
    normalize_roles,
    require_scraping,
    upload_rows,
    wanted_roles,
)


def test_roles_are_lower_snake_case_words() -> None:
    assert normalize_role("Python Developer") == "python_developer"
    assert normalize_role("  Sr. C++ / Go engineer ") == "sr_c_go_engineer"
    assert normalize_role("Data-Scientist") == "data_scientist"
    assert normalize_role("!!!") is None
    assert len(normalize_role("a" * 500) or "") == 100


def test_roles_collapse_to_distinct_names_in_order() -> None:
    assert normalize_roles(["Python Developer", "python  developer", "", "QA"]) == [
        "python_developer",
        "qa",
    ]


def test_wanted_roles_count_people_and_rank_their_places() -> None:
    wanted = wanted_roles(
        [
            (["Python Developer"], ["Berlin", "Remote"]),
            (["python developer", "Data Engineer"], ["Berlin"]),
            (["Data Engineer"], []),
        ]
    )
    assert wanted == {
        "python_developer": (2, ["Berlin", "Remote"]),
        "data_engineer": (2, ["Berlin"]),
    }


def test_a_key_is_stored_as_its_sha256_with_an_eight_character_prefix() -> None:
    key = "sk_live_abcdefghijklmnop"
    assert key_prefix(key) == "abcdefgh"
    assert len(key_hash(key)) == 64 and key_hash(key) != key_hash(key + "x")


def test_caps_on_names_uploads_and_errors() -> None:
    assert key_name("  my   bot ") == "my bot"
    for bad in ("", " ", "x" * (SCRAPER_KEY_NAME + 1), "a\x00b"):
        with pytest.raises(InvalidInput):
            key_name(bad)
    upload_rows([{}] * SCRAPE_JOBS)
    with pytest.raises(InvalidInput):
        upload_rows([{}] * (SCRAPE_JOBS + 1))
    assert failure_reason(" timeout ") == "timeout"
    with pytest.raises(InvalidInput):
        failure_reason("x" * (SCRAPE_ERROR + 1))


def test_only_a_role_being_scraped_takes_uploads() -> None:
    require_scraping("SCRAPING")
    with pytest.raises(InvalidInput):
        require_scraping("QUEUED")
