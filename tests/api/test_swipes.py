"""swipeJob: idempotent per (candidate, job), RIGHT applies once, the dynamic profile moves."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
from sqlalchemy import func, select

from app import Runtime
from db.models import Application, ApplicationHistory, Event, User
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND_JOBS,
    DISCOVER,
    ML_JOBS,
    OTHER_JOBS,
    SWIPE,
    discover_all,
    raw,
    set_job,
    world,
)


async def _count(runtime: Runtime, model: Any) -> int:
    async with runtime.services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def _profile(runtime: Runtime, email: str) -> tuple[np.ndarray, np.ndarray]:
    async with runtime.services.sessions() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
    return np.asarray(user.base_embedding), np.asarray(user.current_embedding)


async def test_right_swipe_creates_one_application_with_the_score_shown(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS)
    edge = (await gql.ok(DISCOVER, {"first": 1}, token=ada))["discover"]["edges"][0]
    result = (await gql.ok(SWIPE, {"jobId": edge["node"]["id"], "direction": "RIGHT"}, token=ada))[
        "swipeJob"
    ]
    assert result["swipe"]["direction"] == "RIGHT"
    assert result["application"]["status"] == "SUBMITTED"
    assert result["application"]["scoreAtApply"] == edge["score"]
    async with runtime.services.sessions() as session:
        history = (await session.execute(select(ApplicationHistory))).scalars().all()
        events = (
            (await session.execute(select(Event).where(Event.kind == "APPLICATION_RECEIVED")))
            .scalars()
            .all()
        )
    assert [h.status for h in history] == ["SUBMITTED"]
    assert len(events) == 1 and events[0].job_id == raw(edge["node"]["id"])
    assert events[0].payload == {"application_id": str(raw(result["application"]["id"]))}


async def test_never_viewed_job_applies_with_the_score_the_feed_would_show(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS)
    match = (
        await gql.ok(
            "query($id: ID!) { job(id: $id) { match { score } } }", {"id": ids[0]}, token=ada
        )
    )["job"]["match"]
    result = (await gql.ok(SWIPE, {"jobId": ids[0], "direction": "RIGHT"}, token=ada))["swipeJob"]
    assert abs(result["application"]["scoreAtApply"] - match["score"]) <= 0.5


async def test_repeated_swipes_return_the_first_one(gql: GraphQLClient, runtime: Runtime) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS)
    first = (await gql.ok(SWIPE, {"jobId": ids[0], "direction": "RIGHT"}, token=ada))["swipeJob"]
    again = (await gql.ok(SWIPE, {"jobId": ids[0], "direction": "RIGHT"}, token=ada))["swipeJob"]
    assert again == first
    left = (await gql.ok(SWIPE, {"jobId": ids[1], "direction": "LEFT"}, token=ada))["swipeJob"]
    right = (await gql.ok(SWIPE, {"jobId": ids[1], "direction": "RIGHT"}, token=ada))["swipeJob"]
    assert right == left and right["swipe"]["direction"] == "LEFT" and right["application"] is None
    assert await _count(runtime, Application) == 1


async def test_concurrent_double_swipe_creates_one_application(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS)
    variables = {"jobId": ids[0], "direction": "RIGHT"}
    results = await asyncio.gather(*(gql.ok(SWIPE, variables, token=ada) for _ in range(3)))
    assert len({r["swipeJob"]["swipe"]["id"] for r in results}) == 1
    assert len({r["swipeJob"]["application"]["id"] for r in results}) == 1
    assert await _count(runtime, Application) == 1
    async with runtime.services.sessions() as session:
        events = (
            await session.execute(
                select(func.count()).select_from(Event).where(Event.kind == "APPLICATION_RECEIVED")
            )
        ).scalar_one()
    assert events == 1


async def test_only_active_jobs_can_be_swiped(gql: GraphQLClient, runtime: Runtime) -> None:
    from datetime import UTC, datetime, timedelta

    ada, ids = await world(gql, runtime, BACKEND_JOBS)
    await set_job(runtime, ids[0], status="FILLED")
    await set_job(runtime, ids[1], expires_at=datetime.now(UTC) - timedelta(seconds=1))
    # A FILLED job is its company's alone (SPEC §1: NOT_FOUND); an expired one is still public.
    for job_id, expected in zip(ids[:2], ("NOT_FOUND", "BAD_USER_INPUT"), strict=True):
        assert (
            await gql.error_code(SWIPE, {"jobId": job_id, "direction": "RIGHT"}, token=ada)
            == expected
        )
    assert await _count(runtime, Application) == 0
    missing = ids[0][:-4] + "AAAA"
    assert (
        await gql.error_code(SWIPE, {"jobId": missing, "direction": "LEFT"}, token=ada)
        == "NOT_FOUND"
    )
    boss = (
        await gql.ok(
            'mutation { login(input: {email: "boss@acme.test", password: "correct-horse-1"}) { accessToken } }'
        )
    )["login"]["accessToken"]
    assert (
        await gql.error_code(SWIPE, {"jobId": ids[2], "direction": "RIGHT"}, token=boss)
        == "FORBIDDEN"
    )


async def test_swiped_jobs_leave_the_feed(gql: GraphQLClient, runtime: Runtime) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS)
    page = (await gql.ok(DISCOVER, {"first": 2}, token=ada))["discover"]
    later = (
        await gql.ok(DISCOVER, {"first": 2, "after": page["pageInfo"]["endCursor"]}, token=ada)
    )["discover"]
    await gql.ok(SWIPE, {"jobId": later["edges"][0]["node"]["id"], "direction": "LEFT"}, token=ada)
    # The snapshot's later pages skip it too.
    again = (
        await gql.ok(DISCOVER, {"first": 2, "after": page["pageInfo"]["endCursor"]}, token=ada)
    )["discover"]
    assert [e["node"]["id"] for e in again["edges"]] == [later["edges"][1]["node"]["id"]]


async def test_dynamic_profile_moves_the_feed_toward_right_swiped_jobs(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS + OTHER_JOBS + ML_JOBS)
    ml = ids[len(BACKEND_JOBS) + len(OTHER_JOBS) :]
    swiped, remaining = ml[:5], ml[5:]
    before = [e["node"]["id"] for e in await discover_all(gql, ada, first=50)]
    base, current = await _profile(runtime, "ada@example.com")
    assert np.allclose(base, current)
    for n, job_id in enumerate(swiped, start=1):
        await gql.ok(SWIPE, {"jobId": job_id, "direction": "RIGHT"}, token=ada)
        _, current = await _profile(runtime, "ada@example.com")
        assert np.allclose(base, current) == (n < 5)  # from the 5th RIGHT swipe on
    nurse = ids[len(BACKEND_JOBS)]
    await gql.ok(SWIPE, {"jobId": nurse, "direction": "LEFT"}, token=ada)
    _, moved = await _profile(runtime, "ada@example.com")
    assert np.allclose(moved, current)  # LEFT swipes never count
    assert abs(float(np.linalg.norm(moved)) - 1) < 1e-5
    after = [e["node"]["id"] for e in await discover_all(gql, ada, first=50)]
    unswiped = [i for i in before if i in after]
    assert sum(after.index(i) for i in remaining) < sum(unswiped.index(i) for i in remaining)
    assert set(after[: len(remaining)]) == set(remaining)  # the ML jobs now lead the feed
