"""createJob latency through the real app (ASGI), against a single raw model.encode of the same text."""

from __future__ import annotations

import time

from app import create_app
from bench.common import model, percentiles, report, scratch_runtime
from tests.graphql_client import over_asgi

POSTING = {
    "title": "Senior Backend Engineer",
    "description": "Own our Python and PostgreSQL services on Kubernetes. " * 30,
    "location": "Austin, TX",
    "skills": ["Python", "PostgreSQL", "Kubernetes", "AWS", "GraphQL"],
    "seniority": "SENIOR",
    "salaryMin": 150000,
    "salaryMax": 180000,
    "salaryCurrency": "USD",
}
CREATE = "mutation($input: JobInput!) { createJob(input: $input) { id } }"
RUNS = 60


async def main() -> None:
    async with scratch_runtime("create_job") as runtime:
        app = create_app(runtime.services.settings, runtime)
        async with over_asgi(app) as client:
            registered = await client.ok(
                'mutation { register(input: {email: "b@bench.test", password: "bench-pass-1", role: RECRUITER, companyName: "Bench"}) { accessToken } }'
            )
            client.token = registered["register"]["accessToken"]
            samples = []
            for index in range(RUNS + 5):
                posting = POSTING | {"title": f"Senior Backend Engineer {index}"}
                started = time.perf_counter()
                await client.ok(CREATE, {"input": posting})
                elapsed = time.perf_counter() - started
                if index >= 5:
                    samples.append(elapsed * 1000)
    encoder = model()
    text = f"{POSTING['title']}. Bench. {', '.join(POSTING['skills'])}. {POSTING['description'][:2000]}"
    raw = []
    for _ in range(RUNS):
        started = time.perf_counter()
        encoder.encode([text], normalize_embeddings=True)
        raw.append((time.perf_counter() - started) * 1000)
    create, encode = percentiles(samples), percentiles(raw)
    report(
        "create_job",
        {
            "create_job_p50_ms": create["p50"],
            "create_job_p95_ms": create["p95"],
            "raw_encode_p50_ms": encode["p50"],
            "raw_encode_p95_ms": encode["p95"],
            "overhead_p50_ms": create["p50"] - encode["p50"],
            "create_over_encode_p50_ratio": create["p50"] / encode["p50"],
        },
    )
