"""The periodic tasks, run by procrastinate's worker in this process: schedules, expiry, the
nightly refresh (one task per batch), retention."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from adapters.taskqueue import TaskQueue
from app import Runtime
from db.models import Company, Event, Job, RankedSnapshot
from resolvers import tasks
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import company_of, insert_jobs, raw, recruiter
from tests.api.test_auto_matching import PYTHON_JOB, _records
from tests.api.test_matches import _add, _agency, _generated
from tests.conftest import Clock
from tests.tasks.conftest import drain, jobs

MINE = (
    "expire_jobs",
    "refresh_matches",
    "refresh_match_batch",
    "send_digests",
    "send_digest",
    "retention",
)


async def a_company(runtime: Runtime) -> uuid.UUID:
    async with runtime.services.sessions() as session, session.begin():
        company = Company(id=uuid.uuid4(), name=f"Acme {uuid.uuid4().hex[:6]}")
        session.add(company)
    return company.id


def test_periodic_tasks_run_on_their_utc_schedules(runtime: Runtime) -> None:
    assert runtime.services.tasks is not None
    registry = runtime.services.tasks.app.periodic_registry.periodic_tasks
    schedules = {task.task.name: task.cron for task in registry.values()}
    assert schedules == {
        "expire_jobs": "0 3 * * *",
        "refresh_matches": "0 2 * * *",
        "send_digests": "0 7 * * *",
        "retention": "0 4 * * 0",
    } | {name: cron for name, cron in schedules.items() if name not in MINE}


async def test_every_task_retries_with_exponential_backoff(runtime: Runtime) -> None:
    assert runtime.services.tasks is not None
    for name in MINE:
        strategy = runtime.services.tasks.app.tasks[name].retry_strategy
        assert strategy is not None and strategy.exponential_wait == 2
        assert strategy.max_attempts and strategy.max_attempts >= 5


async def test_the_expiry_task_expires_due_jobs(
    runtime: Runtime, queue: TaskQueue, clock: Clock
) -> None:
    now = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
    company = await a_company(runtime)
    await insert_jobs(
        runtime,
        company,
        [
            {"title": "Due", "expires_at": now - timedelta(minutes=1)},
            {"title": "Later", "expires_at": now + timedelta(days=1)},
        ],
        now=now - timedelta(days=29),
    )
    clock.now = now
    await queue.defer("expire_jobs", timestamp=int(now.timestamp()))
    await drain(queue)
    async with runtime.services.sessions() as session:
        rows = dict((await session.execute(select(Job.title, Job.status))).all())
    assert rows == {"Due": "EXPIRED", "Later": "ACTIVE"}
    assert [j["status"] for j in await jobs(runtime, "expire_jobs")] == ["succeeded"]


async def test_the_nightly_refresh_rematches_ready_candidates_one_task_per_batch(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = await _agency(gql, "boss@staffco.test", "StaffCo")
    jane = await _add(gql, staff, name="Jane", preferredLocations=["Austin, TX"])
    joe = await _add(gql, staff, name="Joe", preferredLocations=["Austin, TX"])
    waiting = await _add(gql, staff, name="Jim")  # PENDING_REVIEW: left be
    await _generated(gql, staff, jane)
    await _generated(gql, staff, joe)
    acme = await recruiter(gql, "boss@acme.test", "Acme")
    # Written straight to the table: nothing matched it when it appeared.
    [job] = await insert_jobs(
        runtime, await company_of(gql, acme), [{"title": "Python Backend Engineer", **PYTHON_JOB}]
    )
    assert await _records(gql, staff, jane) == {}
    monkeypatch.setattr(tasks, "REFRESH_BATCH", 1)
    await queue.defer("refresh_matches", timestamp=0)
    await drain(queue)
    batches = await jobs(runtime, "refresh_match_batch")
    assert sorted(b["args"]["candidate_ids"][0] for b in batches) == sorted(
        str(raw(c)) for c in (jane, joe)
    )
    assert all(b["status"] == "succeeded" for b in batches)
    assert list(await _records(gql, staff, jane)) == [job]
    assert list(await _records(gql, staff, joe)) == [job]
    assert await _records(gql, staff, waiting) == {}
    before = await _records(gql, staff, jane)
    await queue.defer("refresh_match_batch", candidate_ids=[str(raw(jane))])
    await drain(queue)  # run twice: the same records
    assert await _records(gql, staff, jane) == before


async def test_retention_deletes_only_the_old_rows(
    runtime: Runtime, queue: TaskQueue, clock: Clock
) -> None:
    now = datetime.now(UTC)
    clock.now = now
    async with runtime.services.sessions() as session, session.begin():
        session.add_all(
            [
                Event(kind="OLD", payload={}, created_at=now - timedelta(days=30)),
                Event(kind="NEW", payload={}, created_at=now - timedelta(days=1)),
                _snapshot(now - timedelta(minutes=1)),
                _snapshot(now + timedelta(minutes=30)),
            ]
        )
    await queue.defer("expire_jobs", timestamp=1)
    await queue.defer("expire_jobs", timestamp=2)
    await drain(queue)
    old, recent = await jobs(runtime, "expire_jobs")
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(
            text(
                "UPDATE procrastinate.procrastinate_events SET at = now() - interval '30 days' "
                "WHERE job_id = :id"
            ),
            {"id": old["id"]},
        )
    await queue.defer("retention", timestamp=3)
    await drain(queue)
    async with runtime.services.sessions() as session:
        kinds = (await session.execute(select(Event.kind))).scalars().all()
        left = (await session.execute(select(RankedSnapshot.expires_at))).scalars().all()
    assert kinds == ["NEW"]
    assert left == [now + timedelta(minutes=30)]
    remaining = {j["id"] for j in await jobs(runtime, "expire_jobs")}
    assert remaining == {recent["id"]}


def _snapshot(expires_at: datetime) -> Any:
    return RankedSnapshot(
        id=uuid.uuid4(),
        user_id=None,
        kind="feed",
        job_ids=[],
        scores=[],
        ranked_at=expires_at - timedelta(hours=1),
        expires_at=expires_at,
    )
