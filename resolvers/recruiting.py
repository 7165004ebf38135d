"""candidatesForJob: the people ranked for a job by two-stage retrieval, paged from a snapshot."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db import feed, recruiting
from db.engine import transaction
from db.facts import candidate_facts, job_facts
from db.loaders import Loaders
from db.models import Candidate, Job, Match, RankedSnapshot, User
from db.recruiting import Found
from domain.enums import RECRUITER_ROLES, CandidateSource, CompanyKind, JobStatus, ScoringPreset
from domain.errors import NotFound
from domain.matching import check_min_score, check_page_size
from domain.recruiting import (
    PoolPerson,
    check_sources,
    may_rank_for,
    rank_people,
    snapshot_key,
)
from domain.scoring import MatchExplanation, get_preset, score
from domain.skills import default_normalizer
from resolvers.feed import Cursor, resume_snapshot
from resolvers.services import Services, Viewer, require

PEOPLE = "PEOPLE"


@dataclass(frozen=True)
class PersonEdge:
    """One ranked person: a pool candidate or a signed-up user (applied: to this job)."""

    position: int
    person: Candidate | User
    applied: bool
    explanation: MatchExplanation
    match: Match | None


@dataclass(frozen=True)
class PeoplePage:
    snapshot_id: uuid.UUID
    job: Job
    edges: list[PersonEdge]
    has_next: bool


@dataclass(frozen=True)
class Question:
    """What candidatesForJob was asked: a later page must ask the same."""

    sources: tuple[CandidateSource, ...]
    preset: ScoringPreset
    min_score: float


async def _job(
    loaders: Loaders, viewer: Viewer, job_id: uuid.UUID, now: datetime
) -> tuple[Job, uuid.UUID]:
    """The job and the viewer's company, when that company may rank people for the job."""
    job = await loaders.job_by_id.load(job_id)
    company = await loaders.company_by_id.load(viewer.company_id) if viewer.company_id else None
    if job is None or company is None:
        raise NotFound("no Job has this id")
    is_open = job.status == JobStatus.ACTIVE.value and (
        job.expires_at is None or job.expires_at > now
    )
    allowed = may_rank_for(
        job_company_id=job.company_id,
        job_open=is_open,
        company_id=company.id,
        company_kind=CompanyKind(company.kind),
    )
    if not allowed:
        raise NotFound("no Job has this id")
    return job, company.id


async def _retrieve(
    session: AsyncSession, services: Services, viewer: Viewer, job: Job, sources: Sequence[str]
) -> list[Found]:
    """Stage one: the K nearest of each source (HNSW over the pool, exact over users)."""
    if job.embedding is None or job.embedding_model is None:
        return []
    settings, vector = services.settings, [float(x) for x in job.embedding]
    k, model = settings.recruiter_pool_size, job.embedding_model
    found: list[Found] = []
    if CandidateSource.POOL in sources and viewer.company_id is not None:
        ann = feed.AnnSettings(settings.hnsw_ef_search, settings.hnsw_max_scan_tuples)
        found += await recruiting.nearest_pool(
            session, vector, company_id=viewer.company_id, model=model, k=k, ann=ann
        )
    applicants = CandidateSource.APPLICANTS in sources and job.company_id == viewer.company_id
    open_users = CandidateSource.OPEN_TO_RECRUITERS in sources
    if applicants or open_users:
        found += await recruiting.nearest_users(
            session,
            vector,
            job_id=job.id,
            model=model,
            k=k,
            applicants=applicants,
            open_to_recruiters=open_users,
        )
    return found


