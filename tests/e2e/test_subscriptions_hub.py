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

from db import outbox
from db.engine import read, transaction
from db.models import Event
from domain.config import Settings
from domain.enums import Role
from resolvers.events import STATUS_CHANGED, EventHub, Listener
from resolvers.events_matching import score_matches
from resolvers.security import TokenClaims
from resolvers.services import Runtime, Services, Viewer
from resolvers.wakeups import Wakeups, backend_url
from schema.ids import from_global_id
from tests.conftest import TEST_SECRET
from tests.e2e.conftest import call, sign_up
from tests.e2e.subscription_support import BACKEND_JOB, BACKEND_PROFILE, CREATE_JOB, company_name


@pytest.fixture(scope="module")
async def services(database_url: str) -> AsyncIterator[Services]:
    runtime = await Runtime.start(
        Settings(environment="test", jwt_secret=TEST_SECRET), url=database_url, model=False
    )
    yield runtime.services
    await runtime.close()


def viewer(user_id: uuid.UUID) -> Viewer:
    now = datetime.now(UTC)
    claims = TokenClaims(
        user_id, uuid.uuid4(), uuid.uuid4(), "access", now, now + timedelta(minutes=15)
    )
    return Viewer(id=user_id, role=Role.CANDIDATE, company_id=None, token=claims)


async def test_a_listener_that_overflows_over_several_rounds_gets_every_event_once_in_order(
    services: Services,
) -> None:
    hub = EventHub(services, poll_interval_s=3600)  # rounds are run by hand below
    await hub.start()
    ada = uuid.uuid4()
    stream = hub.stream(Listener(viewer(ada), STATUS_CHANGED, queue=asyncio.Queue(2)), None)
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.1)

    async def round_of(*numbers: int) -> None:
        async with transaction(services.sessions) as session:
            rows = [{"kind": STATUS_CHANGED, "user_id": ada, "payload": {"n": n}} for n in numbers]
            await outbox.emit_many(session, rows)
        await hub.drain()

    await round_of(1, 2, 3)  # 1 and 2 fill the queue, 3 overflows it
    received = [(await first).event.payload["n"]]
    await round_of(4)  # the queue has room again, but 3 is still owed
    with pytest.raises(TimeoutError):
        while True:
            received.append((await asyncio.wait_for(anext(stream), 1.0)).event.payload["n"])
    await stream.aclose()
    await hub.stop()

    assert received == [1, 2, 3, 4]


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
        await score_matches(services, events, [(user_id, minimums[0]), (user_id, minimums[1])])
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
    woken = asyncio.Event()
    sender, receiver = Wakeups(url, lambda: None), Wakeups(url, woken.set)
    await sender.start()
    await receiver.start()
    try:
        async with asyncio.timeout(10):
            await sender.connected.wait()
            await receiver.connected.wait()
        await asyncio.sleep(0.5)  # let the wake-ups each sends on connecting go by
        woken.clear()
        with caplog.at_level(logging.WARNING, logger="jobmatch.wakeups"):
            for _ in range(50):  # fifty commits at once, as under load
                sender.publish()
            async with asyncio.timeout(2):
                await woken.wait()
            await asyncio.sleep(0.5)
    finally:
        await sender.stop()
        await receiver.stop()

    assert [
        record.getMessage() for record in caplog.records if record.name == "jobmatch.wakeups"
    ] == []
