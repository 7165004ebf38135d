"""Command-line use cases: migrate, prepare a server's database, seed demo data, create an admin."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from sqlalchemy import func, select

from db.migrate import upgrade_to_head
from db.models import User
from domain.config import Settings
from domain.enums import Role
from domain.errors import DomainError
from domain.imports import load_postings, validate_platform
from domain.skills import default_normalizer
from resolvers import auth, demo, imports, maintenance
from resolvers.services import Runtime, database_url

log = logging.getLogger("jobmatch.commands")


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
        async with runtime.services.sessions() as session:
            users = (await session.execute(select(func.count()).select_from(User))).scalar_one()
    finally:
        await runtime.close()
    if users == 0:
        return await seed_demo(settings, url=url)
    return 0


async def seed_demo(settings: Settings, *, url: str | None = None) -> int:
    from rich.console import Console

    url = url or await _migrate_url(settings)
    console = Console(stderr=True)
    with console.status("loading the embedding model"):
        runtime = await Runtime.start(settings, url=url)
    try:
        with console.status(f"seeding demo data: accounts and {demo.DEMO_JOBS} embedded jobs"):
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
                normalizer=default_normalizer(),
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
