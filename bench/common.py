"""Shared benchmark plumbing: a scratch embedded database, the real model, timing and reporting."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import resource
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from adapters.embedder import load_model
from app import Runtime
from db.embedded import EmbeddedDatabase
from db.migrate import upgrade_to_head
from domain.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results"
BENCH_DIR = ROOT / ".data" / "bench"
_model: Any = None


def postings() -> list[dict[str, Any]]:
    with gzip.open(DATA / "jobs" / "ashby_jobs.json.gz") as handle:
        rows: list[dict[str, Any]] = json.load(handle)
    return rows


def model() -> Any:
    global _model
    if _model is None:
        _model = load_model()
    return _model


async def scratch_database(name: str) -> str:
    """The URL of a fresh, migrated database `bench_<name>` on the embedded server."""
    server = EmbeddedDatabase(BENCH_DIR, database="postgres")
    server.start()
    database = f"bench_{name}"
    server.drop_database(database)
    url = server.create_database(database)
    await asyncio.to_thread(upgrade_to_head, url)
    return url


@asynccontextmanager
async def scratch_runtime(name: str) -> AsyncIterator[Runtime]:
    """A fresh, migrated database `bench_<name>` on the embedded server, and services over it."""
    url = await scratch_database(name)
    # Benchmarks sign up hundreds of users from 127.0.0.1: lift the per-address sign-up limit.
    settings = Settings(
        environment="test",
        jwt_secret="bench-" + "x" * 40,
        data_dir=BENCH_DIR,
        register_limit=1_000_000,
    )
    runtime = await Runtime.start(settings, url=url, model=model())
    try:
        yield runtime
    finally:
        await runtime.close()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "max": ordered[-1],
        "n": len(ordered),
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def report(name: str, figures: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str))
    print(f"\n== {name}")
    for key, value in figures.items():
        print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_ready(base: str, server: asyncio.subprocess.Process) -> None:
    """Until /readyz answers 200 (the model loads in ~10-20 s), or the server dies."""
    async with httpx.AsyncClient() as http:
        for _ in range(240):
            if server.returncode is not None:
                raise RuntimeError("the server exited")
            try:
                if (await http.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError("the server never became ready")


async def start_server(
    database_url: str,
    secret: str,
    extra_env: dict[str, str] | None = None,
    *,
    workers: int = 1,
) -> tuple[asyncio.subprocess.Process, str]:
    """A real `jobmatch serve --workers N` (one process unless asked) on a free 127.0.0.1 port
    over `database_url`, ready to answer; `extra_env` adds settings (e.g. JOBMATCH_BROADCAST_URL
    for several instances)."""
    port = free_port()
    env = os.environ | {
        "JOBMATCH_DATABASE_URL": database_url,
        "JOBMATCH_JWT_SECRET": secret,
        "JOBMATCH_LOG_LEVEL": "WARNING",
        "JOBMATCH_ENV": "test",
        "JOBMATCH_REGISTER_LIMIT": "1000000",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "app", "serve", "--port", str(port), "--no-seed"]
    command += ["--workers", str(workers)]
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, process)
    except BaseException:
        process.terminate()
        raise
    return process, base
