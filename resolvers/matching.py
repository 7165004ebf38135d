"""Scores for the signed-in candidate: Job.match, whatIf, matches, and the candidate pool."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlalchemy.ext.asyncio import AsyncSession

from db import feed, jobs
from db.engine import read
from db.facts import candidate_facts, job_facts, profile_vector
from db.loaders import Loaders
from db.models import Job, User
from domain import inputs
from domain.enums import Role, ScoringPreset
from domain.errors import NotFound
from domain.matching import (
    PoolJob,
    above,
    check_min_score,
    check_page_size,
    cosine,
    duplicate_key,
    has_places,
    rank_feed,
)
from domain.scoring import MatchExplanation, get_preset, score
from domain.scoring import what_if as what_if_score
from domain.scoring.location import accepts_remote, preferred_points
from domain.skills import default_normalizer
from resolvers.jobs import may_read
from resolvers.services import Services, Viewer, require


async def candidate(loaders: Loaders, viewer: Viewer | None) -> User:
    """The signed-in candidate's row (through the request's loader: one query per request)."""
    viewer = require(viewer, Role.CANDIDATE)
    user = await loaders.user_by_id.load(viewer.id)
    if user is None:
        raise NotFound("user not found")
    return user


def job_cosine(user: User, job: Job) -> float | None:
    """Embedding cosine, unknown when either side has none or they come from different models."""
    if job.embedding is None or user.embedding_model != job.embedding_model:
        return None
    return cosine(profile_vector(user), job.embedding)


def explain(user: User, job: Job, preset: ScoringPreset, now: datetime) -> MatchExplanation:
    chosen = get_preset(preset)
    facts, normalizer = candidate_facts(user), default_normalizer()
    return score(
        chosen, facts, job_facts(job), cosine=job_cosine(user, job), now=now, normalizer=normalizer
    )


async def match(
    services: Services, loaders: Loaders, viewer: Viewer | None, job: Job, preset: ScoringPreset
) -> MatchExplanation:
    return explain(await candidate(loaders, viewer), job, preset, services.clock())


async def load_pool(
    session: AsyncSession, services: Services, user: User, now: datetime
) -> list[PoolJob]:
    """Stage one: the K nearest eligible jobs by cosine (HNSW, iterative scan), exact when the
    index under-delivers; by recency (cosine unknown) before the profile has an embedding.
    A candidate with preferred places gets the K nearest jobs in reach first (inside the radius
    by an exact scan of the boxes, remote ones through the index), the global pool fills the
    rest up to K: tier 1 is never crowded out, and ranking costs what one pool of K costs."""
    k, settings = services.settings.feed_pool_size, services.settings
    condition = feed.eligible(now, user.id)
    facts = candidate_facts(user)
    tiers = has_places(facts)
    points = [point for _, point in preferred_points(facts)] if tiers else []
    radius, remote = facts.search_radius_km or 0, tiers and accepts_remote(facts)
    vector = profile_vector(user)
    if vector is None or user.embedding_model is None:
        rows = await feed.newest(session, condition=condition, k=k)
        if tiers:
            local = and_(condition, feed.near(points, radius, remote=remote))
            rows = await feed.newest(session, condition=local, k=k) + rows
        return _pool(rows, k, cosines=False)
    ann = feed.AnnSettings(settings.hnsw_ef_search, settings.hnsw_max_scan_tuples)
    model = user.embedding_model
    await feed.use_iterative_scan(session, ann)
    nearby = []
    if tiers:
        nearby = await feed.nearest_in_reach(
            session,
            vector,
            model=model,
            condition=condition,
            points=points,
            radius_km=radius,
            remote=remote,
            k=k,
        )
    # The global pool fills what tier 1 left of K: pages cost what one pool of K costs.
    rest = k - len({row.id for row in nearby})
    if rest > 0:
        others = (
            and_(condition, feed.not_among([row.id for row in nearby])) if nearby else condition
        )
        nearby += await feed.nearest_filled(
            session, vector, model=model, condition=others, k=rest, ann=ann, configured=True
        )
    rows = nearby
    return _pool(rows, k, cosines=True)


def _pool(rows: Sequence[Any], k: int, *, cosines: bool) -> list[PoolJob]:
    """The first k distinct jobs (the tiers' pools overlap), in the order first seen."""
    pool: dict[uuid.UUID, PoolJob] = {}
    for row in rows:
        if row.id not in pool:
            cosine = 1.0 - float(row.distance) if cosines else None
            group = duplicate_key(row.title, str(row.company_id))
            pool[row.id] = PoolJob(job_facts(row), cosine, group)
    return list(pool.values())[:k]


async def matches(
    services: Services,
    loaders: Loaders,
    viewer: Viewer | None,
    min_score: float,
    first: int,
    preset: ScoringPreset,
) -> list[tuple[Job, MatchExplanation]]:
    """The best-scoring jobs of the candidate's pool at or above min_score."""
    user = await candidate(loaders, viewer)
    check_page_size(first)
    check_min_score(min_score)
    now = services.clock()
    async with read(services.sessions) as session:
        pool = await load_pool(session, services, user, now)
        facts, normalizer = candidate_facts(user), default_normalizer()
        ranked = await asyncio.to_thread(
            rank_feed, preset, facts, pool, now=now, normalizer=normalizer
        )
        best = above(ranked, min_score, first)
        rows = {
            row.id: row for row in await jobs.get_jobs(session, [uuid.UUID(b.job_id) for b in best])
        }
    return [(rows[uuid.UUID(b.job_id)], b.explanation) for b in best]


async def what_if(
    services: Services,
    loaders: Loaders,
    viewer: Viewer | None,
    job_id: uuid.UUID,
    add_skills: Sequence[str],
    years_of_experience: float | None,
    preset: ScoringPreset,
) -> tuple[MatchExplanation, float]:
    """The explanation with extra skills and/or other years, and the change of score."""
    viewer = require(viewer, Role.CANDIDATE)
    user = await candidate(loaders, viewer)
    inputs.added_skills(add_skills)
    job = await loaders.job_by_id.load(job_id)
    if job is None or not may_read(viewer, job):
        raise NotFound("no Job has this id")
    normalizer = default_normalizer()
    return what_if_score(
        get_preset(preset),
        candidate_facts(user),
        job_facts(job),
        cosine=job_cosine(user, job),
        now=services.clock(),
        normalizer=normalizer,
        add_skills=normalizer.normalize_many(add_skills),
        years_of_experience=years_of_experience,
    )
