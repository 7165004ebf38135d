"""Alerts for platform operators: written with their outbox event, listed newest first."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import outbox, paging
from db.models import Alert, User
from domain.enums import EventKind, Role

Keyset = tuple[datetime, uuid.UUID]


async def add(
    session: AsyncSession, kind: str, message: str, details: dict[str, Any], now: datetime
) -> Alert:
    """The alert and its ALERT_RAISED event, in the caller's transaction."""
    row = Alert(id=uuid.uuid4(), kind=kind, message=message, details=details, created_at=now)
    session.add(row)
    await session.flush()
    await outbox.emit(session, EventKind.ALERT_RAISED, payload={"alert_id": str(row.id)})
    return row


async def get(session: AsyncSession, alert_id: uuid.UUID) -> Alert | None:
    return await session.get(Alert, alert_id)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Alert]:
    return list((await session.execute(select(Alert).where(Alert.id.in_(ids)))).scalars())


async def page(session: AsyncSession, first: int, after: Keyset | None) -> paging.Page[Alert]:
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
    if after is not None:
        query = query.where(tuple_(Alert.created_at, Alert.id) < tuple_(*after))
    return await paging.fetch(session, query, first)


async def admin_emails(session: AsyncSession) -> list[str]:
    query = select(User.email).where(
        User.role == Role.PLATFORM_ADMIN.value, User.is_active.is_(True)
    )
    return list((await session.execute(query.order_by(User.email))).scalars())
