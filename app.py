"""create_app(settings) -> Starlette, its lifespan (database, model, services), and the CLI."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.migrate import current_revision, head_revision
from domain.config import Settings, settings_from_env, validate_for_production
from resolvers import maintenance
from resolvers.events import start_event_delivery
from resolvers.services import Runtime
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


def create_app(settings: Settings, runtime: Runtime | None = None) -> Starlette:
    schema = build_schema(settings)
    state: dict[str, Any] = {"runtime": runtime}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = state["runtime"] is None
        if owned:
            state["runtime"] = await Runtime.start(ensure_secret(settings))
        current: Runtime = state["runtime"]
        view = GraphQLView(current.services, schema)
        state["view"] = view
        delivery = await start_event_delivery(current.services, current.url)
        expiry = asyncio.create_task(
            maintenance.run_periodically(current.services, settings.expiry_interval_s),
            name="expiry",
        )
        try:
            yield
        finally:
            expiry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await expiry
            await delivery.stop()
            if owned:
                await current.close()

    class GraphQLEndpoint:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if "view" not in state:
                if state["runtime"] is None:
                    raise RuntimeError("the app was started without its lifespan")
                state["view"] = GraphQLView(state["runtime"].services, schema)
            await state["view"](scope, receive, send)

    graphql = GraphQLEndpoint()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        runtime_: Runtime | None = state["runtime"]
        checks = {"database": False, "migrations": False, "model": False}
        if runtime_ is not None:
            checks["model"] = runtime_.services.embedder.model is not None
            engine = runtime_.services.sessions.kw["bind"]
            try:
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
                checks["database"] = True
                checks["migrations"] = await current_revision(engine) == head_revision()
            except (OSError, Exception) as exc:  # readiness reports, it never raises
                log.warning("readiness check failed: %s", type(exc).__name__)
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", **checks},
            status_code=200 if ready else 503,
        )

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
    app.add_middleware(RequestLogMiddleware)
    return app


def app_from_env() -> Starlette:
    """uvicorn factory for `jobmatch serve --reload`."""
    settings = settings_from_env(os.environ)
    configure_logging(settings.log_level)
    return create_app(settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobmatch",
        description="jobmatch: GraphQL API for AI job matching. Every command works on the embedded "
        "database in --data-dir (default ./.data, or JOBMATCH_DATA_DIR) unless JOBMATCH_DATABASE_URL "
        "points at another PostgreSQL with pgvector.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where the embedded database and dev secrets live")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser(
        "serve", parents=[common], help="migrate, seed demo data on first run, serve /graphql"
    )
    serve.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8000)")
    serve.add_argument(
        "--reload", action="store_true", help="restart on code changes (development)"
    )
    serve.add_argument("--no-seed", action="store_true", help="do not load demo data on first run")
    sub.add_parser("migrate", parents=[common], help="apply database migrations up to head")
    sub.add_parser("seed-demo", parents=[common], help="load the reproducible demo data set")
    imp = sub.add_parser(
        "import-jobs", parents=[common], help="import postings from a .json or .json.gz file"
    )
    imp.add_argument(
        "file", type=Path, help="a JSON array of postings (SPEC §9), optionally gzipped"
    )
    imp.add_argument("--platform", required=True, help="source platform name, e.g. ashby")
    sub.add_parser(
        "expire-jobs", parents=[common], help="mark ACTIVE jobs past their expiry as EXPIRED"
    )
    admin = sub.add_parser("create-admin", parents=[common], help="create a PLATFORM_ADMIN account")
    admin.add_argument("email")
    admin.add_argument("--password", help="prompted for when omitted")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from resolvers import commands

    args = _parser().parse_args(argv)
    env = dict(os.environ)
    if args.data_dir:
        env["JOBMATCH_DATA_DIR"] = args.data_dir
        os.environ["JOBMATCH_DATA_DIR"] = args.data_dir
    settings = settings_from_env(env)
    configure_logging(settings.log_level)
    if args.command == "serve":
        return _serve(settings, args)
    if args.command == "create-admin":
        password = args.password
        if password is None:
            import getpass

            password = getpass.getpass("Password for the new admin: ")
        return asyncio.run(commands.create_admin(ensure_secret(settings), args.email, password))
    if args.command == "import-jobs":
        return asyncio.run(commands.import_jobs(ensure_secret(settings), args.file, args.platform))
    handlers = {
        "migrate": commands.migrate,
        "seed-demo": commands.seed_demo,
        "expire-jobs": commands.expire_jobs,
    }
    return asyncio.run(handlers[args.command](ensure_secret(settings)))


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from resolvers import commands

    settings = ensure_secret(settings)
    host, port = args.host or settings.host, args.port or settings.port
    code = asyncio.run(commands.prepare(settings, seed=settings.seed_demo and not args.no_seed))
    if code:
        return code
    # uvicorn re-raises the SIGTERM it caught after its graceful shutdown; exiting through
    # SystemExit instead lets atexit stop the embedded PostgreSQL this process started.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    log.info("serving http://%s:%s/graphql", host, port)
    if args.reload:
        uvicorn.run(
            "app:app_from_env", factory=True, host=host, port=port, reload=True, log_config=None
        )
    else:
        # Above the frame limit, so oversized frames reach the view and close with 4400.
        ws_max_size = max(16 * 1024 * 1024, 2 * settings.max_ws_frame_bytes)
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_config=None,
            ws_max_size=ws_max_size,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
