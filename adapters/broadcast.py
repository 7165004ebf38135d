"""Cross-instance wake-ups over the broadcast backend; the outbox table stays the source of truth.

A message only says "the outbox moved": a lost message delays delivery to the hub's next poll,
it never loses an event, and a dropped backend connection is re-established with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from broadcaster import Broadcast

log = logging.getLogger("jobmatch.wakeups")
CHANNEL = "jobmatch_outbox"
HEARTBEAT_S = 5.0


def backend_url(broadcast_url: str, database_url: str) -> str | None:
    """None for memory:// (one process needs no backend); bare postgres:// reuses the database."""
    if broadcast_url.startswith("memory://"):
        return None
    if broadcast_url.rstrip("/") in ("postgres:", "postgresql:"):
        return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    return broadcast_url


class Wakeups:
    def __init__(self, url: str | None, on_message: Callable[[], None]) -> None:
        self.url = url
        self.on_message = on_message
        self.connected = asyncio.Event()
        self._moved = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.url is not None:
            self._task = asyncio.create_task(self._run(), name="wakeups")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def publish(self) -> None:
        """Coalesced: one message sent after the latest commit tells peers about all before it."""
        self._moved.set()

    async def _run(self) -> None:
        assert self.url is not None
        delay = 0.5
        while True:
            try:
                async with (
                    Broadcast(self.url) as broadcast,
                    broadcast.subscribe(CHANNEL) as subscriber,
                ):
                    self.connected.set()
                    delay = 0.5
                    self.on_message()  # catch up on anything sent while disconnected
                    self._moved.set()  # and have peers do the same
                    async with asyncio.TaskGroup() as group:
                        group.create_task(self._send(broadcast))
                        group.create_task(self._receive(subscriber))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                cause = exc.exceptions[0] if isinstance(exc, ExceptionGroup) else exc
                log.warning("broadcast backend lost (%r); reconnecting in %.1fs", cause, delay)
            finally:
                self.connected.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _send(self, broadcast: Broadcast) -> None:
        """The only task that publishes: some backends (asyncpg) run one command at a time."""
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(HEARTBEAT_S):
                    await self._moved.wait()
            message = "moved" if self._moved.is_set() else "ping"
            self._moved.clear()
            # A ping on a dead connection raises (backends drop connections silently), and a
            # publish that hangs on one is cut off: either way the connection is made again.
            async with asyncio.timeout(HEARTBEAT_S):
                await broadcast.publish(CHANNEL, message)

    async def _receive(self, subscriber: Any) -> None:
        while True:
            if (await subscriber.get()).message != "ping":
                self.on_message()
