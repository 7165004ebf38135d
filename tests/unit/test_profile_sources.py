"""Which profile fields a resume fills: hand-set fields win, resume fields follow the latest."""

from __future__ import annotations

from datetime import date

from domain.candidates import fields_from_resume, fill_profile, mark_manual
from domain.resumes import ParsedResume, parse_resume
from domain.skills import default_normalizer

EMPTY = {
    "headline": None,
    "skills": [],
    "years_of_experience": None,
    "seniority": None,
    "preferred_locations": [],
}
TEXT = "Data Analyst\nDenver, CO\nSkills\nPython, SQL, Tableau\nExperience\nData Analyst, Acme, 2015 - 2020\n"


def _parsed(text: str = TEXT) -> ParsedResume:
    return parse_resume(text, default_normalizer(), today=date(2025, 1, 1))


def test_an_empty_profile_is_filled_and_every_filled_field_is_marked_resume() -> None:
    fill = fill_profile(EMPTY, {}, _parsed())
    assert fill.changes["headline"] == "Data Analyst"
    assert {"Python", "SQL"} <= set(fill.changes["skills"])
    assert fields_from_resume(fill.sources) == [f for f in fill.changes if f in fill.sources]


def test_manual_and_unmarked_values_are_kept() -> None:
    current = {**EMPTY, "headline": "Analyst of things", "skills": ["Rust"]}
    fill = fill_profile(current, {"headline": "manual"}, _parsed())
    assert "headline" not in fill.changes and "skills" not in fill.changes
    assert fill.sources["headline"] == "manual"


def test_a_field_the_last_resume_lacks_is_cleared() -> None:
    first = fill_profile(EMPTY, {}, _parsed())
    second = fill_profile({**EMPTY, **first.changes}, first.sources, _parsed("Just words here"))
    assert second.changes.get("skills") == [] and "skills" not in second.sources


def test_update_me_marks_manual_and_a_cleared_field_is_open_again() -> None:
    marks = mark_manual({"skills": "resume"}, {"skills": ["Go"], "headline": None})
    assert marks == {"skills": "manual"}
