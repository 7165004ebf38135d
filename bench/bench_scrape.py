"""Scraper upload-to-searchable latency: a bot submits uploads of real postings through the API,
a task worker processes them one at a time; against the floor, importJobs' own time for the
same rows (run_import, no queue)."""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from sqlalchemy import select

from adapters.taskqueue import run_worker, stop_worker
from app import create_app
from bench.common import Timer, percentiles, postings, report, scratch_runtime
from db.models import ScrapeUpload
from domain.enums import Role
from resolvers import auth
from resolvers.imports import run_import
from tests.api.scraping_support import CLAIM, SUBMIT, bot_ok, new_key, seeker
from tests.graphql_client import over_asgi

UPLOADS = int(os.environ.get("BENCH_SCRAPE_UPLOADS", "5"))
ROWS = int(os.environ.get("BENCH_SCRAPE_ROWS", "100"))
_FIELDS = {
    "external_job_id": "externalJobId",
    "title": "title",
    "company": "company",
    "location": "location",
    "salary": "salary",
    "description": "description",
    "posted_date": "postedDate",
    "job_url": "jobUrl",
    "job_type": "jobType",
}


def _scraped(row: dict[str, Any]) -> dict[str, Any]:
    """A real posting as a bot sends it (ScrapedJobInput)."""
    given = {ours: row[theirs] for theirs, ours in _FIELDS.items() if row.get(theirs)}
    return given | {"isRemote": str(row.get("is_remote")).lower() == "true"}


async def _floor(chunks: list[list[dict[str, Any]]]) -> list[float]:
    async with scratch_runtime("scrape_floor") as runtime:
        seconds = []
        for chunk in chunks:
            with Timer() as timer:
                await run_import(runtime.services, "linkedin", chunk, created_by=None)
            seconds.append(timer.seconds)
        return seconds


async def _scrape(chunks: list[list[dict[str, Any]]]) -> tuple[list[float], list[float]]:
    """Per upload: the submit's answer time, and submit to processed (its jobs searchable)."""
    async with scratch_runtime("scrape") as runtime:
        services = runtime.services
        assert services.tasks is not None
        worker = asyncio.create_task(run_worker(services.tasks.app, concurrency=1))
        try:
            async with over_asgi(create_app(services.settings, runtime)) as gql:
                await auth.create_user(
                    services, "ops@bench.test", "operator-pass-1", Role.PLATFORM_ADMIN
                )
                login = 'mutation { login(input: {email: "ops@bench.test", password: "operator-pass-1"}) { accessToken } }'
                admin = (await gql.ok(login))["login"]["accessToken"]
                key = (await new_key(gql, admin))["apiKey"]
                await seeker(gql, "ana@bench.test", ["Software Engineer"])
                role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
                answers, latencies = [], []
                for chunk in chunks:
                    rows = [_scraped(r) for r in chunk]
                    started = time.perf_counter()
                    sent = await bot_ok(
                        gql, key, SUBMIT, {"r": role["id"], "p": "linkedin", "j": rows}
                    )
                    answers.append(time.perf_counter() - started)
                    upload = sent["submitScrapedJobs"]["uploadId"]
                    await _processed(runtime, upload)
                    latencies.append(time.perf_counter() - started)
                return answers, latencies
        finally:
            await stop_worker(worker)


async def _processed(runtime: Any, upload_id: str) -> None:
    query = select(ScrapeUpload.status).where(ScrapeUpload.id == upload_id)
    async with asyncio.timeout(600):
        while True:
            async with runtime.services.sessions() as session:
                if (await session.execute(query)).scalar_one() in ("DONE", "FAILED"):
                    return
            await asyncio.sleep(0.02)


async def main() -> None:
    rows = postings()
    chunks = [rows[i * ROWS : (i + 1) * ROWS] for i in range(UPLOADS)]
    floor = await _floor(chunks)
    answers, latencies = await _scrape(chunks)
    floor_p50 = percentiles(floor)["p50"]
    scrape = percentiles(latencies)
    report(
        "scrape",
        {
            "uploads": UPLOADS,
            "rows_per_upload": ROWS,
            "submit_answer_p50_s": percentiles(answers)["p50"],
            "submit_answer_max_s": max(answers),
            "upload_to_searchable_p50_s": scrape["p50"],
            "upload_to_searchable_max_s": scrape["max"],
            "import_floor_p50_s": floor_p50,
            "import_floor_max_s": max(floor),
            "latency_over_floor_p50": scrape["p50"] / floor_p50,
            "queue_overhead_p50_s": scrape["p50"] - floor_p50,
        },
    )
