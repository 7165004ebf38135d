"""End-to-end fixtures: a real `jobmatch serve` process on 127.0.0.1, and the node clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from tests.conftest import ROOT, TEST_SECRET
from tests.graphql_client import over_http

HERE = Path(__file__).resolve().parent
NODE_MODULES = ROOT / "node_modules"
STARTUP_TIMEOUT_S = 120.0
PASSWORD = "correct-horse-1"
SHORT_TOKEN_TTL_S = 5
WAIT_S = 20.0  # the most any subscription test waits for one thing to happen
REGISTER = (
    "mutation($input: RegisterInput!) { register(input: $input) "
    "{ accessToken refreshToken user { id email } } }"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@contextmanager
def _serve(database_url: str | None, workdir: Path, extra_env: dict[str, str]) -> Iterator[str]:
    """Runs `jobmatch serve` on the database until the block ends; yields its base URL.
    Without a database URL it starts its own embedded PostgreSQL in workdir/data/pg."""
    log_path = workdir / "server.log"
    port = _free_port()
    env = {
        **os.environ,
        "JOBMATCH_DATABASE_URL": database_url or "",
        "JOBMATCH_JWT_SECRET": TEST_SECRET,
        "JOBMATCH_ENV": "test",
        "JOBMATCH_DATA_DIR": str(workdir / "data"),
        # Every test signs up from 127.0.0.1 on one database with no truncation in between.
        "JOBMATCH_REGISTER_LIMIT": "1000000",
        # One process per test server (the model loads once); the workers test asks for two.
        "JOBMATCH_WORKERS": "1",
        **extra_env,
    }
    if database_url is None:
        del env["JOBMATCH_DATABASE_URL"]
    command = [str(Path(sys.executable).with_name("jobmatch")), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-seed"]
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(process, base, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="session")
def server_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """http://127.0.0.1:PORT of a real server on the session's database, ready (model loaded).
    It wakes other instances over PostgreSQL NOTIFY, as a deployment of several would."""
    with _serve(
        database_url, tmp_path_factory.mktemp("server"), {"JOBMATCH_BROADCAST_URL": "postgres://"}
    ) as base:
        yield base


@pytest.fixture(scope="session")
def second_server_url(
    server_url: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A second instance on the same database (started after the first has migrated it).
    Access tokens it issues live SHORT_TOKEN_TTL_S; tokens from the first one work on it too."""
    extra = {
        "JOBMATCH_BROADCAST_URL": "postgres://",
        "JOBMATCH_ACCESS_TOKEN_TTL": str(SHORT_TOKEN_TTL_S),
    }
    with _serve(database_url, tmp_path_factory.mktemp("server_b"), extra) as base:
        yield base


