"""discover at 10k and 100k jobs: two-stage HNSW retrieval against the naive full scan.

The 8,396 real postings are parsed and embedded once (cached under .data/bench), replicated with
small random perturbations to 10k and 100k rows (COPY, no model), and the HNSW index is built
after loading. Measured: discover p50/p95 vs the naive approach (every ACTIVE job scored in
Python), ANN vs exact pool latency and recall@300 per ef_search, and overlap@20 of the first
page with the exact rankings.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from typing import Any

import asyncpg
import numpy as np
from pgvector.asyncpg import register_vector
from sqlalchemy import text

from app import Runtime
from bench.bench_discover_data import COLUMNS, NOW, drafts_and_vectors, records, replicas
from bench.common import percentiles, report, scratch_runtime
from db import feed
from db.facts import candidate_facts, job_facts
from db.loaders import Loaders
from db.models import User
from domain.enums import Role, ScoringPreset
from domain.matching import PoolJob, rank_pool
from domain.skills import default_normalizer
from resolvers import feed as feed_resolvers
from resolvers.services import Viewer

SIZES = (10_000, 100_000)
CANDIDATES = 12
SWIPED = 150  # each candidate has swiped its nearest jobs: the pool must look past them
EF_SEARCH = (100, 200, 400, 800)
POOL_SIZES = (300, 1000, 3000)
K = 300
DISCOVER_RUNS = 40
NAIVE_RUNS = {10_000: 6, 100_000: 3}


def clock() -> Any:
    return NOW


async def raw_connection(runtime: Runtime) -> asyncpg.Connection:
    url = runtime.services.sessions.kw["bind"].url
    connection = await asyncpg.connect(
        host=url.query["host"], user=url.username, database=url.database
    )
    await register_vector(connection)
    return connection


async def load(
    runtime: Runtime,
    drafts: list[Any],
    vectors: np.ndarray,
    start: int,
    stop: int,
    company: uuid.UUID,
) -> float:
    """COPY rows start..stop with the HNSW index dropped, then rebuild it; returns seconds."""
    rng = np.random.default_rng(start)
    started = time.perf_counter()
    connection = await raw_connection(runtime)
    try:
        definition = await connection.fetchval(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_jobs_embedding_hnsw'"
        )
        await connection.execute("DROP INDEX ix_jobs_embedding_hnsw")
        for chunk in range(start, stop, 5000):
            end = min(chunk + 5000, stop)
            rows = records(drafts, replicas(vectors, chunk, end - chunk), chunk, company, rng)
            await connection.copy_records_to_table("jobs", records=rows, columns=COLUMNS)
        await connection.execute("SET maintenance_work_mem = '1GB'")
        await connection.execute("SET max_parallel_maintenance_workers = 1")
        await connection.execute(definition)  # as the migrations define it
        await connection.execute("VACUUM ANALYZE jobs")
    finally:
        await connection.close()
    return time.perf_counter() - started


async def make_candidates(runtime: Runtime, drafts: list[Any], company: uuid.UUID) -> list[User]:
    """Profiles written like a candidate's (headline, seniority, skills, place) from real titles."""
    from domain.accounts import ProfileFacts, profile_text
    from domain.enums import RemotePreference

    rng = np.random.default_rng(11)
    picks = [drafts[int(i)] for i in rng.choice(len(drafts), CANDIDATES, replace=False)]
    facts = [
        ProfileFacts(
            d.title,
            d.seniority,
            5,
            d.skills[:6],
            [d.location or "Remote"],
            RemotePreference.REMOTE_OK,
        )
        for d in picks
    ]
    vectors = await runtime.services.embedder.embed([profile_text(f) for f in facts])
    users = []
    async with runtime.services.sessions() as session, session.begin():
        for n, (f, vector) in enumerate(zip(facts, vectors, strict=True)):
            user = User(
                id=uuid.uuid4(),
                email=f"c{n}@bench.test",
                password_hash="x",
                role="CANDIDATE",
                headline=f.headline,
                skills=list(f.skills),
                preferred_locations=list(f.preferred_locations),
                remote_preference=f.remote_preference.value if f.remote_preference else None,
                seniority=f.seniority.value if f.seniority else None,
                years_of_experience=5,
                base_embedding=[float(x) for x in vector],
                current_embedding=[float(x) for x in vector],
                embedding_model="all-MiniLM-L6-v2",
            )
            session.add(user)
            users.append(user)
    return users


