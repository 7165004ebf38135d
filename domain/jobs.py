"""Job rules: the draft a job row is written from, input validation, expiry and the lifecycle."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from domain.enums import EmploymentType, JobStatus, Role, SalaryInterval, Seniority
from domain.errors import InvalidInput
from domain.geo import Point, geocode
from domain.inputs import (
    JOB_DESCRIPTION,
    JOB_LOCATION,
    JOB_REQUIREMENTS,
    JOB_TITLE,
    SKILL,
    SKILLS,
    cap,
    cap_list,
)
from domain.locations import Location, parse_location
from domain.postings import extract_keywords
from domain.salary import annualize, validate_salary_range
from domain.skills import SkillNormalizer

DESCRIPTION_CHARS_EMBEDDED = 2000
MAX_TITLE = JOB_TITLE
MAX_DESCRIPTION = JOB_DESCRIPTION
CONTENT_FIELDS = frozenset({"title", "skills", "description"})
ACTIVE = JobStatus.ACTIVE.value


def job_text(title: str, company: str, skills: Sequence[str], description: str) -> str:
    """SPEC §3: `title. company. skills. description` with the description cut to ~2,000 chars."""
    body = " ".join(description.split())[:DESCRIPTION_CHARS_EMBEDDED]
    return ". ".join(p for p in (title.strip(), company.strip(), ", ".join(skills), body) if p)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def expiry(posted_at: datetime, imported_at: datetime, ttl_days: int) -> datetime:
    """SPEC §9: min(posted_date, imported_at) + TTL."""
    return min(posted_at, imported_at) + timedelta(days=ttl_days)


@dataclass(frozen=True)
class JobDraft:
    """Everything needed to write a job row, company given by name."""

    title: str
    company: str
    description: str
    posted_at: datetime
    location: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    is_remote: bool = False
    skills: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    seniority: Seniority | None = None
    requirements: str | None = None
    employment_type: EmploymentType | None = None
    salary_raw: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_interval: SalaryInterval | None = None
    salary_annual_min: float | None = None
    salary_annual_max: float | None = None
    experience_raw: str | None = None
    experience_min: float | None = None
    experience_max: float | None = None
    expires_at: datetime | None = None
    status: JobStatus = JobStatus.ACTIVE
    source_platform: str | None = None
    external_id: str | None = None
    source_url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return job_text(self.title, self.company, self.skills, self.description)

    def columns(self) -> dict[str, Any]:
        """Column values for the jobs table (company resolved by the caller)."""
        values = {
            k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("company", "extra")
        }
        for key in ("seniority", "employment_type", "salary_interval", "status"):
            if values[key] is not None:
                values[key] = values[key].value
        values["skills"] = list(self.skills)
        values["keywords"] = list(self.keywords)
        values["content_hash"] = content_hash(self.text)
        # Coordinates follow from the location: a better gazetteer is no change to the posting.
        unhashed = ("expires_at", "status", "lat", "lon")
        stable = {k: v for k, v in values.items() if k not in unhashed}
        values["source_hash"] = content_hash(json.dumps(stable, sort_keys=True, default=str))
        return values


@dataclass(frozen=True)
class JobFields:
    """A job as a person, a file or the demo generator describes it; None is "not stated"."""

    title: str | None = None
    description: str | None = None
    requirements: str | None = None
    location: str | None = None
    is_remote: bool | None = None
    skills: Sequence[str] | None = None
    seniority: Seniority | None = None
    employment_type: EmploymentType | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_interval: SalaryInterval | None = None
    experience_min: float | None = None
    experience_max: float | None = None


def job_point(place: Location | str | None) -> Point | None:
    """Where a job is for the feed by place: its city's coordinates; a region or a country alone
    is no point to measure a radius from."""
    found = parse_location(place) if isinstance(place, str) else place
    return geocode(found) if found is not None and found.city is not None else None


def build_draft(fields: JobFields, *, company: str, posted_at: datetime) -> JobDraft:
    """The one way to a JobDraft, from fields already validated and normalized: the location is
    parsed, remote defaults to what it says, keywords are extracted, the salary annualized.
    Source columns (expiry, platform, raw texts) are the caller's: `dataclasses.replace`."""
    place = parse_location(fields.location)
    point = job_point(place)
    title, description = fields.title or "", fields.description or ""
    draft = JobDraft(
        title=title,
        company=company,
        description=description,
        requirements=fields.requirements,
        posted_at=posted_at,
        location=fields.location,
        city=place.city,
        region=place.region,
        country=place.country,
        lat=point.lat if point else None,
        lon=point.lon if point else None,
        is_remote=place.is_remote if fields.is_remote is None else fields.is_remote,
        skills=tuple(fields.skills or ()),
        keywords=tuple(extract_keywords(f"{title} {description}")),
        seniority=fields.seniority,
        employment_type=fields.employment_type,
        experience_min=fields.experience_min,
        experience_max=fields.experience_max,
    )
    interval = fields.salary_interval or SalaryInterval.YEAR
    return with_salary(
        draft, fields.salary_min, fields.salary_max, fields.salary_currency, interval
    )


def capped(fields: JobFields) -> JobFields:
    """Before any parsing: a long location or description must not reach the parsers."""
    cap(fields.title, "title", JOB_TITLE)
    cap(fields.description, "description", JOB_DESCRIPTION)
    cap(fields.requirements, "requirements", JOB_REQUIREMENTS)
    cap(fields.location, "location", JOB_LOCATION)
    cap_list(fields.skills, "skills", entries=SKILLS, each=SKILL)
    return fields


