"""The outbox: events commit with their change, roll back with it, and reach listeners in id order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from adapters.realtime import EventHub, Listener, Subscriber, start_event_delivery
from app import Runtime
from db import outbox
from db.engine import transaction
from domain.enums import EventKind

STATUS_CHANGED = EventKind.APPLICATION_STATUS_CHANGED


def _viewer(user_id: uuid.UUID) -> Subscriber:
    return Subscriber(user_id, None, uuid.uuid4(), datetime.now(UTC))


@pytest.fixture
async def hub(runtime: Runtime, clean: None) -> AsyncIterator[EventHub]:
    services = runtime.services
    delivery = await start_event_delivery(
        services.sessions,
        services.clock,
        broadcast_url=services.settings.broadcast_url,
        database_url=runtime.url,
        poll_interval_s=0.05,
    )
    yield delivery.hub
    await delivery.stop()


async def _status_event(
    runtime: Runtime, user_id: uuid.UUID, status: str, *, fail: bool = False
) -> None:
    async with transaction(runtime.services.sessions) as session:
        await outbox.emit(
            session,
            STATUS_CHANGED,
            user_id=user_id,
            payload={"application_id": str(uuid.uuid4()), "status": status},
        )
        if fail:
            raise RuntimeError("the change failed after writing its event")


async def _joined(hub: EventHub, listener: Listener) -> None:
    """The listener is registered with the hub: events committed from now on reach it."""
    async with asyncio.timeout(2.0):
        while listener not in hub.listeners:  # noqa: ASYNC110 (the hub has no event for "joined")
            await asyncio.sleep(0)  # one turn of the loop: joining takes no I/O


async def _next(stream: AsyncIterator[object], limit: float = 2.0) -> object:
    async with asyncio.timeout(limit):
        return await anext(stream)


async def test_committed_events_arrive_and_rolled_back_ones_never_do(
    runtime: Runtime, hub: EventHub
) -> None:
    ada, bob = uuid.uuid4(), uuid.uuid4()
    listener = Listener(_viewer(ada), STATUS_CHANGED)
    stream = hub.stream(listener, None)
    pending = asyncio.ensure_future(_next(stream))
    await _joined(hub, listener)
    with pytest.raises(RuntimeError):
        await _status_event(runtime, ada, "REJECTED", fail=True)
    await _status_event(runtime, bob, "HIRED")
    await _status_event(runtime, ada, "HR_MEETING")
    delivery = await pending
    assert delivery.event.payload["status"] == "HR_MEETING"  # type: ignore[attr-defined]
    async with runtime.services.sessions() as session:
        statuses = (
            (await session.execute(text("SELECT payload->>'status' FROM events ORDER BY id")))
            .scalars()
            .all()
        )
    assert statuses == ["HIRED", "HR_MEETING"]
    await stream.aclose()  # type: ignore[attr-defined]


async def test_after_replays_missed_events_in_order_then_goes_live_without_duplicates(
    runtime: Runtime, hub: EventHub
) -> None:
    ada = uuid.uuid4()
    for status in ("WAITING_FOR_REVIEW", "HR_MEETING", "TECHNICAL_INTERVIEW"):
        await _status_event(runtime, ada, status)
    async with runtime.services.sessions() as session:
        first_id = (await outbox.since(session, 0))[0].id
    stream = hub.stream(Listener(_viewer(ada), STATUS_CHANGED), first_id)
    replayed = [await _next(stream), await _next(stream)]
    assert [d.event.payload["status"] for d in replayed] == ["HR_MEETING", "TECHNICAL_INTERVIEW"]  # type: ignore[attr-defined]
    await _status_event(runtime, ada, "FINAL_INTERVIEW")
    live = await _next(stream)
    assert live.event.payload["status"] == "FINAL_INTERVIEW"  # type: ignore[attr-defined]
    ids = [d.event_id for d in [*replayed, live]]  # type: ignore[attr-defined]
    assert ids == sorted(set(ids))
    await stream.aclose()  # type: ignore[attr-defined]


async def test_a_stalled_listener_catches_up_from_the_table_without_loss(
    runtime: Runtime, hub: EventHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = uuid.uuid4()
    listener = Listener(_viewer(ada), STATUS_CHANGED, queue=asyncio.Queue(2))
    stream = hub.stream(listener, None)
    first = asyncio.ensure_future(_next(stream))
    await _joined(hub, listener)
    async with transaction(runtime.services.sessions) as session:
        await outbox.emit_many(
            session,
            [{"kind": STATUS_CHANGED, "user_id": ada, "payload": {"n": n}} for n in range(20)],
        )
    received = [await first]
    for _ in range(19):
        received.append(await _next(stream))
    assert [d.event.payload["n"] for d in received] == list(range(20))  # type: ignore[attr-defined]
    assert listener.queue.maxsize == 2
    await stream.aclose()  # type: ignore[attr-defined]
