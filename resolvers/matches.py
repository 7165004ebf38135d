"""Match records: generateMatches, the candidate's list, status changes, shortlisting, and the
refreshes that keep records current (a new ACTIVE job, a changed candidate)."""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db import applications, candidates, jobs, matches, users
from db.engine import read, transaction
from db.facts import job_facts
from db.feed import AnnSettings
from db.models import Candidate, Job, Match
from db.paging import Page
from domain.applications import clean_note
from domain.config import Settings
from domain.enums import (
    RECRUITER_ROLES,
    CandidateStatus,
    CompanyKind,
    JobStatus,
    MatchStatus,
    Role,
    ScoringPreset,
)
from domain.errors import NotFound
from domain.matches import ACTED, KEEP, MIN_SCORE, enters_top, keep_top, score_pairs, transition
from domain.matching import PoolJob, best_explained, check_page_size, cosine
from domain.scoring import MatchExplanation
from domain.skills import default_normalizer
from resolvers import matching
from resolvers.services import Services, Viewer, require

PRESET = ScoringPreset.FIVE_FACTOR
REFRESH_BATCH = 100


@dataclass(frozen=True)
class Generated:
    candidate: Candidate
    matches: list[Match]


def _company(viewer: Viewer | None) -> tuple[Viewer, uuid.UUID]:
    viewer = require(viewer, *RECRUITER_ROLES)
    if viewer.company_id is None:
        raise NotFound("no candidate pool is visible to you")
    return viewer, viewer.company_id


async def _own_candidate(
    session: AsyncSession, company_id: uuid.UUID, candidate_id: uuid.UUID
) -> Candidate:
    row = await candidates.get_candidate(session, candidate_id)
    if row is None or row.company_id != company_id:
        raise NotFound("no Candidate has this id")
    return row


async def rematch(
    session: AsyncSession, candidate: Candidate, now: datetime, actor_id: uuid.UUID | None
) -> list[uuid.UUID]:
    """Scores every job the candidate's pool reaches, keeps the top 50 >= 50 (recruiters'
    decisions are never dropped); a PENDING_REVIEW candidate becomes READY."""
    kind = await matches.company_kind(session, candidate.company_id)
    rows = await matches.reachable_jobs(session, candidate, kind, now)
    pool = [PoolJob(job_facts(r), None if r.cosine is None else float(r.cosine)) for r in rows]
    facts = matches.pool_facts(candidate)
    _, ranked = await asyncio.to_thread(
        functools.partial(
            best_explained,
            PRESET,
            facts,
            pool,
            now=now,
            normalizer=default_normalizer(),
            limit=KEEP,
            minimum=MIN_SCORE,
        )
    )
    best = keep_top((r.job_id, r.explanation) for r in ranked)
    entries = [(uuid.UUID(job), candidate.id, None, e) for job, e in best]
    kept = await matches.upsert(
        session, company_id=candidate.company_id, entries=entries, actor_id=actor_id, now=now
    )
    ids = [match_id for match_id, _ in kept]
    await matches.drop_untouched(session, candidate.id, ids)
    if candidate.status == CandidateStatus.PENDING_REVIEW.value:
        candidate.status = CandidateStatus.READY.value
        candidate.updated_at = now
    return ids


async def generate_matches(
    services: Services, viewer: Viewer | None, candidate_id: uuid.UUID
) -> Generated:
    viewer, company_id = _company(viewer)
    async with transaction(services.sessions) as session:
        candidate = await _own_candidate(session, company_id, candidate_id)
        ids = await rematch(session, candidate, services.clock(), viewer.id)
        rows = {m.id: m for m in await matches.get_matches(session, ids)}
    return Generated(candidate, [rows[i] for i in ids])


async def rematch_changed(session: AsyncSession, candidate: Candidate, now: datetime) -> None:
    """A changed pool candidate, in the change's transaction: re-matched when matches were
    generated for them (READY); nothing for one under review, placed or archived."""
    if candidate.status == CandidateStatus.READY.value:
        await rematch(session, candidate, now, None)


def _ann(settings: Settings) -> AnnSettings:
    return AnnSettings(settings.hnsw_ef_search, settings.hnsw_max_scan_tuples)


async def refresh_for_jobs(services: Services, job_ids: Collection[uuid.UUID]) -> int:
    """New ACTIVE jobs against the pool candidates they reach, in a transaction of its own."""
    async with transaction(services.sessions) as session:
        return await match_new_jobs(session, job_ids, services.clock(), services.settings)


async def refresh_all(services: Services) -> int:
    """The nightly full refresh: every READY pool candidate re-matched against every job their
    pool reaches, REFRESH_BATCH candidates per transaction. Returns how many were re-matched."""
    done, after = 0, None
    while True:
        async with transaction(services.sessions) as session:
            batch = await matches.ready_after(session, after, REFRESH_BATCH)
            now = services.clock()
            for candidate in batch:
                await rematch(session, candidate, now, None)
        if not batch:
            return done
        done, after = done + len(batch), batch[-1].id


