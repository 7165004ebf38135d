"""/graphql over WebSocket, both subprotocols, with real clients: npm graphql-ws and Python gql."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportConnectionFailed, TransportServerError
from gql.transport.websockets import WebsocketsTransport

from tests.e2e.conftest import register, run_node, ws_url

ME = "{ me { email } }"
SUBPROTOCOLS = ["graphql-transport-ws", "graphql-ws"]
FORBIDDEN = 4403


def _transport(
    graphql_url: str, subprotocol: str, init_payload: dict[str, Any] | None
) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=ws_url(graphql_url),
        init_payload=init_payload,
        subprotocols=[subprotocol],
        connect_timeout=10,
        ack_timeout=10,
        close_timeout=5,
    )


def _params(form: str, account: dict[str, Any]) -> dict[str, Any] | None:
    """connection_init payloads: the two accepted token forms, and three that must be refused."""
    return {
        "authToken": {"authToken": account["accessToken"]},
        "authorization": {"Authorization": f"Bearer {account['accessToken']}"},
        "missing": None,
        "invalid": {"authToken": "not-a-token"},
        "refresh token": {"authToken": account["refreshToken"]},
    }[form]


@pytest.fixture(scope="module")
def account(graphql_url: str) -> dict[str, Any]:
    return register(graphql_url)


def test_graphql_ws_client_reads_me_with_either_token_form_and_is_refused_4403_without_a_valid_one(
    graphql_url: str, account: dict[str, Any]
) -> None:
    forms = ["authToken", "authorization", "missing", "invalid", "refresh token"]
    cases = json.dumps([_params(form, account) for form in forms])

    outcomes = dict(
        zip(forms, run_node("graphql_ws_client.mjs", ws_url(graphql_url), ME, cases), strict=True)
    )

    email = account["user"]["email"]
    assert outcomes["authToken"] == {"result": {"data": {"me": {"email": email}}}}
    assert outcomes["authorization"] == {"result": {"data": {"me": {"email": email}}}}
    for form in ("missing", "invalid", "refresh token"):
        assert outcomes[form]["closed"]["code"] == FORBIDDEN, form


@pytest.mark.parametrize("subprotocol", SUBPROTOCOLS)
@pytest.mark.parametrize("form", ["authToken", "authorization"])
async def test_gql_client_reads_me_over_either_subprotocol(
    graphql_url: str, account: dict[str, Any], subprotocol: str, form: str
) -> None:
    transport = _transport(graphql_url, subprotocol, _params(form, account))
    async with Client(transport=transport, execute_timeout=10) as session:
        result = await session.execute(GraphQLRequest(ME))
    assert transport.subprotocol == subprotocol
    assert result == {"me": {"email": account["user"]["email"]}}


@pytest.mark.parametrize("subprotocol", SUBPROTOCOLS)
@pytest.mark.parametrize("form", ["missing", "invalid", "refresh token"])
async def test_gql_client_is_refused_without_a_valid_access_token(
    graphql_url: str, account: dict[str, Any], subprotocol: str, form: str
) -> None:
    transport = _transport(graphql_url, subprotocol, _params(form, account))
    with pytest.raises((TransportConnectionFailed, TransportServerError)) as refused:
        async with Client(transport=transport, execute_timeout=10) as session:
            await session.execute(GraphQLRequest(ME))
    if subprotocol == "graphql-transport-ws":
        # gql reports the close itself; the legacy protocol reports connection_error first.
        assert refused.value.__cause__.rcvd.code == FORBIDDEN
    else:
        assert "UNAUTHENTICATED" in str(refused.value)


@pytest.mark.parametrize("subprotocol", SUBPROTOCOLS)
@pytest.mark.parametrize("form", ["missing", "invalid", "refresh token"])
async def test_socket_without_a_valid_access_token_is_closed_4403(
    graphql_url: str, account: dict[str, Any], subprotocol: str, form: str
) -> None:
    init: dict[str, Any] = {"type": "connection_init"}
    if (payload := _params(form, account)) is not None:
        init["payload"] = payload
    async with websockets.connect(
        ws_url(graphql_url), subprotocols=[subprotocol], open_timeout=10
    ) as socket:
        await socket.send(json.dumps(init))
        messages = []
        with pytest.raises(websockets.ConnectionClosed):
            async with asyncio.timeout(10):
                while True:
                    messages.append(json.loads(await socket.recv()))
    assert socket.close_code == FORBIDDEN
    assert all(message["type"] != "connection_ack" for message in messages)


BAD_FRAME = 4400
MAX_FRAME_BYTES = 1024 * 1024  # JOBMATCH_MAX_WS_FRAME_BYTES' default
BAD_FRAMES: dict[str, str | bytes] = {
    "array": '[{"type": "connection_init"}]',
    "not json": "connection_init, please",
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "huge integer": '{"type": "ping", "payload": ' + "9" * 5000 + "}",
    "no type": '{"payload": {}}',
    "binary": b'{"type": "connection_init"}',
    "oversized": '{"type": "ping", "payload": "' + "a" * MAX_FRAME_BYTES + '"}',
}


@pytest.mark.parametrize("subprotocol", SUBPROTOCOLS)
@pytest.mark.parametrize("frame", list(BAD_FRAMES))
async def test_a_malformed_frame_closes_the_socket_with_4400_and_a_reason(
    graphql_url: str, subprotocol: str, frame: str
) -> None:
    async with websockets.connect(
        ws_url(graphql_url), subprotocols=[subprotocol], open_timeout=10, max_size=None
    ) as socket:
        await socket.send(BAD_FRAMES[frame])
        with pytest.raises(websockets.ConnectionClosed):
            async with asyncio.timeout(10):
                while True:
                    await socket.recv()
    assert socket.close_code == BAD_FRAME, (socket.close_code, socket.close_reason)
    assert socket.close_reason


@pytest.mark.parametrize("subprotocol", SUBPROTOCOLS)
async def test_a_frame_just_under_the_limit_is_read(
    graphql_url: str, account: dict[str, Any], subprotocol: str
) -> None:
    init = {"type": "connection_init", "payload": {"authToken": account["accessToken"]}}
    padding = MAX_FRAME_BYTES - len(json.dumps(init)) - 20
    init["payload"]["padding"] = "a" * padding
    async with websockets.connect(
        ws_url(graphql_url), subprotocols=[subprotocol], open_timeout=10
    ) as socket:
        await socket.send(json.dumps(init))
        async with asyncio.timeout(10):
            assert json.loads(await socket.recv())["type"] == "connection_ack"
