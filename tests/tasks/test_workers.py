"""Real worker processes: a deferred task runs in `jobmatch worker`; kill -9 loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from adapters.taskqueue import TaskQueue
from app import Runtime
from cli import _parser
from db.models import Job
from tests.api.feed_support import insert_jobs
from tests.e2e.conftest import _serve
from tests.tasks.conftest import jobs, until, worker_process
from tests.tasks.test_periodic import a_company


async def test_a_deferred_task_runs_in_a_worker_process(
    runtime: Runtime, queue: TaskQueue, database_url: str
) -> None:
    company = await a_company(runtime)
    past = datetime.now(UTC) - timedelta(days=1)
    [due, _] = await insert_jobs(
        runtime,
        company,
        [{"title": "Due Engineer", "expires_at": past}, {"title": "Fresh Engineer"}],
    )
    await queue.defer("expire_jobs")

    async def statuses() -> dict[str, str]:
        async with runtime.services.sessions() as session:
            rows = (await session.execute(select(Job.title, Job.status))).all()
        return {r.title: r.status for r in rows}

    assert (await statuses())["Due Engineer"] == "ACTIVE"
    with worker_process(database_url, "--concurrency", "2") as process:
        done = await until(lambda: _succeeded(runtime, "expire_jobs"), limit_s=120)
        assert process.poll() is None
    assert done[0]["attempts"] == 1  # one run, no retry
    assert await statuses() == {"Due Engineer": "EXPIRED", "Fresh Engineer": "ACTIVE"}


async def _succeeded(runtime: Runtime, task: str) -> list[dict[str, object]]:
    found = await jobs(runtime, task)
    return found if found and all(j["status"] == "succeeded" for j in found) else []


async def test_a_worker_killed_mid_task_loses_nothing(
    runtime: Runtime, queue: TaskQueue, database_url: str, tmp_path: Path
) -> None:
    probe = tmp_path / "probe"
    await queue.app.configure_task("probe", allow_unknown=True).defer_async(path=str(probe))
    args = ("--concurrency", "1", "--heartbeat", "0.5", "--stalled-after", "2")
    module = "tests.tasks.probe_worker"
    with worker_process(database_url, *args, module=module) as first:
        started = await until(lambda: _started(tmp_path), limit_s=120)
        assert started == [f"probe.started.{first.pid}"]
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    [job] = await jobs(runtime, "probe")
    assert job["status"] == "doing"  # what a dead worker leaves behind
    (tmp_path / "probe.release").touch()
    with worker_process(database_url, *args, module=module) as second:
        [job] = await until(lambda: _succeeded(runtime, "probe"), limit_s=120)
    assert (tmp_path / "probe.done").read_text() == f"{second.pid}\n"
    assert sorted(_started_in(tmp_path)) == sorted(
        [f"probe.started.{first.pid}", f"probe.started.{second.pid}"]
    )


def _started_in(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".started." in p.name]


async def _started(folder: Path) -> list[str]:
    return await asyncio.to_thread(_started_in, folder)


async def test_serve_works_the_queue_in_process(
    runtime: Runtime, queue: TaskQueue, database_url: str, tmp_path: Path
) -> None:
    """`jobmatch serve` runs a worker unless --no-worker: the single-machine set-up stays two
    commands (migrate is part of serve)."""
    assert _parser().parse_args(["serve", "--no-worker"]).no_worker is True
    with _serve(database_url, tmp_path, {"JOBMATCH_WORKER_CONCURRENCY": "1"}):
        await queue.defer("expire_jobs")
        [job] = await until(lambda: _succeeded(runtime, "expire_jobs"), limit_s=60)
    assert job["attempts"] == 1
