"""Profiles from resumes: what an upload fills in a candidate's profile, where each field came
from, a pool candidate's fields from a resume and a recruiter's input, and the text to embed."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.accounts import (
    ProfileFacts,
    clean_list,
    normalize_email,
    profile_text,
    validate_profile,
)
from domain.enums import CandidateStatus, RemotePreference, Seniority
from domain.errors import InvalidInput
from domain.inputs import (
    HEADLINE,
    PREFERRED_LOCATION,
    PREFERRED_LOCATIONS,
    PREFERRED_ROLES,
    SEARCH_QUERY,
    SKILL,
    SKILLS,
    Patch,
    cap,
    cap_list,
)
from domain.resumes import ParsedResume, resume_profile_text
from domain.skills import SkillNormalizer

MANUAL, RESUME = "manual", "resume"
# The profile fields an upload may fill, in the order the API lists them.
FILLED_FIELDS = ("headline", "skills", "years_of_experience", "seniority", "preferred_locations")
_LISTS = ("skills", "preferred_locations")
NAME = 200
PHONE = 50
MAX_YEARS = 70.0


@dataclass(frozen=True)
class ProfileFill:
    changes: dict[str, Any]  # column values to write
    sources: dict[str, str]  # the profile's field -> source map after the upload


def _present(value: Any) -> bool:
    return value is not None and value != [] and value != ""


def _short(value: str | None, limit: int) -> str | None:
    """A parsed value that fits its column, else none: a parser's guess is never an error."""
    text = " ".join((value or "").split())
    return text if text and len(text) <= limit else None


def resume_values(parsed: ParsedResume) -> dict[str, Any]:
    """The profile values a resume offers, within the caps a hand edit must respect."""
    years = parsed.years_of_experience
    location = _short(parsed.location, PREFERRED_LOCATION)
    return {
        "headline": _short(parsed.headline, HEADLINE),
        "skills": [s for s in parsed.skills if len(s) <= SKILL][:SKILLS],
        "years_of_experience": None if years is None else min(max(years, 0.0), MAX_YEARS),
        "seniority": parsed.seniority.value if parsed.seniority else None,
        "preferred_locations": [location] if location else [],
    }


def fill_profile(
    current: Mapping[str, Any], sources: Mapping[str, str], parsed: ParsedResume
) -> ProfileFill:
    """Fill every field not set by hand: one marked manual, or one holding a value with no
    recorded source (set before sources were recorded). A field an earlier resume filled that
    this one lacks is cleared: the profile follows the latest resume."""
    changes: dict[str, Any] = {}
    marks = dict(sources)
    for field, value in resume_values(parsed).items():
        source = sources.get(field)
        if source == MANUAL or (source is None and _present(current.get(field))):
            continue
        if _present(value):
            changes[field] = value
            marks[field] = RESUME
        elif source == RESUME:
            changes[field] = [] if field in _LISTS else None
            del marks[field]
    return ProfileFill(changes, marks)


def mark_manual(sources: Mapping[str, str], patch: Patch) -> dict[str, str]:
    """updateMe's fields become manual; one cleared by hand is open to the next resume again."""
    marks = dict(sources)
    for field in FILLED_FIELDS:
        if field in patch:
            if _present(patch[field]):
                marks[field] = MANUAL
            else:
                marks.pop(field, None)
    return marks


def fields_from_resume(sources: Mapping[str, str]) -> list[str]:
    return [field for field in FILLED_FIELDS if sources.get(field) == RESUME]


def embedding_text(profile: ProfileFacts, parsed: ParsedResume | None) -> str:
    """With a resume: its headline and summary first (SPEC §12), over the profile's current
    values; without one, the profile text of SPEC §3."""
    if parsed is None:
        return profile_text(profile)
    merged = dataclasses.replace(
        parsed,
        headline=profile.headline or parsed.headline,
        skills=tuple(profile.skills),
        years_of_experience=profile.years_of_experience,
        seniority=profile.seniority,
    )
    return resume_profile_text(merged)


