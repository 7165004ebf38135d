"""`python -m tests.tasks.probe_worker worker ...`: the real `jobmatch worker` plus a `probe` task
that blocks until released, so a test can kill the worker in the middle of it."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from adapters.taskqueue import task


@task("probe", max_attempts=3)
async def probe(services: Any, path: str) -> None:
    """Marks that it started (with the worker's pid), waits for the release file, marks done."""
    base = Path(path)
    base.with_suffix(f".started.{os.getpid()}").touch()
    release = base.with_suffix(".release")
    while not release.exists():  # noqa: ASYNC110 (the test process creates the file)
        await asyncio.sleep(0.05)
    with base.with_suffix(".done").open("a") as done:
        done.write(f"{os.getpid()}\n")


if __name__ == "__main__":
    import app

    sys.exit(app.main(sys.argv[1:]))