async def swipe_nearest(runtime: Runtime, users: list[User]) -> None:
    """Replace each candidate's swipes with LEFT swipes on its SWIPED nearest ACTIVE jobs."""
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(text("DELETE FROM swipes"))
        for user in users:
            await session.execute(
                text(
                    "INSERT INTO swipes (id, user_id, job_id, direction) "
                    "SELECT gen_random_uuid(), :user, id, 'LEFT' FROM jobs WHERE status = 'ACTIVE' "
                    "ORDER BY (embedding <=> (SELECT current_embedding FROM users WHERE id = :user)) + 0 "
                    "LIMIT :n"
                ),
                {"user": user.id, "n": SWIPED},
            )


async def pool(
    runtime: Runtime, user: User, *, exact: bool, ef: int, k: int = K
) -> tuple[list[Any], float]:
    async with runtime.services.sessions() as session:
        started = time.perf_counter()
        await feed.use_iterative_scan(session, feed.AnnSettings(ef, 20_000))
        rows = await feed.nearest(
            session,
            list(user.current_embedding),
            model="all-MiniLM-L6-v2",
            condition=feed.eligible(NOW, user.id),
            k=k,
            exact=exact,
        )
        return rows, (time.perf_counter() - started) * 1000


def top(user: User, rows: list[Any], n: int = 20) -> list[str]:
    items = [PoolJob(job_facts(r), 1.0 - float(r.distance)) for r in rows]
    ranked = rank_pool(
        ScoringPreset.SWIPE_HYBRID,
        candidate_facts(user),
        items,
        now=NOW,
        normalizer=default_normalizer(),
    )
    return [r.job_id for r in ranked[:n]]


async def naive(runtime: Runtime, user: User) -> tuple[list[str], float]:
    """Every eligible job's distance from SQL, every job scored in Python, sorted."""
    started = time.perf_counter()
    async with runtime.services.sessions() as session:
        from sqlalchemy import select

        from db.facts import FACT_COLUMNS
        from db.models import Job

        distance = Job.embedding.cosine_distance(list(user.current_embedding)).label("distance")
        rows = (
            await session.execute(
                select(*FACT_COLUMNS, distance).where(feed.eligible(NOW, user.id))
            )
        ).all()
    ranked = top(user, list(rows))
    return ranked, (time.perf_counter() - started) * 1000


async def explain_plan(runtime: Runtime, user: User) -> str:
    """The ANN query's plan: whether the planner serves it from the HNSW index."""
    async with runtime.services.sessions() as session:
        settings = runtime.services.settings
        await feed.use_iterative_scan(session, feed.AnnSettings(settings.hnsw_ef_search, 20_000))
        vector = "[" + ",".join(str(float(x)) for x in user.current_embedding) + "]"
        plan = await session.execute(
            text(
                "EXPLAIN (COSTS OFF) SELECT id FROM jobs WHERE status = 'ACTIVE' AND NOT EXISTS "
                "(SELECT 1 FROM swipes WHERE swipes.user_id = :u AND swipes.job_id = jobs.id) "
                "ORDER BY embedding <=> CAST(:v AS vector) LIMIT 300"
            ),
            {"u": user.id, "v": vector},
        )
        lines = [row[0].strip() for row in plan.all()]
        return " | ".join(line.split("'[")[0] for line in lines[:4])


