"""Interviews: their subjects (an application or a match), the person's booked slots, pages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, literal, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import outbox, paging
from db.models import Application, Interview, Job, Match
from domain.enums import EventKind
from domain.interviews import Slot

Keyset = tuple[datetime, uuid.UUID]


@dataclass(frozen=True)
class Subject:
    """What an interview is for, and who it is with: a signed-up user or a pool candidate."""

    company_id: uuid.UUID
    status: str
    user_id: uuid.UUID | None
    candidate_id: uuid.UUID | None


async def application_subject(session: AsyncSession, application_id: uuid.UUID) -> Subject | None:
    row = (
        await session.execute(
            select(Job.company_id, Application.status, Application.user_id)
            .join(Job, Job.id == Application.job_id)
            .where(Application.id == application_id)
        )
    ).first()
    return None if row is None else Subject(row[0], row[1], row[2], None)


async def match_subject(session: AsyncSession, match_id: uuid.UUID) -> Subject | None:
    row = (
        await session.execute(
            select(Match.company_id, Match.status, Match.user_id, Match.candidate_id).where(
                Match.id == match_id
            )
        )
    ).first()
    return None if row is None else Subject(row[0], row[1], row[2], row[3])


async def lock_person(session: AsyncSession, subject: Subject) -> None:
    """Serializes bookings of one person until commit, so two overlapping ones cannot both pass
    the overlap check."""
    person = subject.user_id or subject.candidate_id
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('interview:' || :person))"),
        {"person": str(person)},
    )


async def booked(
    session: AsyncSession, subject: Subject, slot: Slot, *, besides: uuid.UUID | None = None
) -> list[Slot]:
    """The person's SCHEDULED interviews that overlap `slot` (any company's)."""
    ends = Interview.scheduled_at + Interview.duration_minutes * literal(timedelta(minutes=1))
    person = (
        Interview.candidate_user_id == subject.user_id
        if subject.user_id is not None
        else Interview.candidate_id == subject.candidate_id
    )
    query = select(Interview.scheduled_at, Interview.duration_minutes).where(
        person,
        Interview.status == "SCHEDULED",
        Interview.scheduled_at < slot.end,
        ends > slot.start,
    )
    if besides is not None:
        query = query.where(Interview.id != besides)
    return [Slot(at, minutes) for at, minutes in (await session.execute(query)).all()]


async def add(session: AsyncSession, subject: Subject, now: datetime, **values: Any) -> Interview:
    row = Interview(
        id=uuid.uuid4(),
        company_id=subject.company_id,
        candidate_user_id=subject.user_id,
        candidate_id=subject.candidate_id,
        status="SCHEDULED",
        created_at=now,
        updated_at=now,
        **values,
    )
    session.add(row)
    await session.flush()
    return row


async def get(
    session: AsyncSession, interview_id: uuid.UUID, *, lock: bool = False
) -> Interview | None:
    query = select(Interview).where(Interview.id == interview_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_interviews(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Interview]:
    result = await session.execute(select(Interview).where(Interview.id.in_(ids)))
    return list(result.scalars())


async def changed(session: AsyncSession, interview: Interview, change: str) -> None:
    """The outbox row for interviewChanged; only a signed-up candidate has someone to push to."""
    if interview.candidate_user_id is None:
        return
    await outbox.emit(
        session,
        EventKind.INTERVIEW_CHANGED,
        user_id=interview.candidate_user_id,
        company_id=interview.company_id,
        payload={"interview_id": str(interview.id), "change": change},
    )


async def page(
    session: AsyncSession,
    *,
    company_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    first: int,
    after: Keyset | None,
) -> paging.Page[Interview]:
    """Soonest first, keyset on (scheduled_at, id); `since`/`until` bound the start time."""
    conditions: list[Any] = []
    if company_id is not None:
        conditions.append(Interview.company_id == company_id)
    if user_id is not None:
        conditions.append(Interview.candidate_user_id == user_id)
    if since is not None:
        conditions.append(Interview.scheduled_at >= since)
    if until is not None:
        conditions.append(Interview.scheduled_at < until)
    if after is not None:
        conditions.append(tuple_(Interview.scheduled_at, Interview.id) > tuple_(*after))
    query = (
        select(Interview).where(and_(*conditions)).order_by(Interview.scheduled_at, Interview.id)
    )
    return await paging.fetch(session, query, first)
