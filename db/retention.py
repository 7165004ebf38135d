"""Retention: deleting rows that nothing reads any more (the weekly cleanup task)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Event


async def drop_events_before(session: AsyncSession, cutoff: datetime) -> int:
    """Outbox events older than any replay (`after`) a subscriber may still ask for."""
    result = await session.execute(delete(Event).where(Event.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
