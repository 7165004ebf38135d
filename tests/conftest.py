"""Session-wide fixtures: the real embedded PostgreSQL, the real model, the app, an HTTP client."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from adapters.embedder import load_model
from app import Runtime
from db.embedded import EmbeddedDatabase
from db.migrate import upgrade_to_head
from domain.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEST_DATA_DIR = ROOT / ".data" / "test"
# One database per pytest process: parallel sessions on one machine never share tables.
TEST_DATABASE = f"jobmatch_test_{os.getpid()}"
TEST_SECRET = "test-secret-" + "x" * 40


class Clock:
    """The only thing tests mock: set `now` to move time."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC)


@pytest.fixture(scope="session")
def embedded() -> Iterator[EmbeddedDatabase]:
    server = EmbeddedDatabase(TEST_DATA_DIR, database="postgres")
    server.start()
    yield server


@pytest.fixture(scope="session")
def database_url(embedded: EmbeddedDatabase) -> Iterator[str]:
    """A fresh database per test session, migrated to head with Alembic, dropped afterwards."""
    if os.environ.get("JOBMATCH_TEST_DATABASE_URL"):
        url = os.environ["JOBMATCH_TEST_DATABASE_URL"]
        upgrade_to_head(url)
        yield url
        return
    embedded.drop_database(TEST_DATABASE)
    url = embedded.create_database(TEST_DATABASE)
    upgrade_to_head(url)
    yield url
    embedded.drop_database(TEST_DATABASE)


@pytest.fixture(scope="session")
def model() -> Any:
    return load_model()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(environment="test", jwt_secret=TEST_SECRET, data_dir=TEST_DATA_DIR)


@pytest.fixture(scope="session")
async def runtime(settings: Settings, database_url: str, model: Any) -> AsyncIterator[Runtime]:
    runtime = await Runtime.start(settings, url=database_url, model=model)
    yield runtime
    await runtime.close()


@pytest.fixture
async def clean(runtime: Runtime) -> AsyncIterator[None]:
    """Empties every table before a test so each starts from nothing."""
    async with runtime.services.sessions() as session:
        names = (
            await session.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
                )
            )
        ).scalars()
        await session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        await session.commit()
    yield


@pytest.fixture
def clock(runtime: Runtime) -> Iterator[Clock]:
    clock = Clock()
    original = runtime.services.clock
    runtime.services.clock = clock  # rate-limit counters are rows: `clean` empties them
    yield clock
    runtime.services.clock = original