def _given(patch: Patch, normalizer: SkillNormalizer) -> dict[str, Any]:
    """A recruiter's input, checked like a profile edit; absent or null fields are not given."""
    given = {k: v for k, v in patch.items() if v is not None}
    if "name" in given:
        given["name"] = cap(" ".join(given["name"].split()), "name", NAME) or None
    if "email" in given:
        given["email"] = normalize_email(given["email"])
    if "phone" in given:
        given["phone"] = cap(given["phone"].strip(), "phone", PHONE) or None
    if "headline" in given:
        given["headline"] = cap(given["headline"].strip(), "headline", HEADLINE) or None
    if "skills" in given:
        cap_list(given["skills"], "skills", entries=SKILLS, each=SKILL)
        given["skills"] = normalizer.normalize_many(clean_list(given["skills"], "skills"))
    for key, field, limit in (
        ("preferred_locations", "preferredLocations", PREFERRED_LOCATIONS),
        ("preferred_roles", "preferredRoles", PREFERRED_ROLES),
    ):
        if key in given:
            given[key] = clean_list(given[key], field, limit=limit)
    for key in ("remote_preference", "seniority"):
        if key in given:
            given[key] = given[key].value
    if "salary_currency" in given:
        given["salary_currency"] = given["salary_currency"].strip().upper()
    validate_profile(
        given.get("years_of_experience"),
        given.get("salary_min"),
        given.get("salary_max"),
        given.get("salary_currency"),
    )
    return {k: v for k, v in given.items() if v is not None}


def check_candidate_input(patch: Patch, normalizer: SkillNormalizer) -> None:
    """Refuse a bad input before any file is read."""
    _given(patch, normalizer)


@dataclass(frozen=True)
class CandidateRecord:
    values: dict[str, Any]  # column values of the new pool candidate
    text: str  # what to embed


def candidate_record(
    parsed: ParsedResume, patch: Patch, normalizer: SkillNormalizer
) -> CandidateRecord:
    """A pool candidate from a resume; the recruiter's input wins over every parsed value."""
    offered = resume_values(parsed)
    email = _short(parsed.email, 320)
    values: dict[str, Any] = {
        "name": _short(parsed.name, NAME),
        "email": email if email and "@" in email else None,
        "phone": _short(parsed.phone, PHONE),
        "headline": offered["headline"],
        "summary": parsed.summary,
        "skills": offered["skills"],
        "years_of_experience": offered["years_of_experience"],
        "seniority": offered["seniority"],
        "location": _short(parsed.location, 255),
        "preferred_locations": offered["preferred_locations"],
        "preferred_roles": [],
    }
    values |= _given(patch, normalizer)
    return CandidateRecord(values, candidate_text(values, parsed))


def candidate_text(values: Mapping[str, Any], parsed: ParsedResume | None) -> str:
    """What to embed for a pool candidate with these column values."""
    facts = ProfileFacts(
        headline=values.get("headline"),
        seniority=Seniority(values["seniority"]) if values.get("seniority") else None,
        years_of_experience=values.get("years_of_experience"),
        skills=list(values.get("skills") or []),
        preferred_locations=list(values.get("preferred_locations") or []),
        remote_preference=RemotePreference(values["remote_preference"])
        if values.get("remote_preference")
        else None,
    )
    return embedding_text(facts, parsed)


# A pool candidate's life (SPEC §13): READY once matches are generated, then PLACED or ARCHIVED.
# ARCHIVED is final: the record stays for history but leaves the pool's lists.
_S = CandidateStatus
_MOVES: Mapping[CandidateStatus, frozenset[CandidateStatus]] = {
    _S.PENDING_REVIEW: frozenset({_S.READY, _S.ARCHIVED}),
    _S.READY: frozenset({_S.PLACED, _S.ARCHIVED}),
    _S.PLACED: frozenset({_S.ARCHIVED}),
    _S.ARCHIVED: frozenset(),
}
# READY means "matches generated"; a recruiter never sets it by hand.
BY_HAND = frozenset({_S.PLACED, _S.ARCHIVED})
_LIST_COLUMNS = frozenset({"skills", "preferred_locations", "preferred_roles"})