async def _rank(
    session: AsyncSession,
    services: Services,
    viewer: Viewer,
    job: Job,
    question: Question,
    now: datetime,
) -> tuple[RankedSnapshot, dict[uuid.UUID, tuple[Found, MatchExplanation | None]]]:
    found = await _retrieve(session, services, viewer, job, question.sources)
    pool = [
        PoolPerson(
            str(f.row.id), candidate_facts(f.row), None if f.distance is None else 1 - f.distance
        )
        for f in found
    ]
    ranked = await asyncio.to_thread(
        rank_people,
        question.preset,
        job_facts(job),
        pool,
        now=now,
        normalizer=default_normalizer(),
        min_score=question.min_score,
    )
    by_id = {f.row.id: f for f in found}
    cosines = {p.id: p.cosine for p in pool}
    snapshot = await feed.save_snapshot(
        session,
        user_id=viewer.id,
        kind=PEOPLE,
        entries=[(uuid.UUID(r.person_id), r.explanation.score) for r in ranked],
        cosines=[cosines[r.person_id] for r in ranked],
        ranked_at=now,
        expires_at=now + timedelta(seconds=services.settings.snapshot_ttl_s),
        query=snapshot_key(job.id, question.preset, question.sources, question.min_score),
    )
    explained: dict[uuid.UUID, tuple[Found, MatchExplanation | None]] = {
        uuid.UUID(r.person_id): (by_id[uuid.UUID(r.person_id)], r.explanation) for r in ranked
    }
    return snapshot, explained


def _explained(
    job: Job,
    snapshot: RankedSnapshot,
    preset: ScoringPreset,
    position: int,
    person: Candidate | User,
) -> MatchExplanation:
    """Later pages score at the snapshot's time with its cosines: the very same explanations."""
    cosine = snapshot.cosines[position - 1] if snapshot.cosines else None
    return score(
        get_preset(preset),
        candidate_facts(person),
        job_facts(job),
        cosine=cosine,
        now=snapshot.ranked_at,
        normalizer=default_normalizer(),
    )


def _edges(
    job: Job,
    snapshot: RankedSnapshot,
    question: Question,
    start: int,
    ids: Sequence[uuid.UUID],
    people: dict[uuid.UUID, tuple[Found, MatchExplanation | None]],
    records: dict[uuid.UUID, Match],
) -> list[PersonEdge]:
    """The page's people in snapshot order; those no longer visible are left out."""
    edges = []
    for position, person_id in enumerate(ids, start=start + 1):
        if person_id not in people:
            continue
        found, explanation = people[person_id]
        if explanation is None:
            explanation = _explained(job, snapshot, question.preset, position, found.row)
        edges.append(
            PersonEdge(position, found.row, found.applied, explanation, records.get(person_id))
        )
    return edges


async def candidates_for_job(
    services: Services,
    loaders: Loaders,
    viewer: Viewer | None,
    job_id: uuid.UUID,
    first: int,
    after: Cursor | None,
    question: Question,
) -> PeoplePage:
    """People for a job of the viewer's company (an AGENCY: any ACTIVE job), best first."""
    viewer = require(viewer, *RECRUITER_ROLES)
    check_page_size(first)
    check_min_score(question.min_score)
    question = Question(check_sources(question.sources), question.preset, question.min_score)
    now = services.clock()
    job, company_id = await _job(loaders, viewer, job_id, now)
    key = snapshot_key(job.id, question.preset, question.sources, question.min_score)
    start = after[1] if after else 0
    async with transaction(services.sessions) as session:
        people: dict[uuid.UUID, tuple[Found, MatchExplanation | None]]
        if after is None:
            snapshot, people = await _rank(session, services, viewer, job, question, now)
        else:
            snapshot = await resume_snapshot(session, viewer, PEOPLE, after, now, key)
        ids = snapshot.job_ids[start : start + first]
        records = await recruiting.matches_for(session, company_id, job.id, ids)
        if after is not None:
            own = job.company_id == company_id
            visible = await recruiting.people(
                session, ids, job_id=job.id, company_id=company_id, own_job=own
            )
            people = {pid: (found, None) for pid, found in visible.items()}
    edges = _edges(job, snapshot, question, start, ids, people, records)
    return PeoplePage(snapshot.id, job, edges, len(snapshot.job_ids) > start + first)
