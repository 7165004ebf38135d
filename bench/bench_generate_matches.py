"""Match records at scale: generateMatches for one pool candidate against 10k ACTIVE jobs, and one
new job matched against 10k pool candidates (refresh_for_jobs: one vector query for the batch).

Jobs are real postings (the first POSTINGS parsed, replicated); their vectors and the
candidates' are random unit vectors: scoring and SQL costs do not depend on what the vectors say,
and the bench then needs no model run (the discover cache takes ~15 min of CPU to build).
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select, text

from app import Runtime
from bench.bench_discover import raw_connection
from bench.bench_discover_data import COLUMNS, NOW, records
from bench.common import percentiles, postings, report, scratch_runtime
from db.models import Candidate, Company, Match
from domain.errors import DomainError
from domain.imports import draft_from_posting
from domain.skills import default_normalizer
from resolvers import matches

JOBS = 10_000
POOL = 10_000
POSTINGS = 1_500
RUNS = 5
MODEL = "all-MiniLM-L6-v2"


def _drafts() -> list[Any]:
    normalizer, drafts = default_normalizer(), []
    for row in postings()[:POSTINGS]:
        try:
            drafts.append(
                draft_from_posting(
                    row, platform="ashby", now=NOW, ttl_days=30, normalizer=normalizer
                )
            )
        except DomainError:
            continue
    return drafts


def _unit(rng: np.random.Generator, count: int) -> np.ndarray:
    out = rng.normal(size=(count, 384)).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


async def _companies(runtime: Runtime) -> tuple[uuid.UUID, uuid.UUID]:
    employer, agency = uuid.uuid4(), uuid.uuid4()
    async with runtime.services.sessions() as session, session.begin():
        session.add(Company(id=employer, name="Employer"))
        session.add(Company(id=agency, name="Agency", kind="AGENCY"))
    return employer, agency


async def _load_jobs(runtime: Runtime, drafts: list[Any], employer: uuid.UUID) -> None:
    rng = np.random.default_rng(3)
    connection = await raw_connection(runtime)
    try:
        rows = records(drafts, _unit(rng, JOBS), 0, employer, rng)
        # All ACTIVE: the bench is "10k ACTIVE jobs" (the status column found by name).
        status = COLUMNS.index("status")
        rows = [(*r[:status], "ACTIVE", *r[status + 1 :]) for r in rows]
        await connection.copy_records_to_table("jobs", records=rows, columns=COLUMNS)
        await connection.execute("VACUUM ANALYZE jobs")
    finally:
        await connection.close()


async def _load_pool(runtime: Runtime, drafts: list[Any], agency: uuid.UUID) -> None:
    rng = np.random.default_rng(5)
    vectors = _unit(rng, POOL)
    async with runtime.services.sessions() as session, session.begin():
        for n in range(POOL):
            d = drafts[n % len(drafts)]
            session.add(
                Candidate(
                    id=uuid.uuid4(),
                    company_id=agency,
                    name=f"Candidate {n}",
                    status="READY",
                    headline=d.title[:200],
                    skills=list(d.skills)[:8],
                    years_of_experience=float(rng.integers(1, 15)),
                    seniority=d.seniority.value if d.seniority else None,
                    preferred_locations=[d.location] if d.location else [],
                    remote_preference="REMOTE_OK",
                    embedding=vectors[n].tolist(),
                    embedding_model=MODEL,
                )
            )
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(text("ANALYZE candidates"))


async def _generate_once(runtime: Runtime, candidate_id: uuid.UUID) -> float:
    async with runtime.services.sessions() as session, session.begin():
        candidate = await session.get(Candidate, candidate_id)
        assert candidate is not None
        started = time.perf_counter()
        await matches.rematch(session, candidate, NOW, None)
        return time.perf_counter() - started


async def main() -> None:
    drafts = _drafts()
    async with scratch_runtime("generate_matches") as runtime:
        runtime.services.clock = lambda: NOW + timedelta(hours=1)
        employer, agency = await _companies(runtime)
        await _load_jobs(runtime, drafts, employer)
        await _load_pool(runtime, drafts, agency)
        async with runtime.services.sessions() as session:
            ids = list((await session.execute(select(Candidate.id).limit(RUNS))).scalars())
        generate = [await _generate_once(runtime, i) for i in ids]
        async with runtime.services.sessions() as session:
            kept = await session.scalar(select(func.count()).select_from(Match))
            job_ids = list(
                (await session.execute(text("SELECT id FROM jobs ORDER BY id LIMIT 5"))).scalars()
            )
        refresh, created = [], []
        for job_id in job_ids:
            started = time.perf_counter()
            created.append(await matches.refresh_for_jobs(runtime.services, [job_id]))
            refresh.append(time.perf_counter() - started)
        started = time.perf_counter()
        batch = await matches.refresh_for_jobs(runtime.services, job_ids)
        batch_s = time.perf_counter() - started
    generated = percentiles(generate)
    one_job = percentiles(refresh)
    report(
        "generate_matches",
        {
            "active_jobs": JOBS,
            "pool_candidates": POOL,
            "generate_matches_p50_s": generated["p50"],
            "generate_matches_max_s": max(generate),
            "records_kept_for_first_runs": kept,
            "one_new_job_vs_pool_p50_s": one_job["p50"],
            "one_new_job_vs_pool_max_s": max(refresh),
            "records_created_per_new_job": created,
            "five_jobs_one_batch_s": batch_s,
            "five_jobs_one_batch_records": batch,
        },
    )
