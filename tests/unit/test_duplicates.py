"""Cross-source duplicates: posting keys, simhash distances, which new rows become links."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from domain.duplicates import (
    Known,
    distance,
    fingerprint,
    place,
    posting_key,
    same_posting,
    simhash,
    split_cross_source,
)
from domain.imports import plan
from domain.jobs import JobDraft

TEXT = (
    "We are hiring a senior backend engineer to build our payments platform in Python and "
    "PostgreSQL. You will design APIs, mentor engineers, and own services end to end. "
    "Benefits include equity, health insurance and a yearly learning budget."
)


def _draft(external_id: str, platform: str, description: str = TEXT) -> JobDraft:
    return JobDraft(
        title="Senior Backend Engineer",
        company="Acme",
        description=description,
        posted_at=datetime(2026, 11, 1, tzinfo=UTC),
        location="Berlin, Germany",
        city="Berlin",
        country="Germany",
        source_platform=platform,
        external_id=external_id,
    )


def test_the_key_ignores_case_and_punctuation() -> None:
    here = place("Berlin", None, "Germany", None, False)
    assert posting_key("ACME", "Senior Backend Engineer!", here) == posting_key(
        "acme", "senior backend engineer", here
    )
    assert posting_key("acme", "senior backend engineer", here) != posting_key(
        "acme", "senior frontend engineer", here
    )
    assert place(None, None, None, "Remote - US", True) == "remote us"


def test_near_identical_descriptions_are_close_and_different_ones_far() -> None:
    edited = TEXT.replace("yearly learning budget", "learning budget every year") + " Apply now."
    other = "A part-time barista for our café in Lisbon; latte art a plus, weekends required."
    assert distance(simhash(TEXT), simhash(TEXT)) == 0
    assert distance(simhash(TEXT), simhash(edited)) <= 12
    assert distance(simhash(TEXT), simhash(other)) > 12
    assert -(2**63) <= simhash(TEXT) < 2**63


def test_only_another_platforms_job_is_the_same_posting() -> None:
    mine = fingerprint(_draft("1", "linkedin"))
    same_platform = Known("job-a", "linkedin", mine.simhash)
    other_platform = Known("job-b", "indeed", mine.simhash ^ 0b1)
    far = Known("job-c", "indeed", ~mine.simhash)
    assert same_posting(mine, "linkedin", [same_platform, far]) is None
    assert same_posting(mine, "linkedin", [same_platform, other_platform, far]) == "job-b"


def test_a_new_row_matching_a_known_job_becomes_a_link() -> None:
    drafts = [_draft("1", "linkedin"), replace(_draft("2", "linkedin"), title="Chef")]
    prints = {d.external_id or "": fingerprint(d) for d in drafts}
    first = prints["1"]
    known = {first.key: [Known("job-b", "indeed", first.simhash)]}
    writes, links = split_cross_source(plan(drafts, {}).writes, "linkedin", prints, known)
    assert [w.draft.external_id for w in writes] == ["2"]
    assert [(link.job_id, link.platform, link.external_id) for link in links] == [
        ("job-b", "linkedin", "1")
    ]