def draft_from_fields(
    fields: JobFields, *, company: str, posted_at: datetime, normalizer: SkillNormalizer
) -> JobDraft:
    """A recruiter's fields, validated (InvalidInput names the field) and cleaned, as a draft."""
    capped(fields)
    title = (fields.title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(f"title is required, at most {MAX_TITLE} characters", field="title")
    description = (fields.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description is longer than {MAX_DESCRIPTION:,} characters", field="description"
        )
    validate_experience(fields.experience_min, fields.experience_max)
    currency = fields.salary_currency.strip().upper() if fields.salary_currency else None
    if (fields.salary_min is not None or fields.salary_max is not None) and currency is None:
        raise InvalidInput("salaryCurrency is required with a salary", field="salaryCurrency")
    cleaned = replace(
        fields,
        title=title,
        description=description,
        requirements=(fields.requirements or "").strip() or None,
        location=(fields.location or "").strip() or None,
        skills=normalize_skills(fields.skills or [], normalizer),
        salary_currency=currency,
    )
    return build_draft(cleaned, company=company, posted_at=posted_at)


def edited_columns(draft: JobDraft) -> dict[str, Any]:
    """The columns a recruiter's edit rewrites: not when or where the job was posted, nor its
    status (that is the lifecycle's)."""
    kept = ("posted_at", "expires_at", "status", "source_platform", "external_id", "source_url")
    return {k: v for k, v in draft.columns().items() if k not in kept}


def normalize_skills(skills: Sequence[str], normalizer: SkillNormalizer) -> tuple[str, ...]:
    cap_list(skills, "skills", entries=SKILLS, each=SKILL)
    cleaned = [s for s in skills if isinstance(s, str) and s.strip()]
    return tuple(normalizer.normalize_many(cleaned))


def validate_experience(minimum: float | None, maximum: float | None) -> None:
    for name, value in (("experienceMin", minimum), ("experienceMax", maximum)):
        if value is not None and not 0 <= value <= 60:
            raise InvalidInput(f"{name} must be between 0 and 60", field=name)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise InvalidInput("experienceMin must not exceed experienceMax", field="experienceMin")


def with_salary(
    draft: JobDraft,
    minimum: float | None,
    maximum: float | None,
    currency: str | None,
    interval: SalaryInterval,
) -> JobDraft:
    """Typed salary: validated, annualized."""
    if minimum is None and maximum is None:
        return replace(
            draft,
            salary_min=None,
            salary_max=None,
            salary_currency=None,
            salary_interval=None,
            salary_annual_min=None,
            salary_annual_max=None,
        )
    validate_salary_range(minimum, maximum, currency, interval=interval)
    return replace(
        draft,
        salary_min=minimum,
        salary_max=maximum,
        salary_currency=currency,
        salary_interval=interval,
        salary_annual_min=annualize(minimum, interval),
        salary_annual_max=annualize(maximum, interval),
    )


# The lifecycle. Recruiters close an ACTIVE job (FILLED or CLOSED) and reopen any other; the
# clock expires an ACTIVE job past its expiry; a re-import refreshes ACTIVE/EXPIRED from the
# posting but never undoes a recruiter's FILLED or CLOSED.
S = JobStatus
CLOSED_BY_RECRUITER = frozenset({S.FILLED, S.CLOSED})
PUBLIC = frozenset({S.ACTIVE, S.EXPIRED})
TRANSITIONS: Mapping[JobStatus, frozenset[JobStatus]] = {
    S.ACTIVE: frozenset({S.FILLED, S.CLOSED, S.EXPIRED}),
    S.FILLED: frozenset({S.ACTIVE}),
    S.CLOSED: frozenset({S.ACTIVE}),
    S.EXPIRED: frozenset({S.ACTIVE}),
}


def close(current: JobStatus, reason: JobStatus) -> JobStatus:
    """The status a recruiter's close moves the job to."""
    if reason not in CLOSED_BY_RECRUITER:
        raise InvalidInput("reason must be FILLED or CLOSED", field="reason")
    if reason not in TRANSITIONS[current]:
        raise InvalidInput(
            f"only an ACTIVE job can be closed; this one is {current.value}", field="id"
        )
    return reason


def reopen(
    current: JobStatus, expires_at: datetime | None, now: datetime, ttl_days: int
) -> datetime:
    """The expiry of a job a recruiter makes ACTIVE again: kept while ahead, else a fresh TTL."""
    if S.ACTIVE not in TRANSITIONS[current]:
        raise InvalidInput("this job is already ACTIVE", field="id")
    if expires_at is None or expires_at <= now:
        return now + timedelta(days=ttl_days)
    return expires_at


def is_live(status: JobStatus, expires_at: datetime | None, now: datetime) -> bool:
    """ACTIVE and not yet past its expiry (the expiry sweep may not have run yet)."""
    return status is S.ACTIVE and (expires_at is None or expires_at > now)


def reimported(stored: JobStatus, posted: JobStatus) -> JobStatus:
    """The status of an imported job its source posts again (ACTIVE, or EXPIRED when old)."""
    return stored if stored in CLOSED_BY_RECRUITER else posted


def activates(previous: JobStatus | None, new: JobStatus) -> bool:
    """Whether a write makes the job ACTIVE (new rows included): matchFound looks at it."""
    return new is S.ACTIVE and previous is not S.ACTIVE


def visible(
    status: JobStatus,
    company_id: uuid.UUID,
    viewer_role: Role,
    viewer_company_id: uuid.UUID | None,
) -> bool:
    """ACTIVE and EXPIRED postings are public to signed-in users (candidates keep expired ones
    in their applications); a CLOSED or FILLED one only to its company and platform admins."""
    if status in PUBLIC:
        return True
    return viewer_role is Role.PLATFORM_ADMIN or company_id == viewer_company_id
