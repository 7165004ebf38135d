"""matchFound in bulk: one query for the new jobs and the listening candidates, numpy cosines,
and the SWIPE_HYBRID preset only for pairs whose semantic factor leaves them a chance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import REAL, Select, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import defer

from db.engine import read
from db.facts import candidate_facts, job_facts
from db.models import Company, Event, Job, User
from domain.enums import Role, ScoringPreset
from domain.scoring import CandidateFacts, MatchExplanation, get_preset, score
from domain.skills import default_normalizer
from resolvers.services import Services


@dataclass(frozen=True)
class Match:
    """The job as scored (rendered to every subscriber as is) and the candidate's explanation."""

    job: Job
    explanation: MatchExplanation
    company: Company | None = None


def _unit_rows(vectors: Sequence[list[float]]) -> np.ndarray:
    """Rows scaled to length 1 (float64, as `Job.match` computes its cosine), zero rows kept."""
    matrix = np.asarray(vectors, dtype=np.float64).reshape(len(vectors), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _candidates(user_ids: list[uuid.UUID]) -> Select[User, list[float]]:
    """Listening candidates with their profile vector (current, else base) as a float array:
    pgvector's text form costs ~0.1 ms a vector to parse, which 1,000 listeners turn into 0.2 s."""
    profile = func.coalesce(User.current_embedding, User.base_embedding)
    return (
        select(User, cast(profile, ARRAY(REAL)))
        .options(
            defer(User.base_embedding, raiseload=True),
            defer(User.current_embedding, raiseload=True),
        )
        .where(User.id.in_(user_ids), User.role == Role.CANDIDATE.value, profile.is_not(None))
    )


async def score_matches(
    services: Services,
    events: Sequence[Event],
    listeners: Sequence[tuple[uuid.UUID, float]],
    *,
    active_only: bool = False,
) -> dict[tuple[int, uuid.UUID], Match]:
    """(event id, candidate id) -> match, for pairs scoring at least the candidate's minimum."""
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
        rows = (await session.execute(_candidates(list(thresholds)))).all()
        # Loaded once per batch: every subscriber's payload renders the same company.
        company_ids = {j.company_id for j in jobs.values()}
        companies = {
            c.id: c
            for c in (
                await session.execute(select(Company).where(Company.id.in_(company_ids)))
            ).scalars()
        }
    if not jobs or not rows:
        return {}
    users = [user for user, _ in rows]
    job_list = list(jobs.values())
    cosines = (
        _unit_rows([vector for _, vector in rows])
        @ _unit_rows([list(j.embedding) for j in job_list]).T
    )
    column = {job.id: index for index, job in enumerate(job_list)}
    preset, normalizer, now = (
        get_preset(ScoringPreset.SWIPE_HYBRID),
        default_normalizer(),
        services.clock(),
    )
    weight = preset.weights["semantic"]
    # Facts once per job and per candidate, not once per pair: with 1,000 listeners it shows.
    facts_of_job = {job.id: job_facts(job) for job in job_list}
    facts_of_user: dict[uuid.UUID, CandidateFacts] = {}
    found: dict[tuple[int, uuid.UUID], Match] = {}
    for event in events:
        job = jobs.get(event.job_id) if event.job_id else None
        if job is None:
            continue
        for row, user in enumerate(users):
            cosine = float(cosines[row, column[job.id]])
            # Every other factor is at most 100: skip pairs that cannot reach the threshold.
            if (
                weight * max(0.0, min(100.0, cosine * 100)) + (1 - weight) * 100
                < thresholds[user.id]
                or user.embedding_model != job.embedding_model
            ):
                continue
            if user.id not in facts_of_user:
                facts_of_user[user.id] = candidate_facts(user)
            explanation = score(
                preset,
                facts_of_user[user.id],
                facts_of_job[job.id],
                cosine=cosine,
                now=now,
                normalizer=normalizer,
            )
            if float(explanation.score) >= thresholds[user.id]:
                found[(event.id, user.id)] = Match(job, explanation, companies.get(job.company_id))
    return found
