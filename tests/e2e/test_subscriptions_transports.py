"""Subscriptions over HTTP streams (SSE, multipart) and the WebSocket rules: 4403 on logout and
on a reused refresh token, the per-connection cap, and the connection_init timeout (4408)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import websockets

from tests.e2e.conftest import WAIT_S, NodeSubscribers, call, sign_up, ws_url
from tests.e2e.subscription_support import (
    BACKEND_PROFILE,
    MOVE,
    STATUS_CHANGED,
    apply,
    recruiter_with_job,
    spec,
)

FORBIDDEN = 4403
INIT_TIMEOUT = 4408
MAX_SUBSCRIPTIONS = 20
ACCEPT = {
    "sse": "text/event-stream",
    "multipart": 'multipart/mixed;subscriptionSpec="1.0",application/json',
}
LOGOUT = "mutation($token: String!) { logout(refreshToken: $token) }"
REFRESH = "mutation($token: String!) { refreshToken(refreshToken: $token) { refreshToken } }"


class HttpStream:
    """A subscription over one streaming HTTP response; `payloads` are its {data, errors} results."""

    def __init__(self, response: httpx.Response, transport: str) -> None:
        self.response, self.transport = response, transport
        self.payloads: list[dict[str, Any]] = []
        self.completed = False
        self.ended = False  # the server has closed the response: nothing more can arrive
        self._changed = asyncio.Event()

    async def read(self) -> None:
        buffer = ""
        try:
            async for chunk in self.response.aiter_text():
                buffer += chunk
                buffer = (
                    self._parse_sse(buffer)
                    if self.transport == "sse"
                    else self._parse_multipart(buffer)
                )
                self._changed.set()
        finally:
            self.ended = True
            self._changed.set()

    def _parse_sse(self, buffer: str) -> str:
        *events, rest = buffer.replace("\r\n", "\n").split("\n\n")
        for event in events:
            fields = dict(
                line.split(": ", 1)
                for line in event.split("\n")
                if ": " in line and not line.startswith(":")
            )
            if fields.get("event") == "next":
                self.payloads.append(json.loads(fields["data"]))
            elif fields.get("event") == "complete":
                self.completed = True
        return rest

    def _parse_multipart(self, buffer: str) -> str:
        *parts, rest = buffer.split("--graphql")
        for part in parts:
            _, _, body = part.partition("\r\n\r\n")
            if body.strip():
                message = json.loads(body.strip())
                if "payload" in message:  # {} is the heartbeat
                    self.payloads.append(message["payload"])
        if rest.startswith("--"):  # the closing delimiter, `--graphql--`
            self.completed = True
        return rest

    async def until_completed(self) -> None:
        while not self.completed:
            self._changed.clear()
            await self._changed.wait()

    async def until_ended(self) -> None:
        async with asyncio.timeout(WAIT_S):
            while not self.ended:
                self._changed.clear()
                await self._changed.wait()

    async def wait_for(self, count: int) -> list[dict[str, Any]]:
        async with asyncio.timeout(WAIT_S):
            while len(self.payloads) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.payloads


@asynccontextmanager
async def http_subscription(
    graphql_url: str, transport: str, token: str, query: str, variables: dict[str, Any]
) -> AsyncIterator[HttpStream]:
    headers = {"Authorization": f"Bearer {token}", "Accept": ACCEPT[transport]}
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(30, read=None)) as client,
        client.stream(
            "POST", graphql_url, json={"query": query, "variables": variables}, headers=headers
        ) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(
            ACCEPT[transport].split(";")[0].split(",")[0]
        )
        stream = HttpStream(response, transport)
        reader = asyncio.create_task(stream.read())
        try:
            yield stream
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)


@pytest.mark.parametrize("transport", ["sse", "multipart"])
async def test_application_status_changed_streams_over_http_and_the_stream_ends_at_logout(
    graphql_url: str, transport: str
) -> None:
    recruiter, job_id = await recruiter_with_job(graphql_url)
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    application = await apply(graphql_url, candidate, job_id)
    # after "0" replays this candidate's whole history, so the first change cannot be missed
    # however long the stream takes to start; once it has arrived, the second one is live.
    async with http_subscription(
        graphql_url, transport, candidate["accessToken"], STATUS_CHANGED, {"after": "0"}
    ) as stream:
        for number, status in enumerate(["WAITING_FOR_REVIEW", "HR_MEETING"], start=1):
            await call(
                graphql_url,
                MOVE,
                {"id": application, "status": status, "note": status.lower()},
                token=recruiter["accessToken"],
            )
            await stream.wait_for(number)
        await call(
            graphql_url,
            LOGOUT,
            {"token": candidate["refreshToken"]},
            token=candidate["accessToken"],
        )
        async with asyncio.timeout(WAIT_S):
            await stream.until_completed()
        await call(
            graphql_url,
            MOVE,
            {"id": application, "status": "FINAL_INTERVIEW"},
            token=recruiter["accessToken"],
        )
        await stream.until_ended()

    changes = [payload["data"]["applicationStatusChanged"] for payload in stream.payloads]
    assert [(c["previousStatus"], c["status"], c["note"]) for c in changes] == [
        ("SUBMITTED", "WAITING_FOR_REVIEW", "waiting_for_review"),
        ("WAITING_FOR_REVIEW", "HR_MEETING", "hr_meeting"),
    ]
    assert all(c["application"]["id"] == application for c in changes)


async def legacy_protocol_socket(graphql_url: str, token: str) -> websockets.ClientConnection:
    """A subscriptions-transport-ws (`graphql-ws` subprotocol) client holding one subscription."""
    socket = await websockets.connect(
        ws_url(graphql_url), subprotocols=["graphql-ws"], open_timeout=10
    )
    await socket.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))
    async with asyncio.timeout(10):
        assert json.loads(await socket.recv())["type"] == "connection_ack"
    await socket.send(
        json.dumps({"type": "start", "id": "1", "payload": {"query": STATUS_CHANGED}})
    )
    return socket


async def closed_code(socket: websockets.ClientConnection) -> int | None:
    """Reads until the server closes the socket; its close code."""
    with pytest.raises(websockets.ConnectionClosed):
        async with asyncio.timeout(WAIT_S):
            while True:
                await socket.recv()
    return socket.close_code


async def test_logout_closes_the_accounts_subscription_sockets_4403_on_either_protocol(
    graphql_url: str,
) -> None:
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    bystander = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    recruiter, job_id = await recruiter_with_job(graphql_url)
    bystanders_application = await apply(graphql_url, bystander, job_id)
    specs = [
        spec("candidate", "graphql-ws", candidate, STATUS_CHANGED),
        spec("bystander", "graphql-ws", bystander, STATUS_CHANGED),
    ]
    async with NodeSubscribers(graphql_url, specs) as node:
        legacy = await legacy_protocol_socket(graphql_url, candidate["accessToken"])
        assert await call(
            graphql_url,
            LOGOUT,
            {"token": candidate["refreshToken"]},
            token=candidate["accessToken"],
        ) == {"logout": True}
        await node.wait_until(lambda: node.outcome("candidate"), "the candidate's socket closed")
        assert await closed_code(legacy) == FORBIDDEN
        # The marker: a change committed after the logout reaches the bystander's open socket.
        await call(
            graphql_url,
            MOVE,
            {"id": bystanders_application, "status": "HR_MEETING"},
            token=recruiter["accessToken"],
        )
        await node.wait_for_events("bystander", 1)

    assert node.outcome("candidate")[0]["closed"]["code"] == FORBIDDEN
    assert node.outcome("bystander") == []
    assert len(node.events("bystander")) == 1


async def test_a_reused_refresh_token_closes_the_sign_ins_sockets_4403(graphql_url: str) -> None:
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    async with NodeSubscribers(
        graphql_url, [spec("candidate", "apollo", candidate, STATUS_CHANGED)]
    ) as node:
        await call(graphql_url, REFRESH, {"token": candidate["refreshToken"]})
        # Another client (a thief's): the same client retrying within the grace window would not
        # count as reuse.
        async with httpx.AsyncClient(timeout=60, headers={"user-agent": "thief/1.0"}) as thief:
            response = await thief.post(
                graphql_url,
                json={"query": REFRESH, "variables": {"token": candidate["refreshToken"]}},
            )
        reused = response.json()
        assert [e["extensions"]["code"] for e in reused["errors"]] == ["UNAUTHENTICATED"]
        await node.wait_until(lambda: node.outcome("candidate"), "the socket closed")

    closes = [line["closed"] for line in node.outcome("candidate") if "closed" in line]
    assert closes and closes[0]["code"] == FORBIDDEN


async def test_a_connection_holds_at_most_20_subscriptions_and_the_21st_gets_an_error_message(
    graphql_url: str,
) -> None:
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    async with websockets.connect(
        ws_url(graphql_url), subprotocols=["graphql-transport-ws"], open_timeout=10
    ) as socket:

        async def until_pong() -> list[dict[str, Any]]:
            await socket.send(json.dumps({"type": "ping"}))
            seen = []
            async with asyncio.timeout(10):
                while (message := json.loads(await socket.recv()))["type"] != "pong":
                    seen.append(message)
            return seen

        await socket.send(
            json.dumps(
                {"type": "connection_init", "payload": {"authToken": candidate["accessToken"]}}
            )
        )
        async with asyncio.timeout(10):
            assert json.loads(await socket.recv())["type"] == "connection_ack"
        for number in range(1, MAX_SUBSCRIPTIONS + 2):
            await socket.send(
                json.dumps(
                    {"id": str(number), "type": "subscribe", "payload": {"query": STATUS_CHANGED}}
                )
            )
        over_the_cap = await until_pong()
        await socket.send(json.dumps({"id": "1", "type": "complete"}))
        await socket.send(
            json.dumps({"id": "22", "type": "subscribe", "payload": {"query": STATUS_CHANGED}})
        )
        after_freeing_one = await until_pong()

    assert [(m["id"], m["type"]) for m in over_the_cap] == [(str(MAX_SUBSCRIPTIONS + 1), "error")]
    assert "limit" in over_the_cap[0]["payload"][0]["message"].lower()
    assert after_freeing_one == []


async def test_a_socket_that_never_sends_connection_init_is_closed_4408(graphql_url: str) -> None:
    async with websockets.connect(
        ws_url(graphql_url), subprotocols=["graphql-transport-ws"], open_timeout=10
    ) as socket:
        assert await closed_code(socket) == INIT_TIMEOUT  # the server waits 10 s
