"""Command-line use cases: migrate, prepare a server's database, seed demo data, create an admin."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import func, select

from db.migrate import upgrade_to_head
from db.models import User
from domain.config import Settings
from domain.enums import Role
from domain.errors import DomainError
from resolvers import auth, demo
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
    url = url or await _migrate_url(settings)
    runtime = await Runtime.start(settings, url=url)
    try:
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
