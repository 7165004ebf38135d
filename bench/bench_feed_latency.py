"""Where users wait: discover's first page, its next page and Job.match through the whole app
(HTTP in process: view, auth, GraphQL, database), against their floors measured in the same run.

Floors (raw asyncpg, prepared statements, the same rows and filters):
- first page: the HNSW top-300 query with the feed's filters (ACTIVE, unexpired, unswiped) and the
  fetch of the page's 20 jobs, plus encoding the very response the app sent (json.dumps);
- next page: the snapshot row and the next 20 jobs, plus encoding the response;
- Job.match: the user row and the job row, plus encoding the response.
CPU per request: this process's CPU (app) plus the CPU of the bench's PostgreSQL processes
(/proc), over the same runs. Sizes: BENCH_SIZES (default 10000,100000). Jobs carry their
coordinates; candidates name a city and accept remote work, so the tiered pool runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from app import create_app
from bench.bench_discover import load, make_candidates, raw_connection, swipe_nearest
from bench.bench_discover_data import NOW, drafts_and_vectors
from bench.common import BENCH_DIR, report, scratch_runtime
from db.models import User
from schema.ids import from_global_id

RUNS = 40
WARMUP = 6
DISCOVER = """query($after: String) { discover(first: 20, after: $after) {
  edges { cursor score node { id title location company { name } }
          explanation { score grade summary reasons matchedSkills missingSkills } }
  pageInfo { hasNextPage endCursor } } }"""
MATCH = """query($id: ID!) { node(id: $id) { ... on Job { id title
  match { score grade summary reasons matchedSkills missingSkills factors { name contribution } } } } }"""
FLOOR_ANN = """SELECT id, embedding <=> $1 AS distance FROM jobs
 WHERE status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > $2)
   AND NOT EXISTS (SELECT 1 FROM swipes s WHERE s.user_id = $3 AND s.job_id = jobs.id)
   AND embedding IS NOT NULL AND embedding_model = 'all-MiniLM-L6-v2'
 ORDER BY embedding <=> $1 LIMIT 300"""
FLOOR_PAGE = "SELECT * FROM jobs WHERE id = ANY($1::uuid[])"
FLOOR_SNAPSHOT = "SELECT * FROM ranked_snapshots WHERE id = $1"
FLOOR_USER = "SELECT * FROM users WHERE id = $1"
FLOOR_JOB = "SELECT * FROM jobs WHERE id = $1"


def _postgres_cpu_s() -> float:
    """User + system CPU of the bench's embedded PostgreSQL (postmaster and its children)."""
    pid_file = next(BENCH_DIR.glob("**/postmaster.pid"), None)
    if pid_file is None:
        return 0.0
    root = int(pid_file.read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


async def _timed(
    run: Callable[[int], Awaitable[Any]], runs: int = RUNS
) -> tuple[list[float], float, float]:
    """Latencies (ms) of `runs` calls after a warm-up, and app and PostgreSQL CPU ms per call."""
    for n in range(WARMUP):
        await run(n)
    samples = []
    cpu, pg = time.process_time(), _postgres_cpu_s()
    for n in range(runs):
        started = time.perf_counter()
        await run(n)
        samples.append((time.perf_counter() - started) * 1000)
    app_cpu = (time.process_time() - cpu) * 1000 / runs
    pg_cpu = (_postgres_cpu_s() - pg) * 1000 / runs
    return samples, app_cpu, pg_cpu


async def _post(http: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def measure(runtime: Any, users: list[User], size: int) -> dict[str, Any]:
    services = runtime.services
    tokens = [services.tokens.issue(u.id, uuid.uuid4(), "access", NOW)[0] for u in users]
    app = create_app(services.settings, runtime)
    transport = httpx.ASGITransport(app=app)
    figures: dict[str, Any] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        responses: dict[int, Any] = {}

        async def first_page(n: int) -> None:
            i = n % len(users)
            responses[i] = await _post(http, tokens[i], DISCOVER, {"after": None})

        async def next_page(n: int) -> None:
            i = n % len(users)
            cursor = responses[i]["discover"]["pageInfo"]["endCursor"]
            await _post(http, tokens[i], DISCOVER, {"after": cursor})

        async def job_match(n: int) -> None:
            i = n % len(users)
            job_id = responses[i]["discover"]["edges"][n % 20]["node"]["id"]
            await _post(http, tokens[i], MATCH, {"id": job_id})

        for name, run in (("first", first_page), ("next", next_page), ("match", job_match)):
            samples, app_cpu, pg_cpu = await _timed(run)
            figures[f"{name}_p50_ms"] = statistics.median(samples)
            figures[f"{name}_cpu_ms"] = app_cpu + pg_cpu
            figures[f"{name}_app_cpu_ms"] = app_cpu
            figures[f"{name}_pg_cpu_ms"] = pg_cpu
        encoded = {i: json.dumps({"data": r}) for i, r in responses.items()}
    connection = await raw_connection(runtime)
    try:
        settings = services.settings
        await connection.execute(
            f"SET hnsw.ef_search = {settings.hnsw_ef_search}; SET hnsw.iterative_scan = relaxed_order;"
            " SET enable_sort = off"
        )
        ann = await connection.prepare(FLOOR_ANN)
        page = await connection.prepare(FLOOR_PAGE)
        snapshot = await connection.prepare(FLOOR_SNAPSHOT)
        user_row, job_row = (
            await connection.prepare(FLOOR_USER),
            await connection.prepare(FLOOR_JOB),
        )
        latest = (
            "SELECT id FROM ranked_snapshots WHERE user_id = $1 ORDER BY ranked_at DESC LIMIT 1"
        )
        snapshots = {i: await connection.fetchval(latest, users[i].id) for i in responses}

        async def floor_first(n: int) -> None:
            i = n % len(users)
            rows = await ann.fetch(users[i].current_embedding, NOW, users[i].id)
            await page.fetch([r["id"] for r in rows[:21]])
            json.dumps({"data": json.loads(encoded[i])["data"]})

        async def floor_next(n: int) -> None:
            i = n % len(users)
            row = await snapshot.fetchrow(snapshots[i])
            await page.fetch(row["job_ids"][20:41])
            json.dumps({"data": json.loads(encoded[i])["data"]})

        async def floor_match(n: int) -> None:
            i = n % len(users)
            edge = responses[i]["discover"]["edges"][n % 20]
            await user_row.fetchrow(users[i].id)
            await job_row.fetchrow(_job_uuid(edge["node"]["id"]))
            json.dumps(edge)

        for name, run in (("first", floor_first), ("next", floor_next), ("match", floor_match)):
            samples, app_cpu, pg_cpu = await _timed(run)
            figures[f"{name}_floor_p50_ms"] = statistics.median(samples)
            figures[f"{name}_floor_cpu_ms"] = app_cpu + pg_cpu
            figures[f"{name}_over_floor"] = figures[f"{name}_p50_ms"] / statistics.median(samples)
        plan = await connection.fetch(
            "EXPLAIN (COSTS OFF) " + FLOOR_ANN, users[0].current_embedding, NOW, users[0].id
        )
        figures["floor_plan_uses_hnsw"] = any("hnsw" in r[0] for r in plan)
    finally:
        await connection.close()
    return figures


def _job_uuid(global_id: str) -> uuid.UUID:
    return uuid.UUID(str(from_global_id(global_id)[1]))


async def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
    drafts, vectors = await asyncio.to_thread(drafts_and_vectors)
    async with scratch_runtime("feed_latency") as runtime:
        runtime.services.clock = lambda: NOW
        async with runtime.services.sessions() as session, session.begin():
            from sqlalchemy import text

            company = uuid.uuid4()
            await session.execute(
                text("INSERT INTO companies (id, name) VALUES (:id, 'Bench')"), {"id": company}
            )
        users = await make_candidates(runtime, drafts, company)
        figures: dict[str, Any] = {}
        loaded = 0
        for size in sizes:
            await load(runtime, drafts, vectors, loaded, size, company)
            loaded = size
            await swipe_nearest(runtime, users)
            for key, value in (await measure(runtime, users, size)).items():
                figures[f"{size}_{key}"] = value
            print(figures, flush=True)
    report("feed_latency", figures)
