"""The task queue: procrastinate on the application's PostgreSQL database.

Use cases declare their tasks with `task(...)` (resolvers/tasks.py) and defer them through
`TaskQueue.defer`, so nothing outside this module imports procrastinate. The composition root
(app.py, cli.py) builds the procrastinate App from the database URL and the task list, and runs
workers on it. A task body is `async def body(services, **kwargs)`; the worker hands it the
Services it was started with.

Retries: every task is retried with exponential back-off. A worker killed mid-task (kill -9)
leaves its job in `doing` with a heartbeat that stops; `retry_stalled` (run periodically by every
worker) puts such jobs back in the queue, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import procrastinate
from procrastinate import exceptions as procrastinate_errors

from db.engine import normalize_url

log = logging.getLogger("jobmatch.tasks")

TaskBody = Callable[..., Awaitable[None]]

# 2**attempt seconds between tries, capped by the attempt count: 2, 4, 8, ... ~8.5 minutes in all.
DEFAULT_MAX_ATTEMPTS = 9
DEFAULT_BACKOFF_BASE_S = 2
# A worker beats every HEARTBEAT_S; a job whose worker has not beaten for STALLED_AFTER_S is
# taken back from it (procrastinate's stalled jobs).
HEARTBEAT_S = 5.0
STALLED_AFTER_S = 30.0
# procrastinate's tables live in a PostgreSQL schema of their own (migration 0010).
QUEUE_SCHEMA = "procrastinate"


@dataclass(frozen=True)
class TaskDef:
    """One task as a use case declares it; `cron` (UTC, 5 or 6 fields) makes it periodic."""

    name: str
    body: TaskBody
    cron: str | None = None
    queue: str = "default"
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_base_s: int = DEFAULT_BACKOFF_BASE_S


REGISTRY: list[TaskDef] = []


def task(
    name: str,
    *,
    cron: str | None = None,
    queue: str = "default",
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> Callable[[TaskBody], TaskBody]:
    """Declares a task body (`async def body(services, **kwargs) -> None`) under a stable name."""

    def register(body: TaskBody) -> TaskBody:
        if any(existing.name == name for existing in REGISTRY):
            raise ValueError(f"task {name!r} is declared twice")
        REGISTRY.append(TaskDef(name, body, cron, queue, max_attempts))
        return body

    return register


def conninfo(url: str) -> str:
    """The libpq URI for the SQLAlchemy URL the app uses (postgresql+asyncpg:// -> postgresql://)."""
    return "postgresql://" + normalize_url(url).removeprefix("postgresql+asyncpg://")


def schema_sql() -> str:
    """procrastinate's own schema, applied by migration 0010."""
    from procrastinate.schema import SchemaManager

    return SchemaManager.get_schema()


def build_app(
    url: str, tasks: Sequence[TaskDef], services: Callable[[], Any], *, pool_size: int = 4
) -> procrastinate.App:
    """The procrastinate App: one psycopg pool on `url`, every task registered with its retries.

    `services` is called when a task runs (late-bound: the worker's Services, or a test's).
    """
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(url),
        min_size=1,
        max_size=pool_size,
        kwargs={
            "application_name": "jobmatch-tasks",
            "options": f"-c search_path={QUEUE_SCHEMA}",
        },
    )
    app = procrastinate.App(connector=connector)
    for spec in tasks:
        _register(app, spec, services)
    return app


def _register(app: procrastinate.App, spec: TaskDef, services: Callable[[], Any]) -> None:
    body = spec.body

    async def run(**kwargs: Any) -> None:
        await body(services(), **kwargs)

    run.__name__ = run.__qualname__ = spec.name
    registered = app.task(
        name=spec.name,
        queue=spec.queue,
        retry=procrastinate.RetryStrategy(
            max_attempts=spec.max_attempts, exponential_wait=spec.backoff_base_s
        ),
    )(run)
    if spec.cron is not None:
        # Periodic bodies take the `timestamp` procrastinate passes as one of their **kwargs.
        app.periodic(cron=spec.cron, periodic_id=spec.name)(cast(Any, registered))


async def retry_stalled(app: procrastinate.App, *, stalled_after_s: float = STALLED_AFTER_S) -> int:
    """Puts the jobs of workers that stopped beating back in the queue; returns how many."""
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_s))
    for job in stalled:
        log.warning("retrying stalled job id=%s task=%s", job.id, job.task_name)
        await app.job_manager.retry_job(job)
    return len(stalled)


class TaskQueue:
    """What use cases see: defer a task by name. A queueing lock already held means the same
    work is already waiting, which is what the caller wanted: it is not an error."""

    def __init__(self, app: procrastinate.App) -> None:
        self.app = app

    async def defer(
        self,
        task_name: str,
        *,
        queueing_lock: str | None = None,
        lock: str | None = None,
        **kwargs: Any,
    ) -> None:
        configured = self.app.configure_task(
            task_name, queueing_lock=queueing_lock, lock=lock, allow_unknown=False
        )
        try:
            await configured.defer_async(**kwargs)
        except procrastinate_errors.AlreadyEnqueued:
            log.debug("task %s already queued under lock %s", task_name, queueing_lock)

    async def waiting(self) -> int:
        """Jobs due now that no worker has started yet (a backlog figure)."""
        row = await self.app.connector.execute_query_one_async(
            "SELECT count(*) AS waiting FROM procrastinate_jobs WHERE status = 'todo' "
            "AND (scheduled_at IS NULL OR scheduled_at <= now())"
        )
        return int(row["waiting"])

    async def delete_finished(self, *, older_than_days: int) -> None:
        """Jobs that ended (succeeded, failed, cancelled, aborted) over `older_than_days` ago."""
        await self.app.job_manager.delete_old_jobs(
            nb_hours=older_than_days * 24,
            include_failed=True,
            include_cancelled=True,
            include_aborted=True,
        )


@contextlib.asynccontextmanager
async def opened(app: procrastinate.App) -> AsyncIterator[TaskQueue]:
    async with app.open_async():
        yield TaskQueue(app)


async def run_worker(
    app: procrastinate.App,
    *,
    concurrency: int = 1,
    name: str | None = None,
    stalled_after_s: float = STALLED_AFTER_S,
    heartbeat_s: float = HEARTBEAT_S,
    install_signal_handlers: bool = False,
) -> None:
    """Runs a worker on an opened app until cancelled (or, with signal handlers, until SIGINT or
    SIGTERM). Beside it, a sweep puts the jobs of workers that stopped beating back in the queue."""
    sweep = asyncio.create_task(_sweep_stalled(app, stalled_after_s), name="stalled-sweep")
    try:
        await app.run_worker_async(
            concurrency=concurrency,
            name=name or "worker",
            wait=True,
            install_signal_handlers=install_signal_handlers,
            update_heartbeat_interval=heartbeat_s,
            stalled_worker_timeout=stalled_after_s,
            delete_jobs="never",
        )
    finally:
        await stop_worker(sweep)


async def _sweep_stalled(app: procrastinate.App, stalled_after_s: float) -> None:
    while True:
        try:
            await retry_stalled(app, stalled_after_s=stalled_after_s)
        except Exception:  # the database may be away a moment: the next sweep tries again
            log.exception("stalled jobs sweep failed")
        await asyncio.sleep(max(stalled_after_s / 2, 0.5))


async def stop_worker(worker: asyncio.Task[None]) -> None:
    worker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await worker
