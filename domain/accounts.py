"""Account rules: email and password validation, profile edits and the profile text to embed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from domain.enums import CompanyKind, RemotePreference, Role, Seniority
from domain.errors import InvalidInput
from domain.inputs import (
    HEADLINE,
    PREFERRED_LOCATIONS,
    PREFERRED_ROLES,
    SKILL,
    SKILLS,
    Patch,
    cap,
    cap_list,
)
from domain.skills import SkillNormalizer

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS = 10_000
MIN_LOCAL_PART = 3
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# 25 km keeps the feed local (issue 12 measured 50 and 100 km worse); 0 = the named places only.
DEFAULT_SEARCH_RADIUS_KM = 25
MAX_SEARCH_RADIUS_KM = 3000
PROFILE_FIELDS = (
    "headline",
    "skills",
    "preferred_locations",
    "preferred_roles",
    "remote_preference",
    "search_radius_km",
    "seniority",
    "years_of_experience",
    "salary_min",
    "salary_max",
    "salary_currency",
    "open_to_recruiters",
)


def normalize_email(email: str) -> str:
    value = email.strip()
    if len(value) > 320 or not _EMAIL.match(value):
        raise InvalidInput("email is not a valid address", field="email")
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


@cache
def common_passwords() -> frozenset[str]:
    """The most used passwords of public breach corpora, lower-case (zxcvbn's list, by rank)."""
    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS])


