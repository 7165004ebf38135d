"""matchFound in bulk: one query for the new jobs and the listening candidates, numpy cosines,
and the SWIPE_HYBRID preset only for pairs whose semantic factor leaves them a chance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select

from db.engine import read
from db.facts import profile_vector
from db.models import Event, Job, User
from domain.enums import Role, ScoringPreset
from domain.scoring import MatchExplanation, get_preset
from resolvers.matching import explain
from resolvers.services import Services


def _matrix(vectors: Sequence[list[float]]) -> np.ndarray:
    return np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)


async def score_matches(
    services: Services,
    events: Sequence[Event],
    listeners: Sequence[tuple[uuid.UUID, float]],
    *,
    active_only: bool = False,
) -> dict[tuple[int, uuid.UUID], MatchExplanation]:
    """(event id, candidate id) -> explanation, for pairs scoring at least the candidate's minimum."""
    job_ids = {e.job_id for e in events if e.job_id is not None}
    # One candidate may hold several subscriptions: score against the lowest of their minimums.
    thresholds: dict[uuid.UUID, float] = {}
    for user_id, min_score in listeners:
        thresholds[user_id] = min(min_score, thresholds.get(user_id, min_score))
    if not job_ids or not thresholds:
        return {}
    async with read(services.sessions) as session:
        query = select(Job).where(Job.id.in_(job_ids), Job.embedding.is_not(None))
        if active_only:
            query = query.where(Job.status == "ACTIVE")
        jobs = {j.id: j for j in (await session.execute(query)).scalars()}
        users = [
            u
            for u in (await session.execute(select(User).where(User.id.in_(list(thresholds)), User.role == Role.CANDIDATE.value))).scalars()
            if profile_vector(u) is not None
        ]
    if not jobs or not users:
        return {}
    job_list = list(jobs.values())
    cosines = _matrix([profile_vector(u) or [] for u in users]) @ _matrix([list(j.embedding) for j in job_list]).T
    column = {job.id: index for index, job in enumerate(job_list)}
    weight = get_preset(ScoringPreset.SWIPE_HYBRID).weights["semantic"]
    now = services.clock()
    found: dict[tuple[int, uuid.UUID], MatchExplanation] = {}
    for event in events:
        job = jobs.get(event.job_id) if event.job_id else None
        if job is None:
            continue
        for row, user in enumerate(users):
            semantic = max(0.0, min(100.0, float(cosines[row, column[job.id]]) * 100))
            # Every other factor is at most 100: skip pairs that cannot reach the threshold.
            if weight * semantic + (1 - weight) * 100 < thresholds[user.id] or user.embedding_model != job.embedding_model:
                continue
            explanation = explain(user, job, ScoringPreset.SWIPE_HYBRID, now)
            if float(explanation.score) >= thresholds[user.id]:
                found[(event.id, user.id)] = explanation
    return found
