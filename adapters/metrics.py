"""Prometheus metrics: every definition in one place, the recorders, and the /metrics text.

One set per process, made on first use. Under several worker processes (`serve --workers N`)
set PROMETHEUS_MULTIPROC_DIR to an empty directory, wiped before each start: every process then
writes its values there and a scrape of any worker sums them (prometheus-client's multiprocess
mode); gauges count live processes only.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import re
import time
import weakref
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import SessionFactory, read

# Operation names are client input: only plain names become labels, and only so many.
OPERATION_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
MAX_OPERATION_NAMES = 100
OTHER = "other"
ANONYMOUS = "anonymous"
# SPEC §7 codes (and the ones the schema adds); anything else is labelled "error".
CODES = frozenset(
    {
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "BAD_USER_INPUT",
        "CONFLICT",
        "RATE_LIMITED",
        "QUERY_TOO_COMPLEX",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "PERSISTED_QUERY_NOT_FOUND",
        "BAD_REQUEST",
        "SERVICE_UNAVAILABLE",
        "INTERNAL_SERVER_ERROR",
        "PASSWORD_CHANGE_REQUIRED",
    }
)
OPERATION_TYPES = frozenset({"query", "mutation", "subscription"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
QUEUE_TABLE = "procrastinate.procrastinate_jobs"


class OperationNames:
    """The label for an operation name: the first MAX distinct plain names keep theirs, the rest
    (and anything longer than 64 characters or outside [A-Za-z0-9_]) share "other", so
    hostile names cannot grow memory or the scrape."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self.limit = limit
        self.seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS
        if name in self.seen:
            return name
        if len(self.seen) >= self.limit or not OPERATION_NAME.fullmatch(name):
            return OTHER
        self.seen.add(name)
        return name


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.names = OperationNames()
        self._pools: weakref.WeakSet[Any] = weakref.WeakSet()
        labels = ("operation", "type", "outcome")
        self.operations = Counter(
            "jobmatch_graphql_operations",
            "GraphQL operations by name, type and outcome (ok, or the first error's code)",
            labels,
            registry=registry,
        )
        self.operation_seconds = Histogram(
            "jobmatch_graphql_operation_duration_seconds",
            "Time from receiving a GraphQL operation to its result (a subscription: its life)",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.websockets = Gauge(
            "jobmatch_websockets_open",
            "Open WebSocket connections on /graphql",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.subscriptions = Gauge(
            "jobmatch_subscriptions_active",
            "Subscriptions listening to the event hub, by event kind",
            ("kind",),
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.outbox_lag = Histogram(
            "jobmatch_outbox_lag_seconds",
            "From an event's transaction (outbox created_at) to the hub routing it to listeners",
            buckets=LAG_BUCKETS,
            registry=registry,
        )
        self.queue_depth = Gauge(
            "jobmatch_task_queue_depth",
            "Task queue jobs waiting to run (procrastinate status todo), read at scrape time",
            registry=registry,
            multiprocess_mode="mostrecent",
        )
        self.embedding_seconds = Histogram(
            "jobmatch_embedding_batch_duration_seconds",
            "Time the embedding model took for one batch of texts",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.embedded_texts = Counter(
            "jobmatch_embedded_texts", "Texts embedded by the model", registry=registry
        )
        self.pool_size = Gauge(
            "jobmatch_db_pool_size",
            "Connections the SQLAlchemy pool keeps (its size, overflow not counted)",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.pool_checked_out = Gauge(
            "jobmatch_db_pool_checked_out",
            "Connections checked out of the SQLAlchemy pool now",
            registry=registry,
            multiprocess_mode="livesum",
        )


@cache
def metrics() -> Metrics:
    """This process's metrics, made on first use (never at import)."""
    disable_created_metrics()  # type: ignore[no-untyped-call]  # the *_created series double a scrape and tell nothing here
    return Metrics(CollectorRegistry(auto_describe=True))


def record_operation(
    name: str | None, operation_type: str, codes: Sequence[object], seconds: float
) -> None:
    """`codes`: the extensions.code of each error, in order; none means ok."""
    current = metrics()
    outcome = "ok"
    if codes:
        outcome = codes[0] if isinstance(codes[0], str) and codes[0] in CODES else "error"
    kind = operation_type if operation_type in OPERATION_TYPES else "unknown"
    labels = (current.names.label(name), kind, outcome)
    current.operations.labels(*labels).inc()
    current.operation_seconds.labels(*labels).observe(seconds)


@contextlib.contextmanager
def websocket_open() -> Iterator[None]:
    gauge = metrics().websockets
    gauge.inc()
    try:
        yield
    finally:
        gauge.dec()


def subscriptions_changed(kind: object, delta: int) -> None:
    metrics().subscriptions.labels(str(getattr(kind, "value", kind))).inc(delta)


def observe_outbox_lag(created: Sequence[datetime]) -> None:
    """Wall-clock lag of events just routed (not the app's clock, which tests move)."""
    now = datetime.now(UTC)
    histogram = metrics().outbox_lag
    for at in created:
        histogram.observe(max(0.0, (now - at).total_seconds()))


@contextlib.contextmanager
def embedding_batch(texts: int) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        current = metrics()
        current.embedding_seconds.observe(time.perf_counter() - started)
        current.embedded_texts.inc(texts)


def watch_pool(engine: AsyncEngine) -> None:
    """Keeps the pool gauges current from the pool's own events; once per engine."""
    current = metrics()
    sync_engine = engine.sync_engine
    if sync_engine in current._pools:
        return
    current._pools.add(sync_engine)
    size = getattr(sync_engine.pool, "size", None)
    current.pool_size.inc(size() if callable(size) else 0)
    # Engine-level listeners follow the pool across dispose() (which builds a new pool).
    event.listen(sync_engine, "checkout", lambda *_: current.pool_checked_out.inc())
    event.listen(sync_engine, "checkin", lambda *_: current.pool_checked_out.dec())


async def refresh_queue_depth(sessions: SessionFactory) -> None:
    """Counts waiting jobs; 0 while the task queue's tables do not exist."""
    async with read(sessions) as session:
        exists = (
            await session.execute(
                text("SELECT to_regclass(:table) IS NOT NULL"), {"table": QUEUE_TABLE}
            )
        ).scalar_one()
        depth = 0
        if exists:
            depth = (
                await session.execute(
                    text(f"SELECT count(*) FROM {QUEUE_TABLE} WHERE status = 'todo'")
                )
            ).scalar_one()
    metrics().queue_depth.set(int(depth))


def scrape_allowed(token: str | None, production: bool, authorization: str | None) -> bool:
    """With JOBMATCH_METRICS_TOKEN set, /metrics wants `Authorization: Bearer <token>`;
    production without one does not serve /metrics at all."""
    if token is None:
        return not production
    scheme, _, given = (authorization or "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def exposition() -> tuple[bytes, str]:
    """The text format: this process's registry, or all processes' in multiprocess mode."""
    registry = metrics().registry
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry), CONTENT_TYPE_LATEST


def prepare_multiprocess(data_dir: Path) -> Path:
    """For several server processes, before any starts: PROMETHEUS_MULTIPROC_DIR (by default
    <data dir>/prometheus) emptied of a previous run's files and set for the workers to inherit."""
    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or data_dir / "prometheus")
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def process_stopped() -> None:
    """Drops this process's live gauges from the multiprocess directory at shutdown."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