def validate_password(password: str, email: str | None = None) -> None:
    """Length, variety, not a common password, not built from the email's local part."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must be at most {MAX_PASSWORD_LENGTH} characters", field="password"
        )
    if password.strip() == "" or len(set(password)) < 3:
        raise InvalidInput("password is too weak", field="password")
    lowered = password.lower()
    if lowered in common_passwords():
        raise InvalidInput(
            "password is one of the most common passwords; choose another", field="password"
        )
    local = email.rsplit("@", 1)[0].lower() if email else ""
    if len(local) >= MIN_LOCAL_PART and local in lowered:
        raise InvalidInput("password must not contain the email address's name", field="password")


def validate_registration(role: Role, company_name: str | None) -> str | None:
    """Returns the cleaned company name; recruiters need one, candidates must not send one."""
    if role in (Role.PLATFORM_ADMIN, Role.COMPANY_ADMIN):
        raise InvalidInput(
            "register as CANDIDATE or RECRUITER; a recruiter creating a company becomes its admin",
            field="role",
        )
    name = (company_name or "").strip()
    if role == Role.RECRUITER:
        if not name:
            raise InvalidInput("companyName is required for recruiters", field="companyName")
        if len(name) > 255:
            raise InvalidInput("companyName is too long", field="companyName")
        return name
    if name:
        raise InvalidInput("candidates do not register a company", field="companyName")
    return None


def company_kind(company_name: str | None, kind: CompanyKind | None) -> CompanyKind | None:
    """The kind of the company a recruiter registers (EMPLOYER unless given); candidates
    register no company, so they may not name a kind other than the default."""
    if company_name is None:
        if kind not in (None, CompanyKind.EMPLOYER):
            raise InvalidInput("candidates do not register a company", field="companyKind")
        return None
    return kind or CompanyKind.EMPLOYER


def search_radius(stored: int | None) -> int:
    """The radius a candidate searches in; not set = the default."""
    return DEFAULT_SEARCH_RADIUS_KM if stored is None else stored


def registered_role(role: Role, company_name: str | None) -> Role:
    """A recruiter who registers a company becomes its admin."""
    return Role.COMPANY_ADMIN if company_name is not None else role


@dataclass(frozen=True)
class ProfileFacts:
    headline: str | None
    seniority: Seniority | None
    years_of_experience: float | None
    skills: Sequence[str]
    preferred_locations: Sequence[str]
    remote_preference: RemotePreference | None
    preferred_roles: Sequence[str] = ()


def validate_profile(
    years: float | None, salary_min: float | None, salary_max: float | None, currency: str | None
) -> None:
    if years is not None and not 0 <= years <= 70:
        raise InvalidInput("yearsOfExperience must be between 0 and 70", field="yearsOfExperience")
    for name, value in (("salaryMin", salary_min), ("salaryMax", salary_max)):
        if value is not None and not 0 <= value <= 10_000_000:
            raise InvalidInput(f"{name} must be between 0 and 10,000,000", field=name)
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise InvalidInput("salaryMin must not exceed salaryMax", field="salaryMin")
    if currency is not None and not _CURRENCY.match(currency):
        raise InvalidInput(
            "salaryCurrency must be an ISO 4217 code like USD", field="salaryCurrency"
        )


def clean_list(values: Sequence[str], field: str, limit: int = 100) -> list[str]:
    cleaned = [" ".join(v.split()) for v in values if v and v.strip()]
    if len(cleaned) > limit:
        raise InvalidInput(f"{field} accepts at most {limit} entries", field=field)
    if any(len(v) > 200 for v in cleaned):
        raise InvalidInput(f"each entry of {field} must be at most 200 characters", field=field)
    return cleaned


def profile_text(profile: ProfileFacts) -> str:
    """SPEC §3: `headline. seniority. N years. skills. preferred roles/locations`."""
    parts = [
        profile.headline or "",
        profile.seniority.value.lower() if profile.seniority else "",
        f"{profile.years_of_experience:g} years" if profile.years_of_experience is not None else "",
        ", ".join(profile.skills),
        ", ".join(profile.preferred_roles),
        ", ".join(profile.preferred_locations),
        "remote"
        if profile.remote_preference in (RemotePreference.REMOTE_ONLY, RemotePreference.REMOTE_OK)
        else "",
    ]
    return ". ".join(p for p in parts if p)


@dataclass(frozen=True)
class ProfileEdit:
    changes: dict[str, Any]  # column values to write
    facts: ProfileFacts  # the profile after the edit

    @property
    def text(self) -> str:
        """What to embed for the edited profile."""
        return profile_text(self.facts)


def _cleaned(changes: dict[str, Any], normalizer: SkillNormalizer) -> dict[str, Any]:
    if changes.get("headline") is not None:
        changes["headline"] = cap(changes["headline"].strip(), "headline", HEADLINE) or None
    if "skills" in changes:
        cap_list(changes["skills"], "skills", entries=SKILLS, each=SKILL)
        changes["skills"] = normalizer.normalize_many(clean_list(changes["skills"] or [], "skills"))
    if "preferred_locations" in changes:
        changes["preferred_locations"] = clean_list(
            changes["preferred_locations"] or [], "preferredLocations", limit=PREFERRED_LOCATIONS
        )
    if "preferred_roles" in changes:
        cap_list(changes["preferred_roles"], "preferredRoles", entries=PREFERRED_ROLES, each=200)
        changes["preferred_roles"] = clean_list(
            changes["preferred_roles"] or [], "preferredRoles", limit=PREFERRED_ROLES
        )
    radius = changes.get("search_radius_km")
    if radius is not None and not 0 <= radius <= MAX_SEARCH_RADIUS_KM:
        raise InvalidInput(
            f"searchRadiusKm must be between 0 and {MAX_SEARCH_RADIUS_KM}", field="searchRadiusKm"
        )
    if changes.get("open_to_recruiters", True) is None:
        raise InvalidInput("openToRecruiters cannot be null", field="openToRecruiters")
    for key in ("remote_preference", "seniority"):
        if changes.get(key) is not None:
            changes[key] = changes[key].value
    if changes.get("salary_currency"):
        changes["salary_currency"] = changes["salary_currency"].strip().upper()
    return changes


def edit_profile(
    current: Mapping[str, Any], patch: Patch, normalizer: SkillNormalizer
) -> ProfileEdit:
    """A profile edit, cleaned and validated against the stored profile (`PROFILE_FIELDS`)."""
    changes = _cleaned(dict(patch), normalizer)
    merged = {**{k: current[k] for k in PROFILE_FIELDS}, **changes}
    validate_profile(
        merged["years_of_experience"],
        merged["salary_min"],
        merged["salary_max"],
        merged["salary_currency"],
    )
    facts = ProfileFacts(
        headline=merged["headline"],
        seniority=Seniority(merged["seniority"]) if merged["seniority"] else None,
        years_of_experience=merged["years_of_experience"],
        skills=merged["skills"],
        preferred_locations=merged["preferred_locations"],
        preferred_roles=merged["preferred_roles"],
        remote_preference=RemotePreference(merged["remote_preference"])
        if merged["remote_preference"]
        else None,
    )
    return ProfileEdit(changes, facts)