async def match_new_jobs(
    session: AsyncSession, job_ids: Collection[uuid.UUID], now: datetime, settings: Settings
) -> int:
    """Jobs that just became ACTIVE, in the caller's transaction: one vector query for the batch
    finds each job's recruiter_pool_size nearest reachable pool candidates, FIVE_FACTOR scores
    those pairs only; SUGGESTED records for scores >= 50 that enter the candidate's top 50
    (pushing out untouched ones below it). Returns how many records were written."""
    if not job_ids:
        return 0
    pairs = await matches.reachable_pairs(
        session, job_ids, now, k=settings.recruiter_pool_size, ann=_ann(settings)
    )
    if not pairs:
        return 0
    found = {
        j.id: job_facts(j) for j in await jobs.get_jobs(session, list({r.job_id for r in pairs}))
    }
    people = {row.Candidate.id: row.Candidate for row in pairs}
    facts = {key: matches.pool_facts(c) for key, c in people.items()}
    scored = await asyncio.to_thread(
        functools.partial(
            score_pairs,
            PRESET,
            [(facts[r.Candidate.id], found[r.job_id], float(r.cosine)) for r in pairs],
            now=now,
            normalizer=default_normalizer(),
        )
    )
    state = await matches.top_state(session, list(people))
    by_company: dict[uuid.UUID, list[tuple[uuid.UUID, uuid.UUID, None, MatchExplanation]]]
    by_company = defaultdict(list)
    for row, explanation in zip(pairs, scored, strict=True):
        held, lowest = state.get(row.Candidate.id, (0, None))
        if enters_top(float(explanation.score), held, lowest):
            company = row.Candidate.company_id
            by_company[company].append((row.job_id, row.Candidate.id, None, explanation))
    for company_id, entries in by_company.items():
        await matches.upsert(
            session, company_id=company_id, entries=entries, actor_id=None, now=now
        )
    await matches.trim(session, {e[1] for entries in by_company.values() for e in entries})
    return sum(len(e) for e in by_company.values())


def _visible(viewer: Viewer, match: Match | None) -> Match:
    if match is None or match.company_id != viewer.company_id:
        raise NotFound("no Match has this id")
    return match


async def match(services: Services, viewer: Viewer | None, match_id: uuid.UUID) -> Match:
    viewer = require(viewer)
    if not viewer.is_recruiter:
        raise NotFound("no Match has this id")
    async with read(services.sessions) as session:
        return _visible(viewer, await matches.get_match(session, match_id))


async def matches_for_candidate(
    services: Services,
    viewer: Viewer | None,
    candidate_id: uuid.UUID,
    first: int,
    after: tuple[float, uuid.UUID] | None,
    statuses: Sequence[MatchStatus] | None,
) -> Page[Match]:
    _, company_id = _company(viewer)
    check_page_size(first)
    async with read(services.sessions) as session:
        await _own_candidate(session, company_id, candidate_id)
        chosen = [s.value for s in statuses or ()]
        return await matches.page(session, candidate_id, statuses=chosen, first=first, after=after)


async def update_match_status(
    services: Services,
    viewer: Viewer | None,
    match_id: uuid.UUID,
    status: MatchStatus,
    note: str | None,
) -> Match:
    viewer, _ = _company(viewer)
    note = clean_note(note)
    async with transaction(services.sessions) as session:
        row = _visible(viewer, await matches.get_match(session, match_id, lock=True))
        transition(MatchStatus(row.status), status)
        await matches.set_status(
            session, row, status.value, actor_id=viewer.id, note=note, now=services.clock()
        )
    return row


async def _job_for(session: AsyncSession, company_id: uuid.UUID, job_id: uuid.UUID) -> Job:
    """A job of the caller's company, or for an agency any ACTIVE job."""
    job = await jobs.get_job(session, job_id)
    if job is not None and job.company_id != company_id:
        agency = await matches.company_kind(session, company_id) is CompanyKind.AGENCY
        job = job if agency and job.status == JobStatus.ACTIVE.value else None
    if job is None:
        raise NotFound("no Job has this id")
    return job


async def _explain_person(
    session: AsyncSession,
    company_id: uuid.UUID,
    job: Job,
    kind: str,
    person: uuid.UUID,
    now: datetime,
) -> tuple[uuid.UUID | None, uuid.UUID | None, MatchExplanation]:
    """(candidate id, user id, FIVE_FACTOR explanation) for a pool candidate or a user the
    company may see: open to recruiters, or an applicant to the job."""
    if kind == "Candidate":
        row = await _own_candidate(session, company_id, person)
        same = row.embedding_model is not None and row.embedding_model == job.embedding_model
        similarity = cosine(row.embedding, job.embedding) if same else None
        facts, normalizer = matches.pool_facts(row), default_normalizer()
        explanation = score_pairs(
            PRESET, [(facts, job_facts(job), similarity)], now=now, normalizer=normalizer
        )[0]
        return row.id, None, explanation
    found = await users.get_users(session, [person])
    user = found[0] if found else None
    if (
        user is None
        or user.role != Role.CANDIDATE.value
        or not (
            user.open_to_recruiters or await applications.application_of(session, user.id, job.id)
        )
    ):
        raise NotFound("no candidate has this id")
    return None, user.id, matching.explain(user, job, PRESET, now)


async def shortlist_candidate(
    services: Services,
    viewer: Viewer | None,
    job_id: uuid.UUID,
    person: tuple[str, uuid.UUID],
    note: str | None,
) -> Match:
    """Creates (or re-scores) the record of a candidatesForJob row and moves it to SHORTLISTED;
    a record already SHORTLISTED or further along is returned as it is."""
    viewer, company_id = _company(viewer)
    note, now = clean_note(note), services.clock()
    async with transaction(services.sessions) as session:
        job = await _job_for(session, company_id, job_id)
        candidate_id, user_id, explanation = await _explain_person(
            session, company_id, job, *person, now
        )
        [(match_id, _)] = await matches.upsert(
            session,
            company_id=company_id,
            entries=[(job.id, candidate_id, user_id, explanation)],
            actor_id=viewer.id,
            now=now,
        )
        row = await matches.get_match(session, match_id, lock=True)
        assert row is not None
        if MatchStatus(row.status) not in ACTED:
            await matches.set_status(
                session, row, MatchStatus.SHORTLISTED.value, actor_id=viewer.id, note=note, now=now
            )
    return row
