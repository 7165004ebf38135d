"""The composition root: Runtime (database, model, adapters), create_app and its lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import logging
import os
import secrets
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, TypedDict, cast

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.embedder import embedder_for, load_model
from adapters.mail import mailer_for
from adapters.metrics import (
    exposition,
    process_stopped,
    refresh_queue_depth,
    scrape_allowed,
    watch_pool,
)
from adapters.realtime import start_event_delivery
from adapters.resumes import ProcessResumeReader
from adapters.security import Argon2Passwords, JwtCodec
from adapters.taskqueue import TaskQueue, build_app, run_worker, stop_worker
from adapters.tracing import Tracing, current_trace_id, middleware_class
from db.embedded import EmbeddedDatabase
from db.engine import create_engine, create_session_factory
from db.migrate import current_revision, head_revision
from domain.config import Settings, settings_from_env, validate_for_production
from resolvers.services import Services
from resolvers.tasks import all_tasks
from schema import build_schema
from schema.context import current_request_id, set_request_id
from schema.view import GraphQLView

ROOT = Path(__file__).resolve().parent
ASSETS = ROOT / "node_modules"
log = logging.getLogger("jobmatch")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = (
            current_request_id() if not hasattr(record, "request_id") else record.request_id
        )
        record.trace_id = current_trace_id()
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(
        logging.Formatter(
            "ts=%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s trace_id=%(trace_id)s msg=%(message)s"
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def ensure_secret(settings: Settings) -> Settings:
    """Development keeps a random secret in the data dir; production must be given one."""
    validate_for_production(settings)
    if settings.jwt_secret:
        return settings
    path = settings.data_dir / "jwt_secret"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return replace(settings, jwt_secret=path.read_text(encoding="utf-8").strip())


class RequestLogMiddleware:
    """Gives each HTTP request an id (or keeps X-Request-ID) and logs one line per request."""

    def __init__(self, app: ASGIApp, expose_process: bool = False) -> None:
        self.app = app
        # Outside production only: a process id is nothing to show the world.
        self.pid = str(os.getpid()).encode() if expose_process else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = given if given.replace("-", "").isalnum() else uuid.uuid4().hex[:16]
        set_request_id(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            if self.pid and message["type"] in ("http.response.start", "websocket.accept"):
                # Which of `jobmatch serve --workers N`'s processes answered (ops, tests).
                message["headers"] = [*message.get("headers", []), (b"x-process-id", self.pid)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "%s %s status=%s duration_ms=%.1f",
                scope.get("method", "WS"),
                scope.get("path"),
                status,
                (time.perf_counter() - started) * 1000,
            )


def database_url(settings: Settings) -> tuple[str, EmbeddedDatabase | None]:
    """Blocking: the configured URL, or the embedded server's (started or joined)."""
    if settings.database_url:
        return settings.database_url, None
    embedded = EmbeddedDatabase(settings.data_dir)
    return embedded.start(), embedded


@dataclass
class Runtime:
    """What the app's lifespan (or a CLI command, or a test session) owns."""

    services: Services
    embedded: EmbeddedDatabase | None = None

    @classmethod
    async def start(
        cls, settings: Settings, *, url: str | None = None, model: object = None
    ) -> Runtime:
        embedded = None
        if url is None:
            url, embedded = await asyncio.to_thread(database_url, settings)
        assert url is not None
        if model is None:
            model = await asyncio.to_thread(load_model)
        elif model is False:  # commands that never embed skip the model's load time
            model = None
        services = Services(
            settings=settings,
            sessions=create_session_factory(create_engine(url)),
            embedder=embedder_for(model, settings),
            tokens=JwtCodec(settings),
            passwords=Argon2Passwords(),
            resumes=ProcessResumeReader(),
            mailer=mailer_for(settings.smtp_url, settings.mail_from),
        )
        # The task queue's own pool; its tasks run with these services (a worker's, a test's).
        queue = build_app(url, all_tasks(), lambda: services)
        await queue.open_async()
        services.tasks = TaskQueue(queue)
        return cls(services=services, embedded=embedded)

    @property
    def url(self) -> str:
        return str(self.services.sessions.kw["bind"].url.render_as_string(hide_password=False))

    async def close(self) -> None:
        if self.services.tasks is not None:
            await self.services.tasks.app.close_async()
        await self.services.embedder.aclose()
        await self.services.resumes.aclose()
        await self.services.sessions.kw["bind"].dispose()


