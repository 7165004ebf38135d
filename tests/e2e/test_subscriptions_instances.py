"""Two server instances on one database: events and sign-outs cross over (PostgreSQL NOTIFY
wake-ups), and sockets and HTTP streams end when their short-lived access token expires."""

from __future__ import annotations

import asyncio
import base64
import json
import time

from tests.e2e.conftest import (
    SHORT_TOKEN_TTL_S,
    WAIT_S,
    GqlSubscription,
    NodeSubscribers,
    call,
    sign_up,
)
from tests.e2e.subscription_support import (
    BACKEND_JOB,
    BACKEND_PROFILE,
    CREATE_JOB,
    DELIVERY_S,
    MATCH_FOUND,
    MOVE,
    QUIET_S,
    RECEIVED,
    STATUS_CHANGED,
    apply,
    recruiter_with_job,
    spec,
)
from tests.e2e.test_subscriptions_transports import FORBIDDEN, LOGOUT, http_subscription


async def test_events_committed_on_one_instance_reach_subscribers_on_the_other_within_2s(
    graphql_url: str, second_server_url: str
) -> None:
    on_b = f"{second_server_url}/graphql"
    recruiter, job_id = await recruiter_with_job(graphql_url)
    other_job = (
        await call(graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=recruiter["accessToken"])
    )["createJob"]["id"]
    candidate, newcomer = [await sign_up(graphql_url, profile=BACKEND_PROFILE) for _ in range(2)]
    application = await apply(graphql_url, candidate, job_id)
    specs = [
        spec("changes", "graphql-ws", candidate, STATUS_CHANGED),
        spec("matches", "apollo", candidate, MATCH_FOUND, {"minScore": 60}),
    ]
    latencies = {}
    async with (
        NodeSubscribers(on_b, specs) as b_subscribers,  # tokens from A are good on B: one secret
        GqlSubscription(
            graphql_url, recruiter["accessToken"], RECEIVED, {"jobId": other_job}
        ) as a_subscriber,
    ):
        await call(
            graphql_url,
            MOVE,
            {"id": application, "status": "HR_MEETING"},
            token=recruiter["accessToken"],
        )
        committed = time.time()
        (event,) = await b_subscribers.wait_for_events("changes", 1)
        latencies["status change, A to B"] = event["at"] - committed
        await call(graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=recruiter["accessToken"])
        committed = time.time()
        (event,) = await b_subscribers.wait_for_events("matches", 1)
        latencies["new job, A to B"] = event["at"] - committed
        await apply(on_b, newcomer, other_job)
        committed = time.time()
        ((at, received),) = await a_subscriber.wait_for_events(1)
        latencies["application, B to A"] = at - committed
        await asyncio.sleep(QUIET_S)

    assert (
        b_subscribers.events("changes")[0]["data"]["applicationStatusChanged"]["status"]
        == "HR_MEETING"
    )
    assert (
        received["applicationReceived"]["application"]["candidate"]["id"] == newcomer["user"]["id"]
    )
    assert [len(b_subscribers.events(label)) for label in ("changes", "matches")] == [1, 1]
    assert all(latency < DELIVERY_S for latency in latencies.values()), latencies


async def test_logout_on_one_instance_closes_the_sockets_on_the_other_4403(
    graphql_url: str, second_server_url: str
) -> None:
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    async with NodeSubscribers(
        f"{second_server_url}/graphql", [spec("on B", "graphql-ws", candidate, STATUS_CHANGED)]
    ) as node:
        await call(
            graphql_url,
            LOGOUT,
            {"token": candidate["refreshToken"]},
            token=candidate["accessToken"],
        )
        signed_out = time.time()
        await node.wait_until(lambda: node.outcome("on B"), "the socket on B closed")
        closed_after = time.time() - signed_out

    assert node.outcome("on B")[0]["closed"]["code"] == FORBIDDEN
    assert closed_after < DELIVERY_S


def expires_at(access_token: str) -> float:
    """The token's `exp` (read, not verified), after checking it is one of B's short-lived ones."""
    payload = access_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["exp"] - claims["iat"] == SHORT_TOKEN_TTL_S
    return float(claims["exp"])


async def test_a_socket_is_closed_4403_when_its_access_token_expires(
    second_server_url: str,
) -> None:
    on_b = f"{second_server_url}/graphql"
    account = await sign_up(on_b)
    async with NodeSubscribers(
        on_b, [spec("short-lived", "graphql-ws", account, STATUS_CHANGED)]
    ) as node:
        assert node.outcome("short-lived") == []
        await node.wait_until(lambda: node.outcome("short-lived"), "the socket closed")
        closed_at = time.time()

    assert node.outcome("short-lived")[0]["closed"]["code"] == FORBIDDEN
    expiry = expires_at(account["accessToken"])
    assert expiry - 1 <= closed_at < expiry + DELIVERY_S  # exp has one-second resolution


async def test_an_sse_stream_ends_when_its_access_token_expires(second_server_url: str) -> None:
    on_b = f"{second_server_url}/graphql"
    account = await sign_up(on_b)
    async with http_subscription(on_b, "sse", account["accessToken"], STATUS_CHANGED, {}) as stream:
        assert not stream.completed
        async with asyncio.timeout(WAIT_S):
            await stream.until_completed()
        ended_at = time.time()

    expiry = expires_at(account["accessToken"])
    assert expiry - 1 <= ended_at < expiry + DELIVERY_S
