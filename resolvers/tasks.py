"""The background tasks (SPEC §14): each a use case run by a worker, idempotent, retried with
back-off. `task(...)` declares one; `services.tasks.defer(name, ...)` queues one."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from adapters.taskqueue import REGISTRY, TaskDef, task
from db import candidates, digests, feed, retention
from db import matches as match_rows
from db.engine import read, transaction
from domain.enums import CandidateStatus
from resolvers import demo, maintenance
from resolvers import digests as digest_cases
from resolvers.matches import REFRESH_BATCH, rematch
from resolvers.services import Services

log = logging.getLogger("jobmatch.tasks")

DIGEST_FANOUT = 500  # opted-in candidates listed per query when deferring digests


@task("expire_jobs", cron="0 3 * * *")
async def expire_jobs(services: Services, timestamp: int | None = None) -> None:
    """Expires due jobs; demo jobs (if the demo was loaded) are re-dated first, so a demo
    install that runs for weeks keeps a feed."""
    if await demo.needs_refresh(services):
        log.info("re-dated %d demo jobs", await demo.refresh(services))
    count = await maintenance.expire(services)
    log.info("expired %d jobs", count)


@task("refresh_matches", cron="0 2 * * *")
async def refresh_matches(services: Services, timestamp: int | None = None) -> None:
    """The nightly refresh: one `refresh_match_batch` task per REFRESH_BATCH READY pool
    candidates (every agency's and employer's), so workers share the work and a failed batch
    is retried alone."""
    queue = services.tasks
    assert queue is not None, "the worker's task queue is not set"
    after, batches = None, 0
    while True:
        async with read(services.sessions) as session:
            batch = await match_rows.ready_after(session, after, REFRESH_BATCH)
        if not batch:
            break
        ids = [str(c.id) for c in batch]
        await queue.defer(
            "refresh_match_batch", queueing_lock=f"refresh_match_batch:{ids[0]}", candidate_ids=ids
        )
        after, batches = batch[-1].id, batches + 1
    log.info("nightly refresh: %d batches queued", batches)


@task("refresh_match_batch")
async def refresh_match_batch(services: Services, candidate_ids: list[str]) -> None:
    """Re-matches each candidate still READY; running it twice writes the same records."""
    async with transaction(services.sessions) as session:
        now = services.clock()
        for raw in candidate_ids:
            candidate = await candidates.get_candidate(session, uuid.UUID(raw))
            if candidate is not None and candidate.status == CandidateStatus.READY.value:
                await rematch(session, candidate, now, None)


@task("send_digests", cron="0 7 * * *")
async def send_digests(services: Services, timestamp: int | None = None) -> None:
    """One `send_digest` task per opted-in candidate; the queueing lock keeps one waiting each."""
    queue = services.tasks
    assert queue is not None, "the worker's task queue is not set"
    after = None
    while True:
        async with read(services.sessions) as session:
            ids = await digests.opted_in_after(session, after, DIGEST_FANOUT)
        for user_id in ids:
            await defer_digest(services, user_id)
        if len(ids) < DIGEST_FANOUT:
            return
        after = ids[-1]


async def defer_digest(services: Services, user_id: uuid.UUID) -> None:
    queue = services.tasks
    assert queue is not None, "the task queue is not set"
    key = f"digest:{user_id}"
    await queue.defer("send_digest", queueing_lock=key, lock=key, user_id=str(user_id))


@task("send_digest")
async def send_digest(services: Services, user_id: str) -> None:
    """Builds, stores and e-mails one candidate's digest; an SMTP failure raises, the task is
    retried and sends the stored digest (never a second one)."""
    await digest_cases.deliver(services, uuid.UUID(user_id))


@task("retention", cron="0 4 * * 0")
async def retention_cleanup(services: Services, timestamp: int | None = None) -> None:
    """Weekly: expired feed snapshots, outbox events past the replay window, finished tasks."""
    settings, now = services.settings, services.clock()
    async with transaction(services.sessions) as session:
        snapshots = await feed.drop_expired_snapshots(session, now)
        events = await retention.drop_events_before(
            session, now - timedelta(days=settings.event_retention_days)
        )
    if services.tasks is not None:
        await services.tasks.delete_finished(older_than_days=settings.task_retention_days)
    log.info("retention: dropped %d snapshots, %d events", snapshots, events)


def all_tasks() -> list[TaskDef]:
    """Every task declared above (and by any module imported before the queue is built)."""
    return list(REGISTRY)


# The scrape queue (helper B): uploads are processed one at a time (the task's lock, and an
# advisory lock in process_uploads for inline processing); the check releases stuck roles.
@task("process_scrape_uploads")
async def process_scrape_uploads(services: Services) -> None:
    from resolvers import scraping

    count = await scraping.process_uploads(services)
    log.info("processed %d scrape uploads", count)


@task("check_scrape_queue", cron="*/5 * * * *")
async def check_scrape_queue(services: Services, timestamp: int | None = None) -> None:
    """Roles SCRAPING for over an hour go back to the queue with an alert; waiting uploads that
    lost their task (an instance without a queue died) are processed."""
    from resolvers import scraping

    await scraping.release_stuck(services)
    await scraping.process_uploads(services)


@task("email_alert")
async def email_alert(services: Services, alert_id: str) -> None:
    """Retried with back-off while SMTP is down."""
    from resolvers import alerts

    await alerts.email_alert(services, uuid.UUID(alert_id))