def settle_heap() -> None:
    """After start-up the model, gazetteer and schema live as long as the process: freeze them
    out of the collector's sight, so full collections scan only what requests allocate (they
    took ~270 ms over the whole heap, ~20% of server CPU under load)."""
    gc.collect()
    gc.freeze()


class AppState(TypedDict):
    """What the lifespan yields; starlette gives each request a copy as `scope["state"]`."""

    runtime: Runtime
    view: GraphQLView


def _state_for(runtime: Runtime, schema: Any, tracing: Tracing | None = None) -> AppState:
    engine = runtime.services.sessions.kw["bind"]
    watch_pool(engine)
    if tracing is not None:
        tracing.instrument_engine(engine)
    return {"runtime": runtime, "view": GraphQLView(runtime.services, schema)}


def app_state(scope: Scope) -> AppState | None:
    """The lifespan's state or, for an app served without its lifespan (httpx's ASGITransport
    in tests), the one create_app built around the runtime it was given."""
    state = scope.get("state") or {}
    if "view" in state:
        return cast(AppState, state)
    given: AppState | None = scope["app"].state.given
    return given


class GraphQLEndpoint:
    """/graphql over HTTP and WebSocket: hands the request to the view in the app's state."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = app_state(scope)
        if state is None:
            raise RuntimeError("the app was started without its lifespan")
        await state["view"](scope, receive, send)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def unsubscribe_digests(request: Request) -> HTMLResponse:
    """The digest e-mail's link: GET shows a button (link scanners must not unsubscribe
    anyone), POST turns digestOptIn off (also RFC 8058 one-click from the mail client)."""
    from html import escape

    from resolvers import digests

    state = app_state(request.scope)
    token = request.query_params.get("token", "")[:200]
    if state is None or not token:
        return HTMLResponse("<p>This unsubscribe link is not valid.</p>", status_code=400)
    if request.method == "GET":
        action = escape(f"?token={token}", quote=True)
        return HTMLResponse(
            f'<form method="post" action="{action}"><p>Stop the daily job digest e-mails?</p>'
            '<button type="submit">Unsubscribe</button></form>'
        )
    if await digests.unsubscribe(state["runtime"].services, token):
        return HTMLResponse("<p>Done: you will get no more digest e-mails.</p>")
    return HTMLResponse("<p>This unsubscribe link is not valid.</p>", status_code=400)


async def readyz(request: Request) -> JSONResponse:
    state = app_state(request.scope)
    checks = {"database": False, "migrations": False, "model": False}
    if state is not None:
        services = state["runtime"].services
        checks["model"] = services.embedder.ready
        try:
            revision = await current_revision(services.sessions.kw["bind"])
            checks["database"] = True
            checks["migrations"] = revision == head_revision()
        except (OSError, Exception) as exc:  # readiness reports, it never raises
            log.warning("readiness check failed: %s", type(exc).__name__)
    ready = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", **checks},
        status_code=200 if ready else 503,
    )


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text format; JOBMATCH_METRICS_TOKEN restricts it (production requires it)."""
    state = app_state(request.scope)
    if state is None:
        raise RuntimeError("the app was started without its lifespan")
    services = state["runtime"].services
    settings = services.settings
    if not scrape_allowed(
        settings.metrics_token, settings.is_production, request.headers.get("authorization")
    ):
        if settings.metrics_token is None:
            return PlainTextResponse("set JOBMATCH_METRICS_TOKEN to serve /metrics", 404)
        return PlainTextResponse(
            "/metrics needs Authorization: Bearer <JOBMATCH_METRICS_TOKEN>",
            401,
            headers={"www-authenticate": "Bearer"},
        )
    try:
        await refresh_queue_depth(services.sessions)
    except (OSError, SQLAlchemyError) as exc:  # the rest of the scrape is still worth having
        log.warning("task queue depth unavailable: %s", type(exc).__name__)
    body, content_type = exposition()
    return Response(body, headers={"content-type": content_type})


