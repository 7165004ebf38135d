"""Against a real server: the hostile requests that used to freeze it are answered with a code
while a concurrent /healthz probe keeps getting through, so the event loop never stalls."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import websockets

from tests.api.hostile_support import first_code, fragment_bomb, json_body, same_named_fields
from tests.e2e.conftest import sign_up, ws_url

MAX_STALL_S = 0.5  # issue 8: no request may block the loop longer than this


class Probe:
    """Polls /healthz back to back and keeps the slowest round trip it saw."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.worst = 0.0
        self.count = 0
        self._stop = asyncio.Event()

    async def run(self) -> None:
        async with httpx.AsyncClient(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                response = await client.get("/healthz")
                assert response.status_code == 200
                self.worst = max(self.worst, time.perf_counter() - started)
                self.count += 1

    def stop(self) -> None:
        self._stop.set()


async def _attacks(graphql_url: str, recruiter: str) -> list[str]:
    headers = {"content-type": "application/json", "authorization": f"Bearer {recruiter}"}
    codes: list[str] = []
    location = (
        'mutation($v: String!) { createJob(input: {title: "Engineer", location: $v}) { id } }'
    )
    bodies = [
        {"query": fragment_bomb(30)},
        {"query": fragment_bomb(60)},
        {"query": same_named_fields(550)},
        {"query": same_named_fields(2000)},
        {"query": location, "variables": {"v": "python " * 5000}},
        {"query": "{ __typename }", "variables": {"v": "\x00\ud800"}},
    ]
    async with httpx.AsyncClient(timeout=60) as client:
        for body in bodies:
            response = await client.post(graphql_url, content=json_body(body), headers=headers)
            codes.append(first_code(response))
        nested = (
            b'{"query": "{ __typename }", "variables": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
        )
        huge = b'{"query": "{ __typename }", "variables": {"n": 1' + b"0" * 100_000 + b"}}"
        for raw in (nested, huge, b"null"):
            response = await client.post(graphql_url, content=raw, headers=headers)
            codes.append(first_code(response))
    return codes


async def _socket_attacks(graphql_url: str, token: str) -> list[int]:
    closes = []
    frames = [
        "[1, 2, 3]",
        "[" * 100_000 + "]" * 100_000,
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }", "variables": {"n": 1'
        + "0" * 100_000
        + "}}}",
        "x" * (2 * 1024 * 1024),
    ]
    for frame in frames:
        async with websockets.connect(
            ws_url(graphql_url), subprotocols=["graphql-transport-ws"], max_size=None
        ) as socket:
            await socket.send(
                json.dumps({"type": "connection_init", "payload": {"authToken": token}})
            )
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            await socket.send(frame)
            try:
                async with asyncio.timeout(20):
                    while True:
                        await socket.recv()
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.reason, frame[:40]
                closes.append(closed.rcvd.code)
    return closes


async def test_hostile_requests_never_stall_the_event_loop(
    server_url: str, graphql_url: str
) -> None:
    recruiter = await sign_up(graphql_url, role="RECRUITER", company="Hostile Probe Inc")
    probe = Probe(server_url)
    probing = asyncio.create_task(probe.run())
    try:
        codes = await _attacks(graphql_url, recruiter["accessToken"])
        closes = await _socket_attacks(graphql_url, recruiter["accessToken"])
    finally:
        probe.stop()
        await probing
    assert codes[:4] == ["QUERY_TOO_COMPLEX"] * 4
    assert codes[4:6] == ["BAD_USER_INPUT", "BAD_USER_INPUT"]
    assert codes[6:] == ["BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST"]
    assert closes == [4400, 4400, 4400, 4400]
    assert probe.count > 10
    assert probe.worst < MAX_STALL_S, f"the loop stalled {probe.worst:.2f}s"
