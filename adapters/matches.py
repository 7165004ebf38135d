"""matchFound in bulk: one read of the new jobs and the listening candidates, numpy cosines,
and the SWIPE_HYBRID preset only for pairs whose semantic factor leaves them a chance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from db.engine import SessionFactory, read
from db.facts import candidate_facts, job_facts
from db.matching import match_rows
from db.models import Company, Event, Job
from domain.enums import ScoringPreset
from domain.matching import in_reach
from domain.scoring import CandidateFacts, MatchExplanation, get_preset, score
from domain.skills import default_normalizer


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


async def score_matches(
    sessions: SessionFactory,
    events: Sequence[Event],
    listeners: Sequence[tuple[uuid.UUID, float]],
    *,
    now: datetime,
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
    async with read(sessions) as session:
        found_rows = await match_rows(session, job_ids, list(thresholds), active_only=active_only)
    jobs, rows, companies = found_rows.jobs, found_rows.candidates, found_rows.companies
    if not jobs or not rows:
        return {}
    users = [user for user, _ in rows]
    job_list = list(jobs.values())
    cosines = (
        _unit_rows([vector for _, vector in rows])
        @ _unit_rows([list(j.embedding) for j in job_list]).T
    )
    column = {job.id: index for index, job in enumerate(job_list)}
    preset, normalizer = get_preset(ScoringPreset.SWIPE_HYBRID), default_normalizer()
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
            # Only jobs a feed would show first: inside the radius, or remote and accepted.
            if not in_reach(facts_of_user[user.id], facts_of_job[job.id]):
                continue
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
