"""The task queue: tasks/s through procrastinate (no-op tasks, and real match-refresh batches)
against a floor (a plain INSERT + SELECT round trip per task), and the nightly refresh of every
READY pool candidate against the ACTIVE jobs (one `refresh_match_batch` task per 100).

Sizes: BENCH_TASKS_NOOP (default 500), BENCH_TASKS_POOL (default 200), BENCH_TASKS_JOBS (default
2,000). The issue's target is 1,000 pool candidates x 10k jobs: BENCH_TASKS_POOL=1000
BENCH_TASKS_JOBS=10000 python -m bench tasks. Jobs are real postings with random unit vectors, as
in bench_generate_matches.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select, text

from adapters.taskqueue import TaskDef, TaskQueue, build_app
from app import Runtime
from bench import bench_generate_matches as data
from bench.bench_discover import raw_connection
from bench.bench_discover_data import COLUMNS, NOW, records
from bench.common import report, scratch_runtime
from db.models import Candidate, Match
from resolvers.services import Services
from resolvers.tasks import all_tasks

NOOP = int(os.environ.get("BENCH_TASKS_NOOP", "500"))
POOL = int(os.environ.get("BENCH_TASKS_POOL", "200"))
JOBS = int(os.environ.get("BENCH_TASKS_JOBS", "2000"))
CONCURRENCY = 4


async def noop(services: Services, n: int) -> None:
    return None


async def _floor(services: Services, count: int) -> float:
    """Round trips/s of one INSERT and one SELECT, each in its own transaction (what deferring
    and fetching a job cost at the least)."""
    async with services.sessions() as session, session.begin():
        await session.execute(text("CREATE TABLE IF NOT EXISTS bench_floor (id int, args jsonb)"))
    started = time.perf_counter()
    for n in range(count):
        async with services.sessions() as session, session.begin():
            await session.execute(
                text("INSERT INTO bench_floor VALUES (:n, CAST(:a AS jsonb))"),
                {"n": n, "a": '{"n": 1}'},
            )
        async with services.sessions() as session, session.begin():
            await session.execute(text("SELECT * FROM bench_floor WHERE id = :n"), {"n": n})
    return count / (time.perf_counter() - started)


async def _drain(queue: TaskQueue, concurrency: int) -> float:
    started = time.perf_counter()
    while True:  # a wait=False worker stops when it finds nothing at once: run again
        await queue.app.run_worker_async(
            wait=False, install_signal_handlers=False, listen_notify=False, concurrency=concurrency
        )
        if not await queue.waiting():
            return time.perf_counter() - started


async def _load_jobs(runtime: Runtime, drafts: list[Any], employer: uuid.UUID) -> None:
    """JOBS ACTIVE jobs by COPY (the status column found by name: its position moves)."""
    rng = np.random.default_rng(3)
    status = COLUMNS.index("status")
    connection = await raw_connection(runtime)
    try:
        rows = records(drafts, data._unit(rng, JOBS), 0, employer, rng)
        rows = [(*r[:status], "ACTIVE", *r[status + 1 :]) for r in rows]
        await connection.copy_records_to_table("jobs", records=rows, columns=COLUMNS)
        await connection.execute("VACUUM ANALYZE jobs")
    finally:
        await connection.close()


async def main() -> None:
    data.JOBS, data.POOL = JOBS, POOL
    drafts = data._drafts()
    async with scratch_runtime("tasks") as runtime:
        services = runtime.services
        services.clock = lambda: NOW + timedelta(hours=1)
        app = build_app(runtime.url, [*all_tasks(), TaskDef("noop", noop)], lambda: services)
        async with app.open_async():
            queue, own = TaskQueue(app), services.tasks
            services.tasks = queue  # the runtime's own queue is closed with the runtime
            floor = await _floor(services, NOOP)
            started = time.perf_counter()
            for n in range(NOOP):
                await queue.defer("noop", n=n)
            defer_s = time.perf_counter() - started
            run_s = await _drain(queue, CONCURRENCY)

            employer, agency = await data._companies(runtime)
            await _load_jobs(runtime, drafts, employer)
            await data._load_pool(runtime, drafts, agency)
            started = time.perf_counter()
            await queue.defer("refresh_matches", timestamp=0)
            nightly_s = await _drain(queue, 2)
            async with services.sessions() as session:
                batches = await session.scalar(
                    text(
                        "SELECT count(*) FROM procrastinate.procrastinate_jobs "
                        "WHERE task_name = 'refresh_match_batch' AND status = 'succeeded'"
                    )
                )
                records = await session.scalar(select(func.count()).select_from(Match))
                ready = await session.scalar(
                    select(func.count()).select_from(Candidate).where(Candidate.status == "READY")
                )
            services.tasks = own
    report(
        "tasks",
        {
            "floor_insert_select_round_trips_per_s": floor,
            "noop_tasks": NOOP,
            "noop_defer_per_s": NOOP / defer_s,
            "noop_run_per_s": NOOP / run_s,
            "noop_end_to_end_per_s": NOOP / (defer_s + run_s),
            "noop_end_to_end_vs_floor": NOOP / (defer_s + run_s) / floor,
            "pool_candidates_ready": ready,
            "active_jobs": JOBS,
            "nightly_refresh_s": nightly_s,
            "refresh_batches": batches,
            "refresh_batch_tasks_per_s": (batches or 0) / nightly_s,
            "candidates_refreshed_per_s": (ready or 0) / nightly_s,
            "match_records_after": records,
        },
    )