def _wait_ready(process: subprocess.Popen[bytes], base: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    pytest.fail(f"server not ready after {STARTUP_TIMEOUT_S:.0f}s:\n{_tail(log_path)}")


@pytest.fixture(scope="session")
def graphql_url(server_url: str) -> str:
    return f"{server_url}/graphql"


def unique_email(prefix: str) -> str:
    """e2e tests share the session database with no truncation between them."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def register(graphql_url: str, email: str | None = None) -> dict[str, Any]:
    """A fresh candidate over plain HTTP: {accessToken, refreshToken, user}."""
    variables = {"input": {"email": email or unique_email("e2e"), "password": PASSWORD}}
    body = httpx.post(
        graphql_url, json={"query": REGISTER, "variables": variables}, timeout=30
    ).json()
    assert "errors" not in body, body
    return dict(body["data"]["register"])


def run_node(script: str, *args: str, timeout: float = 60.0) -> Any:
    """Runs tests/e2e/<script> with node and returns the JSON it prints on stdout."""
    if not (NODE_MODULES / "graphql-ws").is_dir():
        pytest.fail("node test clients are missing: run `npm install` in the repository root")
    completed = subprocess.run(
        ["node", str(HERE / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, f"{script} failed:\n{completed.stdout}\n{completed.stderr}"
    return json.loads(completed.stdout)


def ws_url(http_url: str) -> str:
    return "ws" + http_url.removeprefix("http")


async def graphql(
    graphql_url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> dict[str, Any]:
    """One GraphQL request over HTTP; returns the whole response body."""
    async with over_http(graphql_url) as client:
        return await client.post(query, variables, token)


async def call(
    graphql_url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> dict[str, Any]:
    """One GraphQL request that must succeed; returns its data."""
    body = await graphql(graphql_url, query, variables, token=token)
    assert "errors" not in body, body
    return dict(body["data"])


async def sign_up(
    graphql_url: str,
    *,
    role: str = "CANDIDATE",
    company: str | None = None,
    profile: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A fresh account ({accessToken, refreshToken, user}); a candidate's profile set with updateMe."""
    data = {
        "email": unique_email(role.lower()),
        "password": PASSWORD,
        "role": role,
        "companyName": company,
    }
    account = (await call(graphql_url, REGISTER, {"input": data}))["register"]
    if profile is not None:
        await call(
            graphql_url,
            "mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }",
            {"input": profile},
            token=account["accessToken"],
        )
    return dict(account)


class NodeSubscribers:
    """`subscribe.mjs` holding subscriptions open with graphql-ws or Apollo Client: collects
    the JSON lines it prints, per label, stamped with the time they were printed."""

    def __init__(self, url: str, specs: list[dict[str, Any]]) -> None:
        self.url, self.specs = url, specs
        self.lines: dict[str, list[dict[str, Any]]] = {spec["label"]: [] for spec in specs}
        self._changed = asyncio.Event()

    async def __aenter__(self) -> NodeSubscribers:
        if not (NODE_MODULES / "graphql-ws").is_dir():
            pytest.fail("node test clients are missing: run `npm install` in the repository root")
        self.process = await asyncio.create_subprocess_exec(
            "node",
            str(HERE / "subscribe.mjs"),
            ws_url(self.url),
            json.dumps(self.specs),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read())
        await self.wait_until(
            lambda: all(any(line.get("ready") for line in lines) for lines in self.lines.values()),
            "every subscription ready",
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            async with asyncio.timeout(10):
                await self.process.wait()
        except TimeoutError:
            self.process.kill()
        await self._reader

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            line = json.loads(raw)
            if "label" in line:
                self.lines[line["label"]].append(line)
                self._changed.set()

    def events(self, label: str) -> list[dict[str, Any]]:
        """The `next` payloads received so far: {data, errors?} with `at` (epoch seconds)."""
        return [
            line["next"] | {"at": line["at"] / 1000} for line in self.lines[label] if "next" in line
        ]

    def outcome(self, label: str) -> list[dict[str, Any]]:
        return [line for line in self.lines[label] if "next" not in line and "ready" not in line]

    async def wait_until(self, condition: Any, what: str) -> None:
        async with asyncio.timeout(WAIT_S):
            while not condition():
                if self._reader.done():
                    stderr = await self.process.stderr.read() if self.process.stderr else b""
                    pytest.fail(
                        f"subscribe.mjs ended before {what}: {self.lines} {stderr.decode()}"
                    )
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_events(self, label: str, count: int) -> list[dict[str, Any]]:
        await self.wait_until(
            lambda: len(self.events(label)) >= count or self.outcome(label),
            f"{count} events on {label}",
        )
        return self.events(label)


class GqlSubscription:
    """One subscription held open by Python gql (WebsocketsTransport, graphql-transport-ws);
    `events` are (receipt epoch seconds, data); `failure` is how it ended, if it did."""

    def __init__(
        self, url: str, token: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        self.transport = WebsocketsTransport(
            url=ws_url(url),
            init_payload={"authToken": token},
            subprotocols=["graphql-transport-ws"],
            connect_timeout=10,
            ack_timeout=10,
            close_timeout=2,
        )
        self.request = GraphQLRequest(query, variable_values=variables)
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.failure: BaseException | None = None
        self._changed = asyncio.Event()

    async def __aenter__(self) -> GqlSubscription:
        self.client = Client(transport=self.transport)
        self.session = await self.client.connect_async()
        self._task = asyncio.create_task(self._consume())
        async with asyncio.timeout(WAIT_S):
            while not self.transport.listeners and not self._task.done():  # noqa: ASYNC110 (gql has no event for "subscribe sent")
                await asyncio.sleep(0.01)
            # gql registers the listener after sending `subscribe`, and the server reads a
            # socket's messages in order: the pong to a ping sent now proves it has the subscribe.
            self.transport.pong_received.clear()
            await self.transport.send_ping()
            await self.transport.pong_received.wait()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
        with contextlib.suppress(Exception):
            await self.client.close_async()

    async def _consume(self) -> None:
        try:
            async for data in self.session.subscribe(self.request):
                self.events.append((time.time(), data))
                self._changed.set()
        except Exception as exc:  # the outcome under test: an error message or a close
            self.failure = exc
        finally:
            self._changed.set()

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Until the condition holds or the subscription has ended."""
        async with asyncio.timeout(WAIT_S):
            while not condition() and not self._task.done():
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_events(self, count: int) -> list[tuple[float, dict[str, Any]]]:
        await self.wait_until(lambda: len(self.events) >= count)
        return self.events
