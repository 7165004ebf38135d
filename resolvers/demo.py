"""The demo data set that domain/demo.py generates: seeding (accounts, embedded jobs, then the
candidates' resumes, swipes and applications through the ordinary use cases), re-dating aged-out
demo jobs, and the ids and tokens GraphiQL's guided tour opens with (development only)."""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from db import demo as stored
from db.engine import read, transaction
from db.loaders import Loaders
from db.models import User
from domain import demo
from domain.accounts import profile_text
from domain.applications import PIPELINE
from domain.demo_resumes import resume_text
from domain.enums import ApplicationStatus, Role, SwipeDirection
from resolvers import feed, resumes, swipes
from resolvers.services import Services, Viewer


async def seed(services: Services) -> str:
    """Adds what is missing (accounts by email, jobs by external id, each candidate's resume
    and first swipes); returns the sign-in summary."""
    password_hash = await asyncio.to_thread(services.passwords.hash, demo.DEMO_PASSWORD)
    candidates = demo.candidates(random.Random(demo.SEED))
    profiles = await services.embedder.embed([profile_text(c.facts) for c in candidates])
    model = services.embedder.model_name
    async with transaction(services.sessions) as session:
        await stored.add_companies(session, demo.COMPANIES, password_hash)
        await stored.add_candidates(session, candidates, profiles, model, password_hash)
    ttl = timedelta(days=services.settings.job_ttl_days)
    drafts = demo.job_drafts(random.Random(demo.SEED), services.clock(), ttl)
    async with transaction(services.sessions) as session:
        fresh = await stored.missing_jobs(session, drafts)
    vectors = await services.embedder.embed([d.text for d in fresh])
    async with transaction(services.sessions) as session:
        await stored.add_jobs(session, fresh, vectors, model)
    await _activity(services, candidates)
    return demo.summary(len(fresh))


async def needs_refresh(services: Services) -> bool:
    """Some demo job expired (or is due to): a demo install's feed would shrink."""
    async with read(services.sessions) as session:
        return await stored.aged_out(session, services.clock()) > 0


async def refresh(services: Services) -> int:
    """Re-dates every ACTIVE or EXPIRED demo job as if the demo were loaded now, and makes it
    ACTIVE again (only demo jobs; closed or filled ones stay). Returns how many it re-dated."""
    ttl = timedelta(days=services.settings.job_ttl_days)
    drafts = demo.job_drafts(random.Random(demo.SEED), services.clock(), ttl)
    dates = {
        d.external_id: (d.posted_at, d.expires_at)
        for d in drafts
        if d.external_id and d.expires_at is not None
    }
    async with transaction(services.sessions) as session:
        return await stored.redate(session, dates)


def _acting_as(services: Services, user: User) -> Viewer:
    """The viewer a signed-in demo user would be (seeding runs the ordinary use cases)."""
    _, claims = services.tokens.issue(user.id, uuid.uuid4(), "access", services.clock())
    return Viewer(id=user.id, role=Role(user.role), company_id=user.company_id, token=claims)


async def _activity(services: Services, candidates: list[demo.DemoCandidate]) -> None:
    """Each demo candidate without a resume gets one (uploadResume's use case); each without
    swipes swipes the top of their feed: RIGHT (an application), then LEFT."""
    emails = {c.email: c for c in candidates}
    async with read(services.sessions) as session:
        rows = await stored.candidates_by_email(session, list(emails))
        ids = [row.id for row in rows]
        resumed = await stored.with_resume(session, ids)
        swiped = await stored.with_swipes(session, ids)
    year = services.clock().year
    for row in sorted(rows, key=lambda r: r.email):
        viewer = _acting_as(services, row)
        if row.id not in resumed:
            text = resume_text(emails[row.email.lower()], year)
            await resumes.upload_resume(services, viewer, None, None, text)
        if row.id in swiped:
            continue
        loaders = Loaders.create(services.sessions)
        count = demo.RIGHT_SWIPES + demo.LEFT_SWIPES
        page = await feed.discover(services, loaders, viewer, count, None)
        for index, edge in enumerate(page.edges):
            direction = SwipeDirection.RIGHT if index < demo.RIGHT_SWIPES else SwipeDirection.LEFT
            await swipes.swipe_job(services, viewer, edge.job.id, direction)


@dataclass(frozen=True)
class Tour:
    """What GraphiQL's tour tabs open with: demo tokens and ids that exist in this database."""

    candidate_email: str
    candidate_token: str
    recruiter_email: str
    recruiter_token: str
    job_id: uuid.UUID  # an ACTIVE job the candidate applied to, of the recruiter's company
    swipe_job_id: uuid.UUID  # an ACTIVE demo job for swipeJob and whatIf
    application_id: uuid.UUID
    next_status: ApplicationStatus


def _next_stage(status: ApplicationStatus) -> ApplicationStatus:
    return PIPELINE[min(PIPELINE.index(status) + 1, len(PIPELINE) - 1)]


async def tour(services: Services) -> Tour | None:
    """None until the demo candidate has an open application (no demo data loaded)."""
    async with read(services.sessions) as session:
        found = await stored.tour_rows(session, demo.TOUR_CANDIDATE)
    if found is None:
        return None
    candidate, application, recruiter, swipe_job_id = found
    return Tour(
        candidate_email=candidate.email,
        candidate_token=_acting_token(services, candidate),
        recruiter_email=recruiter.email,
        recruiter_token=_acting_token(services, recruiter),
        job_id=application.job_id,
        swipe_job_id=swipe_job_id,
        application_id=application.id,
        next_status=_next_stage(ApplicationStatus(application.status)),
    )


def _acting_token(services: Services, user: User) -> str:
    """An access token of a new sign-in (nothing stored: it lives access_token_ttl_s)."""
    token, _ = services.tokens.issue(user.id, uuid.uuid4(), "access", services.clock())
    return token
