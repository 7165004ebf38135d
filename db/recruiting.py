"""The people a job is ranked against (candidatesForJob): a company's pool candidates, the job's
applicants and candidates open to recruiters, nearest by cosine; and a ranked page's people."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from db.feed import AnnSettings, use_iterative_scan
from db.models import Application, Candidate, Match, User
from domain.enums import ApplicationStatus, CandidateStatus, Role

# Below this many eligible pool rows an exact scan (through the company index) is cheaper than
# an HNSW scan that has to skip every other company's candidates.
EXACT_POOL_LIMIT = 5_000
RANKABLE = (CandidateStatus.PENDING_REVIEW.value, CandidateStatus.READY.value)


@dataclass(frozen=True)
class Found:
    """A person of the retrieval pool: their row and cosine distance to the job (None: unknown)."""

    row: Candidate | User
    distance: float | None
    applied: bool = False


def _pool_condition(company_id: uuid.UUID, model: str) -> ColumnElement[bool]:
    return (
        (Candidate.company_id == company_id)
        & Candidate.status.in_(RANKABLE)
        & Candidate.embedding.is_not(None)
        & (Candidate.embedding_model == model)
    )


def _applied(job_id: uuid.UUID) -> ColumnElement[bool]:
    return exists().where(
        Application.user_id == User.id,
        Application.job_id == job_id,
        Application.status != ApplicationStatus.WITHDRAWN.value,
    )


async def _nearest_pool(
    session: AsyncSession,
    vector: Sequence[float],
    condition: ColumnElement[bool],
    k: int,
    *,
    exact: bool,
) -> list[Found]:
    """The approximate form orders by the bare `<=>` so the HNSW index serves it (see
    db/feed.nearest); `+ 0` keeps any index from serving the exact one."""
    distance = Candidate.embedding.cosine_distance(vector)
    inner = (
        select(Candidate.id.label("candidate_id"), distance.label("distance"))
        .where(condition)
        .order_by(distance + 0 if exact else distance)
        .limit(k)
        .cte("nearest")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(Candidate, inner.c.distance)
        .options(defer(Candidate.embedding, raiseload=True))
        .join(inner, inner.c.candidate_id == Candidate.id)
        .order_by(inner.c.distance, Candidate.id)
    )
    return [Found(row, float(d)) for row, d in (await session.execute(query)).all()]


async def nearest_pool(
    session: AsyncSession,
    vector: Sequence[float],
    *,
    company_id: uuid.UUID,
    model: str,
    k: int,
    ann: AnnSettings,
) -> list[Found]:
    """The k pool candidates nearest the job: exact for a small pool, else HNSW with iterative
    scans, exact again when the index under-delivers."""
    condition = _pool_condition(company_id, model)
    limit = max(EXACT_POOL_LIMIT, k)
    # Counting stops past the limit: a 100k pool costs what a 5k one does here.
    capped = select(Candidate.id).where(condition).limit(limit + 1).subquery()
    size = (await session.execute(select(func.count()).select_from(capped))).scalar_one()
    if size <= limit:
        return await _nearest_pool(session, vector, condition, k, exact=True)
    await use_iterative_scan(session, ann)
    rows = await _nearest_pool(session, vector, condition, k, exact=False)
    if len(rows) < k:
        rows = await _nearest_pool(session, vector, condition, k, exact=True)
    return rows


async def nearest_users(
    session: AsyncSession,
    vector: Sequence[float],
    *,
    job_id: uuid.UUID,
    model: str,
    k: int,
    applicants: bool,
    open_to_recruiters: bool,
) -> list[Found]:
    """Signed-up candidates nearest the job: its applicants (every one, even without a profile
    vector: those last) and/or those open to recruiters. Exact: users carry no vector index."""
    profile = func.coalesce(User.current_embedding, User.base_embedding)
    distance = profile.cosine_distance(vector)
    # Applying shows the person's contact to the job's company only.
    applied = _applied(job_id) if applicants else false()
    wanted = []
    if applicants:
        wanted.append(applied)
    if open_to_recruiters:
        wanted.append(User.open_to_recruiters.is_(True) & profile.is_not(None))
    same_model = (User.embedding_model == model) | profile.is_(None)
    query = (
        select(User, distance, applied)
        .options(
            defer(User.base_embedding, raiseload=True),
            defer(User.current_embedding, raiseload=True),
        )
        .where(
            User.role == Role.CANDIDATE.value,
            User.is_active.is_(True),
            same_model,
            wanted[0] if len(wanted) == 1 else wanted[0] | wanted[1],
        )
        .order_by((distance + 0).nulls_last(), User.id)
        .limit(k)
    )
    rows = (await session.execute(query)).all()
    return [Found(u, None if d is None else float(d), bool(a)) for u, d, a in rows]


async def people(
    session: AsyncSession,
    ids: Collection[uuid.UUID],
    *,
    job_id: uuid.UUID,
    company_id: uuid.UUID,
    own_job: bool,
) -> dict[uuid.UUID, Found]:
    """A ranked page's people still visible: the company's rankable pool candidates, and users
    open to recruiters or, for the company's own job, who applied to it (distances come from the
    snapshot)."""
    pool = (
        select(Candidate)
        .options(defer(Candidate.embedding, raiseload=True))
        .where(
            Candidate.id.in_(ids),
            Candidate.company_id == company_id,
            Candidate.status.in_(RANKABLE),
        )
    )
    applied = _applied(job_id) if own_job else false()
    users = (
        select(User, applied)
        .options(
            defer(User.base_embedding, raiseload=True),
            defer(User.current_embedding, raiseload=True),
        )
        .where(
            User.id.in_(ids),
            User.role == Role.CANDIDATE.value,
            User.is_active.is_(True),
            applied | User.open_to_recruiters.is_(True),
        )
    )
    found: dict[uuid.UUID, Found] = {}
    for row in (await session.execute(pool)).scalars():
        found[row.id] = Found(row, None)
    for user, was_applied in (await session.execute(users)).all():
        found[user.id] = Found(user, None, bool(was_applied))
    return found


def is_pool(row: Any) -> bool:
    return isinstance(row, Candidate)


async def matches_for(
    session: AsyncSession, company_id: uuid.UUID, job_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Match]:
    """The company's match records of a page's people for the job, by person id."""
    person = func.coalesce(Match.candidate_id, Match.user_id)
    query = select(Match).where(
        Match.company_id == company_id, Match.job_id == job_id, person.in_(ids)
    )
    found: dict[uuid.UUID, Match] = {}
    for row in (await session.execute(query)).scalars():
        key = row.candidate_id if row.candidate_id is not None else row.user_id
        if key is not None:
            found[key] = row
    return found
