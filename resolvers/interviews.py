"""Interviews: recruiters schedule, move, cancel and complete them; candidates see their own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import interviews
from db.engine import read, transaction
from db.interviews import Subject
from db.models import Interview
from db.paging import Page
from domain.enums import RECRUITER_ROLES, InterviewStatus, InterviewType, Role
from domain.errors import InvalidInput, NotFound
from domain.interviews import (
    DEFAULT_MINUTES,
    Slot,
    check_no_overlap,
    check_open,
    check_outcome,
    check_place,
    check_slot,
    check_subject,
    clean_reason,
)
from domain.matching import check_page_size
from resolvers.services import Services, Viewer, require

Keyset = tuple[datetime, uuid.UUID]


@dataclass(frozen=True)
class Plan:
    """When, how and where: scheduleInterview's input, or what rescheduleInterview changes."""

    scheduled_at: datetime
    duration_minutes: int | None = None
    type: InterviewType | None = None
    location: str | None = None
    link: str | None = None


def may_see(viewer: Viewer, row: Interview) -> bool:
    """The company's recruiters, the candidate it is with, and platform admins (read-only)."""
    if viewer.role == Role.PLATFORM_ADMIN or row.candidate_user_id == viewer.id:
        return True
    return viewer.is_recruiter and viewer.company_id == row.company_id


async def _subject(
    services: Services, viewer: Viewer, application_id: uuid.UUID | None, match_id: uuid.UUID | None
) -> tuple[Subject, str]:
    if (application_id is None) == (match_id is None):
        raise InvalidInput("give exactly one of applicationId and matchId", field="applicationId")
    kind = "application" if application_id is not None else "match"
    async with read(services.sessions) as session:
        if application_id is not None:
            subject = await interviews.application_subject(session, application_id)
        else:
            assert match_id is not None
            subject = await interviews.match_subject(session, match_id)
    if subject is None or subject.company_id != viewer.company_id:
        raise NotFound(f"no {kind.capitalize()} has this id")
    return subject, kind


async def schedule(
    services: Services,
    viewer: Viewer | None,
    application_id: uuid.UUID | None,
    match_id: uuid.UUID | None,
    plan: Plan,
) -> Interview:
    viewer = require(viewer, *RECRUITER_ROLES)
    subject, kind = await _subject(services, viewer, application_id, match_id)
    check_subject(subject.status, kind)
    minutes = DEFAULT_MINUTES if plan.duration_minutes is None else plan.duration_minutes
    slot, now = Slot(plan.scheduled_at, minutes), services.clock()
    check_slot(slot, now)
    location, link = check_place(plan.location, plan.link)
    async with transaction(services.sessions) as session:
        await interviews.lock_person(session, subject)
        check_no_overlap(slot, await interviews.booked(session, subject, slot))
        row = await interviews.add(
            session,
            subject,
            now,
            application_id=application_id,
            match_id=match_id,
            type=(plan.type or InterviewType.VIDEO).value,
            scheduled_at=slot.start,
            duration_minutes=slot.minutes,
            location=location,
            link=link,
        )
        await interviews.changed(session, row, "SCHEDULED")
    return row


async def reschedule(
    services: Services, viewer: Viewer | None, interview_id: uuid.UUID, plan: Plan
) -> Interview:
    """A new time (and optionally type, place, link) for a SCHEDULED interview."""
    viewer = require(viewer, *RECRUITER_ROLES)
    location, link = check_place(plan.location, plan.link)
    now = services.clock()
    async with transaction(services.sessions) as session:
        row = await _locked(session, viewer, interview_id)
        check_open(InterviewStatus(row.status), "reschedule")
        minutes = row.duration_minutes if plan.duration_minutes is None else plan.duration_minutes
        slot = Slot(plan.scheduled_at, minutes)
        check_slot(slot, now)
        subject = Subject(row.company_id, row.status, row.candidate_user_id, row.candidate_id)
        await interviews.lock_person(session, subject)
        check_no_overlap(slot, await interviews.booked(session, subject, slot, besides=row.id))
        row.scheduled_at, row.duration_minutes, row.updated_at = slot.start, slot.minutes, now
        if plan.type is not None:
            row.type = plan.type.value
        row.location = location if location is not None else row.location
        row.link = link if link is not None else row.link
        await session.flush()
        await interviews.changed(session, row, "RESCHEDULED")
    return row


async def cancel(
    services: Services, viewer: Viewer | None, interview_id: uuid.UUID, reason: str | None
) -> Interview:
    viewer = require(viewer, *RECRUITER_ROLES)
    reason = clean_reason(reason)
    async with transaction(services.sessions) as session:
        row = await _locked(session, viewer, interview_id)
        check_open(InterviewStatus(row.status), "cancel")
        row.status, row.cancel_reason = InterviewStatus.CANCELLED.value, reason
        row.updated_at = services.clock()
        await session.flush()
        await interviews.changed(session, row, "CANCELLED")
    return row


async def complete(
    services: Services,
    viewer: Viewer | None,
    interview_id: uuid.UUID,
    feedback: str | None,
    rating: int | None,
) -> Interview:
    """Feedback and a 1-5 rating, once the interview has started."""
    viewer = require(viewer, *RECRUITER_ROLES)
    feedback, now = check_outcome(feedback, rating), services.clock()
    async with transaction(services.sessions) as session:
        row = await _locked(session, viewer, interview_id)
        check_open(InterviewStatus(row.status), "complete")
        if row.scheduled_at > now:
            raise InvalidInput("the interview has not started yet", field="id")
        row.status, row.feedback, row.rating = InterviewStatus.COMPLETED.value, feedback, rating
        row.updated_at = now
        await session.flush()
        await interviews.changed(session, row, "COMPLETED")
    return row


async def _locked(session: AsyncSession, viewer: Viewer, interview_id: uuid.UUID) -> Interview:
    row = await interviews.get(session, interview_id, lock=True)
    if row is None or row.company_id != viewer.company_id:
        raise NotFound("no Interview has this id")
    return row


async def interview(
    services: Services, viewer: Viewer | None, interview_id: uuid.UUID
) -> Interview:
    viewer = require(viewer)
    async with read(services.sessions) as session:
        row = await interviews.get(session, interview_id)
    if row is None or not may_see(viewer, row):
        raise NotFound("no Interview has this id")
    return row


async def list_interviews(
    services: Services,
    viewer: Viewer | None,
    first: int,
    after: Keyset | None,
    since: datetime | None,
    until: datetime | None,
) -> Page[Interview]:
    """Recruiters: their company's; candidates: their own; platform admins: all. Soonest first."""
    viewer = require(viewer)
    check_page_size(first)
    if since is not None and until is not None and until < since:
        raise InvalidInput("to must not be before from", field="to")
    scope: dict[str, uuid.UUID | None] = {}
    if viewer.is_recruiter:
        scope["company_id"] = viewer.company_id
    elif viewer.role != Role.PLATFORM_ADMIN:
        scope["user_id"] = viewer.id
    async with read(services.sessions) as session:
        return await interviews.page(
            session, **scope, since=since, until=until, first=first, after=after
        )
