"""Task-queue fixtures: an empty queue, a real SMTP server (aiosmtpd), worker processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session
from sqlalchemy import text

from adapters.taskqueue import TaskQueue
from app import Runtime
from tests.conftest import ROOT, TEST_DATA_DIR, TEST_SECRET

QUEUE_TABLES = (
    "procrastinate.procrastinate_events",
    "procrastinate.procrastinate_periodic_defers",
    "procrastinate.procrastinate_jobs",
    "procrastinate.procrastinate_workers",
)


@pytest.fixture
async def queue(runtime: Runtime, clean: None) -> AsyncIterator[TaskQueue]:
    """The runtime's task queue, emptied (the `clean` fixture leaves procrastinate's schema be)."""
    async with runtime.services.sessions() as session:
        await session.execute(text(f"TRUNCATE {', '.join(QUEUE_TABLES)} RESTART IDENTITY CASCADE"))
        await session.commit()
    assert runtime.services.tasks is not None
    yield runtime.services.tasks


async def drain(queue: TaskQueue) -> None:
    """Runs every job that is due in this process, then returns (procrastinate's own worker;
    again while jobs the last run deferred are waiting: it stops when it finds none at once)."""
    while True:
        await queue.app.run_worker_async(
            wait=False, install_signal_handlers=False, listen_notify=False, concurrency=1
        )
        if not await queue.waiting():
            return


async def jobs(runtime: Runtime, task: str | None = None) -> list[dict[str, Any]]:
    query = "SELECT id, task_name, status::text AS status, attempts, args FROM procrastinate.procrastinate_jobs"
    if task is not None:
        query += " WHERE task_name = :task"
    async with runtime.services.sessions() as session:
        rows = await session.execute(text(query + " ORDER BY id"), {"task": task})
        return [dict(r._mapping) for r in rows]


async def until(check: Callable[[], Any], limit_s: float = 60.0, every: float = 0.1) -> Any:
    """Polls an async condition (a database state another process changes) until truthy."""
    async with asyncio.timeout(limit_s):
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(every)


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message it accepts."""

    messages: list[Message] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.original_content or b""))
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    recorder: Recorder
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 (not started yet for the server-down tests: call start)."""
    server = SmtpServer(free_port(), Recorder())
    yield server
    server.stop()


@contextmanager
def worker_process(
    database_url: str, *args: str, module: str = "app"
) -> Iterator[subprocess.Popen[bytes]]:
    """`jobmatch worker` as a real process on the test database (`python -m module worker`)."""
    env = {
        **os.environ,
        "JOBMATCH_DATABASE_URL": database_url,
        "JOBMATCH_JWT_SECRET": TEST_SECRET,
        "JOBMATCH_ENV": "test",
        "JOBMATCH_DATA_DIR": str(TEST_DATA_DIR),
        "JOBMATCH_LOG_LEVEL": "INFO",
    }
    # The worker's log is kept for a failing test's post-mortem; a pipe could fill and block it.
    with tempfile.NamedTemporaryFile(prefix="jobmatch-worker-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module, "worker", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


# The API suite's client and helpers, for tasks that start from GraphQL operations.
from tests.api.conftest import gql, tune  # noqa: E402, F401
from tests.e2e.conftest import graphql_url, server_url  # noqa: E402, F401
