"""Applications: the candidate's own, a company's for its jobs, and the status pipeline."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from db import applications, jobs
from db.engine import read, transaction
from db.loaders import Loaders
from db.models import Application
from db.paging import Page
from domain.applications import clean_note, transition
from domain.enums import RECRUITER_ROLES, ApplicationStatus, Role, ScoringPreset
from domain.errors import NotFound
from domain.matching import check_page_size
from domain.scoring import MatchExplanation
from resolvers.matching import explain
from resolvers.services import Services, Viewer, require

Keyset = tuple[datetime, uuid.UUID]


def may_see(viewer: Viewer, application: Application, company_id: uuid.UUID) -> bool:
    """The applicant, the recruiters of the job's company, and platform admins (read-only)."""
    if viewer.role == Role.PLATFORM_ADMIN or viewer.id == application.user_id:
        return True
    return viewer.is_recruiter and viewer.company_id == company_id


def _statuses(statuses: Sequence[ApplicationStatus] | None) -> tuple[str, ...]:
    return tuple(s.value for s in statuses or ())


async def my_applications(
    services: Services,
    viewer: Viewer | None,
    first: int,
    after: Keyset | None,
    statuses: Sequence[ApplicationStatus] | None,
) -> Page[Application]:
    viewer = require(viewer, Role.CANDIDATE)
    check_page_size(first)
    async with read(services.sessions) as session:
        return await applications.page(
            session, user_id=viewer.id, statuses=_statuses(statuses), first=first, after=after
        )


async def application(
    services: Services, viewer: Viewer | None, application_id: uuid.UUID
) -> Application:
    viewer = require(viewer)
    async with read(services.sessions) as session:
        found = await applications.get_with_company(session, application_id)
    if found is None or not may_see(viewer, *found):
        raise NotFound("no Application has this id")
    return found[0]


async def applications_for_job(
    services: Services,
    viewer: Viewer | None,
    job_id: uuid.UUID,
    first: int,
    after: Keyset | None,
    statuses: Sequence[ApplicationStatus] | None,
) -> Page[Application]:
    """A job's applications, newest first, for its company's recruiters (and platform admins)."""
    viewer = require(viewer, *RECRUITER_ROLES, Role.PLATFORM_ADMIN)
    check_page_size(first)
    async with read(services.sessions) as session:
        job = await jobs.get_job(session, job_id)
        if job is None or (
            viewer.role != Role.PLATFORM_ADMIN and job.company_id != viewer.company_id
        ):
            raise NotFound("no Job has this id")
        return await applications.page(
            session, job_id=job_id, statuses=_statuses(statuses), first=first, after=after
        )


async def update_status(
    services: Services,
    viewer: Viewer | None,
    application_id: uuid.UUID,
    status: ApplicationStatus,
    note: str | None,
) -> Application:
    """Recruiters move forward or reject; the candidate withdraws. History and event included."""
    viewer = require(viewer, Role.CANDIDATE, *RECRUITER_ROLES)
    note = clean_note(note)
    now = services.clock()
    async with transaction(services.sessions) as session:
        found = await applications.get_with_company(session, application_id, lock=True)
        if found is None or not may_see(viewer, *found):
            raise NotFound("no Application has this id")
        row, company_id = found
        previous = ApplicationStatus(row.status)
        transition(previous, status, viewer.role)
        await applications.set_status(
            session, row, status.value, actor_id=viewer.id, note=note, now=now
        )
        await applications.status_changed(session, row, company_id, previous.value, note)
    return row


async def withdraw(
    services: Services, viewer: Viewer | None, application_id: uuid.UUID
) -> Application:
    require(viewer, Role.CANDIDATE)
    return await update_status(services, viewer, application_id, ApplicationStatus.WITHDRAWN, None)


async def explanation(services: Services, loaders: Loaders, row: Application) -> MatchExplanation:
    """The candidate's FIVE_FACTOR score for the job, as recruiters rank candidates (SPEC §4)."""
    user = await loaders.user_by_id.load(row.user_id)
    job = await loaders.job_by_id.load(row.job_id)
    if user is None or job is None:
        raise NotFound("the application's job or candidate no longer exists")
    return explain(user, job, ScoringPreset.FIVE_FACTOR, services.clock())
