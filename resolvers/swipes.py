"""swipeJob: one swipe per (candidate, job); RIGHT applies and may move the dynamic profile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import applications, jobs, outbox, users, vectors
from db.engine import read, transaction
from db.models import Application, Job, Swipe, User
from domain.enums import EventKind, JobStatus, Role, ScoringPreset, SwipeDirection
from domain.errors import InvalidInput, NotFound
from domain.jobs import is_live, visible
from domain.scoring import feed_score
from domain.vectors import dynamic_profile
from resolvers.matching import explain
from resolvers.services import Services, Viewer, require


@dataclass(frozen=True)
class SwipeResult:
    swipe: Swipe
    application: Application | None


async def _lock_candidate(session: AsyncSession, user_id: uuid.UUID) -> User:
    """A candidate's swipes run one at a time: the double-tap and the profile mean stay exact."""
    user = await applications.lock_user(session, user_id)
    if user is None:
        raise NotFound("user not found")
    return user


def _swipeable(job: Job | None, now: datetime) -> Job:
    # A CLOSED or FILLED job is its company's alone: NOT_FOUND, as for job(id), not "not active".
    if job is None or not visible(JobStatus(job.status), job.company_id, Role.CANDIDATE, None):
        raise NotFound("no Job has this id")
    if not is_live(JobStatus(job.status), job.expires_at, now):
        raise InvalidInput("only ACTIVE jobs can be swiped", field="jobId")
    return job


async def _apply(session: AsyncSession, user: User, job: Job, now: datetime) -> Application:
    """scoreAtApply is what the feed showed (the latest view), else the score it would show."""
    shown = await applications.latest_view_score(session, user.id, job.id)
    if shown is None:
        shown = feed_score(explain(user, job, ScoringPreset.SWIPE_HYBRID, now))
    application = await applications.add_application(
        session, user_id=user.id, job_id=job.id, score=shown, now=now
    )
    await outbox.emit(
        session,
        EventKind.APPLICATION_RECEIVED,
        user_id=user.id,
        company_id=job.company_id,
        job_id=job.id,
        payload={"application_id": str(application.id)},
    )
    return application


async def _refresh_profile(session: AsyncSession, user: User) -> None:
    """SPEC §3: from the 5th RIGHT swipe on, current = normalize(0.3 base + 0.7 mean(swiped))."""
    if user.base_embedding is None:
        return
    swiped = await vectors.right_swiped_embeddings(session, user.id)
    profile = dynamic_profile([float(x) for x in user.base_embedding], swiped)
    if profile is not None:
        await users.update_user(session, user.id, current_embedding=profile)


async def swipe_job(
    services: Services, viewer: Viewer | None, job_id: uuid.UUID, direction: SwipeDirection
) -> SwipeResult:
    """Idempotent per (candidate, job): a repeat, in either direction, returns the first swipe."""
    viewer = require(viewer, Role.CANDIDATE)
    now = services.clock()
    async with transaction(services.sessions) as session:
        user = await _lock_candidate(session, viewer.id)
        existing = await applications.get_swipe(session, user.id, job_id)
        if existing is not None:
            return SwipeResult(
                existing, await applications.application_of(session, user.id, job_id)
            )
        job = _swipeable(await jobs.get_job(session, job_id), now)
        swipe = await applications.insert_swipe(
            session, user_id=user.id, job_id=job.id, direction=direction.value, now=now
        )
        if swipe is None:  # only without the candidate lock, e.g. a swipe written elsewhere
            swipe = await applications.get_swipe(session, user.id, job_id)
            assert swipe is not None
            return SwipeResult(swipe, await applications.application_of(session, user.id, job_id))
        await applications.mark_viewed_action(session, user.id, job.id, direction.value)
        if direction is SwipeDirection.LEFT:
            return SwipeResult(swipe, None)
        application = await _apply(session, user, job, now)
        await _refresh_profile(session, user)
        return SwipeResult(swipe, application)


async def swipe(services: Services, viewer: Viewer | None, swipe_id: uuid.UUID) -> Swipe:
    """A swipe is its candidate's own: anyone else gets NOT_FOUND."""
    viewer = require(viewer)
    async with read(services.sessions) as session:
        found = await applications.get_swipe_by_id(session, swipe_id)
    if found is None or found.user_id != viewer.id:
        raise NotFound("no Swipe has this id")
    return found
