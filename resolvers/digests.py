"""Daily digests: building one for a candidate, e-mailing it, the candidate's list, unsubscribe."""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from adapters.mail import Email
from adapters.realtime import Listener
from db import digests, users
from db.engine import read, transaction
from db.facts import candidate_facts
from db.models import Digest, User
from db.paging import Page
from domain.digests import (
    ADVICE_JOBS,
    WEEK,
    DigestContent,
    DigestJob,
    Rendered,
    best_new,
    due,
    one_line,
    recommend,
    render,
    rising,
    unsubscribe_token,
    unsubscribe_user,
    window_start,
)
from domain.enums import EventKind, Role, ScoringPreset
from domain.errors import NotFound
from domain.matching import PoolJob, Ranked, check_page_size, rank_feed
from domain.scoring import CandidateFacts, get_preset
from domain.scoring import what_if as what_if_score
from domain.skills import SkillNormalizer, default_normalizer
from resolvers.matching import load_pool
from resolvers.services import Services, Viewer, require
from resolvers.subscriptions import _hub, parse_event_id, subscriber

log = logging.getLogger("jobmatch.digests")

PRESET = ScoringPreset.SWIPE_HYBRID  # what the candidate's feed ranks with


def _advice(
    facts: CandidateFacts,
    top: Sequence[tuple[Ranked, PoolJob]],
    now: datetime,
    normalizer: SkillNormalizer,
) -> list[tuple[str, float]]:
    """whatIf for each missing skill of each top job: (skill, score gain)."""
    preset = get_preset(PRESET)
    gains = []
    for ranked, job in top:
        for skill in ranked.explanation.missing_skills:
            _, gain = what_if_score(
                preset,
                facts,
                job.facts,
                cosine=job.cosine,
                now=now,
                normalizer=normalizer,
                add_skills=normalizer.normalize_many([skill]),
            )
            gains.append((skill, float(gain)))
    return gains


async def _compose(
    services: Services, user: User, since: datetime, now: datetime
) -> DigestContent | None:
    """The digest's content, or None when no new job is worth telling about."""
    facts, normalizer = candidate_facts(user), default_normalizer()
    async with read(services.sessions) as session:
        pool = await load_pool(session, services, user, now)
        ranked = await asyncio.to_thread(
            functools.partial(rank_feed, PRESET, facts, pool, now=now, normalizer=normalizer)
        )
        new = await digests.created_since(
            session, [uuid.UUID(r.job_id) for r in ranked], since, now
        )
        jobs = best_new(
            DigestJob(
                r.job_id,
                float(r.explanation.score),
                one_line(r.explanation.reasons, r.explanation.summary),
            )
            for r in ranked
            if uuid.UUID(r.job_id) in new
        )
        if not jobs:
            return None
        this_skills, this_titles = await digests.term_counts(session, now - WEEK, now)
        last_skills, last_titles = await digests.term_counts(session, now - 2 * WEEK, now - WEEK)
    by_id = {job.facts.id: job for job in pool}
    top = [(r, by_id[r.job_id]) for r in ranked[:ADVICE_JOBS]]
    gains = await asyncio.to_thread(_advice, facts, top, now, normalizer)
    return DigestContent(
        jobs=jobs,
        skills=rising(this_skills, last_skills),
        titles=rising(this_titles, last_titles),
        recommendations=recommend(gains),
    )


async def build(services: Services, user_id: uuid.UUID) -> Digest | None:
    """Today's digest for one candidate: the stored one not e-mailed yet, a new one when due and
    something is new, else None. Safe to run again (at most one digest a day)."""
    now = services.clock()
    async with read(services.sessions) as session:
        user = await users.get_user(session, user_id)
        last = await digests.latest(session, user_id)
    if user is None or not user.digest_opt_in or user.role != Role.CANDIDATE.value:
        return None
    if last is not None and last.emailed_at is None:
        return last
    last_at = None if last is None else last.created_at
    if not due(last_at, now):
        return None
    since = window_start(last_at, now)
    content = await _compose(services, user, since, now)
    if content is None:
        return None
    async with transaction(services.sessions) as session:
        # The task's lock runs one build per candidate at a time; this covers a manual run.
        again = await digests.latest(session, user_id)
        if again is not None and again.id != (None if last is None else last.id):
            return again  # another worker stored it meanwhile
        return await digests.add(session, user_id, since=since, now=now, content=content.to_json())


def unsubscribe_url(services: Services, user_id: uuid.UUID) -> str:
    secret = services.settings.jwt_secret or ""
    return f"{services.settings.public_url}/digests/unsubscribe?token={unsubscribe_token(secret, user_id)}"


async def rendered(services: Services, digest: Digest) -> tuple[User, Rendered]:
    content = DigestContent.from_json(digest.content)
    async with read(services.sessions) as session:
        user = await users.get_user(session, digest.user_id)
        titles = await digests.titles(session, [uuid.UUID(j.job_id) for j in content.jobs])
    if user is None:
        raise NotFound("no User has this id")
    return user, render(content, titles, unsubscribe_url(services, digest.user_id))


async def deliver(services: Services, user_id: uuid.UUID) -> bool:
    """Builds (or finds) today's digest and e-mails it. A failed send raises: the task is retried
    and finds the stored digest again. Returns whether an e-mail went out."""
    digest = await build(services, user_id)
    if digest is None or digest.emailed_at is not None:
        return False
    user, mail = await rendered(services, digest)
    link = unsubscribe_url(services, user_id)
    await services.mailer.send(
        Email(
            to=user.email,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    )
    async with transaction(services.sessions) as session:
        await digests.mark_emailed(session, digest.id, services.clock())
    return True


async def my_digests(
    services: Services, viewer: Viewer | None, first: int, after: tuple[datetime, uuid.UUID] | None
) -> Page[Digest]:
    viewer = require(viewer, Role.CANDIDATE)
    check_page_size(first)
    async with read(services.sessions) as session:
        return await digests.page(session, viewer.id, first, after)


async def digest(services: Services, viewer: Viewer | None, digest_id: uuid.UUID) -> Digest:
    viewer = require(viewer)
    async with read(services.sessions) as session:
        row = await digests.get(session, digest_id)
    if row is None or row.user_id != viewer.id:
        raise NotFound("no Digest has this id")
    return row


@dataclass(frozen=True)
class Ready:
    event_id: int
    digest: Digest


async def digest_ready(
    services: Services, viewer: Viewer | None, after: str | None, *, over_http: bool
) -> AsyncIterator[Ready]:
    """The candidate's digests as they are stored, replayable from an eventId."""
    viewer = require(viewer, Role.CANDIDATE)
    hub = _hub(services)
    listener = Listener(subscriber(viewer), EventKind.DIGEST_READY, ends_with_sign_in=over_http)
    async for delivery in hub.stream(listener, parse_event_id(after)):
        async with read(services.sessions) as session:
            row = await digests.get(session, uuid.UUID(str(delivery.event.payload["digest_id"])))
        if row is not None:
            yield Ready(delivery.event_id, row)


async def unsubscribe(services: Services, token: str) -> bool:
    """The e-mail's one-click link: turns digestOptIn off for the user the token names."""
    user_id = unsubscribe_user(services.settings.jwt_secret or "", token[:200])
    if user_id is None:
        return False
    async with transaction(services.sessions) as session:
        return await digests.set_opt_in(session, user_id, False)
