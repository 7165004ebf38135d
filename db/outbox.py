"""The event outbox: rows written in the transaction of the change, read back in commit order."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import SessionFactory
from db.models import Event
from domain.enums import EventKind

# Event writers serialize on this lock until commit, so ids become visible in id order: a reader
# that has seen id N has seen every id below N, and `after: N` replay never skips a late commit.
_OUTBOX_LOCK = 0x6A6F626D  # "jobm"
WRITTEN = "outbox_written"


async def emit_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Each row: kind, and optionally user_id, company_id, job_id, payload (ids only)."""
    if not rows:
        return
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _OUTBOX_LOCK})
    await session.execute(
        insert(Event),
        [
            {"user_id": None, "company_id": None, "job_id": None, "payload": {}} | dict(row)
            for row in rows
        ],
    )
    session.info[WRITTEN] = True


async def emit(
    session: AsyncSession,
    kind: EventKind,
    *,
    user_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    job_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    await emit_many(
        session,
        [
            {
                "kind": kind,
                "user_id": user_id,
                "company_id": company_id,
                "job_id": job_id,
                "payload": payload or {},
            }
        ],
    )


async def since(
    session: AsyncSession,
    after_id: int,
    *,
    kinds: Sequence[EventKind] | None = None,
    upto: int | None = None,
    user_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    limit: int = 1000,
) -> list[Event]:
    """Events after `after_id` in id order; the recipient filters use the (recipient, id) indexes."""
    query = select(Event).where(Event.id > after_id).order_by(Event.id).limit(limit)
    if kinds:
        query = query.where(Event.kind.in_(list(kinds)))
    if upto is not None:
        query = query.where(Event.id <= upto)
    if user_id is not None:
        query = query.where(Event.user_id == user_id)
    if company_id is not None:
        query = query.where(Event.company_id == company_id)
    return list((await session.execute(query)).scalars())


async def latest_id(session: AsyncSession) -> int:
    return int((await session.execute(select(func.coalesce(func.max(Event.id), 0)))).scalar_one())


def set_commit_hook(factory: SessionFactory, hook: Callable[[], None] | None) -> None:
    """Runs `hook` after each commit that wrote events (see db.engine.transaction); None unsets."""
    info = factory.kw.setdefault("info", {})
    if hook is None:
        info.pop("on_outbox_commit", None)
    else:
        info["on_outbox_commit"] = hook
