"""The parsers against the 8,396 real postings of shared/data/jobs (never copied into the repo)."""

import gzip
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from domain.enums import SalaryInterval, Seniority
from domain.experience import experience_from_text
from domain.locations import parse_location
from domain.places import US_STATES
from domain.postings import (
    STOPWORDS,
    clean_description,
    detect_remote,
    extract_keywords,
    infer_seniority,
    normalize_employment_type,
)
from domain.salary import ANNUAL_FACTORS, parse_salary

DATASET = Path(__file__).resolve().parents[3] / "shared" / "data" / "jobs" / "ashby_jobs.json.gz"

# Digits but no salary: parse_salary answers None, on purpose.
NOT_A_SALARY = {"$60.00 once": "a one-off payment per interview, not a recurring salary"}
# Parsed, but a person should look at them: the numbers are kept exactly as written.
AMBIGUOUS = {
    "$150.00": "no interval: read as hourly (bare amount under 1,000); could be a day rate",
    "$200.00 – $275,000.00 • Offers Equity": "a placeholder minimum of 200 a year",
    "CA$30.00 – CA$450,000.00 • Offers Equity • CA$150K – CA$200K Commission": "placeholder 30",
    "$1.00 – $500,000.00": "placeholder minimum of 1",
}
_SIMPLE = re.compile(
    r"(?P<cur>\$|€|£|CA\$|A\$)(?P<a>[\d,.]+)(?P<ak>[KM]?)"
    r"(?: – (?P=cur)(?P<b>[\d,.]+)(?P<bk>[KM]?))?(?: per (?P<per>hour|week|month))?"
)
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "CA$": "CAD", "A$": "AUD"}
_INTERVALS = {None: SalaryInterval.YEAR, "hour": SalaryInterval.HOUR}
_INTERVALS |= {"week": SalaryInterval.WEEK, "month": SalaryInterval.MONTH}


@cache
def postings() -> list[dict[str, Any]]:
    assert DATASET.is_file(), f"the real postings are missing: {DATASET}"
    with gzip.open(DATASET, "rt", encoding="utf-8") as file:
        data: list[dict[str, Any]] = json.load(file)
    assert len(data) == 8396
    return data


def salaries() -> list[str]:
    return [p["salary"] for p in postings() if p.get("salary")]


def _amount(digits: str, suffix: str) -> float:
    return round(float(digits.replace(",", "")) * {"": 1, "K": 1e3, "M": 1e6}[suffix], 2)


def test_every_salary_with_a_digit_parses() -> None:
    with_digits = [raw for raw in salaries() if any(char.isdigit() for char in raw)]
    assert len(with_digits) > 3000
    failed = [raw for raw in with_digits if raw not in NOT_A_SALARY and parse_salary(raw) is None]
    assert failed == []
    assert all(parse_salary(raw) is None for raw in NOT_A_SALARY)


def test_ambiguous_salaries_keep_the_numbers_as_written() -> None:
    present = set(salaries())
    assert set(AMBIGUOUS) <= present
    hourly = parse_salary("$150.00")
    assert hourly is not None and (hourly.interval, hourly.min) == (SalaryInterval.HOUR, 150)
    placeholder = parse_salary(
        "CA$30.00 – CA$450,000.00 • Offers Equity • CA$150K – CA$200K Commission"
    )
    assert placeholder is not None and (placeholder.min, placeholder.max) == (30, 450_000)


def test_parsed_salaries_agree_with_the_numbers_in_the_raw_strings() -> None:
    checked = 0
    for raw in salaries():
        head = raw.split(" • ")[0]
        match = _SIMPLE.fullmatch(head)
        if match is None:
            continue
        salary = parse_salary(raw)
        assert salary is not None, raw
        low = _amount(match["a"], match["ak"])
        high = _amount(match["b"], match["bk"]) if match["b"] else low
        assert (salary.min, salary.max) == (low, high), raw
        assert salary.currency == _CURRENCIES[match["cur"]], raw
        if salary.min is not None and salary.min >= 1000:
            assert salary.interval is _INTERVALS[match["per"]], raw
        checked += 1
    assert checked > 2500


def test_annual_equivalents_follow_the_interval() -> None:
    intervals: Counter[SalaryInterval] = Counter()
    for raw in salaries():
        salary = parse_salary(raw)
        if salary is None:
            continue
        factor = ANNUAL_FACTORS[salary.interval]
        intervals[salary.interval] += 1
        assert salary.annual_min == (None if salary.min is None else round(salary.min * factor, 2))
        assert salary.annual_max == (None if salary.max is None else round(salary.max * factor, 2))
    assert intervals[SalaryInterval.HOUR] > 150
    assert intervals[SalaryInterval.MONTH] > 20
    assert intervals[SalaryInterval.WEEK] >= 1


