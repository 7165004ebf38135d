"""candidatesForJob's first page at 10k and 100k pool candidates, against the raw ANN query
(the 200 nearest of the agency's pool by HNSW, nothing else) in the same run.

The 1,237 LiveCareer dev resumes are parsed and embedded once, replicated with small random
perturbations (COPY, no model) into one agency's pool; the HNSW index is rebuilt after loading.
Jobs are the 48 category postings of bench_resume_quality.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import numpy as np
from sqlalchemy import select

from app import Runtime
from bench.bench_discover import raw_connection
from bench.bench_discover_data import replicas
from bench.bench_ranking_quality import NOW, _world
from bench.common import percentiles, report, scratch_runtime
from db.loaders import Loaders
from db.models import Candidate, Job
from domain.enums import CandidateSource, ScoringPreset
from resolvers import recruiting

SIZES = (10_000, 100_000)
RUNS = 3  # passes over the 48 postings per size
COLUMNS = (
    "id", "company_id", "status", "headline", "skills", "years_of_experience", "seniority",
    "preferred_locations", "preferred_roles", "embedding", "embedding_model", "created_at",
    "updated_at",
)  # fmt: skip


async def _grow(
    runtime: Runtime, seeds: list[Candidate], vectors: np.ndarray, company: uuid.UUID, stop: int
) -> float:
    """COPY pool rows up to `stop` with the HNSW index dropped, then rebuild it; returns seconds."""
    started = time.perf_counter()
    connection = await raw_connection(runtime)
    model = runtime.services.embedder.model_name
    try:
        have = await connection.fetchval("SELECT count(*) FROM candidates")
        definition = await connection.fetchval(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_candidates_embedding_hnsw'"
        )
        await connection.execute("DROP INDEX ix_candidates_embedding_hnsw")
        for chunk in range(have, stop, 5000):
            end = min(chunk + 5000, stop)
            block = replicas(vectors, chunk, end - chunk)
            rows = []
            for n, vector in zip(range(chunk, end), block, strict=True):
                seed = seeds[n % len(seeds)]
                rows.append(
                    (uuid.uuid4(), company, "READY", seed.headline, list(seed.skills),
                     seed.years_of_experience, seed.seniority, list(seed.preferred_locations),
                     [], vector, model, NOW, NOW)
                )  # fmt: skip
            await connection.copy_records_to_table("candidates", records=rows, columns=COLUMNS)
        await connection.execute("SET maintenance_work_mem = '1GB'")
        await connection.execute("SET max_parallel_maintenance_workers = 1")
        await connection.execute(definition)
        await connection.execute("VACUUM ANALYZE candidates")
    finally:
        await connection.close()
    return time.perf_counter() - started


async def _raw_ann(runtime: Runtime, company: uuid.UUID, vector: Any) -> float:
    """The bare stage-one query with the same iterative-scan settings, in ms."""
    connection = await raw_connection(runtime)
    try:
        async with connection.transaction():
            await connection.execute("SET LOCAL hnsw.ef_search = 400")
            await connection.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            started = time.perf_counter()
            await connection.fetch(
                "SELECT id, embedding <=> $1 AS d FROM candidates WHERE company_id = $2 "
                "AND status IN ('PENDING_REVIEW', 'READY') ORDER BY embedding <=> $1 LIMIT 200",
                vector,
                company,
            )
            return (time.perf_counter() - started) * 1000
    finally:
        await connection.close()


async def main() -> None:
    async with scratch_runtime("candidates_for_job") as runtime:
        services = runtime.services
        services.clock = lambda: NOW
        viewer, _, jobs = await _world(runtime)
        assert viewer.company_id is not None
        async with services.sessions() as session:
            seeds = list((await session.execute(select(Candidate))).scalars())
        vectors = np.asarray([np.asarray(s.embedding, dtype=np.float32) for s in seeds])
        job_vectors = {}
        async with services.sessions() as session:
            for job_id in jobs:
                job = await session.get(Job, job_id)
                assert job is not None
                job_vectors[job_id] = np.asarray(job.embedding, dtype=np.float32)
        figures: dict[str, Any] = {"postings": len(jobs)}
        question = recruiting.Question(tuple(CandidateSource), ScoringPreset.FIVE_FACTOR, 0.0)
        for size in SIZES:
            figures[f"load_s_{size}"] = await _grow(
                runtime, seeds, vectors, viewer.company_id, size
            )
            api, ann = [], []
            for run in range(RUNS + 1):
                for job_id in jobs:
                    started = time.perf_counter()
                    page = await recruiting.candidates_for_job(
                        services, Loaders.create(services.sessions), viewer, job_id, 20, None,
                        question,
                    )  # fmt: skip
                    took = (time.perf_counter() - started) * 1000
                    raw = await _raw_ann(runtime, viewer.company_id, job_vectors[job_id])
                    assert len(page.edges) == 20
                    if run:  # the first pass warms caches
                        api.append(took)
                        ann.append(raw)
            for name, samples in (("candidates_for_job", api), ("raw_ann", ann)):
                for key, value in percentiles(samples).items():
                    figures[f"{name}_{key}_ms_{size}" if key != "n" else f"{name}_n_{size}"] = value
        report("candidates_for_job", figures)


if __name__ == "__main__":
    asyncio.run(main())
