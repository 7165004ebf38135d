"""Candidate pools (HNSW cosine ANN with iterative scans, exact fallback) and ranked snapshots."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    all_,
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from db import paging
from db.facts import FACT_COLUMNS
from db.models import Job, RankedSnapshot, Swipe
from domain.enums import JobStatus
from domain.geo import Point

KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class AnnSettings:
    """hnsw.ef_search: candidate list per scan step; max_scan_tuples bounds iterative scans."""

    ef_search: int
    max_scan_tuples: int
    iterative_scan: str = "relaxed_order"  # or strict_order; off only to test the fallback


def eligible(now: datetime, unswiped_by: uuid.UUID | None) -> ColumnElement[bool]:
    """ACTIVE, not past expiry and, for a feed, not swiped by the candidate."""
    conditions = [
        Job.status == JobStatus.ACTIVE.value,
        or_(Job.expires_at.is_(None), Job.expires_at > now),
    ]
    if unswiped_by is not None:
        swiped = exists().where(Swipe.user_id == unswiped_by, Swipe.job_id == Job.id)
        conditions.append(~swiped)
    return and_(*conditions)


def near(points: Sequence[Point], radius_km: float, *, remote: bool) -> ColumnElement[bool]:
    """Jobs in a bounding box around any of the points (ix_jobs_lat_lon serves the ranges; the
    exact haversine check is the caller's), plus remote jobs when `remote`. A box is 1 km wider
    than the radius, so that rounding never leaves out a job on its edge."""
    boxes: list[ColumnElement[bool]] = []
    for point in points:
        dlat = (radius_km + 1) / KM_PER_DEGREE
        shrink = max(math.cos(math.radians(point.lat)), 0.01)
        dlon = min((radius_km + 1) / (KM_PER_DEGREE * shrink), 180.0)
        boxes.append(
            and_(
                Job.lat.between(point.lat - dlat, point.lat + dlat),
                Job.lon.between(point.lon - dlon, point.lon + dlon),
            )
        )
    if remote:
        boxes.append(Job.is_remote.is_(True))
    return or_(*boxes) if boxes else false()


def not_among(job_ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    """Job.id <> ALL(one array parameter): one statement shape (and one prepared statement) for
    any number of ids, where NOT IN renders a parameter per id."""
    ids = bindparam("excluded_ids", list(job_ids), type_=ARRAY(UUID(as_uuid=True)))
    return Job.id != all_(ids)


async def use_iterative_scan(session: AsyncSession, ann: AnnSettings) -> None:
    """Transaction-local: keep scanning the HNSW graph until LIMIT rows pass the filters; plan
    each statement for its own vector; and never sort where an index gives the order: with a
    large ef_search pgvector costs the HNSW scan above sorting a full scan of ~10k rows (which
    reads every TOASTed embedding), so the planner would pick the exact scan at every size up
    to tens of thousands. Sorts nothing else can avoid (the exact fallback, a page's order)
    still run: enable_sort only prices them out where an alternative exists."""
    await session.execute(
        select(
            func.set_config("plan_cache_mode", "force_custom_plan", True),
            func.set_config("enable_sort", "off", True),
            func.set_config("hnsw.ef_search", str(ann.ef_search), True),
            func.set_config("hnsw.iterative_scan", ann.iterative_scan, True),
            func.set_config("hnsw.max_scan_tuples", str(ann.max_scan_tuples), True),
        )
    )


async def nearest(
    session: AsyncSession,
    vector: Sequence[float],
    *,
    model: str,
    condition: ColumnElement[bool],
    k: int,
    exact: bool = False,
) -> list[Any]:
    """Up to k eligible jobs closest by cosine, as FACT_COLUMNS + `distance`, exactly ordered.

    The approximate form orders by the bare `<=>` expression so the HNSW index serves it; relaxed
    iterative scans may return rows slightly out of order, so the outer query re-sorts them.
    The exact form adds 0 to the distance, which no index can serve: a full scan.
    """
    distance = Job.embedding.cosine_distance(vector)
    order = distance + 0 if exact else distance
    inner = (
        select(Job.id.label("job_id"), distance.label("distance"))
        .where(condition, Job.embedding.is_not(None), Job.embedding_model == model)
        .order_by(order)
        .limit(k)
        .cte("nearest")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(*FACT_COLUMNS, inner.c.distance)
        .join(inner, inner.c.job_id == Job.id)
        .order_by(inner.c.distance, Job.id)
    )
    return list((await session.execute(query)).all())


# Measured at 100k jobs (python -m bench feed_latency's candidates): boxes of 47-2,787 jobs take
# 2-35 ms exactly and 157-286 ms through the index (a selective filter starves the HNSW walk);
# boxes of 12,613-15,396 jobs take 170-195 ms exactly and 37-42 ms through the index.
LOCAL_EXACT_AT_MOST = 5_000


async def _more_than(session: AsyncSession, condition: ColumnElement[bool], n: int) -> bool:
    """Whether more than n jobs meet `condition`, reading at most n + 1 (index) entries."""
    probe = select(literal(1)).select_from(Job).where(condition).limit(n + 1).subquery()
    return int((await session.execute(select(func.count()).select_from(probe))).scalar_one()) > n


async def nearest_in_reach(
    session: AsyncSession,
    vector: Sequence[float],
    *,
    model: str,
    condition: ColumnElement[bool],
    points: Sequence[Point],
    radius_km: float,
    remote: bool,
    k: int,
    exact_at_most: int = LOCAL_EXACT_AT_MOST,
) -> list[Any]:
    """Up to k jobs nearest by cosine inside the boxes around `points` and, when `remote`, up to
    k nearest remote jobs through the HNSW index with the filter (half the jobs may be remote).
    The boxes are scanned exactly (the lat/lon index finds their rows) while they hold at most
    `exact_at_most` jobs, else walked in the HNSW index with the boxes as filter (a big city of
    a big table). One statement, the k nearest of both; run it after `use_iterative_scan`.
    A job may come twice."""
    distance = Job.embedding.cosine_distance(vector)
    base = and_(condition, Job.embedding.is_not(None), Job.embedding_model == model)
    found = select(Job.id.label("job_id"), distance.label("distance"))
    parts = []
    if points:
        boxes = near(points, radius_km, remote=False)
        crowded = await _more_than(session, boxes, exact_at_most)
        order = distance if crowded else distance + 0
        parts.append(found.where(base & boxes).order_by(order).limit(k).subquery())
    if remote:
        parts.append(
            found.where(base, Job.is_remote.is_(True)).order_by(distance).limit(k).subquery()
        )
    if not parts:
        return []
    inner = (
        union_all(*(select(part.c.job_id, part.c.distance) for part in parts))
        .cte("in_reach")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(*FACT_COLUMNS, inner.c.distance)
        .join(inner, inner.c.job_id == Job.id)
        .order_by(inner.c.distance, Job.id)
        .limit(k)
    )
    return list((await session.execute(query)).all())


async def nearest_filled(
    session: AsyncSession,
    vector: Sequence[float],
    *,
    model: str,
    condition: ColumnElement[bool],
    k: int,
    ann: AnnSettings,
    configured: bool = False,
) -> list[Any]:
    """The ANN pool, or the exact one when the index under-delivers (fewer than k rows: either
    fewer eligible jobs exist, or the iterative scan hit max_scan_tuples). `configured`: the
    transaction already ran `use_iterative_scan`."""
    if not configured:
        await use_iterative_scan(session, ann)
    rows = await nearest(session, vector, model=model, condition=condition, k=k)
    if len(rows) < k:
        rows = await nearest(session, vector, model=model, condition=condition, k=k, exact=True)
    return rows


async def newest(session: AsyncSession, *, condition: ColumnElement[bool], k: int) -> list[Any]:
    """The recency pool for a candidate without a profile embedding yet."""
    query = select(*FACT_COLUMNS).where(condition).order_by(Job.posted_at.desc(), Job.id).limit(k)
    return list((await session.execute(query)).all())


async def save_snapshot(
    session: AsyncSession,
    *,
    user_id: uuid.UUID | None,  # None: an anonymous search (public browsing)
    kind: str,
    entries: Sequence[tuple[uuid.UUID, float]],
    cosines: Sequence[float | None] | None,
    ranked_at: datetime,
    expires_at: datetime,
    query: str | None = None,
) -> RankedSnapshot:
    """Stores one ranked list and drops the user's expired ones (so the table stays small)."""
    await session.execute(
        delete(RankedSnapshot).where(
            RankedSnapshot.user_id == user_id, RankedSnapshot.expires_at <= ranked_at
        )
    )
    snapshot = RankedSnapshot(
        id=uuid.uuid4(),
        user_id=user_id,
        kind=kind,
        job_ids=[job_id for job_id, _ in entries],
        scores=[value for _, value in entries],
        cosines=list(cosines) if cosines is not None else None,
        query=query,
        ranked_at=ranked_at,
        expires_at=expires_at,
    )
    session.add(snapshot)
    await session.flush()
    return snapshot


async def get_snapshot(session: AsyncSession, snapshot_id: uuid.UUID) -> RankedSnapshot | None:
    return await session.get(RankedSnapshot, snapshot_id)


async def page(
    session: AsyncSession,
    job_ids: Sequence[uuid.UUID],
    *,
    after: int,
    first: int,
    condition: ColumnElement[bool],
) -> paging.Page[tuple[int, Job]]:
    """Jobs of a ranked list after 1-based position `after` that are still eligible."""
    ids = bindparam("ranked_ids", list(job_ids), type_=ARRAY(UUID(as_uuid=True)))
    ranked = func.unnest(ids).table_valued("job_id", with_ordinality="pos").render_derived()
    query = (
        select(Job, ranked.c.pos)
        .join(ranked, ranked.c.job_id == Job.id)
        .where(ranked.c.pos > after, condition)
        .order_by(ranked.c.pos)
        .limit(first + 1)
    )
    rows = [(int(pos), job) for job, pos in (await session.execute(query)).all()]
    return paging.cut(rows, first)


async def drop_expired_snapshots(session: AsyncSession, now: datetime) -> int:
    """Housekeeping for users who never come back (a new snapshot drops its owner's old ones)."""
    result = await session.execute(
        delete(RankedSnapshot).where(RankedSnapshot.expires_at <= now).returning(RankedSnapshot.id)
    )
    return len(result.all())
