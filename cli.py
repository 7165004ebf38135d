"""The `jobmatch` command line: argument parsing, and each command's printing and progress."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from adapters import metrics
from adapters.embedder import usable_cores
from app import Runtime, configure_logging, create_app, database_url, ensure_secret
from db import demo as stored
from db.engine import read
from db.migrate import upgrade_to_head
from domain.config import Settings, settings_from_env
from domain.demo import DEMO_JOBS
from domain.enums import Role
from domain.errors import DomainError
from domain.imports import load_postings, validate_platform
from domain.posting_format import format_help
from resolvers import auth, demo, imports, maintenance, passwords

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
    serve.add_argument(
        "--workers",
        type=int,
        help="server processes sharing the port (default: one per core, or JOBMATCH_WORKERS)",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not work the task queue in this process (run `jobmatch worker` instead)",
    )
    worker = sub.add_parser(
        "worker",
        parents=[common],
        help="work the task queue (periodic jobs, digests, refreshes) until SIGINT/SIGTERM",
    )
    worker.add_argument(
        "--concurrency", type=int, default=None, help="tasks run at once (default 2)"
    )
    worker.add_argument(
        "--stalled-after",
        type=float,
        default=None,
        help="seconds without a heartbeat after which a worker's job is run again (default 30)",
    )
    worker.add_argument(
        "--heartbeat", type=float, default=None, help="seconds between heartbeats (default 5)"
    )
    sub.add_parser("migrate", parents=[common], help="apply database migrations up to head")
    seed = sub.add_parser(
        "seed-demo",
        parents=[common],
        help="load the reproducible demo data set (password for every account: demo-password-1)",
    )
    seed.add_argument(
        "--refresh",
        action="store_true",
        help="only re-date the demo jobs as if loaded now and make expired ones ACTIVE again "
        "(`serve` does this on start once demo jobs have aged out)",
    )
    imp = sub.add_parser(
        "import-jobs",
        parents=[common],
        help="import postings from a .json or .json.gz file",
        description="Import job postings: each is parsed (salary, experience, location, "
        "skills), embedded, and upserted by (platform, external_job_id). Prints the batch's "
        "counts and the reason of every failed row.",
        epilog=format_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument(
        "file", type=Path, help="a JSON array of postings (format below), optionally gzipped"
    )
    imp.add_argument(
        "--platform",
        required=True,
        help="source platform name, e.g. ashby (a-z, 0-9, '.', '_', '-'; at most 100)",
    )
    sub.add_parser(
        "expire-jobs", parents=[common], help="mark ACTIVE jobs past their expiry as EXPIRED"
    )
    reset = sub.add_parser(
        "reset-password",
        parents=[common],
        help="set an account's password; every sign-in of it ends",
        description="Without --password, prints a temporary password that must be changed "
        "(changePassword) at the next sign-in. With --password, sets that one.",
    )
    reset.add_argument("email", help="the account's e-mail address")
    reset.add_argument("--password", help="the new password (same rules as register)")
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
    if args.command == "reset-password":
        return asyncio.run(reset_password(ensure_secret(settings), args.email, args.password))
    if args.command == "worker":
        return asyncio.run(work(ensure_secret(settings), args))
    if args.command == "import-jobs":
        return asyncio.run(import_jobs(ensure_secret(settings), args.file, args.platform))
    if args.command == "seed-demo" and args.refresh:
        return asyncio.run(refresh_demo(ensure_secret(settings)))
    handlers = {"migrate": migrate, "seed-demo": seed_demo, "expire-jobs": expire_jobs}
    return asyncio.run(handlers[args.command](ensure_secret(settings)))


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    settings = ensure_secret(settings)
    if args.no_worker:
        settings = replace(settings, run_worker=False)
        os.environ["JOBMATCH_RUN_WORKER"] = "0"  # for --reload's app_from_env
    host, port = args.host or settings.host, args.port or settings.port
    workers = 1 if args.reload else args.workers or settings.workers or usable_cores()
    if workers < 1:
        print("error: --workers must be at least 1")
        return 2
    settings = replace(settings, workers=workers)
    code = asyncio.run(prepare(settings, seed=settings.seed_demo and not args.no_seed))
    if code:
        return code
    if workers > 1:
        return _serve_workers(settings, host, port)
    # uvicorn re-raises the SIGTERM it caught after its graceful shutdown; exiting through
    # SystemExit instead lets atexit stop the embedded PostgreSQL this process started.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    log.info("serving http://%s:%s/graphql", host, port)
    if args.reload:
        uvicorn.run(
            "app:app_from_env", factory=True, host=host, port=port, reload=True, log_config=None
        )
    else:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_config=None,
            **_ws_options(settings),
        )
    return 0


def _ws_options(settings: Settings) -> dict[str, Any]:
    """The size limit is above the frame limit, so oversized frames reach the view and close
    with 4400. No per-message deflate: pushed events are small JSON, and compressing each one
    for each socket cost ~5% of the fan-out CPU and ~100 KB of memory per socket (bench_fanout)."""
    return {
        "ws_max_size": max(16 * 1024 * 1024, 2 * settings.max_ws_frame_bytes),
        "ws_per_message_deflate": False,
    }


def _serve_workers(settings: Settings, host: str, port: int) -> int:
    """Several processes on one port. This one has started (or joined) the database, migrated
    and seeded it; the workers get its URL and build their own app (and model) from the
    environment. Subscriptions cross processes over PostgreSQL NOTIFY unless told otherwise."""
    import uvicorn

    url, _ = database_url(settings)
    os.environ["JOBMATCH_DATABASE_URL"] = url
    os.environ["JOBMATCH_WORKERS"] = str(settings.workers)
    os.environ.setdefault("JOBMATCH_BROADCAST_URL", "postgres://")
    os.environ["JOBMATCH_RUN_WORKER"] = "1" if settings.run_worker else "0"
    metrics.prepare_multiprocess(settings.data_dir)  # /metrics adds up every worker's numbers
    log.info("serving http://%s:%s/graphql with %d workers", host, port, settings.workers)
    uvicorn.run(
        "app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=settings.workers,
        log_config=None,
        **_ws_options(settings),
        # Loading the model holds the GIL for seconds; the supervisor must not take that for a hang.
        timeout_worker_healthcheck=60,
    )
    return 0


async def _migrate_url(settings: Settings) -> str:
    url, _ = await asyncio.to_thread(database_url, settings)
    await asyncio.to_thread(upgrade_to_head, url)
    return url


async def work(settings: Settings, args: argparse.Namespace) -> int:
    """`jobmatch worker`: any number of these, on any machine that reaches the database."""
    from adapters.taskqueue import HEARTBEAT_S, STALLED_AFTER_S, run_worker

    concurrency = args.concurrency or settings.worker_concurrency
    if concurrency < 1:
        print("error: --concurrency must be at least 1")
        return 2
    url = await _migrate_url(settings)
    runtime = await Runtime.start(settings, url=url)
    assert runtime.services.tasks is not None
    log.info("worker started, concurrency=%d", concurrency)
    try:
        await run_worker(
            runtime.services.tasks.app,
            concurrency=concurrency,
            stalled_after_s=args.stalled_after or STALLED_AFTER_S,
            heartbeat_s=args.heartbeat or HEARTBEAT_S,
            install_signal_handlers=True,
        )
    finally:
        await runtime.close()
    log.info("worker stopped")
    return 0


async def migrate(settings: Settings) -> int:
    await _migrate_url(settings)
    print("database is at the latest migration")
    return 0


async def prepare(settings: Settings, *, seed: bool) -> int:
    """Before serving: start or join the database, migrate, seed the demo on first run, and
    re-date demo jobs that aged out (a demo install's feed never runs dry)."""
    url = await _migrate_url(settings)
    if not seed:
        return 0
    runtime = await Runtime.start(settings, url=url, model=False)
    try:
        async with read(runtime.services.sessions) as session:
            first_run = await stored.is_empty(session)
        if not first_run and await demo.needs_refresh(runtime.services):
            log.info("re-dated %d aged-out demo jobs", await demo.refresh(runtime.services))
    finally:
        await runtime.close()
    if first_run:
        return await seed_demo(settings, url=url)
    return 0


async def refresh_demo(settings: Settings) -> int:
    url = await _migrate_url(settings)
    runtime = await Runtime.start(settings, url=url, model=False)
    try:
        count = await demo.refresh(runtime.services)
    finally:
        await runtime.close()
    print(f"{count} demo jobs re-dated and ACTIVE")
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


async def reset_password(settings: Settings, email: str, password: str | None) -> int:
    url = await _migrate_url(settings)
    runtime = await Runtime.start(settings, url=url, model=False)
    try:
        chosen = await passwords.set_password(runtime.services, email, password)
    except DomainError as exc:
        print(f"error: {exc.message}")
        return 1
    finally:
        await runtime.close()
    if password is None:
        print(f"temporary password for {email}: {chosen}")
        print("it must be changed (changePassword) right after signing in")
    else:
        print(f"password set for {email}")
    print("every earlier sign-in of this account has ended")
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
