"""Job repository: reads, keyset pages, writes, bulk upsert for imports, expiry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import outbox, paging
from db.models import Company, Job
from domain.enums import EmploymentType, EventKind, JobStatus, SalaryInterval, Seniority
from domain.imports import Stored
from domain.jobs import JobFields

ACTIVE = JobStatus.ACTIVE.value


@dataclass(frozen=True)
class JobFilter:
    statuses: tuple[str, ...] = (ACTIVE,)
    company_id: uuid.UUID | None = None
    remote: bool | None = None
    skills_any: tuple[str, ...] = ()
    skills_all: tuple[str, ...] = ()
    location: str | None = None
    min_annual_salary: float | None = None
    posted_since: datetime | None = None
    visible_company_id: uuid.UUID | None = None
    see_everything: bool = False


async def get_job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    return await session.get(Job, job_id)


async def get_jobs(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Job]:
    result = await session.execute(select(Job).where(Job.id.in_(ids)))
    return list(result.scalars())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(f: JobFilter) -> list[Any]:
    conditions: list[Any] = [Job.status.in_(f.statuses)]
    if not f.see_everything and any(s != ACTIVE for s in f.statuses):
        # Non-active jobs are visible to their own company only.
        conditions.append(or_(Job.status == ACTIVE, Job.company_id == f.visible_company_id))
    if f.company_id is not None:
        conditions.append(Job.company_id == f.company_id)
    if f.remote is not None:
        conditions.append(Job.is_remote.is_(f.remote))
    if f.skills_any:
        conditions.append(Job.skills.overlap(list(f.skills_any)))
    if f.skills_all:
        conditions.append(Job.skills.contains(list(f.skills_all)))
    if f.location:
        pattern = f"%{_escape_like(f.location)}%"
        conditions.append(
            or_(
                Job.city.ilike(pattern),
                Job.region.ilike(pattern),
                Job.country.ilike(pattern),
                Job.location.ilike(pattern),
            )
        )
    if f.min_annual_salary is not None:
        conditions.append(
            func.coalesce(Job.salary_annual_max, Job.salary_annual_min) >= f.min_annual_salary
        )
    if f.posted_since is not None:
        conditions.append(Job.posted_at >= f.posted_since)
    return conditions


async def page(
    session: AsyncSession, f: JobFilter, first: int, after: tuple[datetime, uuid.UUID] | None
) -> paging.Page[Job]:
    """Newest first; keyset on (posted_at, id) so pages never shift."""
    conditions = _conditions(f)
    if after is not None:
        conditions.append(tuple_(Job.posted_at, Job.id) < tuple_(after[0], after[1]))
    query = select(Job).where(and_(*conditions)).order_by(Job.posted_at.desc(), Job.id.desc())
    return await paging.fetch(session, query, first)


async def add_job(session: AsyncSession, values: dict[str, Any]) -> Job:
    job = Job(id=uuid.uuid4(), **values)
    session.add(job)
    await session.flush()
    return job


async def update_job(session: AsyncSession, job_id: uuid.UUID, values: dict[str, Any]) -> Job:
    """Sets `values` and returns the row as stored (server-side defaults included)."""
    await session.execute(update(Job).where(Job.id == job_id).values(**values))
    job = await session.get(Job, job_id)
    assert job is not None
    await session.refresh(job)
    return job


async def set_status(
    session: AsyncSession, job: Job, status: JobStatus, expires_at: datetime | None = None
) -> Job:
    job.status = status.value
    if expires_at is not None:
        job.expires_at = expires_at
    await session.flush()
    await session.refresh(job)
    return job


def editable_fields(job: Job) -> JobFields:
    """What a recruiter's edit starts from."""
    return JobFields(
        title=job.title,
        description=job.description,
        requirements=job.requirements,
        location=job.location,
        is_remote=job.is_remote,
        skills=job.skills,
        seniority=Seniority(job.seniority) if job.seniority else None,
        employment_type=EmploymentType(job.employment_type) if job.employment_type else None,
        salary_min=job.salary_min,
        salary_max=job.salary_max,
        salary_currency=job.salary_currency,
        salary_interval=SalaryInterval(job.salary_interval) if job.salary_interval else None,
        experience_min=job.experience_min,
        experience_max=job.experience_max,
    )


async def lock_job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    result = await session.execute(select(Job).where(Job.id == job_id).with_for_update())
    return result.scalar_one_or_none()


async def job_activated(
    session: AsyncSession, job_ids: Sequence[uuid.UUID], company_ids: Sequence[uuid.UUID]
) -> None:
    """Outbox rows, in the caller's transaction, for jobs that just became ACTIVE."""
    await outbox.emit_many(
        session,
        [
            {"kind": EventKind.JOB_ACTIVATED, "job_id": job_id, "company_id": company_id}
            for job_id, company_id in zip(job_ids, company_ids, strict=True)
        ],
    )


async def companies_by_name(session: AsyncSession, names: Sequence[str]) -> dict[str, uuid.UUID]:
    """Finds or creates companies by case-insensitive name; returns lower(name) -> id."""
    wanted = {name.lower(): name for name in names}
    if not wanted:
        return {}
    await session.execute(
        insert(Company)
        .values([{"id": uuid.uuid4(), "name": name} for name in wanted.values()])
        .on_conflict_do_nothing()
    )
    result = await session.execute(
        select(func.lower(Company.name), Company.id).where(
            func.lower(Company.name).in_(list(wanted))
        )
    )
    return {row[0]: row[1] for row in result}


async def existing_by_source(
    session: AsyncSession, platform: str, external_ids: Sequence[str]
) -> dict[str, Stored]:
    """external_id -> what is stored for rows already imported from this platform."""
    result = await session.execute(
        select(
            Job.external_id, Job.id, Job.posted_at, Job.content_hash, Job.source_hash, Job.status
        ).where(Job.source_platform == platform, Job.external_id.in_(list(external_ids)))
    )
    return {str(row[0]): Stored(*row[1:]) for row in result}


async def insert_many(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(Job), rows)


async def update_many(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Each row has `id` plus the columns to set (ORM bulk update by primary key)."""
    if rows:
        await session.execute(update(Job), rows)


async def expire_due(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        update(Job)
        .where(Job.status == ACTIVE, Job.expires_at.is_not(None), Job.expires_at <= now)
        .values(status=JobStatus.EXPIRED.value)
        .returning(Job.id)
    )
    return len(result.all())