def test_bonus_and_commission_amounts_never_become_the_salary() -> None:
    checked = 0
    for raw in salaries():
        head, _, rest = raw.partition(" • ")
        if not re.search(r"\d[KkM]? (?:Bonus|Commission)", rest) or not _SIMPLE.fullmatch(head):
            continue
        salary = parse_salary(raw)
        first = _SIMPLE.fullmatch(head)
        assert salary is not None and first is not None
        assert salary.min == _amount(first["a"], first["ak"]), raw
        checked += 1
    assert checked > 30


def test_locations_with_a_us_state_abbreviation_get_that_state() -> None:
    checked = 0
    for posting in postings():
        match = re.fullmatch(r"([A-Za-z .'-]+), ([A-Z]{2})(?: - US)?", posting["location"].strip())
        # "DE" is Delaware and Germany: the data has "Darmstadt, DE" and "Berlin, DE".
        if match is None or match[2] not in US_STATES or match[2] == "DE":
            continue
        location = parse_location(posting["location"])
        assert location.region == US_STATES[match[2]], posting["location"]
        assert location.country == "United States", posting["location"]
        assert location.city is not None
        checked += 1
    assert checked > 700


def test_locations_naming_a_country_after_the_city_get_that_country() -> None:
    names = {"Germany", "France", "India", "Japan", "Spain", "Italy", "Ireland", "Australia"}
    checked = 0
    for posting in postings():
        city, _, country = posting["location"].strip().rpartition(", ")
        if country in names and city and not re.search(r",|Remote|Anywhere", city):
            assert parse_location(posting["location"]).country == country, posting["location"]
            checked += 1
    assert checked > 50


def test_remote_locations_are_remote_and_most_locations_name_a_place() -> None:
    named = 0
    for posting in postings():
        location = parse_location(posting["location"])
        if re.search(r"\bremote\b", posting["location"], re.I):
            assert location.is_remote, posting["location"]
            assert detect_remote(posting["location"], posting["title"], "", False)
        named += any((location.city, location.region, location.country))
    assert named / len(postings()) > 0.85


def test_the_remote_flag_is_kept_unless_the_text_says_otherwise() -> None:
    for posting in postings():
        location, title, flag = posting["location"], posting["title"], posting["is_remote"]
        said = r"remote|anywhere|worldwide|global|on-?site|in[- ]office"
        silent = not re.search(said, f"{location} {title}", re.I)
        if flag is not None and silent:
            assert detect_remote(location, title, posting["description"], flag) is flag


def test_every_employment_type_of_the_source_is_known() -> None:
    for posting in postings():
        assert normalize_employment_type(posting["job_type"]) is not None, posting["job_type"]


def test_intern_and_senior_titles_get_their_seniority() -> None:
    interns = seniors = 0
    for posting in postings():
        title = posting["title"]
        if re.search(r"\bIntern\b", title):
            assert infer_seniority(title, None) is Seniority.ENTRY, title
            interns += 1
        elif re.match(
            r"Senior (?:Software|Backend|Frontend|Data) Engineer\b(?!.*(?:Lead|Staff))", title
        ):
            assert infer_seniority(title, None) is Seniority.SENIOR, title
            seniors += 1
    assert interns > 50 and seniors > 50


def test_plus_years_of_experience_in_descriptions_are_read() -> None:
    found = checked = 0
    for posting in postings():
        text = posting["description"]
        years = experience_from_text(text)
        found += years is not None
        if years is not None:
            low, high = years
            assert low is not None and 0 <= low <= 50
            assert high is None or low <= high <= 50
        match = re.search(r"(?m)^ - (\d+)\+ years of experience\b", text)
        if match:
            assert experience_from_text(text[match.start() :]) == (float(match[1]), None)
            checked += 1
    assert found / len(postings()) > 0.6
    assert checked > 500


def test_keywords_of_real_descriptions() -> None:
    for posting in postings()[:300]:
        words = extract_keywords(posting["description"])
        assert 0 < len(words) <= 20
        assert all(word == word.lower() and word not in STOPWORDS for word in words)
        assert words == extract_keywords(posting["description"])


def test_html_entities_in_real_descriptions_are_decoded() -> None:
    encoded = [p["description"] for p in postings() if "&amp;" in p["description"]]
    assert encoded
    assert all("&amp;" not in clean_description(text) for text in encoded)
