"""Writes the demo data set into its tables, skipping what is already there; callers commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import jobs, users
from db.models import User
from domain.demo import DEMO_PLATFORM, DemoCandidate, DemoCompany
from domain.enums import Role
from domain.jobs import JobDraft


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
            "id": uuid.uuid4(),
            "company_id": companies[d.company.lower()],
            "embedding": [float(x) for x in vector],
            "embedding_model": model,
        }
        for d, vector in zip(drafts, embeddings, strict=True)
    ]
    await jobs.insert_many(session, rows)
