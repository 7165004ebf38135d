"""Vector queries over pgvector: the embeddings a candidate's dynamic profile is built from."""

from __future__ import annotations

import uuid

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Job, Swipe
from domain.enums import SwipeDirection


async def right_swiped_embeddings(session: AsyncSession, user_id: uuid.UUID) -> list[list[float]]:
    """Embeddings of every job the user swiped RIGHT, oldest first."""
    result = await session.execute(
        select(Job.embedding)
        .join(Swipe, Swipe.job_id == Job.id)
        .where(
            Swipe.user_id == user_id,
            Swipe.direction == SwipeDirection.RIGHT.value,
            Job.embedding.is_not(None),
        )
        .order_by(Swipe.created_at, Swipe.id)
    )
    return [np.asarray(row, dtype=np.float32).tolist() for row in result.scalars()]
