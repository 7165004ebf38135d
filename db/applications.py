"""Swipes, applications with their history, and feed views (interactions)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import outbox, paging
from db.models import Application, ApplicationHistory, Interaction, Job, Swipe, User
from domain.enums import EventKind

Keyset = tuple[datetime, uuid.UUID]


async def lock_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    result = await session.execute(select(User).where(User.id == user_id).with_for_update())
    return result.scalar_one_or_none()


async def get_swipe_by_id(session: AsyncSession, swipe_id: uuid.UUID) -> Swipe | None:
    return await session.get(Swipe, swipe_id)


async def get_swipe(session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID) -> Swipe | None:
    result = await session.execute(
        select(Swipe).where(Swipe.user_id == user_id, Swipe.job_id == job_id)
    )
    return result.scalar_one_or_none()


async def insert_swipe(
    session: AsyncSession, *, user_id: uuid.UUID, job_id: uuid.UUID, direction: str, now: datetime
) -> Swipe | None:
    """The new swipe, or None when one exists already (a concurrent swipe waits on the unique
    index until the first commits, then inserts nothing)."""
    statement = (
        insert(Swipe)
        .values(
            id=uuid.uuid4(), user_id=user_id, job_id=job_id, direction=direction, created_at=now
        )
        .on_conflict_do_nothing(constraint="uq_swipes_user_job")
        .returning(Swipe)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def latest_view_score(
    session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID
) -> int | None:
    result = await session.execute(
        select(Interaction.score_at_view)
        .where(Interaction.user_id == user_id, Interaction.job_id == job_id)
        .order_by(Interaction.created_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def add_views(
    session: AsyncSession, user_id: uuid.UUID, views: Sequence[tuple[uuid.UUID, int]]
) -> None:
    if views:
        await session.execute(
            insert(Interaction),
            [
                {"id": uuid.uuid4(), "user_id": user_id, "job_id": j, "score_at_view": s}
                for j, s in views
            ],
        )


async def add_view_duration(
    session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID, duration_ms: int
) -> Interaction | None:
    """Adds to the latest view of the job; None when the candidate never viewed it."""
    latest = (
        select(Interaction.id)
        .where(Interaction.user_id == user_id, Interaction.job_id == job_id)
        .order_by(Interaction.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    result = await session.execute(
        update(Interaction)
        .where(Interaction.id == latest)
        .values(view_duration_ms=func.coalesce(Interaction.view_duration_ms, 0) + duration_ms)
        .returning(Interaction)
    )
    return result.scalar_one_or_none()


async def add_view(
    session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID, score: int, duration_ms: int
) -> Interaction:
    row = Interaction(
        id=uuid.uuid4(),
        user_id=user_id,
        job_id=job_id,
        score_at_view=score,
        view_duration_ms=duration_ms,
    )
    session.add(row)
    await session.flush()
    return row


async def mark_viewed_action(
    session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID, direction: str
) -> None:
    """Records the swipe on the views that led to it (analytics: view -> action)."""
    await session.execute(
        update(Interaction)
        .where(
            Interaction.user_id == user_id,
            Interaction.job_id == job_id,
            Interaction.action.is_(None),
        )
        .values(action=direction)
    )


async def add_application(
    session: AsyncSession, *, user_id: uuid.UUID, job_id: uuid.UUID, score: int, now: datetime
) -> Application:
    application = Application(
        id=uuid.uuid4(),
        user_id=user_id,
        job_id=job_id,
        status="SUBMITTED",
        score_at_apply=score,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    await session.flush()
    session.add(
        ApplicationHistory(
            id=uuid.uuid4(),
            application_id=application.id,
            status="SUBMITTED",
            actor_id=user_id,
            at=now,
        )
    )
    await session.flush()
    return application


async def application_of(
    session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID
) -> Application | None:
    result = await session.execute(
        select(Application).where(Application.user_id == user_id, Application.job_id == job_id)
    )
    return result.scalar_one_or_none()


async def get_with_company(
    session: AsyncSession, application_id: uuid.UUID, *, lock: bool = False
) -> tuple[Application, uuid.UUID] | None:
    """The application and its job's company id; `lock` holds the application row."""
    query = (
        select(Application, Job.company_id)
        .join(Job, Job.id == Application.job_id)
        .where(Application.id == application_id)
    )
    if lock:
        query = query.with_for_update(of=Application)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def set_status(
    session: AsyncSession,
    application: Application,
    status: str,
    *,
    actor_id: uuid.UUID,
    note: str | None,
    now: datetime,
) -> None:
    application.status = status
    application.updated_at = now
    session.add(
        ApplicationHistory(
            id=uuid.uuid4(),
            application_id=application.id,
            status=status,
            actor_id=actor_id,
            note=note,
            at=now,
        )
    )
    await session.flush()


async def status_changed(
    session: AsyncSession,
    application: Application,
    company_id: uuid.UUID,
    previous: str,
    note: str | None,
) -> None:
    """The outbox row, in the caller's transaction, for applicationStatusChanged."""
    await outbox.emit(
        session,
        EventKind.APPLICATION_STATUS_CHANGED,
        user_id=application.user_id,
        company_id=company_id,
        job_id=application.job_id,
        payload={
            "application_id": str(application.id),
            "previous_status": previous,
            "status": application.status,
            "note": note,
        },
    )


async def history_for(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> list[ApplicationHistory]:
    result = await session.execute(
        select(ApplicationHistory)
        .where(ApplicationHistory.application_id.in_(application_ids))
        .order_by(ApplicationHistory.at, ApplicationHistory.id)
    )
    return list(result.scalars())


async def applied_to_company(
    session: AsyncSession, user_id: uuid.UUID, company_id: uuid.UUID
) -> bool:
    """Whether the user applied to any job of the company (recruiters may then see them)."""
    result = await session.execute(
        select(Application.id)
        .join(Job, Job.id == Application.job_id)
        .where(Application.user_id == user_id, Job.company_id == company_id)
        .limit(1)
    )
    return result.first() is not None


async def get_applications(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Application]:
    result = await session.execute(select(Application).where(Application.id.in_(ids)))
    return list(result.scalars())


async def page(
    session: AsyncSession,
    *,
    user_id: uuid.UUID | None = None,
    job_id: uuid.UUID | None = None,
    statuses: Sequence[str] = (),
    first: int,
    after: Keyset | None,
) -> paging.Page[Application]:
    """Newest first, keyset on (created_at, id)."""
    conditions: list[Any] = []
    if user_id is not None:
        conditions.append(Application.user_id == user_id)
    if job_id is not None:
        conditions.append(Application.job_id == job_id)
    if statuses:
        conditions.append(Application.status.in_(list(statuses)))
    if after is not None:
        conditions.append(tuple_(Application.created_at, Application.id) < tuple_(*after))
    query = (
        select(Application)
        .where(and_(*conditions))
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    return await paging.fetch(session, query, first)
