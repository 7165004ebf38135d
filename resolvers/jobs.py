"""Jobs: recruiters create, edit, close and reopen them; anyone signed in reads and lists them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from db import jobs, users
from db.engine import read, transaction
from db.models import Job
from domain import inputs
from domain.enums import EmploymentType, JobStatus, Role, SalaryInterval, Seniority
from domain.errors import InvalidInput, NotFound
from domain.jobs import (
    CONTENT_FIELDS,
    MAX_DESCRIPTION,
    MAX_TITLE,
    JobDraft,
    normalize_skills,
    validate_experience,
    with_salary,
)
from domain.locations import parse_location
from domain.postings import extract_keywords
from domain.skills import SkillNormalizer
from resolvers.services import Services, Viewer, require

RECRUITERS = (Role.RECRUITER, Role.COMPANY_ADMIN)
MAX_PAGE = 100


@dataclass(frozen=True)
class JobFields:
    """A recruiter's input; None means "not given" on update (see `given`)."""

    title: str | None = None
    description: str | None = None
    requirements: str | None = None
    location: str | None = None
    is_remote: bool | None = None
    skills: list[str] | None = None
    seniority: Seniority | None = None
    employment_type: EmploymentType | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_interval: SalaryInterval | None = None
    experience_min: float | None = None
    experience_max: float | None = None
    given: frozenset[str] = frozenset()


def check_page_size(first: int) -> int:
    if first < 0 or first > MAX_PAGE:
        raise InvalidInput(f"first must be between 0 and {MAX_PAGE}", field="first")
    return first


async def _own_job(session: Any, viewer: Viewer, job_id: uuid.UUID) -> Job:
    job = await jobs.lock_job(session, job_id)
    if job is None or job.company_id != viewer.company_id:
        raise NotFound("no Job has this id")
    return job


def _capped(fields: JobFields) -> None:
    """Before any parsing: a long location or description must not reach the parsers."""
    inputs.cap(fields.title, "title", inputs.JOB_TITLE)
    inputs.cap(fields.description, "description", inputs.JOB_DESCRIPTION)
    inputs.cap(fields.requirements, "requirements", inputs.JOB_REQUIREMENTS)
    inputs.cap(fields.location, "location", inputs.JOB_LOCATION)
    inputs.cap_list(fields.skills, "skills", entries=inputs.SKILLS, each=inputs.SKILL)


