"""Reading postings (SPEC §9): remote work, seniority, employment type, keywords, clean text."""

import pytest

from domain.enums import EmploymentType as E
from domain.enums import Seniority as S
from domain.errors import InvalidInput
from domain.postings import (
    STOPWORDS,
    clean_description,
    detect_remote,
    extract_keywords,
    infer_seniority,
    normalize_employment_type,
)


def test_remote_location_makes_the_job_remote_even_against_the_flag() -> None:
    assert detect_remote("Remote - US", "Engineer", "", False)
    assert detect_remote("Los Angeles (Remote Accepted)", "Engineer", "", None)


def test_remote_title_makes_the_job_remote() -> None:
    assert detect_remote("Mexico City", "Performance Marketer (Remote Mexico)", "", False)


def test_remote_sensing_in_a_title_is_not_remote_work() -> None:
    assert not detect_remote("Boulder, CO", "Remote Sensing Scientist", "", None)


def test_onsite_location_is_not_remote_even_with_the_flag() -> None:
    assert not detect_remote("Las Vegas, NV (Onsite)", "Engineer", "", True)


def test_the_source_flag_decides_when_location_and_title_are_silent() -> None:
    assert detect_remote("San Francisco", "Engineer", "This role is fully remote.", False) is False
    assert detect_remote("San Francisco", "Engineer", "", True) is True


@pytest.mark.parametrize(
    "description",
    ["This position is fully remote.", "We are a remote-first company.", "It's 100% remote.",
     "This role is remote within the US."],
)  # fmt: skip
def test_without_a_flag_an_explicit_remote_sentence_decides(description: str) -> None:
    assert detect_remote("Toronto", "Engineer", description, None)


@pytest.mark.parametrize(
    "description",
    ["We have offices and remote employees.", "This role is not remote.",
     "This position is on-site in Austin. Remote-first culture elsewhere.", ""],
)  # fmt: skip
def test_without_a_flag_a_mere_mention_of_remote_is_not_enough(description: str) -> None:
    assert not detect_remote("Austin, TX", "Engineer", description, None)


def test_hybrid_is_not_remote() -> None:
    assert not detect_remote("San Francisco-Hybrid", "Engineer", "", None)


@pytest.mark.parametrize(
    ("title", "seniority"),
    [
        ("Software Engineer Intern, Frontend - Fall 2025", S.ENTRY),
        ("Graduate Software Engineer", S.ENTRY),
        ("Entry-Level Analyst", S.ENTRY),
        ("Software Engineer - Campus (Intern & New Grad)", S.ENTRY),
        ("Junior Developer", S.JUNIOR),
        ("Jr. Designer", S.JUNIOR),
        ("Operations Associate", S.JUNIOR),
        ("Software Engineer I", S.JUNIOR),
        ("Data Scientist II", S.MID),
        ("Mid-level Developer", S.MID),
        ("Senior Software Engineer", S.SENIOR),
        ("Sr Backend Engineer (Typescript)", S.SENIOR),
        ("Software Engineer III", S.SENIOR),
        ("Senior Product Manager", S.SENIOR),
        ("Staff Software Engineer", S.LEAD),
        ("Senior Staff Engineer", S.LEAD),
        ("Tech Lead, Payments", S.LEAD),
        ("Engineering Manager", S.LEAD),
        ("Sr. Manager, Private Clients", S.LEAD),
        ("Principal Software Engineer", S.PRINCIPAL),
        ("Distinguished Engineer", S.PRINCIPAL),
        ("Director of Sales", S.PRINCIPAL),
        ("Associate Director, Finance", S.PRINCIPAL),
        ("Head of Growth", S.PRINCIPAL),
        ("VP Engineering", S.PRINCIPAL),
        ("Vice President, Customer Marketing", S.PRINCIPAL),
    ],
)
def test_seniority_from_the_title(title: str, seniority: S) -> None:
    assert infer_seniority(title, None) is seniority


@pytest.mark.parametrize(
    "title", ["Product Manager", "Account Manager", "Lead Generation Specialist",
              "Mid-Market Account Executive", "I/O Engineer", "Engineer i"],
)  # fmt: skip
def test_role_names_that_only_look_like_levels_say_nothing(title: str) -> None:
    assert infer_seniority(title, None) is None


def test_the_title_wins_over_the_years() -> None:
    assert infer_seniority("Junior Developer", 10) is S.JUNIOR


@pytest.mark.parametrize(
    ("years", "seniority"),
    [(0, S.ENTRY), (0.9, S.ENTRY), (1, S.JUNIOR), (2.9, S.JUNIOR), (3, S.MID), (4, S.MID),
     (5, S.SENIOR), (7.5, S.SENIOR), (8, S.LEAD), (20, S.LEAD)],
)  # fmt: skip
def test_seniority_from_years_when_the_title_is_silent(years: float, seniority: S) -> None:
    assert infer_seniority("Software Engineer", years) is seniority


def test_no_seniority_without_title_words_or_years() -> None:
    assert infer_seniority("Software Engineer", None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("FullTime", E.FULL_TIME), ("Full-time", E.FULL_TIME), ("Full time", E.FULL_TIME),
     ("FULL_TIME", E.FULL_TIME), ("Permanent", E.FULL_TIME), ("PartTime", E.PART_TIME),
     ("part-time", E.PART_TIME), ("Contract", E.CONTRACT), ("Contractor", E.CONTRACT),
     ("Freelance", E.CONTRACT), ("Intern", E.INTERNSHIP), ("Internship", E.INTERNSHIP),
     ("Temporary", E.TEMPORARY), ("Temp", E.TEMPORARY), ("Seasonal", E.TEMPORARY)],
)  # fmt: skip
def test_employment_type_spellings(raw: str, expected: E) -> None:
    assert normalize_employment_type(raw) is expected


@pytest.mark.parametrize("raw", [None, "", "Volunteer", "Sometimes"])
def test_unknown_employment_type_is_none(raw: str | None) -> None:
    assert normalize_employment_type(raw) is None


def test_keywords_are_lowercase_content_words_by_frequency() -> None:
    text = "Python and Kafka. We use Python, Kafka and Python with the AWS cloud."
    assert extract_keywords(text) == ["python", "kafka", "aws", "cloud"]


def test_keyword_ties_break_alphabetically_and_limit_applies() -> None:
    assert extract_keywords("zeta beta alpha beta zeta gamma", limit=3) == ["beta", "zeta", "alpha"]
    assert extract_keywords("zeta beta alpha", limit=0) == []


def test_keywords_keep_technical_spellings_and_drop_noise() -> None:
    text = "C++ and C# with Node.js; we’re hiring at https://example.com/jobs or jobs@example.com"
    assert extract_keywords(text) == ["c#", "c++", "hiring", "node.js"]


def test_keywords_never_include_stopwords_or_numbers() -> None:
    words = extract_keywords("The 2 of us will have been there in 2025 for all of it")
    assert not set(words) & STOPWORDS
    assert words == []


def test_negative_keyword_limit_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        extract_keywords("text", limit=-1)


def test_clean_description_removes_html_tags_and_entities() -> None:
    raw = "<p>Planning &amp; Execution</p><ul><li>Risk&nbsp;Management</li></ul>"
    assert clean_description(raw) == "Planning & Execution\n\nRisk Management"


def test_clean_description_keeps_angle_bracket_text_that_is_not_html() -> None:
    assert (
        clean_description("Product-led growth <PLG> efforts") == "Product-led growth <PLG> efforts"
    )
