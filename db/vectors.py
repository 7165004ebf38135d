"""Vector queries over pgvector: profile means, nearest neighbours (cosine, `<=>`)."""

from __future__ import annotations

import uuid

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Job, Swipe


async def right_swiped_embeddings(session: AsyncSession, user_id: uuid.UUID) -> list[list[float]]:
    """Embeddings of every job the user swiped RIGHT, oldest first."""
    result = await session.execute(
        select(Job.embedding)
        .join(Swipe, Swipe.job_id == Job.id)
        .where(Swipe.user_id == user_id, Swipe.direction == "RIGHT", Job.embedding.is_not(None))
        .order_by(Swipe.created_at, Swipe.id)
    )
    return [np.asarray(row, dtype=np.float32).tolist() for row in result.scalars()]


async def count_right_swipes(session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(Swipe)
        .where(Swipe.user_id == user_id, Swipe.direction == "RIGHT")
    )
    return int(result.scalar_one())
