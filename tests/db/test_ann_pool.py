"""The feed's first stage on the HNSW index: iterative scans fill the pool past swiped jobs,
and the exact scan takes over when the index under-delivers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text, update

from app import Runtime
from db import feed
from db.models import Job, Swipe, User
from domain.geo import Point
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND_JOBS,
    ML_JOBS,
    OTHER_JOBS,
    candidate,
    company_of,
    insert_jobs,
    recruiter,
)

K = 5


async def _world(gql: GraphQLClient, runtime: Runtime) -> tuple[User, list[float], set[object]]:
    """16 jobs and a candidate who LEFT-swiped the K nearest."""
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    await insert_jobs(runtime, await company_of(gql, boss), BACKEND_JOBS + OTHER_JOBS + ML_JOBS)
    await candidate(gql, "ada@example.com")
    async with runtime.services.sessions() as session, session.begin():
        user = (
            await session.execute(select(User).where(User.email == "ada@example.com"))
        ).scalar_one()
        vector = [float(x) for x in user.current_embedding]
        nearest = (
            (
                await session.execute(
                    select(Job.id).order_by(Job.embedding.cosine_distance(vector)).limit(K)
                )
            )
            .scalars()
            .all()
        )
        session.add_all(
            Swipe(user_id=user.id, job_id=job_id, direction="LEFT") for job_id in nearest
        )
    return user, vector, set(nearest)


async def _pool(
    runtime: Runtime,
    user: User,
    vector: list[float],
    ann: feed.AnnSettings,
    *,
    iterative: bool = True,
    filled: bool = False,
) -> tuple[list[object], str]:
    async with runtime.services.sessions() as session:
        # On a table this small the planner would rather scan it (exactly): make it use the index.
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        await session.execute(text("SET LOCAL enable_bitmapscan = off"))
        # ...and would rather sort a btree scan of `status` than walk the HNSW graph in order.
        await session.execute(text("SET LOCAL enable_sort = off"))
        condition = feed.eligible(datetime.now(UTC), user.id)
        model = runtime.services.embedder.model_name
        if filled:
            rows = await feed.nearest_filled(
                session, vector, model=model, condition=condition, k=K, ann=ann
            )
        else:
            await feed.use_iterative_scan(session, ann)
            if not iterative:
                await session.execute(text("SET LOCAL hnsw.iterative_scan = off"))
            rows = await feed.nearest(session, vector, model=model, condition=condition, k=K)
        literal = "[" + ",".join(map(str, vector)) + "]"
        plan = await session.execute(
            text(f"EXPLAIN SELECT id FROM jobs ORDER BY embedding <=> '{literal}' LIMIT {K}")
        )
        return [row.id for row in rows], " ".join(row[0] for row in plan)


async def test_iterative_scan_fills_the_pool_past_the_swiped_nearest_jobs(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    user, vector, swiped = await _world(gql, runtime)
    ann = feed.AnnSettings(ef_search=K, max_scan_tuples=1000)
    ids, plan = await _pool(runtime, user, vector, ann)
    assert "ix_jobs_embedding_hnsw" in plan
    assert len(ids) == K and not set(ids) & swiped
    exact, _ = await _pool(runtime, user, vector, ann, filled=True)
    assert set(ids) == set(exact)
    short, _ = await _pool(runtime, user, vector, ann, iterative=False)
    assert len(short) < K  # without iterative scans the index stops at the swiped ones


async def test_exact_scan_takes_over_when_the_index_under_delivers(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    user, vector, swiped = await _world(gql, runtime)
    starved = feed.AnnSettings(ef_search=1, max_scan_tuples=1, iterative_scan="off")
    short, _ = await _pool(runtime, user, vector, starved)
    filled, _ = await _pool(runtime, user, vector, starved, filled=True)
    assert len(short) < K
    assert len(filled) == K and not set(filled) & swiped
    distances = await _distances(runtime, vector, filled)
    assert distances == sorted(distances)


async def _distances(runtime: Runtime, vector: list[float], ids: list[object]) -> list[float]:
    async with runtime.services.sessions() as session:
        rows = dict(
            (
                await session.execute(
                    select(Job.id, Job.embedding.cosine_distance(vector)).where(Job.id.in_(ids))
                )
            ).all()
        )
    return [float(rows[i]) for i in ids]


FEED_SHAPE = """EXPLAIN SELECT id FROM jobs WHERE status = 'ACTIVE'
 AND (expires_at IS NULL OR expires_at > now()) AND embedding IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM swipes s WHERE s.user_id = :user AND s.job_id = jobs.id)
 ORDER BY embedding <=> CAST(:vector AS vector) LIMIT 300"""


async def test_the_feed_settings_make_the_planner_walk_the_hnsw_index(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    """With the product's ef_search (400) pgvector prices the index above sorting a full scan
    of tens of thousands of rows; use_iterative_scan must make the planner use it anyway (the
    table here is tiny, the strongest case for a scan)."""
    user, vector, _ = await _world(gql, runtime)
    settings = runtime.services.settings
    params = {"user": user.id, "vector": "[" + ",".join(map(str, vector)) + "]"}
    async with runtime.services.sessions() as session:
        await session.execute(text(f"SET LOCAL hnsw.ef_search = {settings.hnsw_ef_search}"))
        plain = " ".join(r[0] for r in await session.execute(text(FEED_SHAPE), params))
        ann = feed.AnnSettings(settings.hnsw_ef_search, settings.hnsw_max_scan_tuples)
        await feed.use_iterative_scan(session, ann)
        planned = " ".join(r[0] for r in await session.execute(text(FEED_SHAPE), params))
    assert "ix_jobs_embedding_hnsw" not in plain  # what the planner does on its own
    assert "ix_jobs_embedding_hnsw" in planned


async def test_a_crowded_place_is_walked_in_the_index_and_finds_what_the_exact_scan_finds(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    """The first tier's local part: an exact scan of the boxes while they are small, the HNSW
    walk filtered by the boxes when they are crowded; both give the same nearest jobs."""
    user, vector, swiped = await _world(gql, runtime)
    austin = Point(30.2672, -97.7431)
    async with runtime.services.sessions() as session, session.begin():
        ids = (await session.execute(select(Job.id).order_by(Job.id))).scalars().all()
        placed = ids[::2]  # half the jobs in Austin, the others nowhere
        await session.execute(
            update(Job).where(Job.id.in_(placed)).values(lat=austin.lat, lon=austin.lon)
        )
    settings = runtime.services.settings
    ann = feed.AnnSettings(settings.hnsw_ef_search, settings.hnsw_max_scan_tuples)

    async def local(exact_at_most: int) -> list[object]:
        async with runtime.services.sessions() as session:
            await feed.use_iterative_scan(session, ann)
            rows = await feed.nearest_in_reach(
                session,
                vector,
                model=runtime.services.embedder.model_name,
                condition=feed.eligible(datetime.now(UTC), user.id),
                points=[austin],
                radius_km=25,
                remote=False,
                k=K,
                exact_at_most=exact_at_most,
            )
        return [row.id for row in rows]

    exact = await local(exact_at_most=1_000)
    walked = await local(exact_at_most=0)
    expected = [i for i in placed if i not in swiped]
    assert set(exact) <= set(expected) and len(exact) == min(K, len(expected))
    assert walked == exact
