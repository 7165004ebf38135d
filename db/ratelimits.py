"""Rate-limit counters in PostgreSQL: one upsert per check, shared by every server instance."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import RateLimit
from domain.ratelimit import Window


def _digest(key: str) -> str:
    """Keys are stored hashed: fixed width, and no emails or addresses in this table."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


async def hit(session: AsyncSession, scope: str, key: str, window_s: int, now: datetime) -> Window:
    """Counts one hit in the key's current window (a new one once `window_s` has passed)."""
    table = RateLimit.__table__
    expired = table.c.window_start <= now - timedelta(seconds=window_s)
    statement = (
        insert(RateLimit)
        .values(scope=scope, key=_digest(key), window_start=now, hits=1)
        .on_conflict_do_update(
            index_elements=[RateLimit.scope, RateLimit.key],
            set_={
                "window_start": case((expired, now), else_=table.c.window_start),
                "hits": case((expired, 1), else_=table.c.hits + 1),
            },
        )
        .returning(RateLimit.window_start, RateLimit.hits)
    )
    row = (await session.execute(statement)).one()
    return Window(start=row.window_start, hits=row.hits)


async def blocked_until(session: AsyncSession, scope: str, key: str) -> datetime | None:
    result = await session.execute(
        select(RateLimit.blocked_until).where(
            RateLimit.scope == scope, RateLimit.key == _digest(key)
        )
    )
    return result.scalar_one_or_none()


async def block(session: AsyncSession, scope: str, key: str, until: datetime) -> None:
    await session.execute(
        update(RateLimit)
        .where(RateLimit.scope == scope, RateLimit.key == _digest(key))
        .values(blocked_until=until)
    )


async def reset(session: AsyncSession, scope: str, key: str) -> None:
    await session.execute(
        delete(RateLimit).where(RateLimit.scope == scope, RateLimit.key == _digest(key))
    )


async def purge(session: AsyncSession, now: datetime, older_than_s: int) -> None:
    """Drops counters whose window and back-off are long over (housekeeping)."""
    await session.execute(
        delete(RateLimit).where(
            RateLimit.window_start < now - timedelta(seconds=older_than_s),
            or_(RateLimit.blocked_until.is_(None), RateLimit.blocked_until < now),
        )
    )