def _draft(fields: JobFields, company: str, now: datetime, normalizer: SkillNormalizer) -> JobDraft:
    _capped(fields)
    title = (fields.title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(f"title is required, at most {MAX_TITLE} characters", field="title")
    description = (fields.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description is longer than {MAX_DESCRIPTION:,} characters", field="description"
        )
    validate_experience(fields.experience_min, fields.experience_max)
    location = parse_location(fields.location)
    currency = fields.salary_currency.strip().upper() if fields.salary_currency else None
    draft = JobDraft(
        title=title,
        company=company,
        description=description,
        requirements=(fields.requirements or "").strip() or None,
        posted_at=now,
        location=(fields.location or "").strip() or None,
        city=location.city,
        region=location.region,
        country=location.country,
        is_remote=bool(fields.is_remote) if fields.is_remote is not None else location.is_remote,
        skills=normalize_skills(fields.skills or [], normalizer),
        keywords=tuple(extract_keywords(f"{title} {description}")),
        seniority=fields.seniority,
        employment_type=fields.employment_type,
        experience_min=fields.experience_min,
        experience_max=fields.experience_max,
    )
    if fields.salary_min is not None or fields.salary_max is not None:
        if currency is None:
            raise InvalidInput("salaryCurrency is required with a salary", field="salaryCurrency")
        draft = with_salary(
            draft,
            fields.salary_min,
            fields.salary_max,
            currency,
            fields.salary_interval or SalaryInterval.YEAR,
        )
    return draft


async def create_job(
    services: Services, viewer: Viewer | None, fields: JobFields, normalizer: SkillNormalizer
) -> Job:
    viewer = require(viewer, *RECRUITERS)
    _capped(fields)
    now = services.clock()
    async with read(services.sessions) as session:
        company = await users.get_company(session, viewer.company_id) if viewer.company_id else None
    if company is None:
        raise NotFound("your company no longer exists")
    draft = replace(
        _draft(fields, company.name, now, normalizer),
        expires_at=now + timedelta(days=services.settings.job_ttl_days),
    )
    vector = await services.embedder.embed_one(draft.text)
    async with transaction(services.sessions) as session:
        values = draft.columns() | {"company_id": company.id, "created_by_id": viewer.id}
        job = await jobs.add_job(
            session, values | {"embedding": vector, "embedding_model": services.embedder.model_name}
        )
        await jobs.job_activated(session, [job.id], [company.id])
    return job


def _merged(job: Job, fields: JobFields) -> JobFields:
    current = {
        name: getattr(job, name) for name in JobFields.__dataclass_fields__ if name != "given"
    }
    for key in ("seniority", "employment_type", "salary_interval"):
        enum = {
            "seniority": Seniority,
            "employment_type": EmploymentType,
            "salary_interval": SalaryInterval,
        }[key]
        current[key] = enum(current[key]) if current[key] else None
    current.update({name: getattr(fields, name) for name in fields.given})
    return JobFields(**current)


async def update_job(
    services: Services,
    viewer: Viewer | None,
    job_id: uuid.UUID,
    fields: JobFields,
    normalizer: SkillNormalizer,
) -> Job:
    viewer = require(viewer, *RECRUITERS)
    _capped(fields)
    async with read(services.sessions) as session:
        job = await jobs.get_job(session, job_id)
        company = await users.get_company(session, job.company_id) if job else None
    if job is None or company is None or job.company_id != viewer.company_id:
        raise NotFound("no Job has this id")
    draft = _draft(_merged(job, fields), company.name, job.posted_at, normalizer)
    values = {
        k: v
        for k, v in draft.columns().items()
        if k
        not in ("posted_at", "expires_at", "status", "source_platform", "external_id", "source_url")
    }
    # Only a change to the embedded text (title, skills, description) costs an inference.
    if values["content_hash"] != job.content_hash and CONTENT_FIELDS & fields.given:
        values["embedding"] = await services.embedder.embed_one(draft.text)
        values["embedding_model"] = services.embedder.model_name
    async with transaction(services.sessions) as session:
        await _own_job(session, viewer, job_id)
        await jobs.update_job(session, job_id, values)
        updated = await jobs.get_job(session, job_id)
        assert updated is not None
        await session.refresh(updated)
        return updated


async def close_job(
    services: Services, viewer: Viewer | None, job_id: uuid.UUID, reason: JobStatus
) -> Job:
    viewer = require(viewer, *RECRUITERS)
    if reason not in (JobStatus.FILLED, JobStatus.CLOSED):
        raise InvalidInput("reason must be FILLED or CLOSED", field="reason")
    async with transaction(services.sessions) as session:
        job = await _own_job(session, viewer, job_id)
        if job.status != JobStatus.ACTIVE.value:
            raise InvalidInput(
                f"only an ACTIVE job can be closed; this one is {job.status}", field="id"
            )
        job.status = reason.value
        await session.flush()
        await session.refresh(job)
    return job


async def reopen_job(services: Services, viewer: Viewer | None, job_id: uuid.UUID) -> Job:
    viewer = require(viewer, *RECRUITERS)
    now = services.clock()
    async with transaction(services.sessions) as session:
        job = await _own_job(session, viewer, job_id)
        if job.status == JobStatus.ACTIVE.value:
            raise InvalidInput("this job is already ACTIVE", field="id")
        job.status = JobStatus.ACTIVE.value
        if job.expires_at is None or job.expires_at <= now:
            job.expires_at = now + timedelta(days=services.settings.job_ttl_days)
        await session.flush()
        await jobs.job_activated(session, [job.id], [job.company_id])
        await session.refresh(job)
    return job


def may_read(viewer: Viewer, job: Job) -> bool:
    """ACTIVE and EXPIRED postings are public to signed-in users (candidates keep expired ones
    in their applications); a CLOSED or FILLED one only to its company and platform admins."""
    if job.status in (JobStatus.ACTIVE.value, JobStatus.EXPIRED.value):
        return True
    return viewer.role == Role.PLATFORM_ADMIN or job.company_id == viewer.company_id


async def job(services: Services, viewer: Viewer | None, job_id: uuid.UUID) -> Job:
    """A job by id, NOT_FOUND when the viewer may not read it (see `may_read`)."""
    viewer = require(viewer)
    async with read(services.sessions) as session:
        found = await jobs.get_job(session, job_id)
    if found is None or not may_read(viewer, found):
        raise NotFound("no Job has this id")
    return found


async def list_jobs(
    services: Services,
    viewer: Viewer | None,
    f: jobs.JobFilter,
    first: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> tuple[list[Job], bool]:
    viewer = require(viewer)
    check_page_size(first)
    f = replace(
        f, visible_company_id=viewer.company_id, see_everything=viewer.role == Role.PLATFORM_ADMIN
    )
    async with read(services.sessions) as session:
        rows = await jobs.page(session, f, first, after)
    return rows[:first], len(rows) > first
