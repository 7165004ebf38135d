"""Engine and session factory; sessions are short and never shared between tasks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SessionFactory = async_sessionmaker[AsyncSession]

_DRIVER_MODULES = ("asyncpg", "sqlalchemy")
_UNREACHABLE = (
    sa_exc.OperationalError,
    sa_exc.TimeoutError,  # the pool waited in vain for a connection
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.exceptions.OperatorInterventionError,  # the server is shutting down
)


def normalize_url(url: str) -> str:
    """Accepts postgres://, postgresql:// or postgresql+asyncpg:// and returns the asyncpg form."""
    for prefix in (
        "postgresql+asyncpg://",
        "postgresql+psycopg://",
        "postgresql://",
        "postgres://",
    ):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("JOBMATCH_DATABASE_URL must be a postgresql:// URL")


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        normalize_url(url),
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        # No pre-ping (it cost three round trips per checkout): a connection found dead fails
        # its request with SERVICE_UNAVAILABLE and the disconnect invalidates the pool, so
        # the next requests reconnect (tests/e2e/test_database_outage.py).
        pool_pre_ping=False,
        connect_args={"server_settings": {"application_name": "jobmatch"}},
    )


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def transaction(factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits on success, rolls back on any exception.

    When the work wrote outbox events, the factory's `on_outbox_commit` hook (the event hub's
    wake-up) runs after the commit, never before it.
    """
    async with factory() as session:
        async with session.begin():
            yield session
        if session.info.pop("outbox_written", False):
            hook = session.info.get("on_outbox_commit")
            if hook is not None:
                hook()


@asynccontextmanager
async def read(factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    async with factory() as session:
        yield session


def _raised_by_driver(error: OSError) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_globals.get("__name__", "").startswith(_DRIVER_MODULES):
            return True
        traceback = traceback.tb_next
    return False


def is_unavailable(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from, says PostgreSQL cannot be reached:
    connection refused or lost, server shutting down or starting, pool exhausted."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, _UNREACHABLE):
            return True
        # InterfaceError and the like count only when SQLAlchemy saw a disconnect in them.
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, OSError) and _raised_by_driver(error):
            return True
        error = error.__cause__ or error.__context__
    return False
