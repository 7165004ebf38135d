"""jobAnalytics and companyAnalytics: a company's recruiting figures, counted in SQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from db import analytics, jobs
from db.engine import read
from domain.analytics import Tally, busiest, check_window
from domain.enums import RECRUITER_ROLES, Role
from domain.errors import Forbidden, NotFound
from resolvers.services import Services, Viewer, require

PER_JOB_LIMIT = 100


@dataclass(frozen=True)
class JobFigures:
    job_id: uuid.UUID
    tally: Tally


@dataclass(frozen=True)
class CompanyFigures:
    start: datetime | None
    end: datetime | None
    totals: Tally
    jobs_with_activity: int
    per_job: list[JobFigures]


async def job_analytics(services: Services, viewer: Viewer | None, job_id: uuid.UUID) -> JobFigures:
    """For the job's company's recruiters (and platform admins, read-only); all time."""
    viewer = require(viewer, *RECRUITER_ROLES, Role.PLATFORM_ADMIN)
    async with read(services.sessions) as session:
        job = await jobs.get_job(session, job_id)
        if job is None or (
            viewer.role != Role.PLATFORM_ADMIN and job.company_id != viewer.company_id
        ):
            raise NotFound("no Job has this id")
        found = await analytics.tallies(session, analytics.Scope(job.company_id, job_id=job.id))
    return JobFigures(job.id, found.get(job.id, Tally()))


async def company_analytics(
    services: Services, viewer: Viewer | None, start: datetime | None, end: datetime | None
) -> CompanyFigures:
    """The caller's company in [start, end): totals, and the busiest jobs one by one."""
    viewer = require(viewer, *RECRUITER_ROLES)
    if viewer.company_id is None:
        raise Forbidden("this operation needs a company")
    check_window(start, end)
    scope = analytics.Scope(viewer.company_id, start=start, end=end)
    async with read(services.sessions) as session:
        found = await analytics.tallies(session, scope)
    chosen = busiest(found, PER_JOB_LIMIT)
    return CompanyFigures(
        start,
        end,
        found.get(None, Tally()),
        len(found) - (None in found),
        [JobFigures(job_id, found[job_id]) for job_id in chosen],
    )
