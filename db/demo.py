"""Writes the demo data set into its tables, skipping what is already there; callers commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db import jobs, users
from db.models import Application, Job, Resume, Swipe, User
from domain.applications import FINAL
from domain.demo import DEMO_PLATFORM, DemoCandidate, DemoCompany, demo_job_id
from domain.enums import JobStatus, Role
from domain.jobs import JobDraft

ACTIVE, EXPIRED = JobStatus.ACTIVE.value, JobStatus.EXPIRED.value


async def is_empty(session: AsyncSession) -> bool:
    """No account exists yet: a fresh database that a first `serve` seeds."""
    return (await session.execute(select(func.count()).select_from(User))).scalar_one() == 0


async def add_companies(
    session: AsyncSession, companies: Sequence[DemoCompany], password_hash: str
) -> None:
    """Each company (by name) and its COMPANY_ADMIN (by email)."""
    for demo in companies:
        company = await users.get_company_by_name(session, demo.name)
        if company is None:
            company = await users.add_company(
                session,
                name=demo.name,
                description=demo.description,
                location=demo.location,
                size=demo.size,
                industry=demo.industry,
                website=demo.website,
            )
        if not await users.email_taken(session, demo.admin_email):
            await users.add_user(
                session,
                email=demo.admin_email,
                password_hash=password_hash,
                role=Role.COMPANY_ADMIN.value,
                company_id=company.id,
            )


async def add_candidates(
    session: AsyncSession,
    candidates: Sequence[DemoCandidate],
    embeddings: Iterable[Iterable[float]],
    model: str,
    password_hash: str,
) -> None:
    """Each candidate (by email) with the profile embedding given for it."""
    for demo, vector in zip(candidates, embeddings, strict=True):
        if await users.email_taken(session, demo.email):
            continue
        embedding = [float(x) for x in vector]
        await users.add_user(
            session,
            email=demo.email,
            password_hash=password_hash,
            role=Role.CANDIDATE.value,
            headline=demo.headline,
            skills=demo.skills,
            seniority=demo.seniority.value,
            years_of_experience=demo.years,
            preferred_locations=demo.locations,
            remote_preference=demo.remote.value,
            salary_min=demo.salary_min,
            salary_max=demo.salary_max,
            salary_currency="USD",
            base_embedding=embedding,
            current_embedding=embedding,
            embedding_model=model,
        )


async def missing_jobs(session: AsyncSession, drafts: Sequence[JobDraft]) -> list[JobDraft]:
    """The demo drafts whose external id is not stored yet."""
    ids = [d.external_id or "" for d in drafts]
    existing = await jobs.existing_by_source(session, DEMO_PLATFORM, ids)
    return [d for d in drafts if d.external_id not in existing]


async def add_jobs(
    session: AsyncSession,
    drafts: Sequence[JobDraft],
    embeddings: Iterable[Iterable[float]],
    model: str,
) -> None:
    companies = await jobs.companies_by_name(session, sorted({d.company for d in drafts}))
    rows = [
        d.columns()
        | {
            "id": demo_job_id(d.external_id or ""),
            "company_id": companies[d.company.lower()],
            "embedding": [float(x) for x in vector],
            "embedding_model": model,
        }
        for d, vector in zip(drafts, embeddings, strict=True)
    ]
    await jobs.insert_many(session, rows)


async def aged_out(session: AsyncSession, now: datetime) -> int:
    """Demo jobs that expired (or are due to) and were not closed by a recruiter."""
    result = await session.execute(
        select(func.count())
        .select_from(Job)
        .where(
            Job.source_platform == DEMO_PLATFORM,
            or_(Job.status == EXPIRED, (Job.status == ACTIVE) & (Job.expires_at <= now)),
        )
    )
    return int(result.scalar_one())


async def redate(session: AsyncSession, dates: dict[str, tuple[datetime, datetime]]) -> int:
    """Gives each ACTIVE or EXPIRED demo job (by external id) its posting and expiry dates and
    makes it ACTIVE, in one statement; jobs a recruiter closed or filled stay as they are."""
    statement = text(
        """
        UPDATE jobs SET posted_at = v.posted, expires_at = v.expires, status = :active,
               updated_at = now()
        FROM unnest(CAST(:ext AS text[]), CAST(:posted AS timestamptz[]),
                    CAST(:expires AS timestamptz[])) AS v(ext, posted, expires)
        WHERE jobs.source_platform = :platform AND jobs.external_id = v.ext
          AND jobs.status IN (:active, :expired)
        RETURNING jobs.id
        """
    )
    result = await session.execute(
        statement,
        {
            "ext": list(dates),
            "posted": [posted for posted, _ in dates.values()],
            "expires": [expires for _, expires in dates.values()],
            "platform": DEMO_PLATFORM,
            "active": ACTIVE,
            "expired": EXPIRED,
        },
    )
    return len(result.all())


async def candidates_by_email(session: AsyncSession, emails: Sequence[str]) -> list[User]:
    result = await session.execute(
        select(User).where(func.lower(User.email).in_([e.lower() for e in emails]))
    )
    return list(result.scalars())


async def with_resume(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    result = await session.execute(select(Resume.user_id).where(Resume.user_id.in_(user_ids)))
    return {user_id for user_id in result.scalars() if user_id is not None}


async def with_swipes(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    result = await session.execute(
        select(Swipe.user_id).where(Swipe.user_id.in_(user_ids)).distinct()
    )
    return set(result.scalars())


async def tour_rows(
    session: AsyncSession, email: str
) -> tuple[User, Application, User, uuid.UUID] | None:
    """For GraphiQL's tour: the candidate, their oldest open application to an ACTIVE job, that
    company's admin, and an ACTIVE demo job the candidate has not swiped (any, if none)."""
    candidate = await users.get_user_by_email(session, email)
    if candidate is None:
        return None
    found = (
        await session.execute(
            select(Application, Job.company_id)
            .join(Job, Job.id == Application.job_id)
            .where(
                Application.user_id == candidate.id,
                Application.status.not_in([s.value for s in FINAL]),
                Job.status == ACTIVE,
            )
            .order_by(Application.created_at, Application.id)
            .limit(1)
        )
    ).first()
    if found is None:
        return None
    application, company_id = found
    recruiter = (
        await session.execute(
            select(User)
            .where(User.company_id == company_id, User.role == Role.COMPANY_ADMIN.value)
            .order_by(User.email)
            .limit(1)
        )
    ).scalar_one_or_none()
    swiped = select(Swipe.job_id).where(Swipe.user_id == candidate.id)
    job_id = (
        await session.execute(
            select(Job.id)
            .where(Job.status == ACTIVE, Job.id.not_in(swiped))
            .order_by((Job.source_platform == DEMO_PLATFORM).desc(), Job.external_id, Job.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if recruiter is None or job_id is None:
        return None
    return candidate, application, recruiter, job_id
