"""`jobmatch serve --workers 2`: two processes behind one port, each with its own model, the
database prepared once by the parent, events crossing between them, one task worker in all.

Every response says which process answered (x-process-id), so the test picks sockets and
mutations on both processes instead of hoping the kernel spread them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import websockets
from sqlalchemy import text

from db.engine import create_engine
from tests.conftest import ROOT, TEST_SECRET
from tests.e2e.conftest import WAIT_S, _free_port, _wait_ready, sign_up, ws_url
from tests.e2e.subscription_support import BACKEND_JOB, BACKEND_PROFILE, CREATE_JOB

WORKERS = 2
MAX_TRIES = 24  # connections or mutations until both processes have answered one
SUBSCRIPTION = "subscription { matchFound(minScore: 0) { eventId job { title } } }"


@contextlib.contextmanager
def _serve_workers(database_url: str, workdir: Path) -> Iterator[tuple[str, psutil.Process]]:
    port = _free_port()
    env = {
        **os.environ,
        "JOBMATCH_DATABASE_URL": database_url,
        "JOBMATCH_JWT_SECRET": TEST_SECRET,
        "JOBMATCH_ENV": "test",
        "JOBMATCH_DATA_DIR": str(workdir / "data"),
        "JOBMATCH_REGISTER_LIMIT": "1000000",
    }
    env.pop("JOBMATCH_BROADCAST_URL", None)  # several workers must default to postgres://
    command = [str(Path(sys.executable).with_name("jobmatch")), "serve", "--no-seed"]
    command += ["--port", str(port), "--workers", str(WORKERS)]
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(process, f"http://127.0.0.1:{port}", log_path)
            yield f"http://127.0.0.1:{port}", psutil.Process(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _workers(parent: psutil.Process) -> list[psutil.Process]:
    """The serving children (multiprocessing's resource tracker is not one)."""
    return [
        child
        for child in parent.children()
        if "spawn_main" in " ".join(child.cmdline()) and "resource_tracker" not in child.cmdline()
    ]


async def _pid_of(response: httpx.Response) -> int:
    return int(response.headers["x-process-id"])


async def _every_worker_ready(base: str, pids: set[int]) -> None:
    """/readyz answers once one worker is up: each must have answered a fresh connection."""
    seen: set[int] = set()
    async with asyncio.timeout(120):
        while seen != pids:
            async with httpx.AsyncClient() as http:  # a new connection: any process may take it
                response = await http.get(f"{base}/readyz")
            if response.status_code == 200:
                seen.add(await _pid_of(response))


async def _post(url: str, query: str, variables: dict[str, Any], token: str) -> tuple[int, Any]:
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(
            url,
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    return await _pid_of(response), body["data"]


@contextlib.asynccontextmanager
async def _subscribed(url: str, token: str) -> AsyncIterator[websockets.ClientConnection]:
    async with websockets.connect(
        ws_url(url), subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}
        await socket.send(json.dumps(subscribe))
        # The server reads a socket's messages in order: the pong proves it has the subscribe.
        await socket.send(json.dumps({"type": "ping"}))
        assert json.loads(await socket.recv())["type"] == "pong"
        yield socket


async def _titles(socket: websockets.ClientConnection, count: int) -> list[str]:
    titles: list[str] = []
    async with asyncio.timeout(WAIT_S):
        while len(titles) < count:
            message = json.loads(await socket.recv())
            assert message["type"] == "next", message
            titles.append(message["payload"]["data"]["matchFound"]["job"]["title"])
    return titles


async def _workers_registered(database_url: str, after: int) -> int:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            query = "SELECT count(*) FROM procrastinate.procrastinate_workers WHERE id > :after"
            return int((await connection.execute(text(query), {"after": after})).scalar_one())
    finally:
        await engine.dispose()


async def _last_worker_id(database_url: str) -> int:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            query = "SELECT coalesce(max(id), 0) FROM procrastinate.procrastinate_workers"
            return int((await connection.execute(text(query))).scalar_one())
    finally:
        await engine.dispose()


async def test_two_worker_processes_share_one_port_and_subscriptions_cross_between_them(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workers_before = await _last_worker_id(database_url)
    with _serve_workers(database_url, tmp_path_factory.mktemp("workers")) as (base, parent):
        children = _workers(parent)
        assert len(children) == WORKERS
        for child in children:  # the parent's database and the cross-process broadcast
            environment = child.environ()
            assert environment["JOBMATCH_DATABASE_URL"] == database_url
            assert environment["JOBMATCH_BROADCAST_URL"] == "postgres://"
        pids = {child.pid for child in children}
        await _every_worker_ready(base, pids)
        url = f"{base}/graphql"

        recruiter = await sign_up(url, role="RECRUITER", company=f"Workers {uuid.uuid4().hex[:8]}")
        candidate = await sign_up(url, profile=BACKEND_PROFILE)
        async with contextlib.AsyncExitStack() as stack:
            sockets: dict[int, websockets.ClientConnection] = {}
            for _ in range(MAX_TRIES):
                socket = await stack.enter_async_context(_subscribed(url, candidate["accessToken"]))
                sockets.setdefault(int(socket.response.headers["x-process-id"]), socket)
                if set(sockets) == pids:
                    break
            assert set(sockets) == pids, "the sockets never reached both processes"

            created: dict[int, str] = {}  # the process that served each createJob
            for n in range(MAX_TRIES):
                title = f"{BACKEND_JOB['title']} {n}"
                variables = {"input": BACKEND_JOB | {"title": title}}
                pid, _ = await _post(url, CREATE_JOB, variables, recruiter["accessToken"])
                created.setdefault(pid, title)
                if set(created) == pids:
                    break
            assert set(created) == pids, "the mutations never reached both processes"
            for pid, socket in sockets.items():
                other = next(p for p in pids if p != pid)
                received = await _titles(socket, n + 1)
                # Among them, the job created by the other process: the event crossed over.
                assert created[other] in received
                assert len(received) == len(set(received)) == n + 1

        for child in children:  # each process has loaded its own model: hundreds of MB
            assert child.memory_info().rss > 200 * 2**20
        # One task worker for the whole server, by the first process to start.
        assert await _workers_registered(database_url, workers_before) == 1
