"""The composition root: Runtime (database, model, adapters), create_app and its lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypedDict, cast

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.embedder import SentenceEmbedder, load_model
from adapters.realtime import start_event_delivery
from adapters.resumes import ProcessResumeReader
from adapters.security import Argon2Passwords, JwtCodec
from db.embedded import EmbeddedDatabase
from db.engine import create_engine, create_session_factory
from db.migrate import current_revision, head_revision
from domain.config import Settings, settings_from_env, validate_for_production
from resolvers import maintenance
from resolvers.services import Services
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
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(
        logging.Formatter(
            "ts=%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s msg=%(message)s"
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

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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
            embedder=SentenceEmbedder(model),
            tokens=JwtCodec(settings),
            passwords=Argon2Passwords(),
            resumes=ProcessResumeReader(),
        )
        return cls(services=services, embedded=embedded)

    @property
    def url(self) -> str:
        return str(self.services.sessions.kw["bind"].url.render_as_string(hide_password=False))

    async def close(self) -> None:
        await self.services.embedder.aclose()
        await self.services.resumes.aclose()
        await self.services.sessions.kw["bind"].dispose()


class AppState(TypedDict):
    """What the lifespan yields; starlette gives each request a copy as `scope["state"]`."""

    runtime: Runtime
    view: GraphQLView


def _state_for(runtime: Runtime, schema: Any) -> AppState:
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


def create_app(settings: Settings, runtime: Runtime | None = None) -> Starlette:
    """The ASGI app; its lifespan starts a Runtime unless one is given (tests, benchmarks)."""
    schema = build_schema(settings)
    given = None if runtime is None else _state_for(runtime, schema)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[AppState]:
        current = runtime or await Runtime.start(ensure_secret(settings))
        services = current.services
        delivery = await start_event_delivery(
            services.sessions,
            lambda: services.clock(),  # late-bound: tests move the clock on a running app
            broadcast_url=services.settings.broadcast_url,
            database_url=current.url,
        )
        services.events = delivery.hub
        expiry = asyncio.create_task(
            maintenance.run_periodically(services, settings.expiry_interval_s), name="expiry"
        )
        try:
            yield _state_for(current, schema) if given is None else given
        finally:
            expiry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await expiry
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
    ]
    if ASSETS.is_dir():
        routes.append(
            Mount("/graphiql-assets", StaticFiles(directory=ASSETS), name="graphiql-assets")
        )
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.given = given
    app.add_middleware(RequestLogMiddleware)
    return app


def app_from_env() -> Starlette:
    """uvicorn factory for `jobmatch serve --reload`."""
    settings = settings_from_env(os.environ)
    configure_logging(settings.log_level)
    return create_app(settings)


def main(argv: Sequence[str] | None = None) -> int:
    """The `jobmatch` console script and `python -m app`; the commands live in cli.py."""
    import cli  # cli builds on this module: imported when a command runs, not before

    return cli.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
