"""Jobs: recruiters create, edit, close and reopen them; anyone reads and lists ACTIVE ones
(signed in: also what `domain.jobs.visible` allows)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db import jobs, users
from db.engine import read, transaction
from db.models import Job
from db.paging import Page
from domain import jobs as rules
from domain.enums import RECRUITER_ROLES, JobStatus, Role
from domain.errors import NotFound
from domain.inputs import Patch
from domain.jobs import CONTENT_FIELDS, JobFields, capped, draft_from_fields, edited_columns
from domain.matching import check_page_size
from domain.skills import default_normalizer
from resolvers.matches import match_new_jobs
from resolvers.services import Services, Viewer, require


async def _own_job(session: AsyncSession, viewer: Viewer, job_id: uuid.UUID) -> Job:
    job = await jobs.lock_job(session, job_id)
    if job is None or job.company_id != viewer.company_id:
        raise NotFound("no Job has this id")
    return job


async def create_job(services: Services, viewer: Viewer | None, patch: Patch) -> Job:
    viewer = require(viewer, *RECRUITER_ROLES)
    fields = capped(JobFields(**patch))
    now = services.clock()
    async with read(services.sessions) as session:
        company = await users.get_company(session, viewer.company_id) if viewer.company_id else None
    if company is None:
        raise NotFound("your company no longer exists")
    draft = draft_from_fields(
        fields, company=company.name, posted_at=now, normalizer=default_normalizer()
    )
    draft = replace(draft, expires_at=now + timedelta(days=services.settings.job_ttl_days))
    vector = await services.embedder.embed_one(draft.text)
    values = draft.columns() | {"company_id": company.id, "created_by_id": viewer.id}
    async with transaction(services.sessions) as session:
        job = await jobs.add_job(
            session, values | {"embedding": vector, "embedding_model": services.embedder.model_name}
        )
        await jobs.job_activated(session, [job.id], [company.id])
        await match_new_jobs(session, [job.id], now, services.settings)
    return job


async def update_job(
    services: Services, viewer: Viewer | None, job_id: uuid.UUID, patch: Patch
) -> Job:
    viewer = require(viewer, *RECRUITER_ROLES)
    capped(JobFields(**patch))
    async with read(services.sessions) as session:
        job = await jobs.get_job(session, job_id)
        company = await users.get_company(session, job.company_id) if job else None
    if job is None or company is None or job.company_id != viewer.company_id:
        raise NotFound("no Job has this id")
    fields = replace(jobs.editable_fields(job), **patch)
    draft = draft_from_fields(
        fields, company=company.name, posted_at=job.posted_at, normalizer=default_normalizer()
    )
    values = edited_columns(draft)
    # Only a change to the embedded text (title, skills, description) costs an inference.
    if values["content_hash"] != job.content_hash and CONTENT_FIELDS & patch.keys():
        values["embedding"] = await services.embedder.embed_one(draft.text)
        values["embedding_model"] = services.embedder.model_name
    async with transaction(services.sessions) as session:
        await _own_job(session, viewer, job_id)
        return await jobs.update_job(session, job_id, values)


async def close_job(
    services: Services, viewer: Viewer | None, job_id: uuid.UUID, reason: JobStatus
) -> Job:
    viewer = require(viewer, *RECRUITER_ROLES)
    async with transaction(services.sessions) as session:
        job = await _own_job(session, viewer, job_id)
        status = rules.close(JobStatus(job.status), reason)
        return await jobs.set_status(session, job, status)


async def reopen_job(services: Services, viewer: Viewer | None, job_id: uuid.UUID) -> Job:
    viewer = require(viewer, *RECRUITER_ROLES)
    now, ttl = services.clock(), services.settings.job_ttl_days
    async with transaction(services.sessions) as session:
        job = await _own_job(session, viewer, job_id)
        expires_at = rules.reopen(JobStatus(job.status), job.expires_at, now, ttl)
        job = await jobs.set_status(session, job, JobStatus.ACTIVE, expires_at)
        await jobs.job_activated(session, [job.id], [job.company_id])
        await match_new_jobs(session, [job.id], now, services.settings)
    return job


def may_read(viewer: Viewer | None, job: Job) -> bool:
    """Anonymous callers (public browsing) read ACTIVE jobs only."""
    if viewer is None:
        return job.status == JobStatus.ACTIVE.value
    return rules.visible(JobStatus(job.status), job.company_id, viewer.role, viewer.company_id)


async def job(
    services: Services, viewer: Viewer | None, job_id: uuid.UUID, *, public: bool = False
) -> Job:
    """A job by id, NOT_FOUND when the viewer may not read it (see `domain.jobs.visible`);
    `public`: an anonymous caller may read an ACTIVE one."""
    if not public:
        require(viewer)
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
    *,
    public: bool = False,
) -> Page[Job]:
    """`public`: an anonymous caller lists ACTIVE jobs only."""
    if not public:
        require(viewer)
    check_page_size(first)
    normalize = default_normalizer().normalize_many
    f = replace(
        f,
        statuses=f.statuses if viewer is not None else (JobStatus.ACTIVE.value,),
        skills_any=tuple(normalize(f.skills_any)),
        skills_all=tuple(normalize(f.skills_all)),
        visible_company_id=viewer.company_id if viewer is not None else None,
        see_everything=viewer is not None and viewer.role == Role.PLATFORM_ADMIN,
    )
    async with read(services.sessions) as session:
        return await jobs.page(session, f, first, after)
