"""GraphQL requests/s for the feed under concurrent load: a real `jobmatch serve`, 10k jobs, with
one server process and then with WORKERS (same data, same run), the client in a process of its own.

Candidates sign up and save profiles over HTTP; then CLIENTS concurrent clients loop for
DURATION_S seconds: a first discover page (20 cards with company and explanation), the next
page by cursor, and Job.match on one card. Reported per server size: requests/s, latency
percentiles, the CPU seconds of the server (all its processes), of PostgreSQL and of the client
(which shares the cores: its load is part of what limits the figure), and each process's RSS.
`python -m bench.bench_feed_load client BASE` is the client: tokens on stdin, one JSON line out.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
import uuid
from typing import Any

import httpx
import psutil
from sqlalchemy import text

from bench.bench_discover import load
from bench.bench_discover_data import drafts_and_vectors
from bench.bench_fanout import cpu_seconds, database_cpu_seconds
from bench.common import ROOT, percentiles, report, scratch_runtime, start_server
from tests.graphql_client import GraphQLClient

JOBS = 10_000
CLIENTS = 16
DURATION_S = int(os.environ.get("BENCH_FEED_LOAD_S", "30"))
WARMUP_S = 5
SIZES = (1, int(os.environ.get("BENCH_FEED_LOAD_WORKERS", "2")))
SECRET = "load-" + "x" * 40
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


async def loop(
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


async def client(base: str) -> None:
    """The load generator's process: `{"duration_s", "tokens"}` on stdin; one JSON line out."""
    order = json.loads(sys.stdin.readline())
    tokens, duration = order["tokens"], float(order["duration_s"])
    samples: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=len(tokens))
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        stop = started + duration
        await asyncio.gather(*(loop(http, token, stop, samples, errors) for token in tokens))
        elapsed = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    line = {"samples": samples, "errors": errors[:3], "error_count": len(errors)}
    print(json.dumps(line | {"elapsed_s": elapsed, "cpu_s": cpu}), flush=True)


async def run_client(base: str, tokens: list[str], duration: float) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.bench_feed_load",
        "client",
        base,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=1 << 24,
    )
    out, _ = await process.communicate(
        (json.dumps({"tokens": tokens, "duration_s": duration}) + "\n").encode()
    )
    result: dict[str, Any] = json.loads(out)
    return result


def server_processes(server: asyncio.subprocess.Process) -> list[psutil.Process]:
    parent = psutil.Process(server.pid)
    return [parent, *parent.children(recursive=True)]


async def every_worker_answers(base: str, workers: int) -> set[int]:
    """The port answers as soon as one process is up: wait until `workers` distinct ones have."""
    seen: set[int] = set()
    async with asyncio.timeout(300):
        while len(seen) < workers:
            async with httpx.AsyncClient() as http:  # a fresh connection each time
                response = await http.get(f"{base}/readyz")
            if response.status_code == 200:
                seen.add(int(response.headers["x-process-id"]))
    return seen


async def measure(url: str, tokens: list[str], workers: int) -> dict[str, Any]:
    server, base = await start_server(url, SECRET, workers=workers)
    try:
        pids = await every_worker_answers(base, workers)
        await run_client(base, tokens, WARMUP_S)
        processes = server_processes(server)
        cpu_before = sum(cpu_seconds(p) for p in processes)
        db_before = database_cpu_seconds()
        result = await run_client(base, tokens, DURATION_S)
        cpu = sum(cpu_seconds(p) for p in processes) - cpu_before
        db_cpu = database_cpu_seconds() - db_before
        rss = [p.memory_info().rss / 2**20 for p in processes if p.pid in pids]
    finally:
        server.terminate()
        async with asyncio.timeout(60):
            await server.wait()
    requests = len(result["samples"])
    latency = percentiles(result["samples"])
    label = f"workers{workers}"
    return {
        f"{label}_requests": requests,
        f"{label}_errors": result["error_count"],
        f"{label}_requests_per_s": requests / result["elapsed_s"],
        f"{label}_latency_p50_ms": latency["p50"],
        f"{label}_latency_p95_ms": latency["p95"],
        f"{label}_latency_max_ms": latency["max"],
        f"{label}_server_cpu_ms_per_request": cpu / requests * 1000,
        f"{label}_database_cpu_ms_per_request": db_cpu / requests * 1000,
        f"{label}_client_cpu_ms_per_request": result["cpu_s"] / requests * 1000,
        f"{label}_client_cpu_share_of_elapsed": result["cpu_s"] / result["elapsed_s"],
        f"{label}_rss_mb_per_worker": [round(value) for value in rss],
        f"{label}_first_error": result["errors"][0] if result["errors"] else None,
    }


async def main() -> None:
    drafts, vectors = await asyncio.to_thread(drafts_and_vectors)
    async with scratch_runtime("feed_load") as runtime:
        async with runtime.services.sessions() as session, session.begin():
            company = uuid.uuid4()
            await session.execute(
                text("INSERT INTO companies (id, name) VALUES (:id, 'Bench')"), {"id": company}
            )
        await load(runtime, drafts, vectors, 0, JOBS, company)
        url = runtime.url
    server, base = await start_server(url, SECRET)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            tokens = [await sign_up(GraphQLClient(http), n) for n in range(CLIENTS)]
    finally:
        server.terminate()
        async with asyncio.timeout(60):
            await server.wait()
    figures: dict[str, Any] = {"jobs": JOBS, "clients": CLIENTS, "duration_s": DURATION_S}
    figures["cores"] = len(os.sched_getaffinity(0))
    for workers in SIZES:
        figures |= await measure(url, tokens, workers)
    one, many = SIZES
    figures[f"requests_per_s_ratio_workers{many}_over_workers1"] = (
        figures[f"workers{many}_requests_per_s"] / figures["workers1_requests_per_s"]
    )
    figures["issue_14_reference_requests_per_s (one worker, before)"] = 38.5
    report("feed_load", figures)


if __name__ == "__main__":
    if sys.argv[1:2] == ["client"]:
        asyncio.run(client(sys.argv[2]))
