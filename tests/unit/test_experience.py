"""Years of experience (SPEC §2, §9): a short field, or the first requirement in a description."""

import pytest

from domain.errors import InvalidInput
from domain.experience import experience_from_text, parse_experience


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5+ years", (5, None)),
        ("5-7 years", (5, 7)),
        ("5 – 7 years", (5, 7)),
        ("3 years minimum", (3, None)),
        ("at least 2 years", (2, None)),
        ("2+ yrs", (2, None)),
        ("minimum of 4 years", (4, None)),
        ("a minimum of 6 years", (6, None)),
        ("one to three years", (1, 3)),
        ("Fifteen years", (15, None)),
        ("Five (5) years", (5, None)),
        ("10+ years of experience", (10, None)),
        ("3 or more years", (3, None)),
        ("1.5 years", (1.5, None)),
        ("3 years", (3, None)),
        ("5", (5, None)),
    ],
)
def test_experience_field_formats(raw: str, expected: tuple[float, float | None]) -> None:
    assert parse_experience(raw) == expected


def test_open_ended_top_of_a_range_has_no_maximum() -> None:
    assert parse_experience("2-10+ years") == (2, None)
    assert parse_experience("4–6+ years of experience") == (4, None)


def test_up_to_means_from_zero() -> None:
    assert parse_experience("up to 3 years") == (0, 3)
    assert parse_experience("less than 2 years") == (0, 2)


def test_months_count_as_fractions_of_a_year() -> None:
    assert parse_experience("6 months") == (0.5, None)
    assert parse_experience("18+ months") == (1.5, None)


def test_no_experience_required_is_zero_years() -> None:
    assert parse_experience("No experience required") == (0, None)
    assert parse_experience("Entry level") == (0, None)


@pytest.mark.parametrize("raw", [None, "", "  ", "several years", "some experience"])
def test_text_without_a_number_of_years_gives_none(raw: str | None) -> None:
    assert parse_experience(raw) is None


def test_inverted_range_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="above the maximum") as error:
        parse_experience("7-5 years")
    assert error.value.field == "experience"


def test_implausible_number_of_years_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="not plausible"):
        parse_experience("60 years")


def test_description_gives_its_first_experience_requirement() -> None:
    text = "About us\n\nRequirements:\n - 5+ years of Python\n - 2+ years of Go"
    assert experience_from_text(text) == (5, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You have 3-5 years of experience in backend development.", (3, 5)),
        ("We want someone with at least 7 years managing teams.", (7, None)),
        ("You've worked in sales for 3+ years.", (3, None)),
        (" - 0-2 years in a Customer Support Analyst role", (0, 2)),
        ("Minimum of three (3) years of experience in an in-house position", (3, None)),
        ("- 4+ years’ experience in application security", (4, None)),
    ],
)
def test_requirement_phrasings_in_descriptions(
    text: str, expected: tuple[float, float | None]
) -> None:
    assert experience_from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We match your 401(k) contributions.",
        "Ramp was founded 10 years ago.",
        "We've been on the market for 7 years, continuously growing.",
        "A 4 year degree is a plus.",
        "Sabbatical: 30 days after 5 years of employment.",
        "Generous equity grant vested over 4 years.",
        "Within 6 months you will own the roadmap.",
        "A 67-year-old man with COPD.",
        "Must be at least 18 years of age.",
        "Before founding Sierra, Clay spent 18 years at Google.",
        "You want to look back in 5 years and say you built that.",
    ],
)
def test_years_outside_an_experience_context_are_not_requirements(text: str) -> None:
    assert experience_from_text(text) is None


def test_a_false_positive_before_the_requirement_is_skipped() -> None:
    text = "Founded 12 years ago, we offer a 401(k).\n\n - 6+ years of experience with Kafka"
    assert experience_from_text(text) == (6, None)


def test_implausible_numbers_in_text_are_skipped_not_raised() -> None:
    assert experience_from_text("Over 100+ years of combined experience. 2+ years of SQL") == (
        2,
        None,
    )