def move_candidate(current: CandidateStatus, new: CandidateStatus) -> None:
    """Raise InvalidInput unless a pool candidate may go from `current` to `new`."""
    if new in _MOVES[current]:
        return
    if current is _S.ARCHIVED:
        reason = "ARCHIVED is final"
    elif current is new:
        reason = f"the candidate is already {current.value}"
    else:
        reason = f"{current.value} does not lead to {new.value}"
    raise InvalidInput(
        f"Cannot change the candidate from {current.value} to {new.value}: {reason}",
        field="status",
    )


def after_matching(current: CandidateStatus) -> CandidateStatus:
    """The status once matches are generated: a candidate under review becomes READY."""
    return _S.READY if current is _S.PENDING_REVIEW else current


@dataclass(frozen=True)
class CandidateEdit:
    changes: dict[str, Any]  # column values to write
    status: CandidateStatus | None  # the new status, when it changes
    text: str | None  # the new text to embed, when it differs from the current one


def edit_candidate(
    current: Mapping[str, Any],
    parsed: ParsedResume | None,
    patch: Patch,
    normalizer: SkillNormalizer,
) -> CandidateEdit:
    """updateCandidate: given fields are checked like addCandidate's, an explicit null (or a
    blank) clears one; salary bounds are checked against the stored ones; `status` follows the
    state machine (READY comes only from generating matches); an ARCHIVED candidate is frozen."""
    status = CandidateStatus(current["status"])
    fields = {k: v for k, v in patch.items() if k != "status"}
    if status is _S.ARCHIVED and patch:
        raise InvalidInput("an ARCHIVED candidate cannot be changed", field="id")
    new_status = patch.get("status")
    if new_status is not None:
        new_status = CandidateStatus(new_status)
        if new_status not in BY_HAND:
            raise InvalidInput("only PLACED or ARCHIVED can be set by hand", field="status")
        move_candidate(status, new_status)
    given = _given(fields, normalizer)
    changes = {k: given.get(k, [] if k in _LIST_COLUMNS else None) for k in fields}
    merged = {**current, **changes}
    validate_profile(
        merged.get("years_of_experience"),
        merged.get("salary_min"),
        merged.get("salary_max"),
        merged.get("salary_currency"),
    )
    before, after = candidate_text(current, parsed), candidate_text(merged, parsed)
    if new_status is not None:
        changes["status"] = new_status.value
    return CandidateEdit(changes, new_status, after if after != before else None)


@dataclass(frozen=True)
class PoolFilter:
    """candidates(filter): every given condition holds; no status means all but ARCHIVED."""

    statuses: tuple[CandidateStatus, ...] = tuple(
        s for s in CandidateStatus if s is not _S.ARCHIVED
    )
    skills_any: tuple[str, ...] = ()
    location: str | None = None
    terms: tuple[str, ...] = ()


SEARCH_TERMS = 20


def pool_filter(
    status: CandidateStatus | None,
    skills_any: list[str] | None,
    location: str | None,
    search: str | None,
    normalizer: SkillNormalizer,
) -> PoolFilter:
    """The pool filter's checked values; skills are normalized like the candidates' own."""
    skills: tuple[str, ...] = ()
    if skills_any:
        cap_list(skills_any, "skillsAny", entries=SKILLS, each=SKILL)
        skills = tuple(normalizer.normalize_many(clean_list(skills_any, "skillsAny")))
    place = " ".join((cap(location, "location", PREFERRED_LOCATION) or "").split()) or None
    terms = tuple((cap(search, "search", SEARCH_QUERY) or "").split())
    if len(terms) > SEARCH_TERMS:
        raise InvalidInput(f"search accepts at most {SEARCH_TERMS} words", field="search")
    statuses = PoolFilter.statuses if status is None else (CandidateStatus(status),)
    return PoolFilter(statuses, skills, place, terms)