def create_app(
    settings: Settings, runtime: Runtime | None = None, *, tracing: Tracing | None = None
) -> Starlette:
    """The ASGI app; its lifespan starts a Runtime unless one is given (tests, benchmarks).
    Traces: the given Tracing, or one from OTEL_TRACES_EXPORTER (none: no tracing at all)."""
    owns_tracing = tracing is None
    tracing = tracing or Tracing.from_settings(settings)
    schema = build_schema(settings, tracer=tracing.tracer if tracing else None)
    given = None if runtime is None else _state_for(runtime, schema, tracing)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[AppState]:
        current = runtime or await Runtime.start(ensure_secret(settings))
        settle_heap()
        services = current.services
        delivery = await start_event_delivery(
            services.sessions,
            lambda: services.clock(),  # late-bound: tests move the clock on a running app
            broadcast_url=services.settings.broadcast_url,
            database_url=current.url,
        )
        services.events = delivery.hub
        worker = None
        if settings.run_worker and services.tasks is not None:
            # `jobmatch serve` works the queue too, unless --no-worker (then `jobmatch worker`).
            worker = asyncio.create_task(
                run_worker(services.tasks.app, concurrency=settings.worker_concurrency),
                name="task-worker",
            )
        try:
            yield _state_for(current, schema, tracing) if given is None else given
        finally:
            process_stopped()
            if tracing is not None and owns_tracing:
                tracing.shutdown()
            if worker is not None:
                await stop_worker(worker)
            services.events = None
            await delivery.stop()
            if runtime is None:
                await current.close()

    graphql = GraphQLEndpoint()
    routes: list[Any] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/digests/unsubscribe", unsubscribe_digests, methods=["GET", "POST"]),
        Route("/metrics", metrics_endpoint),
    ]
    if ASSETS.is_dir():
        routes.append(
            Mount("/graphiql-assets", StaticFiles(directory=ASSETS), name="graphiql-assets")
        )
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.given = given
    app.add_middleware(RequestLogMiddleware, expose_process=not settings.is_production)
    if tracing is not None:  # outermost: the request's log line is written inside its span
        app.add_middleware(middleware_class(), **tracing.middleware())
    return app


def _claim_task_worker(settings: Settings) -> tuple[Settings, IO[str] | None]:
    """With several server processes on one port, the first to start works the task queue: it
    holds a lock in the data dir for as long as it lives (a restarted process takes it again)."""
    if not settings.run_worker or settings.workers <= 1:
        return settings, None
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        handle = (settings.data_dir / "task-worker.lock").open("a")
    except OSError as exc:  # every process works the queue: safe, only busier
        log.warning("task worker lock unavailable (%s); this process runs a worker too", exc)
        return settings, None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return replace(settings, run_worker=False), None
    return settings, handle


def app_from_env() -> Starlette:
    """uvicorn factory for `jobmatch serve --reload` and for each of `serve --workers N`."""
    settings = settings_from_env(os.environ)
    configure_logging(settings.log_level)
    settings, lock = _claim_task_worker(settings)
    app = create_app(settings)
    app.state.task_worker_lock = lock  # held open, and so locked, while the app lives
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """The `jobmatch` console script and `python -m app`; the commands live in cli.py."""
    import cli  # cli builds on this module: imported when a command runs, not before

    return cli.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
