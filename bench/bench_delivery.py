"""Subscription delivery latency on two real servers over one database (PostgreSQL NOTIFY
wake-ups), as a ratio to a plain `me` request measured in the same run.

Each round a recruiter posts a job on instance A, the candidate applies, and the recruiter moves
the application on A: matchFound and applicationStatusChanged are timed on graphql-transport-ws
sockets held on A (same instance) and on B (the other one), from the start of the mutation's
request. A sign-in made on A is signed out on A while its socket is open on B: the 4403 close is
timed the same way. SPEC: a subscriber hears of a change within 2 s.
`BENCH_ROUNDS` sets the rounds (default 20).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from typing import Any

import websockets

from bench.common import percentiles, report, scratch_database, start_server
from tests.graphql_client import GraphQLClient, over_http

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
SPEC_S = 2.0
WAIT_S = 30.0
SECRET = "delivery-" + "x" * 40
PASSWORD = "bench-pass-1"
PROFILE = {
    "headline": "Senior Python backend engineer",
    "skills": ["Python", "Django", "PostgreSQL", "AWS"],
    "seniority": "SENIOR",
    "remotePreference": "REMOTE_OK",
    "yearsOfExperience": 7,
}
JOB = {
    "title": "Senior Python Backend Engineer",
    "description": "Build Django and PostgreSQL services on AWS.",
    "skills": ["Python", "Django", "PostgreSQL", "AWS"],
    "seniority": "SENIOR",
    "isRemote": True,
    "location": "Remote",
}
REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { accessToken refreshToken } }"
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }"
LOGOUT = "mutation($token: String!) { logout(refreshToken: $token) }"
UPDATE_ME = "mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }"
CREATE_JOB = "mutation($i: JobInput!) { createJob(input: $i) { id } }"
SWIPE = """mutation($job: ID!) {
  swipeJob(jobId: $job, direction: RIGHT) { application { id } }
}"""
MOVE = """mutation($id: ID!) {
  updateApplicationStatus(id: $id, status: WAITING_FOR_REVIEW) { status }
}"""
MATCH_FOUND = "subscription { matchFound(minScore: 0) { eventId job { id } } }"
STATUS_CHANGED = "subscription { applicationStatusChanged { eventId application { id } } }"
ME = "{ me { id } }"


class Socket:
    """One graphql-transport-ws subscription; `arrivals` maps a payload key to perf_counter()."""

    def __init__(self, url: str, token: str, query: str, key: Any) -> None:
        self.url, self.token, self.query, self.key = url, token, query, key
        self.arrivals: dict[str, float] = {}
        self.closed_at: float | None = None
        self.close_code: int | None = None
        self._changed = asyncio.Event()

    async def __aenter__(self) -> Socket:
        self.ws = await websockets.connect(
            self.url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
        )
        await self.ws.send(
            json.dumps({"type": "connection_init", "payload": {"authToken": self.token}})
        )
        assert json.loads(await self.ws.recv())["type"] == "connection_ack"
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": self.query}}
        await self.ws.send(json.dumps(subscribe))
        # The server reads a socket's messages in order: the pong proves it has the subscribe.
        await self.ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await self.ws.recv())["type"] == "pong"
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()
        with contextlib.suppress(Exception):
            await self._reader

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                at = time.perf_counter()
                message = json.loads(raw)
                if message.get("type") == "next":
                    self.arrivals[self.key(message["payload"]["data"])] = at
                    self._changed.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed_at, self.close_code = time.perf_counter(), self.ws.close_code
            self._changed.set()

    async def arrival(self, key: str) -> float:
        async with asyncio.timeout(WAIT_S):
            while key not in self.arrivals:
                if self.closed_at is not None:
                    raise RuntimeError(f"socket closed {self.close_code} before {key}")
                self._changed.clear()
                await self._changed.wait()
        return self.arrivals[key]

    async def closed(self) -> float:
        async with asyncio.timeout(WAIT_S):
            while self.closed_at is None:
                self._changed.clear()
                await self._changed.wait()
        return self.closed_at


async def timed(
    client: GraphQLClient, query: str, variables: Any = None, token: Any = None
) -> tuple[dict[str, Any], float, float]:
    """The data of a mutation that must succeed, with perf_counter() before it and at its answer."""
    started = time.perf_counter()
    data = await client.ok(query, variables, token)
    return data, started, time.perf_counter()


def job_of(data: dict[str, Any]) -> str:
    return str(data["matchFound"]["job"]["id"])


def application_of(data: dict[str, Any]) -> str:
    return str(data["applicationStatusChanged"]["application"]["id"])


async def measure(a: GraphQLClient, b_url: str, a_url: str) -> dict[str, Any]:
    recruiter = (
        await a.ok(
            REGISTER,
            {
                "i": {
                    "email": "boss@bench.test",
                    "password": PASSWORD,
                    "role": "RECRUITER",
                    "companyName": "Delivery",
                }
            },
        )
    )["register"]["accessToken"]
    candidate = (await a.ok(REGISTER, {"i": {"email": "ada@bench.test", "password": PASSWORD}}))[
        "register"
    ]
    await a.ok(UPDATE_ME, {"i": PROFILE}, candidate["accessToken"])
    samples: dict[str, list[float]] = {
        name: []
        for name in (
            "me_request",
            "match_same_instance",
            "match_other_instance",
            "status_same_instance",
            "status_other_instance",
            "logout_close_other_instance",
        )
    }
    token = candidate["accessToken"]
    async with (
        Socket(a_url, token, MATCH_FOUND, job_of) as match_a,
        Socket(b_url, token, MATCH_FOUND, job_of) as match_b,
        Socket(a_url, token, STATUS_CHANGED, application_of) as status_a,
        Socket(b_url, token, STATUS_CHANGED, application_of) as status_b,
    ):
        for _ in range(ROUNDS + 1):  # the first round warms both servers up
            _, started, answered = await timed(a, ME, None, token)
            samples["me_request"].append(answered - started)
            created, started, _ = await timed(a, CREATE_JOB, {"i": JOB}, recruiter)
            job = created["createJob"]["id"]
            samples["match_same_instance"].append(await match_a.arrival(job) - started)
            samples["match_other_instance"].append(await match_b.arrival(job) - started)
            swiped = await a.ok(SWIPE, {"job": job}, token)
            application = swiped["swipeJob"]["application"]["id"]
            _, started, _ = await timed(a, MOVE, {"id": application}, recruiter)
            samples["status_same_instance"].append(await status_a.arrival(application) - started)
            samples["status_other_instance"].append(await status_b.arrival(application) - started)
            login = (await a.ok(LOGIN, {"i": {"email": "ada@bench.test", "password": PASSWORD}}))[
                "login"
            ]
            async with Socket(
                b_url, login["accessToken"], STATUS_CHANGED, application_of
            ) as doomed:
                _, started, _ = await timed(
                    a, LOGOUT, {"token": login["refreshToken"]}, login["accessToken"]
                )
                samples["logout_close_other_instance"].append(await doomed.closed() - started)
                if doomed.close_code != 4403:
                    raise RuntimeError(f"closed with {doomed.close_code}, not 4403")
    figures: dict[str, Any] = {"rounds": ROUNDS}
    baseline = percentiles([s * 1000 for s in samples["me_request"][1:]])
    figures["baseline_me_request_p50_ms"] = baseline["p50"]
    for name, values in samples.items():
        if name == "me_request":
            continue
        measured = percentiles([s * 1000 for s in values[1:]])
        figures[f"{name}_p50_ms"] = measured["p50"]
        figures[f"{name}_max_ms"] = measured["max"]
        figures[f"{name}_p50_over_me_request"] = measured["p50"] / baseline["p50"]
        figures[f"{name}_within_spec"] = measured["max"] < SPEC_S * 1000
    figures["status_other_over_same_instance_p50"] = (
        figures["status_other_instance_p50_ms"] / figures["status_same_instance_p50_ms"]
    )
    return figures


async def main() -> None:
    url = await scratch_database("delivery")
    # Both instances wake each other over PostgreSQL NOTIFY, as a deployment of several would.
    shared = {"JOBMATCH_BROADCAST_URL": "postgres://"}
    server_a, base_a = await start_server(url, SECRET, shared)
    try:
        server_b, base_b = await start_server(url, SECRET, shared)
        try:
            async with over_http(f"{base_a}/graphql") as a:
                figures = await measure(a, ws(base_b), ws(base_a))
        finally:
            server_b.terminate()
            await server_b.wait()
    finally:
        server_a.terminate()
        await server_a.wait()
    report("delivery", figures)


def ws(base: str) -> str:
    return base.replace("http://", "ws://", 1) + "/graphql"
