"""GraphQL requests/s for the feed under concurrent load: a real uvicorn on 127.0.0.1, 10k jobs.

Candidates sign up and save profiles over HTTP; then CLIENTS concurrent clients loop for
DURATION_S seconds: a first discover page (20 cards with company and explanation), the next
page by cursor, and Job.match on one card. Reported: requests/s and latency percentiles.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import text

from bench.bench_discover import load
from bench.bench_discover_data import drafts_and_vectors
from bench.common import percentiles, report, scratch_runtime, start_server
from tests.graphql_client import GraphQLClient

JOBS = 10_000
CLIENTS = 16
DURATION_S = 30
FIRST = """query { discover(first: 20) { edges { score node { id title company { name } }
  explanation { score summary } } pageInfo { endCursor } } }"""
NEXT = """query($after: String) { discover(first: 20, after: $after) { edges { score node { id } } } }"""
MATCH = (
    """query($id: ID!) { job(id: $id) { match(preset: FIVE_FACTOR) { score grade reasons } } }"""
)
PROFILES = [
    ("Backend engineer, Python and PostgreSQL", ["Python", "PostgreSQL", "AWS"]),
    ("Frontend developer, React and TypeScript", ["React", "TypeScript", "CSS"]),
    ("Data scientist, machine learning", ["Python", "Machine Learning", "SQL"]),
    ("Account executive, enterprise SaaS sales", ["Salesforce", "Negotiation"]),
]


async def sign_up(client: GraphQLClient, n: int) -> str:
    query = "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }"
    variables = {"i": {"email": f"load{n}@bench.test", "password": "bench-pass-1"}}
    token = str((await client.ok(query, variables))["register"]["accessToken"])
    headline, skills = PROFILES[n % len(PROFILES)]
    update = "mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }"
    profile = {"headline": headline, "skills": skills, "seniority": "MID", "yearsOfExperience": 4}
    await client.ok(update, {"i": profile}, token)
    return token


async def client(
    http: httpx.AsyncClient, token: str, stop: float, samples: list[float], errors: list[str]
) -> None:
    graphql = GraphQLClient(http, token)

    async def call(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        started = time.perf_counter()
        body = await graphql.post(query, variables)
        samples.append((time.perf_counter() - started) * 1000)
        if "errors" in body:
            errors.append(str(body["errors"])[:200])
        return body.get("data") or {}

    while time.perf_counter() < stop:
        first = (await call(FIRST)).get("discover") or {}
        edges = first.get("edges") or []
        await call(NEXT, {"after": (first.get("pageInfo") or {}).get("endCursor")})
        if edges:
            await call(MATCH, {"id": edges[0]["node"]["id"]})


async def main() -> None:
    drafts, vectors = await asyncio.to_thread(drafts_and_vectors)
    async with scratch_runtime("feed_load") as runtime:
        async with runtime.services.sessions() as session, session.begin():
            company = uuid.uuid4()
            await session.execute(
                text("INSERT INTO companies (id, name) VALUES (:id, 'Bench')"), {"id": company}
            )
        await load(runtime, drafts, vectors, 0, JOBS, company)
        server, base = await start_server(runtime.url, "load-" + "x" * 40)
        try:
            limits = httpx.Limits(max_connections=CLIENTS)
            async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
                tokens = [await sign_up(GraphQLClient(http), n) for n in range(CLIENTS)]
                samples: list[float] = []
                errors: list[str] = []
                started = time.perf_counter()
                stop = started + DURATION_S
                await asyncio.gather(*(client(http, t, stop, samples, errors) for t in tokens))
                elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            async with asyncio.timeout(30):
                await server.wait()
    latency = percentiles(samples)
    report(
        "feed_load",
        {
            "jobs": JOBS,
            "clients": CLIENTS,
            "requests": len(samples),
            "errors": len(errors),
            "requests_per_s": len(samples) / elapsed,
            "latency_p50_ms": latency["p50"],
            "latency_p95_ms": latency["p95"],
            "latency_max_ms": latency["max"],
            "first_error": errors[0] if errors else None,
        },
    )
