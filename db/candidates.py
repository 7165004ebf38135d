"""Pool candidates: a company's candidate records; plain async functions, callers commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from db import paging
from db.models import Candidate

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


async def page(
    session: AsyncSession, company_id: uuid.UUID | None, first: int, after: Keyset | None
) -> paging.Page[Candidate]:
    """Newest first, keyset on (created_at, id); every company's when company_id is None."""
    conditions = []
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
