"""Every text parser of domain/ runs in linear time: an input 100x longer costs at most ~100x.

The one kind of timing assertion the suite allows (issue 8): a ratio between two runs of the same
code on the same machine, never an absolute duration. Each input stresses its parser's worst case
(many words, separators, digits and near-matches), and the slack (x400 for x100 the input)
absorbs noise on a busy machine; a quadratic parser would take ~x10,000.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from domain.errors import DomainError
from domain.experience import experience_from_text, parse_experience
from domain.imports import draft_from_posting, load_postings
from domain.locations import parse_location
from domain.postings import clean_description, detect_remote, extract_keywords, infer_seniority
from domain.resumes import normalize_resume_text, parse_resume
from domain.salary import parse_salary
from domain.skills import default_normalizer

GROWTH = 100
MAX_RATIO = 400


def _quietly(parse: Callable[[str], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return parse(text)
        except DomainError:  # rejecting the input is fine; hanging on it is not
            return None

    return run


def _best_of(parse: Callable[[str], object], text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - started)
    return best


def _ratio(parse: Callable[[str], object], unit: str, small: int) -> float:
    parse = _quietly(parse)
    short, long = unit * small, unit * (small * GROWTH)
    parse(short)  # warm caches (the skills table, compiled patterns)
    gc.disable()  # a collection landing in one run only is noise, not the parser's cost
    try:
        # The small input runs many times so timer resolution and cache effects do not dominate.
        return _best_of(parse, long, 5) / max(_best_of(parse, short, 50), 1e-6)
    finally:
        gc.enable()


def _posting(text: str) -> object:
    row = {"external_job_id": "x", "title": "Engineer", "description": text, "requirements": text}
    return draft_from_posting(
        row, platform="p", now=_NOW, ttl_days=30, normalizer=default_normalizer()
    )


def _import_file(text: str) -> object:
    return load_postings(b'[{"title": "' + text.encode() + b'"}]')


def _remote(text: str) -> object:
    return detect_remote(text, text, text, None)


def _skills(text: str) -> object:
    return default_normalizer().extract(text, limit=10_000)


def _resume(text: str) -> object:
    return parse_resume(text, default_normalizer(), today=_NOW.date())


def _seniority(text: str) -> object:
    return infer_seniority(text, None)


_NOW = datetime(2025, 1, 1, tzinfo=UTC)

CASES: list[tuple[str, Callable[[str], object], str, int]] = [
    ("location words", parse_location, "python ", 30),
    ("location near-matches", parse_location, "New San Los United North ", 10),
    ("location separators", parse_location, " . , - or ", 10),
    ("location fillers", parse_location, "x in the of ", 10),
    ("location spaces", parse_location, "a" + " " * 20, 5),
    ("salary digits", parse_salary, "1 year ", 20),
    ("salary long number", parse_salary, "1234567890", 10),
    ("salary separators", parse_salary, "1,000.", 20),
    ("salary between", parse_salary, "between 5 and ", 10),
    ("salary markers", parse_salary, "US$ per /   ", 10),
    ("experience field", parse_experience, "1 x ", 20),
    ("experience digits", parse_experience, "1111111111", 5),
    ("experience text", experience_from_text, "x 5 years x ", 20),
    ("experience units", experience_from_text, "year.", 20),
    ("experience digits before units", experience_from_text, "11111111x years ", 10),
    ("description tags", clean_description, "<p <a <br ", 20),
    ("description newlines", clean_description, "\n  \t ", 20),
    ("keywords long token", extract_keywords, "abcdefghij", 20),
    ("keywords at signs", extract_keywords, "a@b@c@d.e@", 20),
    ("remote text", _remote, "remote      this role is ", 10),
    ("seniority", _seniority, " I II Senior Product Manager ", 10),
    ("skills one sentence", _skills, "Python, SQL and Go ", 20),
    ("skills tokens", _skills, "C++/.NET-x ", 20),
    ("posting", _posting, "Senior python 5+ years $100K <p> remote, ", 5),
    ("import file", _import_file, "title ", 50),
    ("resume lines", _resume, "Experience\nChef, A, Jan 2015 - Present\n- Python, SQL\n", 10),
    ("resume dates", _resume, "2012 - 2016 03/2010 to 05/2013 1999", 10),
    ("resume digits", _resume, "1234567890", 20),
    ("resume contacts", _resume, "a.b@c x +1 (512) 555-0142 Austin, TX ", 10),
    ("resume education", _resume, "Education\nB.S. in Art, Yale University, 2010 MA ", 10),
    ("resume one long line", _resume, "Senior Manager University Bachelor of ", 10),
    ("resume normalize", normalize_resume_text, "• a-\nb  â€“ \n\n\n", 20),
]


@pytest.mark.parametrize(
    ("parse", "unit", "small"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_parsing_time_grows_linearly_with_the_input(
    parse: Callable[[str], object], unit: str, small: int
) -> None:
    # A busy machine can slow one measurement; a superlinear parser is slow in every one.
    ratio = _ratio(parse, unit, small)
    for _ in range(4):
        if ratio <= MAX_RATIO:
            break
        ratio = min(ratio, _ratio(parse, unit, small))
    assert ratio <= MAX_RATIO, f"{GROWTH}x the input took {ratio:.0f}x the time"
