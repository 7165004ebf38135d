"""The swipe feed (discover), hybrid search and view tracking, paged from ranked snapshots."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db import applications, feed, jobs, search
from db.engine import transaction
from db.facts import candidate_facts, job_facts
from db.loaders import Loaders
from db.models import Interaction, Job, RankedSnapshot, User
from domain import inputs
from domain.enums import JobStatus, Role, ScoringPreset
from domain.errors import InvalidInput, NotFound
from domain.jobs import visible
from domain.matching import check_page_size, feed_order
from domain.scoring import MatchExplanation, feed_score, get_preset, rrf, score
from domain.skills import default_normalizer
from resolvers.matching import candidate, explain, load_pool
from resolvers.services import Services, Viewer, require

FEED, SEARCH = "FEED", "SEARCH"
Cursor = tuple[uuid.UUID, int]


@dataclass(frozen=True)
class RankedEdge:
    position: int
    job: Job
    score: float
    explanation: MatchExplanation | None = None


@dataclass(frozen=True)
class RankedPage:
    snapshot_id: uuid.UUID
    edges: list[RankedEdge]
    has_next: bool


async def resume_snapshot(
    session: AsyncSession,
    viewer: Viewer | None,
    kind: str,
    after: Cursor,
    now: datetime,
    query: str | None = None,
) -> RankedSnapshot:
    """A cursor is only good for its owner (anonymous: anonymous ones), its list kind, its
    lifetime and (given) its query."""
    snapshot_id, position = after
    found = await feed.get_snapshot(session, snapshot_id)
    if (
        found is None
        or found.user_id != (viewer.id if viewer is not None else None)
        or found.kind != kind
        or (query is not None and found.query != query)
        or found.expires_at <= now
        or not 0 <= position <= len(found.job_ids)
    ):
        raise InvalidInput("after is not a valid cursor (or it has expired)", field="after")
    return found


async def _rank_feed(
    session: AsyncSession, services: Services, user: User, now: datetime
) -> RankedSnapshot:
    pool = await load_pool(session, services, user, now)
    facts = candidate_facts(user)
    normalizer = default_normalizer()
    # Scores only (a page explains its own jobs); off the event loop all the same.
    ranked = await asyncio.to_thread(
        feed_order, ScoringPreset.SWIPE_HYBRID, facts, pool, now=now, normalizer=normalizer
    )
    cosines = {item.facts.id: item.cosine for item in pool}
    return await feed.save_snapshot(
        session,
        user_id=user.id,
        kind=FEED,
        entries=[(uuid.UUID(r.job_id), r.score) for r in ranked],
        cosines=[cosines[r.job_id] for r in ranked],
        ranked_at=now,
        expires_at=now + timedelta(seconds=services.settings.snapshot_ttl_s),
    )


def _explained(user: User, snapshot: RankedSnapshot, position: int, job: Job) -> MatchExplanation:
    """Later pages score at the snapshot's time with its cosines: the very same explanations."""
    cosine = snapshot.cosines[position - 1] if snapshot.cosines else None
    preset = get_preset(ScoringPreset.SWIPE_HYBRID)
    facts, normalizer = candidate_facts(user), default_normalizer()
    return score(
        preset, facts, job_facts(job), cosine=cosine, now=snapshot.ranked_at, normalizer=normalizer
    )


async def discover(
    services: Services, loaders: Loaders, viewer: Viewer | None, first: int, after: Cursor | None
) -> RankedPage:
    user = await candidate(loaders, viewer)
    check_page_size(first)
    now = services.clock()
    async with transaction(services.sessions) as session:
        if after is None:
            snapshot = await _rank_feed(session, services, user, now)
        else:
            snapshot = await resume_snapshot(session, require(viewer), FEED, after, now)
        start = after[1] if after else 0
        rows = await feed.page(
            session,
            snapshot.job_ids,
            after=start,
            first=first,
            condition=feed.eligible(now, user.id),
        )
        edges = []
        for position, job in rows.items:
            explanation = _explained(user, snapshot, position, job)
            edges.append(RankedEdge(position, job, feed_score(explanation), explanation))
        await applications.add_views(session, user.id, [(e.job.id, int(e.score)) for e in edges])
    return RankedPage(snapshot.id, edges, rows.has_next)


async def _rank_search(
    session: AsyncSession, services: Services, viewer: Viewer | None, text: str, now: datetime
) -> RankedSnapshot:
    """Reciprocal rank fusion of the full-text ranking and the semantic (embedding) ranking."""
    vector = await services.embedder.embed_one(text)
    settings, condition = services.settings, feed.eligible(now, None)
    k = settings.search_pool_size
    textual = await search.text_ranked(session, text, condition=condition, k=k)
    ann = feed.AnnSettings(settings.hnsw_ef_search, settings.hnsw_max_scan_tuples)
    model = services.embedder.model_name
    nearest = await feed.nearest_filled(
        session, vector, model=model, condition=condition, k=k, ann=ann
    )
    fused = rrf([[str(i) for i in textual], [str(row.id) for row in nearest]])
    return await feed.save_snapshot(
        session,
        user_id=viewer.id if viewer is not None else None,
        kind=SEARCH,
        entries=[(uuid.UUID(job_id), value) for job_id, value in fused],
        cosines=None,
        ranked_at=now,
        expires_at=now + timedelta(seconds=settings.snapshot_ttl_s),
        query=text,
    )


async def search_jobs(
    services: Services,
    viewer: Viewer | None,
    query: str,
    first: int,
    after: Cursor | None,
    *,
    public: bool = False,
) -> RankedPage:
    """ACTIVE jobs for a free-text query, best fused rank first; `public`: anonymous too."""
    if not public:
        require(viewer)
    check_page_size(first)
    text = inputs.search_query(query)
    now = services.clock()
    async with transaction(services.sessions) as session:
        if after is None:
            snapshot = await _rank_search(session, services, viewer, text, now)
        else:
            snapshot = await resume_snapshot(session, viewer, SEARCH, after, now)
            if snapshot.query != text:
                raise InvalidInput("after belongs to another query", field="after")
        condition = feed.eligible(now, None)
        start = after[1] if after else 0
        rows = await feed.page(
            session, snapshot.job_ids, after=start, first=first, condition=condition
        )
    edges = [RankedEdge(pos, job, snapshot.scores[pos - 1]) for pos, job in rows.items]
    return RankedPage(snapshot.id, edges, rows.has_next)


async def record_job_view(
    services: Services, loaders: Loaders, viewer: Viewer | None, job_id: uuid.UUID, duration_ms: int
) -> Interaction:
    """Adds the time spent on a job to its latest view; a job never shown gets a view now."""
    user = await candidate(loaders, viewer)
    inputs.view_duration(duration_ms)
    async with transaction(services.sessions) as session:
        view = await applications.add_view_duration(session, user.id, job_id, duration_ms)
        if view is None:
            job = await jobs.get_job(session, job_id)
            if job is None or not visible(
                JobStatus(job.status), job.company_id, Role.CANDIDATE, None
            ):
                raise NotFound("no Job has this id")
            shown = feed_score(explain(user, job, ScoringPreset.SWIPE_HYBRID, services.clock()))
            view = await applications.add_view(session, user.id, job_id, shown, duration_ms)
    return view
