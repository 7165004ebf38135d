"""Digests: who opted in, the stored digests, new jobs and the week-on-week term counts."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import outbox, paging
from db.models import Digest, Job, User
from domain.enums import EventKind, Role


async def opted_in_after(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> list[uuid.UUID]:
    """Active candidates who want the digest, by id (keyset), for deferring one task each."""
    query = select(User.id).where(
        User.digest_opt_in.is_(True), User.is_active.is_(True), User.role == Role.CANDIDATE.value
    )
    if after is not None:
        query = query.where(User.id > after)
    return list((await session.execute(query.order_by(User.id).limit(limit))).scalars())


async def latest(session: AsyncSession, user_id: uuid.UUID) -> Digest | None:
    query = (
        select(Digest)
        .where(Digest.user_id == user_id)
        .order_by(Digest.created_at.desc(), Digest.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def add(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    since: datetime,
    now: datetime,
    content: dict[str, Any],
) -> Digest:
    """Stores a digest and its outbox row (digestReady is pushed from it)."""
    row = Digest(id=uuid.uuid4(), user_id=user_id, since=since, created_at=now, content=content)
    session.add(row)
    await session.flush()
    await outbox.emit(
        session, EventKind.DIGEST_READY, user_id=user_id, payload={"digest_id": str(row.id)}
    )
    return row


async def mark_emailed(session: AsyncSession, digest_id: uuid.UUID, now: datetime) -> None:
    await session.execute(update(Digest).where(Digest.id == digest_id).values(emailed_at=now))


async def get(session: AsyncSession, digest_id: uuid.UUID) -> Digest | None:
    return await session.get(Digest, digest_id)


async def page(
    session: AsyncSession, user_id: uuid.UUID, first: int, after: tuple[datetime, uuid.UUID] | None
) -> paging.Page[Digest]:
    """Newest first, keyset on (created_at, id)."""
    query = (
        select(Digest)
        .where(Digest.user_id == user_id)
        .order_by(Digest.created_at.desc(), Digest.id.desc())
    )
    if after is not None:
        query = query.where(tuple_(Digest.created_at, Digest.id) < tuple_(*after))
    return await paging.fetch(session, query, first)


async def created_since(
    session: AsyncSession, job_ids: Collection[uuid.UUID], since: datetime, until: datetime
) -> set[uuid.UUID]:
    """Which of these jobs were created in [since, until)."""
    if not job_ids:
        return set()
    query = select(Job.id).where(
        Job.id.in_(list(job_ids)), Job.created_at >= since, Job.created_at < until
    )
    return set((await session.execute(query)).scalars())


async def titles(session: AsyncSession, job_ids: Collection[uuid.UUID]) -> dict[str, str]:
    query = select(Job.id, Job.title).where(Job.id.in_(list(job_ids)))
    return {str(row.id): row.title for row in (await session.execute(query)).all()}


async def term_counts(
    session: AsyncSession, start: datetime, end: datetime
) -> tuple[dict[str, int], dict[str, int]]:
    """Among jobs created in [start, end): how many carry each skill, and each title
    (lower-cased, trimmed)."""
    window = (Job.created_at >= start, Job.created_at < end)
    skill = func.unnest(Job.skills).label("skill")
    skills_query = select(skill).where(*window).subquery()
    by_skill = select(skills_query.c.skill, func.count()).group_by(skills_query.c.skill)
    title = func.lower(func.btrim(Job.title))
    by_title = select(title, func.count()).where(*window).group_by(title)
    skills = {str(r[0]): int(r[1]) for r in (await session.execute(by_skill)).all()}
    names = {str(r[0]): int(r[1]) for r in (await session.execute(by_title)).all()}
    return skills, names


async def set_opt_in(session: AsyncSession, user_id: uuid.UUID, value: bool) -> bool:
    """Returns whether such a user exists."""
    result = await session.execute(
        update(User).where(User.id == user_id).values(digest_opt_in=value).returning(User.id)
    )
    return result.first() is not None
