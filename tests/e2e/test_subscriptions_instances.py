"""Two server instances on one database: events and sign-outs cross over (PostgreSQL NOTIFY
wake-ups), and sockets and HTTP streams end when their short-lived access token expires.
How soon they cross over is measured by bench/bench_delivery.py, not asserted here."""

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
    MARKER_JOB,
    MATCH_FOUND,
    MOVE,
    RECEIVED,
    STATUS_CHANGED,
    apply,
    matched_jobs,
    post_job,
    recruiter_with_job,
    spec,
)
from tests.e2e.test_subscriptions_transports import FORBIDDEN, LOGOUT, http_subscription


async def test_events_committed_on_one_instance_reach_subscribers_on_the_other(
    graphql_url: str, second_server_url: str
) -> None:
    on_b = f"{second_server_url}/graphql"
    recruiter, job_id = await recruiter_with_job(graphql_url)
    other_job = await post_job(graphql_url, recruiter, BACKEND_JOB)
    candidate, newcomer = [await sign_up(graphql_url, profile=BACKEND_PROFILE) for _ in range(2)]
    application = await apply(graphql_url, candidate, job_id)
    specs = [
        spec("changes", "graphql-ws", candidate, STATUS_CHANGED),
        spec("matches", "apollo", candidate, MATCH_FOUND, {"minScore": 60}),
    ]
    token = recruiter["accessToken"]
    async with (
        NodeSubscribers(on_b, specs) as b_subscribers,  # tokens from A are good on B: one secret
        GqlSubscription(graphql_url, token, RECEIVED, {"jobId": other_job}) as a_subscriber,
    ):
        await call(graphql_url, MOVE, {"id": application, "status": "HR_MEETING"}, token=token)
        await b_subscribers.wait_for_events("changes", 1)
        new_job = await post_job(graphql_url, recruiter, BACKEND_JOB)
        await b_subscribers.wait_for_events("matches", 1)
        await apply(on_b, newcomer, other_job)
        ((_, received),) = await a_subscriber.wait_for_events(1)
        # Markers committed after everything above: once they are here, a duplicate would be too.
        await call(graphql_url, MOVE, {"id": application, "status": "FINAL_INTERVIEW"}, token=token)
        marker_job = await post_job(graphql_url, recruiter, MARKER_JOB)
        await b_subscribers.wait_for_events("changes", 2)
        await b_subscribers.wait_until(
            lambda: (
                marker_job in matched_jobs([e["data"] for e in b_subscribers.events("matches")])
            ),
            "the marker job on B",
        )

    changes = [e["data"]["applicationStatusChanged"] for e in b_subscribers.events("changes")]
    assert [c["status"] for c in changes] == ["HR_MEETING", "FINAL_INTERVIEW"]
    assert (
        received["applicationReceived"]["application"]["candidate"]["id"] == newcomer["user"]["id"]
    )
    assert matched_jobs([e["data"] for e in b_subscribers.events("matches")]) == [
        new_job,
        marker_job,
    ]


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
        await node.wait_until(lambda: node.outcome("on B"), "the socket on B closed")

    assert node.outcome("on B")[0]["closed"]["code"] == FORBIDDEN


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
    # Not before the token expires (exp has one-second resolution); how soon after is a benchmark.
    assert closed_at >= expires_at(account["accessToken"]) - 1


async def test_an_sse_stream_ends_when_its_access_token_expires(second_server_url: str) -> None:
    on_b = f"{second_server_url}/graphql"
    account = await sign_up(on_b)
    async with http_subscription(on_b, "sse", account["accessToken"], STATUS_CHANGED, {}) as stream:
        assert not stream.completed
        async with asyncio.timeout(WAIT_S):
            await stream.until_completed()
        ended_at = time.time()

    assert ended_at >= expires_at(account["accessToken"]) - 1
