"""The `jobmatch` command line: argument parsing, and each command's printing and progress."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path

from app import Runtime, configure_logging, create_app, database_url, ensure_secret
from db import demo as stored
from db.engine import read
from db.migrate import upgrade_to_head
from domain.config import Settings, settings_from_env
from domain.demo import DEMO_JOBS
from domain.enums import Role
from domain.errors import DomainError
from domain.imports import load_postings, validate_platform
from resolvers import auth, demo, imports, maintenance

log = logging.getLogger("jobmatch")


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
    args = _parser().parse_args(argv)
    env = dict(os.environ)
    if args.data_dir:
        env["JOBMATCH_DATA_DIR"] = args.data_dir
        os.environ["JOBMATCH_DATA_DIR"] = args.data_dir
    settings = settings_from_env(env)
    configure_logging(settings.log_level)
    if args.command == "serve":
        return serve(settings, args)
    if args.command == "create-admin":
        password = args.password
        if password is None:
            import getpass

            password = getpass.getpass("Password for the new admin: ")
        return asyncio.run(create_admin(ensure_secret(settings), args.email, password))
    if args.command == "import-jobs":
        return asyncio.run(import_jobs(ensure_secret(settings), args.file, args.platform))
    handlers = {"migrate": migrate, "seed-demo": seed_demo, "expire-jobs": expire_jobs}
    return asyncio.run(handlers[args.command](ensure_secret(settings)))


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    settings = ensure_secret(settings)
    host, port = args.host or settings.host, args.port or settings.port
    code = asyncio.run(prepare(settings, seed=settings.seed_demo and not args.no_seed))
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


async def _migrate_url(settings: Settings) -> str:
    url, _ = await asyncio.to_thread(database_url, settings)
    await asyncio.to_thread(upgrade_to_head, url)
    return url


async def migrate(settings: Settings) -> int:
    await _migrate_url(settings)
    print("database is at the latest migration")
    return 0


async def prepare(settings: Settings, *, seed: bool) -> int:
    """Before serving: start or join the database, migrate, seed the demo on first run."""
    url = await _migrate_url(settings)
    if not seed:
        return 0
    runtime = await Runtime.start(settings, url=url, model=False)
    try:
        async with read(runtime.services.sessions) as session:
            first_run = await stored.is_empty(session)
    finally:
        await runtime.close()
    if first_run:
        return await seed_demo(settings, url=url)
    return 0


async def seed_demo(settings: Settings, *, url: str | None = None) -> int:
    from rich.console import Console

    url = url or await _migrate_url(settings)
    console = Console(stderr=True)
    with console.status("loading the embedding model"):
        runtime = await Runtime.start(settings, url=url)
    try:
        with console.status(f"seeding demo data: accounts and {DEMO_JOBS} embedded jobs"):
            summary = await demo.seed(runtime.services)
    except DomainError as exc:
        print(f"error: {exc.message}")
        return 1
    finally:
        await runtime.close()
    print(summary)
    return 0


async def create_admin(settings: Settings, email: str, password: str) -> int:
    url = await _migrate_url(settings)
    runtime = await Runtime.start(settings, url=url, model=False)
    try:
        await auth.create_user(runtime.services, email, password, Role.PLATFORM_ADMIN)
    except DomainError as exc:
        print(f"error: {exc.message}")
        return 1
    finally:
        await runtime.close()
    print(f"created PLATFORM_ADMIN {email}")
    return 0


async def import_jobs(settings: Settings, path: Path, platform: str) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    try:
        rows = load_postings(await asyncio.to_thread(path.read_bytes))
        validate_platform(platform)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}")
        return 1
    except DomainError as exc:
        print(f"error: {exc.message}; nothing was imported")
        return 1
    url = await _migrate_url(settings)
    runtime = await Runtime.start(settings, url=url)
    columns = (
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    started = time.perf_counter()
    try:
        with Progress(*columns) as bar:
            task = bar.add_task("import", total=len(rows), rate="-")

            def advance(count: int) -> None:
                bar.advance(task, count)
                done = bar.tasks[0].completed
                bar.update(task, rate=f"{done / max(time.perf_counter() - started, 1e-6):,.0f}")

            batch = await imports.run_import(
                runtime.services,
                platform,
                rows,
                created_by=None,
                progress=advance,
            )
    finally:
        await runtime.close()
    elapsed = time.perf_counter() - started
    print(
        f"batch {batch.id}: {batch.total} rows, {batch.created} new, {batch.updated} updated, {batch.unchanged} unchanged, "
        f"{batch.duplicates} duplicates, {batch.failed} failed in {elapsed:.1f}s ({batch.total / max(elapsed, 1e-6):,.0f} rows/s)"
    )
    for error in batch.errors[:20]:
        print(f"  row {error['row']} ({error.get('externalJobId')}): {error['reason']}")
    return 0


async def expire_jobs(settings: Settings) -> int:
    url = await _migrate_url(settings)
    runtime = await Runtime.start(settings, url=url, model=False)
    try:
        count = await maintenance.expire(runtime.services)
    finally:
        await runtime.close()
    print(f"{count} jobs expired")
    return 0