async def measure(runtime: Runtime, users: list[User], size: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"plan": await explain_plan(runtime, users[0])}
    exact = {}
    exact_ms = []
    for user in users:
        rows, ms = await pool(runtime, user, exact=True, ef=40)
        exact[user.id], _ = rows, exact_ms.append(ms)
    figures["exact_pool_p50_ms"] = statistics.median(exact_ms)
    for ef in EF_SEARCH:
        recalls, overlaps, times = [], [], []
        for user in users[:2]:
            await pool(runtime, user, exact=False, ef=ef)  # warm the index pages for this ef
        for user in users:
            rows, ms = await pool(runtime, user, exact=False, ef=ef)
            times.append(ms)
            want = {r.id for r in exact[user.id]}
            recalls.append(len(want & {r.id for r in rows}) / len(want))
            overlaps.append(len(set(top(user, rows)) & set(top(user, exact[user.id]))) / 20)
        figures[f"ef{ef}_ann_pool_p50_ms"] = statistics.median(times)
        figures[f"ef{ef}_recall_at_300"] = statistics.mean(recalls)
        figures[f"ef{ef}_min_recall_at_300"] = min(recalls)
        figures[f"ef{ef}_overlap_at_20_vs_exact_pool"] = statistics.mean(overlaps)
        figures[f"ef{ef}_exact_over_ann_speed"] = figures["exact_pool_p50_ms"] / statistics.median(
            times
        )
    services = runtime.services
    samples = []
    for run in range(DISCOVER_RUNS + 4):  # the first 4 warm up
        user = users[run % len(users)]
        viewer = Viewer(user.id, Role.CANDIDATE, None, None)  # type: ignore[arg-type]
        started = time.perf_counter()
        page = await feed_resolvers.discover(
            services, Loaders.create(services.sessions), viewer, 20, None
        )
        if run >= 4:
            samples.append((time.perf_counter() - started) * 1000)
        assert len(page.edges) == 20
    discover = percentiles(samples)
    naive_ms: list[float] = []
    two_stage: dict[int, list[float]] = {k: [] for k in POOL_SIZES}
    for user in users[: NAIVE_RUNS[size]]:
        best, ms = await naive(runtime, user)
        naive_ms.append(ms)
        ann, _ = await pool(runtime, user, exact=False, ef=services.settings.hnsw_ef_search)
        two_stage[K].append(len(set(best) & set(top(user, ann))) / 20)
        for k in POOL_SIZES[1:]:
            rows, _ = await pool(runtime, user, exact=True, ef=40, k=k)
            two_stage[k].append(len(set(best) & set(top(user, rows))) / 20)
    figures |= {
        "discover_p50_ms": discover["p50"],
        "discover_p95_ms": discover["p95"],
        "naive_p50_ms": statistics.median(naive_ms),
        "naive_over_discover_p50": statistics.median(naive_ms) / discover["p50"],
    }
    for k, overlaps in two_stage.items():
        figures[f"two_stage_k{k}_overlap_at_20_vs_full_exact_hybrid"] = statistics.mean(overlaps)
    return figures


async def main() -> None:
    drafts, vectors = await asyncio.to_thread(drafts_and_vectors)
    async with scratch_runtime("discover") as runtime:
        runtime.services.clock = clock
        async with runtime.services.sessions() as session, session.begin():
            company = uuid.uuid4()
            await session.execute(
                text("INSERT INTO companies (id, name) VALUES (:id, 'Bench')"), {"id": company}
            )
        users = await make_candidates(runtime, drafts, company)
        figures: dict[str, Any] = {"ef_search_setting": runtime.services.settings.hnsw_ef_search}
        loaded = 0
        for size in SIZES:
            figures[f"load_{size}_s"] = await load(runtime, drafts, vectors, loaded, size, company)
            loaded = size
            await swipe_nearest(runtime, users)
            for key, value in (await measure(runtime, users, size)).items():
                figures[f"{size}_{key}"] = value
            print(figures)
    report("discover", figures)
