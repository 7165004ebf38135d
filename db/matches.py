"""Match records: the jobs a pool candidate can reach, upserts with history, pages, events."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defer

from db import outbox, paging
from db.facts import FACT_COLUMNS, candidate_facts
from db.feed import AnnSettings, eligible, use_iterative_scan
from db.models import Candidate, Company, Job, Match, MatchHistory
from domain.enums import (
    CandidateStatus,
    CompanyKind,
    EventKind,
    JobStatus,
    MatchStatus,
)
from domain.matches import ACTED, KEEP, to_json
from domain.scoring import CandidateFacts, MatchExplanation

Scored = tuple[float, uuid.UUID]
# Pool candidates that still take part in matching.
UPSERT_CHUNK = 1000  # rows per INSERT: 12 parameters each, under asyncpg's 32,767
MATCHABLE = (CandidateStatus.PENDING_REVIEW.value, CandidateStatus.READY.value)


def pool_facts(row: Candidate) -> CandidateFacts:
    """What scoring reads of a pool candidate (the same fields as a user's profile)."""
    return candidate_facts(row)


async def company_kind(session: AsyncSession, company_id: uuid.UUID) -> CompanyKind:
    kind = (
        await session.execute(select(Company.kind).where(Company.id == company_id))
    ).scalar_one()
    return CompanyKind(kind)


def _reach(company_id: uuid.UUID, kind: CompanyKind) -> ColumnElement[bool]:
    """An agency's pool reaches every ACTIVE job; an employer's only its own."""
    return and_(True) if kind is CompanyKind.AGENCY else Job.company_id == company_id


async def reachable_jobs(
    session: AsyncSession, candidate: Candidate, kind: CompanyKind, now: datetime
) -> list[Any]:
    """Every eligible job the candidate's pool reaches, as FACT_COLUMNS + `cosine` (None when
    either side lacks an embedding of the same model)."""
    cosine: Any = literal_column("NULL")
    if candidate.embedding is not None and candidate.embedding_model is not None:
        similarity = 1 - Job.embedding.cosine_distance(candidate.embedding)
        cosine = case((Job.embedding_model == candidate.embedding_model, similarity), else_=None)
    query = select(*FACT_COLUMNS, cosine.label("cosine")).where(
        eligible(now, None), _reach(candidate.company_id, kind)
    )
    return list((await session.execute(query)).all())


async def reachable_pairs(
    session: AsyncSession,
    job_ids: Collection[uuid.UUID],
    now: datetime,
    *,
    k: int,
    ann: AnnSettings,
) -> list[Any]:
    """For a batch of jobs, one vector query: per eligible job, the k matchable candidates nearest
    it (HNSW, iterative scan) among the pools that reach it (its company's and every agency's),
    with the embedding cosine."""
    await use_iterative_scan(session, ann)
    person = aliased(Candidate)
    agency = select(Company.id).where(Company.kind == CompanyKind.AGENCY.value)
    # The bare `<=>` in ORDER BY lets the candidates' HNSW index serve each job's scan.
    distance = person.embedding.cosine_distance(Job.embedding)
    near = (
        select(person.id.label("candidate_id"), distance.label("distance"))
        .where(
            or_(person.company_id == Job.company_id, person.company_id.in_(agency)),
            person.status.in_(MATCHABLE),
            person.embedding.is_not(None),
            person.embedding_model == Job.embedding_model,
        )
        .order_by(distance)
        .limit(k)
        .lateral("near")
    )
    query = (
        select(Job.id.label("job_id"), Candidate, (1 - near.c.distance).label("cosine"))
        .select_from(Job)
        .join(near, true())
        .join(Candidate, Candidate.id == near.c.candidate_id)
        .options(defer(Candidate.embedding, raiseload=True))
        .where(Job.id.in_(list(job_ids)), eligible(now, None), Job.embedding.is_not(None))
        .order_by(Job.id, near.c.distance, Candidate.id)
    )
    return list((await session.execute(query)).all())


async def ready_after(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> list[Candidate]:
    """The next READY pool candidates by id (keyset), for a full refresh in batches."""
    query = select(Candidate).where(Candidate.status == CandidateStatus.READY.value)
    if after is not None:
        query = query.where(Candidate.id > after)
    return list((await session.execute(query.order_by(Candidate.id).limit(limit))).scalars())


async def top_state(
    session: AsyncSession, candidate_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, float]]:
    """Per candidate: how many records of ACTIVE jobs they hold (up to 50) and the lowest score
    among their top 50."""
    ranked = (
        select(
            Match.candidate_id,
            Match.score,
            func.row_number()
            .over(partition_by=Match.candidate_id, order_by=Match.score.desc())
            .label("n"),
        )
        .join(Job, Job.id == Match.job_id)
        .where(Match.candidate_id.in_(list(candidate_ids)), Job.status == JobStatus.ACTIVE.value)
        .subquery()
    )
    query = (
        select(ranked.c.candidate_id, func.count(), func.min(ranked.c.score))
        .where(ranked.c.n <= KEEP)
        .group_by(ranked.c.candidate_id)
    )
    return {row[0]: (int(row[1]), float(row[2])) for row in (await session.execute(query)).all()}


async def upsert(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    entries: Sequence[tuple[uuid.UUID, uuid.UUID | None, uuid.UUID | None, MatchExplanation]],
    actor_id: uuid.UUID | None,
    now: datetime,
) -> list[tuple[uuid.UUID, bool]]:
    """entries: (job id, candidate id, user id, explanation). One record per (person, job):
    re-scoring updates it. Returns (match id, created) in entry order; a new record gets its
    SUGGESTED history row and a CANDIDATE_MATCHED event."""
    if not entries:
        return []
    found: dict[tuple[Any, ...], tuple[uuid.UUID, bool]] = {}
    # Pool records and user records conflict on different unique keys: one statement each.
    for people, constraint in ((1, "uq_matches_candidate_job"), (2, "uq_matches_user_job")):
        rows = [
            {
                "id": uuid.uuid4(),
                "company_id": company_id,
                "job_id": entry[0],
                "candidate_id": entry[1],
                "user_id": entry[2],
                "status": MatchStatus.SUGGESTED.value,
                "created_at": now,
                "updated_at": now,
                "score": float(entry[3].score),
                "preset": entry[3].preset.value,
                "preset_version": int(entry[3].preset_version),
                "explanation": to_json(entry[3]),
            }
            for entry in entries
            if entry[people] is not None
        ]
        for start in range(0, len(rows), UPSERT_CHUNK):
            statement: Any = insert(Match).values(rows[start : start + UPSERT_CHUNK])
            statement = statement.on_conflict_do_update(
                constraint=constraint,
                set_={
                    name: statement.excluded[name]
                    for name in ("score", "preset", "preset_version", "explanation", "updated_at")
                },
            ).returning(
                Match.id,
                Match.job_id,
                Match.candidate_id,
                Match.user_id,
                literal_column("xmax = 0"),
            )
            for row in (await session.execute(statement)).all():
                found[(row[1], row[2], row[3])] = (row[0], bool(row[4]))
    out = [found[(job, candidate, user)] for job, candidate, user, _ in entries]
    created = [
        (match_id, entry) for (match_id, new), entry in zip(out, entries, strict=True) if new
    ]
    if created:
        session.add_all(
            MatchHistory(
                id=uuid.uuid4(),
                match_id=match_id,
                status=MatchStatus.SUGGESTED.value,
                actor_id=actor_id,
                at=now,
            )
            for match_id, _ in created
        )
        await session.flush()
        await outbox.emit_many(
            session,
            [
                {
                    "kind": EventKind.CANDIDATE_MATCHED,
                    "company_id": company_id,
                    "job_id": entry[0],
                    "payload": {"match_id": str(match_id), "score": float(entry[3].score)},
                }
                for match_id, entry in created
            ],
        )
    return out


async def drop_untouched(
    session: AsyncSession, candidate_id: uuid.UUID, keep: Collection[uuid.UUID]
) -> None:
    """Suggestions nobody acted on that fell out of the candidate's top list."""
    await session.execute(
        delete(Match).where(
            Match.candidate_id == candidate_id,
            Match.id.not_in(list(keep)),
            Match.status.not_in([s.value for s in ACTED]),
            Match.job_id.in_(select(Job.id).where(Job.status == JobStatus.ACTIVE.value)),
        )
    )


async def trim(session: AsyncSession, candidate_ids: Collection[uuid.UUID]) -> None:
    """Untouched suggestions pushed below a candidate's top 50 (of ACTIVE jobs) by new ones."""
    ranked = (
        select(
            Match.id,
            func.row_number()
            .over(partition_by=Match.candidate_id, order_by=(Match.score.desc(), Match.id))
            .label("n"),
        )
        .join(Job, Job.id == Match.job_id)
        .where(Match.candidate_id.in_(list(candidate_ids)), Job.status == JobStatus.ACTIVE.value)
        .subquery()
    )
    await session.execute(
        delete(Match).where(
            Match.id.in_(select(ranked.c.id).where(ranked.c.n > KEEP)),
            Match.status.not_in([s.value for s in ACTED]),
        )
    )


async def get_match(
    session: AsyncSession, match_id: uuid.UUID, *, lock: bool = False
) -> Match | None:
    query = select(Match).where(Match.id == match_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_matches(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Match]:
    return list((await session.execute(select(Match).where(Match.id.in_(ids)))).scalars())


async def set_status(
    session: AsyncSession,
    match: Match,
    status: str,
    *,
    actor_id: uuid.UUID,
    note: str | None,
    now: datetime,
) -> None:
    match.status = status
    match.updated_at = now
    session.add(
        MatchHistory(
            id=uuid.uuid4(), match_id=match.id, status=status, actor_id=actor_id, note=note, at=now
        )
    )
    await session.flush()


_STEP = case(
    {status.value: step for step, status in enumerate(MatchStatus)}, value=MatchHistory.status
)


async def history_for(session: AsyncSession, match_ids: Sequence[uuid.UUID]) -> list[MatchHistory]:
    result = await session.execute(
        select(MatchHistory)
        .where(MatchHistory.match_id.in_(match_ids))
        # Statuses only move forward: within one instant (created and shortlisted together)
        # the pipeline's order is the order they happened in.
        .order_by(MatchHistory.at, _STEP, MatchHistory.id)
    )
    return list(result.scalars())


async def page(
    session: AsyncSession,
    candidate_id: uuid.UUID,
    *,
    statuses: Sequence[str],
    first: int,
    after: Scored | None,
) -> paging.Page[Match]:
    """The candidate's records of ACTIVE jobs (others leave the list, kept for history), best
    first, ties by id; keyset on (score, id)."""
    conditions: list[Any] = [
        Match.candidate_id == candidate_id,
        Job.status == JobStatus.ACTIVE.value,
    ]
    if statuses:
        conditions.append(Match.status.in_(list(statuses)))
    if after is not None:
        score, match_id = after
        conditions.append(or_(Match.score < score, and_(Match.score == score, Match.id > match_id)))
    query = (
        select(Match)
        .join(Job, Job.id == Match.job_id)
        .where(*conditions)
        .order_by(Match.score.desc(), Match.id)
    )
    return await paging.fetch(session, query, first)
