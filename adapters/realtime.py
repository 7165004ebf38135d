"""The event hub: reads the outbox in commit order, routes each event to the listeners it concerns."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from adapters.broadcast import Wakeups, backend_url
from adapters.matches import Match, score_matches
from adapters.metrics import observe_outbox_lag, subscriptions_changed
from db import outbox
from db.engine import SessionFactory, read
from db.models import Event
from domain.enums import EventKind

log = logging.getLogger("jobmatch.events")

QUEUE_LIMIT = 256
REPLAY_PAGE = 500


@dataclass(frozen=True)
class Subscriber:
    """Who listens, as far as routing cares: the recipient keys and the sign-in streams end with."""

    user_id: uuid.UUID
    company_id: uuid.UUID | None
    family_id: uuid.UUID
    expires_at: datetime


@dataclass(frozen=True)
class Delivery:
    """What one listener receives for one event; payloads carry ids, resolved when rendered."""

    event_id: int
    event: Event
    # matchFound: the job row, shared by all its deliveries, and the score.
    match: Match | None = None
    # One dict per live event, the same in each of its deliveries: what renders them (the
    # GraphQL layer) keeps there what all of them share. None for replays (one listener).
    shared: dict[str, Any] | None = None


@dataclass(eq=False)
class Listener:
    subscriber: Subscriber
    kind: EventKind
    min_score: float = 70.0
    job_id: uuid.UUID | None = None
    # An HTTP stream (SSE, multipart) has no socket to close at logout or token expiry: it ends.
    ends_with_sign_in: bool = False
    queue: asyncio.Queue[Delivery | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_LIMIT)
    )
    overflowed: bool = False
    ended: bool = False

    def wants(self, event: Event) -> bool:
        if self.kind == EventKind.APPLICATION_STATUS_CHANGED:
            return (
                event.kind == EventKind.APPLICATION_STATUS_CHANGED
                and event.user_id == self.subscriber.user_id
            )
        if self.kind == EventKind.APPLICATION_RECEIVED:
            return (
                event.kind == EventKind.APPLICATION_RECEIVED
                and event.company_id == self.subscriber.company_id
                and (self.job_id is None or event.job_id == self.job_id)
            )
        if self.kind == EventKind.CANDIDATE_MATCHED:
            return (
                event.kind == EventKind.CANDIDATE_MATCHED
                and event.company_id == self.subscriber.company_id
                and (self.job_id is None or event.job_id == self.job_id)
                and float(event.payload.get("score", 0)) >= self.min_score
            )
        if self.kind == EventKind.INTERVIEW_CHANGED:
            return (
                event.kind == EventKind.INTERVIEW_CHANGED
                and event.user_id == self.subscriber.user_id
            )
        if self.kind == EventKind.DIGEST_READY:
            return event.kind == EventKind.DIGEST_READY and event.user_id == self.subscriber.user_id
        if self.kind == EventKind.ALERT_RAISED:  # who may listen was checked at subscribe
            return event.kind == EventKind.ALERT_RAISED
        return False

    def offer(self, delivery: Delivery) -> None:
        """Never blocks the hub: a full queue marks the listener to catch up from the table."""
        if self.overflowed:
            return  # queued after the gap, it would move `last` past what the catch-up must replay
        try:
            self.queue.put_nowait(delivery)
        except asyncio.QueueFull:
            self.overflowed = True

    def end(self) -> None:
        self.ended = True
        with contextlib.suppress(asyncio.QueueFull):  # a full queue is read, then `ended` checked
            self.queue.put_nowait(None)


class Subscriptions(Protocol):
    """What use cases need from the hub: sockets to close with their sign-in, and streams."""

    def track(self, websocket: Any, subscriber: Subscriber) -> None: ...

    def stream(self, listener: Listener, after: int | None) -> AsyncIterator[Delivery]: ...


class EventHub:
    def __init__(
        self,
        sessions: SessionFactory,
        clock: Callable[[], datetime],
        *,
        poll_interval_s: float = 0.5,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.poll_interval_s = poll_interval_s
        self.last_id = 0
        self.listeners: set[Listener] = set()
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._sockets: dict[uuid.UUID, weakref.WeakSet[Any]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def track(self, websocket: Any, subscriber: Subscriber) -> None:
        """Closes the socket with 4403 when its access token expires or its sign-in is revoked."""
        family = subscriber.family_id
        self._sockets.setdefault(family, weakref.WeakSet()).add(websocket)
        delay = (subscriber.expires_at - self.clock()).total_seconds()
        # Weak: a socket closed early is not kept alive until its token would have expired.
        asyncio.get_running_loop().call_later(
            max(0.0, delay), self._expire, weakref.ref(websocket), family
        )

    def _expire(self, ref: weakref.ref[Any], family: uuid.UUID) -> None:
        sockets, websocket = self._sockets.get(family), ref()
        if sockets is not None:
            if websocket is not None:
                sockets.discard(websocket)
            if not sockets:  # so the map holds only sign-ins whose tokens are still live
                del self._sockets[family]
        if websocket is not None:
            self._close(websocket, "access token expired")

    def _close(self, websocket: Any, reason: str) -> None:
        task = asyncio.create_task(self._close_now(websocket, reason))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _close_now(self, websocket: Any, reason: str) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            await websocket.close(code=4403, reason=reason)

    def _revoke(self, event: Event) -> None:
        family = event.payload.get("family_id")
        if family is None:
            return
        family_id = uuid.UUID(family)
        for websocket in list(self._sockets.pop(family_id, ())):
            self._close(websocket, "signed out")
        for listener in self.listeners:
            if listener.ends_with_sign_in and listener.subscriber.family_id == family_id:
                listener.end()

    async def start(self) -> None:
        async with read(self.sessions) as session:
            self.last_id = await outbox.latest_id(session)
        self._task = asyncio.create_task(self._run(), name="event-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_interval_s):
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self.drain()
            except Exception:
                log.exception("event hub round failed; retrying")
                await asyncio.sleep(self.poll_interval_s)

    async def drain(self) -> None:
        """Routes every committed event after last_id; listeners join only between batches."""
        while True:
            async with self._lock:
                async with read(self.sessions) as session:
                    events = await outbox.since(session, self.last_id, limit=REPLAY_PAGE)
                if not events:
                    return
                await self._route(events)
                self.last_id = events[-1].id
            observe_outbox_lag([event.created_at for event in events])

    async def _route(self, events: Sequence[Event]) -> None:
        for event in events:
            if event.kind == EventKind.SESSION_REVOKED:
                self._revoke(event)
        matchers = [
            (m.subscriber.user_id, m.min_score)
            for m in self.listeners
            if m.kind == EventKind.MATCH_FOUND
        ]
        activated = [e for e in events if e.kind == EventKind.JOB_ACTIVATED]
        matched: dict[tuple[int, uuid.UUID], Match] = {}
        if matchers and activated:
            matched = await score_matches(self.sessions, activated, matchers, now=self.clock())
        for event in events:
            shared: dict[str, Any] = {}
            for listener in self.listeners:
                if listener.kind == EventKind.MATCH_FOUND:
                    match = matched.get((event.id, listener.subscriber.user_id))
                    if match is not None and float(match.explanation.score) >= listener.min_score:
                        listener.offer(Delivery(event.id, event, match, shared))
                elif listener.wants(event):
                    listener.offer(Delivery(event.id, event))

    async def _join(self, listener: Listener) -> int:
        async with self._lock:
            self.listeners.add(listener)
            return self.last_id

    async def _replay(self, listener: Listener, after: int, upto: int) -> list[Delivery]:
        kinds = (
            [EventKind.JOB_ACTIVATED] if listener.kind == EventKind.MATCH_FOUND else [listener.kind]
        )
        who = listener.subscriber
        by_user = listener.kind in (
            EventKind.APPLICATION_STATUS_CHANGED,
            EventKind.INTERVIEW_CHANGED,
            EventKind.DIGEST_READY,
        )
        by_company = listener.kind in (
            EventKind.APPLICATION_RECEIVED,
            EventKind.CANDIDATE_MATCHED,
        )
        deliveries: list[Delivery] = []
        cursor = after
        while cursor < upto:
            async with read(self.sessions) as session:
                events = await outbox.since(
                    session,
                    cursor,
                    kinds=kinds,
                    upto=upto,
                    user_id=who.user_id if by_user else None,
                    company_id=who.company_id if by_company else None,
                    limit=REPLAY_PAGE,
                )
            if not events:
                break
            cursor = events[-1].id
            if listener.kind == EventKind.MATCH_FOUND:
                scored = await score_matches(
                    self.sessions,
                    events,
                    [(who.user_id, listener.min_score)],
                    now=self.clock(),
                    active_only=True,
                )
                deliveries += [
                    Delivery(e.id, e, scored[(e.id, who.user_id)])
                    for e in events
                    if (e.id, who.user_id) in scored
                ]
            else:
                deliveries += [Delivery(e.id, e) for e in events if listener.wants(e)]
        return deliveries

    async def stream(self, listener: Listener, after: int | None) -> AsyncIterator[Delivery]:
        """Replays what the client missed (after `after`), then goes live; ids strictly increase."""
        boundary = await self._join(listener)
        subscriptions_changed(listener.kind, 1)
        last = after if after is not None else boundary
        try:
            if after is not None:
                for delivery in await self._replay(listener, after, boundary):
                    last = delivery.event_id
                    yield delivery
            while not listener.ended:
                if listener.queue.empty() and listener.overflowed:
                    async with self._lock:
                        listener.overflowed = False
                        boundary = self.last_id
                    for delivery in await self._replay(listener, last, boundary):
                        last = delivery.event_id
                        yield delivery
                    continue
                live = await self._next(listener)
                if live is None:
                    return
                if live.event_id > last:
                    last = live.event_id
                    yield live
        finally:
            self.listeners.discard(listener)
            subscriptions_changed(listener.kind, -1)

    async def _next(self, listener: Listener) -> Delivery | None:
        """The next live delivery; None when the stream ends with its sign-in (revoked, expired)."""
        if not listener.ends_with_sign_in:
            return await listener.queue.get()
        left = (listener.subscriber.expires_at - self.clock()).total_seconds()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(0.0, left)):
                return await listener.queue.get()
        return None


@dataclass
class EventDelivery:
    """The hub plus its cross-instance wake-ups, wired to the outbox commit hook."""

    hub: EventHub
    wakeups: Wakeups

    async def stop(self) -> None:
        outbox.set_commit_hook(self.hub.sessions, None)
        await self.wakeups.stop()
        await self.hub.stop()


async def start_event_delivery(
    sessions: SessionFactory,
    clock: Callable[[], datetime],
    *,
    broadcast_url: str,
    database_url: str,
    poll_interval_s: float = 0.5,
) -> EventDelivery:
    """Starts the hub and its wake-ups; every commit that wrote events wakes both."""
    hub = EventHub(sessions, clock, poll_interval_s=poll_interval_s)
    wakeups = Wakeups(backend_url(broadcast_url, database_url), hub.wake)

    def committed() -> None:
        hub.wake()
        wakeups.publish()

    await hub.start()
    await wakeups.start()
    outbox.set_commit_hook(sessions, committed)
    return EventDelivery(hub, wakeups)
