"""Job rules: the text to embed, input validation, expiry, and scraped postings turned into drafts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.enums import EmploymentType, JobStatus, SalaryInterval, Seniority
from domain.errors import InvalidInput
from domain.experience import experience_from_text, parse_experience
from domain.inputs import (
    IMPORT_ROW,
    JOB_DESCRIPTION,
    JOB_TITLE,
    SKILL,
    SKILLS,
    cap_list,
    unstorable,
)
from domain.locations import parse_location
from domain.postings import (
    clean_description,
    detect_remote,
    extract_keywords,
    infer_seniority,
    normalize_employment_type,
)
from domain.salary import annualize, parse_salary, validate_salary_range
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
        stable = {k: v for k, v in values.items() if k not in ("expires_at", "status")}
        values["source_hash"] = content_hash(json.dumps(stable, sort_keys=True, default=str))
        return values


def _text(value: Any, name: str, limit: int, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{name} is required", field=name)
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be a string", field=name)
    text = str(value).strip()
    if len(text) > limit:
        raise InvalidInput(f"{name} is longer than {limit:,} characters", field=name)
    return text


def _storable(row: Mapping[str, Any]) -> None:
    """Every string of a row, checked before anything is parsed or written: one NUL byte or lone
    surrogate would otherwise fail the database write of a whole chunk of rows."""
    for key, value in row.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            problem = unstorable(item) if isinstance(item, str) else None
            if problem is not None:
                name = key if isinstance(key, str) and unstorable(key) is None else "a field"
                raise InvalidInput(f"{name[:100]} {problem}", field=name[:100])


def parse_posted(value: Any, now: datetime) -> datetime:
    if value in (None, ""):
        return now
    if not isinstance(value, str) or len(value) > IMPORT_ROW["posted_date"]:
        raise InvalidInput("posted_date must be an ISO date", field="posted_date")
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"posted_date {value[:40]!r} is not an ISO date", field="posted_date"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            f"posted_date {value[:40]!r} is out of range", field="posted_date"
        ) from None
    # A date in the future is a scraper's clock or timezone problem; it cannot be newer than now.
    return min(parsed, now)


def normalize_skills(skills: Sequence[str], normalizer: SkillNormalizer) -> tuple[str, ...]:
    cap_list(skills, "skills", entries=SKILLS, each=SKILL)
    cleaned = [s for s in skills if isinstance(s, str) and s.strip()]
    return tuple(normalizer.normalize_many(cleaned))


def draft_from_posting(
    row: Mapping[str, Any],
    *,
    platform: str,
    now: datetime,
    ttl_days: int,
    normalizer: SkillNormalizer,
) -> JobDraft:
    """One scraped posting (SPEC §9 format) to a draft; raises InvalidInput with the reason."""
    if not isinstance(row, Mapping):
        raise InvalidInput("row is not a JSON object")
    _storable(row)
    caps = IMPORT_ROW
    external_id = _text(
        row.get("external_job_id") or row.get("job_id"),
        "external_job_id",
        caps["external_job_id"],
        required=True,
    )
    title = _text(row.get("title"), "title", caps["title"], required=True)
    company = _text(row.get("company"), "company", caps["company"]) or "Unknown company"
    description_raw = _text(row.get("description"), "description", caps["description"])
    requirements = _text(row.get("requirements"), "requirements", caps["requirements"])
    location_raw = _text(row.get("location"), "location", caps["location"])
    salary_raw = _text(row.get("salary"), "salary", caps["salary"])
    experience_raw = _text(
        row.get("experience_required"), "experience_required", caps["experience_required"]
    )
    job_type = _text(row.get("job_type"), "job_type", caps["job_type"])
    url = _text(row.get("job_url"), "job_url", caps["job_url"])
    assert external_id is not None and title is not None
    description = clean_description(description_raw or "")
    salary = parse_salary(salary_raw)
    years = parse_experience(experience_raw) if experience_raw else None
    if years is None:
        years = experience_from_text(f"{requirements or ''}\n{description}")
    given_skills = row.get("skills")
    if given_skills is not None and not isinstance(given_skills, list):
        raise InvalidInput("skills must be a list of strings", field="skills")
    skills = (
        normalize_skills(given_skills, normalizer)
        if given_skills
        else tuple(normalizer.extract(f"{title}\n{requirements or ''}\n{description}"))
    )
    location = parse_location(location_raw)
    flag = row.get("is_remote")
    remote = detect_remote(
        location_raw, title, description, flag if isinstance(flag, bool) else None
    )
    posted_at = parse_posted(row.get("posted_date"), now)
    expires_at = expiry(posted_at, now, ttl_days)
    return JobDraft(
        title=title,
        company=company,
        description=description,
        requirements=requirements,
        posted_at=posted_at,
        location=location_raw,
        city=location.city,
        region=location.region,
        country=location.country,
        is_remote=remote or location.is_remote,
        skills=skills,
        keywords=tuple(extract_keywords(f"{title} {description}")),
        seniority=infer_seniority(title, years[0] if years else None),
        employment_type=normalize_employment_type(job_type),
        salary_raw=salary.raw if salary else None,
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_currency=salary.currency if salary else None,
        salary_interval=salary.interval if salary else None,
        salary_annual_min=salary.annual_min if salary else None,
        salary_annual_max=salary.annual_max if salary else None,
        experience_raw=experience_raw,
        experience_min=years[0] if years else None,
        experience_max=years[1] if years else None,
        expires_at=expires_at,
        status=JobStatus.ACTIVE if expires_at > now else JobStatus.EXPIRED,
        source_platform=platform,
        external_id=external_id,
        source_url=url if url and url.startswith(("https://", "http://")) else None,
    )


def collapse_duplicates(drafts: Sequence[tuple[int, JobDraft]]) -> list[tuple[int, JobDraft]]:
    """Within one file the newest posting of an external id wins; on a tie, the later row."""
    best: dict[str, tuple[int, JobDraft]] = {}
    for index, draft in drafts:
        key = draft.external_id or f"#{index}"
        current = best.get(key)
        if current is None or draft.posted_at >= current[1].posted_at:
            best[key] = (index, draft)
    return sorted(best.values(), key=lambda pair: pair[0])


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
    """Typed salary from a recruiter: validated, annualized."""
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
