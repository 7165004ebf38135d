"""The scrape queue (SPEC §14, seed 004): scraper keys, the bots' four operations, the queue as
operators see it, and the sequential processing of uploads through the importJobs path.

Roles are kept in sync with the candidates lazily: each claim and each queue read first
refreshes the role rows from every candidate's preferred roles (one read, one upsert), so no
profile or pool edit has to know about the queue and a claim never hands out a stale role.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import candidates, ratelimits
from db import scraping as rows
from db.engine import read, transaction
from db.models import ScraperKey, ScrapeRole
from db.paging import Page
from db.scraping import NEVER
from domain.enums import Role
from domain.errors import NotFound, RateLimited, Unauthenticated
from domain.imports import validate_platform
from domain.matching import check_page_size
from domain.ratelimit import window_retry_after
from domain.scraping import (
    BACKLOG_ALERT_WINDOW_S,
    BACKLOG_UPLOADS,
    BAD_KEY_ALERT_WINDOW_S,
    KEY_LIMIT,
    KEY_PREFIX,
    KEY_WINDOW_S,
    STUCK_AFTER_S,
    UPLOAD_ATTEMPTS,
    AlertKind,
    RoleStatus,
    UploadStatus,
    failure_reason,
    key_hash,
    key_name,
    key_prefix,
    normalize_roles,
    require_scraping,
    upload_rows,
    wanted_roles,
)
from resolvers.alerts import raise_alert
from resolvers.imports import run_import
from resolvers.matches import REFRESH_BATCH, rematch
from resolvers.services import Services, Viewer, require

security = logging.getLogger("jobmatch.security")
log = logging.getLogger("jobmatch.scraping")
PROCESS_TASK = "process_scrape_uploads"
__all__ = ["NEVER"]
_KEY_SCOPE = "scraper_key"


@dataclass(frozen=True)
class Scraper:
    """A bot authenticated by its X-Scraper-API-Key."""

    key_id: uuid.UUID
    name: str
    prefix: str


@dataclass(frozen=True)
class NewKey:
    key: ScraperKey
    api_key: str  # shown once, never stored


@dataclass(frozen=True)
class Submitted:
    upload_id: uuid.UUID
    received: int
    queue_position: int


@dataclass(frozen=True)
class QueuePage:
    page: Page[ScrapeRole]
    pending: dict[uuid.UUID, int]


async def create_key(services: Services, viewer: Viewer | None, name: str) -> NewKey:
    viewer = require(viewer, Role.PLATFORM_ADMIN)
    clean = key_name(name)
    api_key = KEY_PREFIX + secrets.token_urlsafe(32)
    async with transaction(services.sessions) as session:
        row = await rows.add_key(session, clean, key_prefix(api_key), key_hash(api_key), viewer.id)
    return NewKey(row, api_key)


async def revoke_key(services: Services, viewer: Viewer | None, key_id: uuid.UUID) -> ScraperKey:
    """Idempotent: revoking a revoked key keeps its first revocation time."""
    require(viewer, Role.PLATFORM_ADMIN)
    async with transaction(services.sessions) as session:
        row = await rows.get_key(session, key_id)
        if row is None:
            raise NotFound("no ScraperKey has this id")
        if row.revoked_at is None:
            row.revoked_at = services.clock()
        return row


async def list_keys(services: Services, viewer: Viewer | None) -> list[ScraperKey]:
    require(viewer, Role.PLATFORM_ADMIN)
    async with read(services.sessions) as session:
        return await rows.keys(session)


async def authenticate(services: Services, api_key: str, client: str) -> Scraper:
    """The bot behind a key, counted against its 60 requests a minute. An unknown or revoked
    key is UNAUTHENTICATED, a security log line and (once per key per 10 minutes) an alert."""
    now, prefix = services.clock(), key_prefix(api_key[:200])
    async with transaction(services.sessions) as session:
        row = await rows.key_by_hash(session, key_hash(api_key))
        if row is not None and row.revoked_at is None:
            window = await ratelimits.hit(session, _KEY_SCOPE, str(row.id), KEY_WINDOW_S, now)
            await rows.touch_key(session, row.id, now)
    if row is None or row.revoked_at is not None:
        await _bad_key(services, row, prefix, client)
        raise Unauthenticated("unknown or revoked scraper API key")
    wait = window_retry_after(window, KEY_LIMIT, KEY_WINDOW_S, now)
    if wait is not None:
        raise RateLimited("this scraper key made too many requests", retry_after_s=wait)
    return Scraper(row.id, row.name, row.prefix)


async def _bad_key(services: Services, row: ScraperKey | None, prefix: str, client: str) -> None:
    kind = AlertKind.UNKNOWN_KEY_USED if row is None else AlertKind.REVOKED_KEY_USED
    who = f"key {row.name!r} ({row.prefix})" if row is not None else f"prefix {prefix!r}"
    security.warning("scraper %s: %s from %s", kind.value, who, client)
    details = {"prefix": prefix, "client": client}
    if row is not None:
        details |= {"keyId": str(row.id), "name": row.name}
    key = str(row.id) if row is not None else prefix
    await raise_alert(
        services,
        kind,
        f"a {'revoked' if row else 'unknown'} scraper key was used: {who}",
        details,
        once_per=(key, BAD_KEY_ALERT_WINDOW_S),
    )


def _bot(scraper: Scraper | None) -> Scraper:
    if scraper is None:
        raise Unauthenticated("send the bot's X-Scraper-API-Key")
    return scraper


async def _sync(services: Services, session: AsyncSession) -> None:
    """The role rows refreshed from the candidates, under the queue lock until commit."""
    async with read(services.sessions) as reading:
        people = await rows.wanting_people(reading)
    await rows.queue_lock(session)
    await rows.sync_roles(session, wanted_roles(people))


async def claim(services: Services, scraper: Scraper | None) -> ScrapeRole | None:
    _bot(scraper)
    async with transaction(services.sessions) as session:
        await _sync(services, session)
        return await rows.claim(session, services.clock())


async def _scraping_role(session: AsyncSession, role_id: uuid.UUID) -> ScrapeRole:
    role = await rows.role_for_update(session, role_id)
    if role is None:
        raise NotFound("no ScrapeRole has this id")
    require_scraping(role.status)
    return role


async def submit(
    services: Services,
    scraper: Scraper | None,
    role_id: uuid.UUID,
    platform: str,
    jobs: list[dict[str, Any]],
) -> Submitted:
    """Stored at once and answered with the queue position; processed one upload at a time."""
    bot = _bot(scraper)
    platform = validate_platform(platform)
    upload_rows(jobs)
    async with transaction(services.sessions) as session:
        role = await _scraping_role(session, role_id)
        upload = await rows.add_upload(session, role, platform, jobs, bot.key_id)
        position = await rows.queue_position(session, upload.seq)
    await _backlog_check(services)
    await kick(services)
    return Submitted(upload.id, upload.received, position)


async def _backlog_check(services: Services) -> None:
    async with read(services.sessions) as session:
        waiting = await rows.open_uploads(session)
    if waiting > BACKLOG_UPLOADS:
        await raise_alert(
            services,
            AlertKind.BACKLOG,
            f"{waiting} scraper uploads wait to be processed (more than {BACKLOG_UPLOADS})",
            {"pendingUploads": str(waiting)},
            once_per=("uploads", BACKLOG_ALERT_WINDOW_S),
        )


async def complete(services: Services, scraper: Scraper | None, role_id: uuid.UUID) -> ScrapeRole:
    """To the back of the queue; its candidates are re-matched once its uploads are processed."""
    _bot(scraper)
    async with transaction(services.sessions) as session:
        role = await _scraping_role(session, role_id)
        role.status = RoleStatus.QUEUED.value
        role.last_scraped_at = services.clock()
        role.completed_claim_at = role.claimed_at
    await kick(services)
    return role


async def fail(
    services: Services, scraper: Scraper | None, role_id: uuid.UUID, error: str, retry: bool
) -> ScrapeRole:
    """The role stays queued with one more retry; `retry` keeps its place at the front, else it
    goes to the back as if scraped."""
    _bot(scraper)
    reason = failure_reason(error)
    async with transaction(services.sessions) as session:
        role = await _scraping_role(session, role_id)
        role.status = RoleStatus.QUEUED.value
        role.retry_count += 1
        role.last_error = reason or None
        if not retry:
            role.last_scraped_at = services.clock()
    return role


async def queue(
    services: Services, viewer: Viewer | None, first: int, after: tuple[datetime, uuid.UUID] | None
) -> QueuePage:
    require(viewer, Role.PLATFORM_ADMIN)
    check_page_size(first)
    async with transaction(services.sessions) as session:
        await _sync(services, session)
    async with read(services.sessions) as session:
        page = await rows.queue_page(session, first, after)
        pending = await rows.pending_by_role(session, [r.id for r in page.items])
    return QueuePage(page, pending)


async def kick(services: Services) -> None:
    """Has the uploads processed: by a worker when a task queue runs, else right here."""
    if services.tasks is not None:
        await services.tasks.defer(PROCESS_TASK, queueing_lock=PROCESS_TASK, lock=PROCESS_TASK)
    else:
        await process_uploads(services)


async def release_stuck(services: Services) -> int:
    """Roles SCRAPING for over an hour (their bot died): back in the queue, one retry more, and
    an alert each. Returns how many."""
    now = services.clock()
    async with transaction(services.sessions) as session:
        stuck = await rows.stuck_roles(session, now - timedelta(seconds=STUCK_AFTER_S))
        for role in stuck:
            role.status = RoleStatus.QUEUED.value
            role.retry_count += 1
            role.last_error = "no completion within an hour"
    for role in stuck:
        await raise_alert(
            services,
            AlertKind.ROLE_STUCK,
            f"role {role.role} was scraping for over an hour; it is queued again",
            {"roleId": str(role.id), "role": role.role, "claimedAt": str(role.claimed_at)},
        )
    return len(stuck)


async def rematch_role(services: Services, role: str) -> int:
    """Re-matches the READY pool candidates who want `role`; returns how many."""
    async with read(services.sessions) as session:
        people = await rows.ready_pool_roles(session)
    ids = [cid for cid, wanted in people if role in normalize_roles(wanted)]
    for start in range(0, len(ids), REFRESH_BATCH):
        async with transaction(services.sessions) as session:
            now = services.clock()
            for row in await candidates.get_candidates(session, ids[start : start + REFRESH_BATCH]):
                await rematch(session, row, now, None)
    return len(ids)


async def process_uploads(services: Services) -> int:
    """Processes every waiting upload, oldest first, one at a time across all instances, then
    finishes the completed roles. Returns how many uploads were processed here."""
    done = 0
    for _ in range(3):  # work that arrived while the lock was being released
        async with rows.processor_lock(services.sessions) as mine:
            if not mine:
                return done  # the holder drains what is waiting, this upload included
            done += await _drain(services)
            await _finish_completed(services)
        async with read(services.sessions) as session:
            if not await rows.work_left(session):
                break
    return done


async def _drain(services: Services) -> int:
    done = 0
    while True:
        async with transaction(services.sessions) as session:
            upload = await rows.next_upload(session)
        if upload is None:
            return done
        if upload.attempts > UPLOAD_ATTEMPTS:
            await _give_up(services, upload.id, upload.platform, "processing stopped midway")
            continue
        try:
            batch = await run_import(services, upload.platform, upload.rows, created_by=None)
        except Exception as exc:
            log.exception("scrape upload %s failed (attempt %d)", upload.id, upload.attempts)
            if upload.attempts >= UPLOAD_ATTEMPTS:
                await _give_up(services, upload.id, upload.platform, type(exc).__name__)
            continue
        async with transaction(services.sessions) as session:
            await rows.finish_upload(
                session,
                upload.id,
                status=UploadStatus.DONE,
                now=services.clock(),
                found=batch.total - batch.failed,
                batch_id=batch.id,
            )
        done += 1


async def _give_up(services: Services, upload_id: uuid.UUID, platform: str, reason: str) -> None:
    async with transaction(services.sessions) as session:
        await rows.finish_upload(
            session, upload_id, status=UploadStatus.FAILED, now=services.clock()
        )
    await raise_alert(
        services,
        AlertKind.EMBEDDING_FAILED,
        f"a {platform} upload failed {UPLOAD_ATTEMPTS} times and was dropped: {reason}",
        {"uploadId": str(upload_id), "platform": platform, "reason": reason},
    )


async def _finish_completed(services: Services) -> None:
    """Completed roles whose uploads are all processed: an alert when they found nothing, and
    their candidates re-matched (a failed re-match is caught up by the nightly refresh)."""
    async with transaction(services.sessions) as session:
        finished = []
        for role in await rows.completed_roles(session):
            assert role.completed_claim_at is not None
            found = await rows.found_in_claim(session, role.id, role.completed_claim_at)
            finished.append((role.id, role.role, found))
            role.completed_claim_at = None
    for role_id, name, found in finished:
        if found == 0:
            await raise_alert(
                services,
                AlertKind.EMPTY_SCRAPE,
                f"the scrape of role {name} found no jobs",
                {"roleId": str(role_id), "role": name},
            )
        await rematch_role(services, name)
