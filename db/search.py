"""Full-text ranking of jobs (jobs.search_vector, websearch_to_tsquery) for hybrid search."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Job


async def text_ranked(
    session: AsyncSession, text: str, *, condition: ColumnElement[bool], k: int
) -> list[uuid.UUID]:
    """Up to k job ids matching the web-style query, best ts_rank_cd first, ties by id."""
    query = func.websearch_to_tsquery("english", text)
    relevance = func.ts_rank_cd(Job.search_vector, query)
    statement = (
        select(Job.id)
        .where(condition, Job.search_vector.op("@@")(query))
        .order_by(relevance.desc(), Job.id)
        .limit(k)
    )
    return list((await session.execute(statement)).scalars())
