"""The event hub: reads the outbox in commit order, routes each event to the listeners it concerns."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from db import outbox
from db.engine import read
from db.models import Event
from domain.errors import InvalidInput
from resolvers.events_matching import Match, score_matches
from resolvers.services import Services, Viewer
from resolvers.wakeups import Wakeups, backend_url

log = logging.getLogger("jobmatch.events")

MATCH_FOUND = "MATCH_FOUND"
STATUS_CHANGED = "APPLICATION_STATUS_CHANGED"
RECEIVED = "APPLICATION_RECEIVED"
QUEUE_LIMIT = 256
REPLAY_PAGE = 500


@dataclass(frozen=True)
class Delivery:
    """What one listener receives for one event; payloads carry ids, resolved when rendered."""

    event_id: int
    event: Event
    match: Match | None = (
        None  # matchFound: the job row, shared by all its deliveries, and the score
    )


@dataclass(eq=False)
class Listener:
    viewer: Viewer
    kind: str
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
        if self.kind == STATUS_CHANGED:
            return event.kind == STATUS_CHANGED and event.user_id == self.viewer.id
        if self.kind == RECEIVED:
            return (
                event.kind == RECEIVED
                and event.company_id == self.viewer.company_id
                and (self.job_id is None or event.job_id == self.job_id)
            )
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


class EventHub:
    def __init__(self, services: Services, *, poll_interval_s: float = 0.5) -> None:
        self.services = services
        self.poll_interval_s = poll_interval_s
        self.last_id = 0
        self.listeners: set[Listener] = set()
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._sockets: dict[uuid.UUID, weakref.WeakSet[Any]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def track(self, websocket: Any, viewer: Viewer) -> None:
        """Closes the socket with 4403 when its access token expires or its sign-in is revoked."""
        family = viewer.token.family_id
        self._sockets.setdefault(family, weakref.WeakSet()).add(websocket)
        delay = (viewer.token.expires_at - self.services.clock()).total_seconds()
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
            if listener.ends_with_sign_in and listener.viewer.token.family_id == family_id:
                listener.end()

    async def start(self) -> None:
        async with read(self.services.sessions) as session:
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
                await asyncio.wait_for(self._wake.wait(), self.poll_interval_s)
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
                async with read(self.services.sessions) as session:
                    events = await outbox.since(session, self.last_id, limit=REPLAY_PAGE)
                if not events:
                    return
                await self._route(events)
                self.last_id = events[-1].id

    async def _route(self, events: Sequence[Event]) -> None:
        for event in events:
            if event.kind == "SESSION_REVOKED":
                self._revoke(event)
        matchers = [(m.viewer.id, m.min_score) for m in self.listeners if m.kind == MATCH_FOUND]
        activated = [e for e in events if e.kind == "JOB_ACTIVATED"]
        matched: dict[tuple[int, uuid.UUID], Match] = {}
        if matchers and activated:
            matched = await score_matches(self.services, activated, matchers)
        for event in events:
            for listener in self.listeners:
                if listener.kind == MATCH_FOUND:
                    match = matched.get((event.id, listener.viewer.id))
                    if match is not None and float(match.explanation.score) >= listener.min_score:
                        listener.offer(Delivery(event.id, event, match))
                elif listener.wants(event):
                    listener.offer(Delivery(event.id, event))

    async def _join(self, listener: Listener) -> int:
        async with self._lock:
            self.listeners.add(listener)
            return self.last_id

    async def _replay(self, listener: Listener, after: int, upto: int) -> list[Delivery]:
        kinds = ["JOB_ACTIVATED"] if listener.kind == MATCH_FOUND else [listener.kind]
        deliveries: list[Delivery] = []
        cursor = after
        while cursor < upto:
            async with read(self.services.sessions) as session:
                events = await outbox.since(
                    session,
                    cursor,
                    kinds=kinds,
                    upto=upto,
                    user_id=listener.viewer.id if listener.kind == STATUS_CHANGED else None,
                    company_id=listener.viewer.company_id if listener.kind == RECEIVED else None,
                    limit=REPLAY_PAGE,
                )
            if not events:
                break
            cursor = events[-1].id
            if listener.kind == MATCH_FOUND:
                scored = await score_matches(
                    self.services,
                    events,
                    [(listener.viewer.id, listener.min_score)],
                    active_only=True,
                )
                deliveries += [
                    Delivery(e.id, e, scored[(e.id, listener.viewer.id)])
                    for e in events
                    if (e.id, listener.viewer.id) in scored
                ]
            else:
                deliveries += [Delivery(e.id, e) for e in events if listener.wants(e)]
        return deliveries

    async def stream(self, listener: Listener, after: int | None) -> AsyncIterator[Delivery]:
        """Replays what the client missed (after `after`), then goes live; ids strictly increase."""
        boundary = await self._join(listener)
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

    async def _next(self, listener: Listener) -> Delivery | None:
        """The next live delivery; None when the stream ends with its sign-in (revoked, expired)."""
        if not listener.ends_with_sign_in:
            return await listener.queue.get()
        left = (listener.viewer.token.expires_at - self.services.clock()).total_seconds()
        try:
            return await asyncio.wait_for(listener.queue.get(), max(0.0, left))
        except TimeoutError:
            return None


def parse_event_id(value: str | None) -> int | None:
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:  # "²".isdigit()
        raise InvalidInput("after must be an eventId this API returned", field="after")
    return int(value)


@dataclass
class EventDelivery:
    """The hub plus its cross-instance wake-ups, wired to the outbox commit hook."""

    hub: EventHub
    wakeups: Wakeups

    async def stop(self) -> None:
        self.services_hook(None)
        await self.wakeups.stop()
        await self.hub.stop()

    def services_hook(self, hook: Callable[[], None] | None) -> None:
        info = self.hub.services.sessions.kw.setdefault("info", {})
        if hook is None:
            info.pop("on_outbox_commit", None)
        else:
            info["on_outbox_commit"] = hook


async def start_event_delivery(
    services: Services, database_url: str, *, poll_interval_s: float = 0.5
) -> EventDelivery:
    hub = EventHub(services, poll_interval_s=poll_interval_s)
    wakeups = Wakeups(backend_url(services.settings.broadcast_url, database_url), hub.wake)
    delivery = EventDelivery(hub, wakeups)

    def committed() -> None:
        hub.wake()
        wakeups.publish()

    await hub.start()
    await wakeups.start()
    delivery.services_hook(committed)
    services.events = hub
    return delivery
