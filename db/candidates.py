"""Pool candidates: a company's candidate records; plain async functions, callers commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import paging
from db.models import Candidate
from domain.candidates import PoolFilter

Keyset = tuple[datetime, uuid.UUID]


async def add_candidate(session: AsyncSession, company_id: uuid.UUID, **fields: Any) -> Candidate:
    row = Candidate(id=uuid.uuid4(), company_id=company_id, **fields)
    session.add(row)
    await session.flush()
    await session.refresh(row)  # server defaults: status, timestamps
    return row


async def get_candidate(session: AsyncSession, candidate_id: uuid.UUID) -> Candidate | None:
    return await session.get(Candidate, candidate_id)


async def get_candidates(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Candidate]:
    result = await session.execute(select(Candidate).where(Candidate.id.in_(ids)))
    return list(result.scalars())


async def get_for_update(session: AsyncSession, candidate_id: uuid.UUID) -> Candidate | None:
    """The row, locked until the transaction ends: status moves are read-check-write."""
    query = select(Candidate).where(Candidate.id == candidate_id).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def update_candidate(session: AsyncSession, candidate_id: uuid.UUID, **fields: Any) -> None:
    await session.execute(update(Candidate).where(Candidate.id == candidate_id).values(**fields))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# What a pool search looks in: every word must appear in one of these.
_SEARCHED = func.concat_ws(
    " ",
    Candidate.name,
    Candidate.email,
    Candidate.headline,
    Candidate.summary,
    Candidate.location,
    func.array_to_string(Candidate.skills, " "),
    func.array_to_string(Candidate.preferred_roles, " "),
)


def _filtered(f: PoolFilter) -> list[Any]:
    conditions: list[Any] = [Candidate.status.in_([s.value for s in f.statuses])]
    if f.skills_any:
        conditions.append(Candidate.skills.overlap(list(f.skills_any)))
    if f.location:
        pattern = _like(f.location)
        conditions.append(
            or_(
                Candidate.location.ilike(pattern),
                func.array_to_string(Candidate.preferred_locations, "\n").ilike(pattern),
            )
        )
    conditions.extend(_SEARCHED.ilike(_like(term)) for term in f.terms)
    return conditions


async def page(
    session: AsyncSession,
    company_id: uuid.UUID | None,
    first: int,
    after: Keyset | None,
    pool_filter: PoolFilter | None = None,
) -> paging.Page[Candidate]:
    """Newest first, keyset on (created_at, id); every company's when company_id is None."""
    conditions = _filtered(pool_filter or PoolFilter())
    if company_id is not None:
        conditions.append(Candidate.company_id == company_id)
    if after is not None:
        conditions.append(tuple_(Candidate.created_at, Candidate.id) < tuple_(*after))
    query = (
        select(Candidate)
        .where(and_(True, *conditions))
        .order_by(Candidate.created_at.desc(), Candidate.id.desc())
    )
    return await paging.fetch(session, query, first)
