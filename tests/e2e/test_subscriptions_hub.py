"""The real-time layer's edge cases, driven in-process against the e2e database where a client
cannot force the timing: a listener that overflows across rounds, one candidate holding several
matchFound minimums, and concurrent wake-ups over PostgreSQL NOTIFY."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.broadcast import Wakeups, backend_url
from adapters.matches import score_matches
from adapters.realtime import EventHub, Listener, Subscriber
from app import Runtime
from db import outbox
from db.engine import read, transaction
from db.models import Event
from domain.config import Settings
from domain.enums import EventKind
from resolvers.services import Services
from schema.ids import from_global_id
from tests.conftest import TEST_SECRET
from tests.e2e.conftest import WAIT_S, call, sign_up
from tests.e2e.subscription_support import BACKEND_JOB, BACKEND_PROFILE, CREATE_JOB, company_name

STATUS_CHANGED = EventKind.APPLICATION_STATUS_CHANGED


@pytest.fixture(scope="module")
async def services(database_url: str) -> AsyncIterator[Services]:
    runtime = await Runtime.start(
        Settings(environment="test", jwt_secret=TEST_SECRET), url=database_url, model=False
    )
    yield runtime.services
    await runtime.close()


def viewer(user_id: uuid.UUID) -> Subscriber:
    return Subscriber(user_id, None, uuid.uuid4(), datetime.now(UTC) + timedelta(minutes=15))


async def test_a_listener_that_overflows_over_several_rounds_gets_every_event_once_in_order(
    services: Services,
) -> None:
    # Rounds are run by hand below.
    hub = EventHub(services.sessions, services.clock, poll_interval_s=3600)
    await hub.start()
    ada = uuid.uuid4()
    listener = Listener(viewer(ada), STATUS_CHANGED, queue=asyncio.Queue(2))
    stream = hub.stream(listener, None)
    first = asyncio.ensure_future(anext(stream))
    async with asyncio.timeout(WAIT_S):
        while listener not in hub.listeners:  # noqa: ASYNC110 (the hub has no event for "joined")
            await asyncio.sleep(0)  # one turn of the loop: joining takes no I/O

    async def round_of(*numbers: int) -> None:
        async with transaction(services.sessions) as session:
            rows = [{"kind": STATUS_CHANGED, "user_id": ada, "payload": {"n": n}} for n in numbers]
            await outbox.emit_many(session, rows)
        await hub.drain()

    await round_of(1, 2, 3)  # 1 and 2 fill the queue, 3 overflows it
    received = [(await first).event.payload["n"]]
    await round_of(4)  # the queue has room again, but 3 is still owed
    async with asyncio.timeout(WAIT_S):
        while received[-1] < 4:
            received.append((await anext(stream)).event.payload["n"])
        await round_of(5)  # the marker: a duplicate of anything before it would come first
        received.append((await anext(stream)).event.payload["n"])
    await stream.aclose()
    await hub.stop()

    assert received == [1, 2, 3, 4, 5]


async def test_each_matchfound_subscription_of_one_candidate_is_held_to_its_own_min_score(
    graphql_url: str, services: Services
) -> None:
    recruiter = await sign_up(graphql_url, role="RECRUITER", company=company_name())
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    job = await call(
        graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=recruiter["accessToken"]
    )
    job_id = from_global_id(job["createJob"]["id"])[1]
    user_id = from_global_id(candidate["user"]["id"])[1]
    async with read(services.sessions) as session:
        events = list(
            (
                await session.execute(
                    select(Event).where(Event.job_id == job_id, Event.kind == "JOB_ACTIVATED")
                )
            ).scalars()
        )

    found = [
        await score_matches(
            services.sessions,
            events,
            [(user_id, minimums[0]), (user_id, minimums[1])],
            now=services.clock(),
        )
        for minimums in [
            (99.9, 10.0),
            (10.0, 99.9),
        ]  # the order the hub lists its listeners in varies
    ]

    assert len(events) == 1
    assert all(list(pairs) == [(events[0].id, user_id)] for pairs in found)
    assert 10 <= float(found[0][(events[0].id, user_id)].explanation.score) < 99.9


async def test_concurrent_wakeups_over_postgres_reach_the_other_instance_without_errors(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = backend_url("postgres://", database_url)
    heard = 0
    changed = asyncio.Event()

    def wake() -> None:
        nonlocal heard
        heard += 1
        changed.set()

    async def until_heard(count: int) -> None:
        async with asyncio.timeout(WAIT_S):
            while heard < count:
                changed.clear()
                await changed.wait()

    sender, receiver = Wakeups(url, lambda: None), Wakeups(url, wake)
    try:
        with caplog.at_level(logging.WARNING, logger="jobmatch.wakeups"):
            await receiver.start()
            async with asyncio.timeout(WAIT_S):
                await receiver.connected.wait()  # listening, and woken once to catch up
            await sender.start()
            # The message each sends on connecting: the receiver's own, then the sender's.
            await until_heard(3)
            for _ in range(50):  # fifty commits at once, as under load
                sender.publish()
            # One coalesced message, sent after the sender's first: had that send failed, the
            # warning would already be logged.
            await until_heard(4)
    finally:
        await sender.stop()
        await receiver.stop()

    assert [
        record.getMessage() for record in caplog.records if record.name == "jobmatch.wakeups"
    ] == []
