"""discover: two-stage retrieval, SWIPE_HYBRID ranking, snapshot pages, views and cursors."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from app import Runtime
from db.models import Company, Interaction
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND_JOBS,
    DISCOVER,
    ML_JOBS,
    OTHER_JOBS,
    SWIPE,
    candidate,
    company_of,
    discover_all,
    insert_jobs,
    raw,
    recruiter,
    set_job,
    world,
)
from tests.conftest import Clock

VIEW = "mutation($jobId: ID!, $ms: Int!) { recordJobView(jobId: $jobId, durationMs: $ms) { scoreAtView durationMs job { id } } }"


async def _company(runtime: Runtime) -> uuid.UUID:
    async with runtime.services.sessions() as session:
        return (await session.execute(select(Company.id))).scalar_one()


async def _feed(gql: GraphQLClient, token: str, first: int = 50) -> dict[str, Any]:
    return (await gql.ok(DISCOVER, {"first": first}, token=token))["discover"]


async def test_discover_ranks_by_swipe_hybrid_with_explanations(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS + OTHER_JOBS)
    feed = await _feed(gql, ada)
    edges = feed["edges"]
    assert len(edges) == 8 and feed["pageInfo"]["hasNextPage"] is False
    scores = [e["explanation"]["score"] for e in edges]
    assert scores == sorted(scores, reverse=True)
    assert all(e["score"] == _half_up(e["explanation"]["score"]) for e in edges)
    assert all(e["explanation"]["preset"] == "SWIPE_HYBRID" for e in edges)
    assert {e["node"]["id"] for e in edges[:4]} == set(ids[:4])  # the backend jobs lead
    assert edges[0]["node"]["company"]["name"] == "Acme"


def _half_up(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


async def test_discover_excludes_swiped_inactive_and_expired_jobs(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS + OTHER_JOBS)
    await gql.ok(SWIPE, {"jobId": ids[0], "direction": "LEFT"}, token=ada)
    await gql.ok(SWIPE, {"jobId": ids[1], "direction": "RIGHT"}, token=ada)
    await set_job(runtime, ids[2], status="CLOSED")
    await set_job(runtime, ids[3], expires_at=datetime.now(UTC) - timedelta(minutes=1))
    shown = {e["node"]["id"] for e in (await _feed(gql, ada))["edges"]}
    assert shown == set(ids[4:])


async def test_pool_stays_full_when_the_nearest_jobs_are_swiped(
    gql: GraphQLClient, runtime: Runtime, tune: Any
) -> None:
    tune(feed_pool_size=4)
    ada, ids = await world(gql, runtime, BACKEND_JOBS + OTHER_JOBS + ML_JOBS[:4])
    first = await _feed(gql, ada)
    assert {e["node"]["id"] for e in first["edges"]} == set(ids[:4])  # the K nearest
    for job_id in ids[:4]:
        await gql.ok(SWIPE, {"jobId": job_id, "direction": "LEFT"}, token=ada)
    again = await _feed(gql, ada)
    assert len(again["edges"]) == 4  # the next nearest fill the pool
    assert not {e["node"]["id"] for e in again["edges"]} & set(ids[:4])


async def test_pages_neither_repeat_nor_skip_when_jobs_arrive_between_pages(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS + OTHER_JOBS)
    page = (await gql.ok(DISCOVER, {"first": 3}, token=ada))["discover"]
    seen = [e["node"]["id"] for e in page["edges"]]
    company = await _company(runtime)
    newcomer = (
        await insert_jobs(
            runtime, company, [BACKEND_JOBS[0] | {"title": "Senior Python Backend Engineer II"}]
        )
    )[0]
    while page["pageInfo"]["hasNextPage"]:
        page = (
            await gql.ok(DISCOVER, {"first": 3, "after": page["pageInfo"]["endCursor"]}, token=ada)
        )["discover"]
        seen += [e["node"]["id"] for e in page["edges"]]
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    fresh = [e["node"]["id"] for e in (await _feed(gql, ada))["edges"]]
    assert newcomer in fresh[:4]  # a new snapshot picks it up


async def test_equal_scores_are_ordered_by_job_id(gql: GraphQLClient, runtime: Runtime) -> None:
    posted = datetime.now(UTC) - timedelta(hours=1)
    twins = [
        {"title": "Pastry Chef", "description": "Bake.", "posted_at": posted} for _ in range(5)
    ]
    ada, ids = await world(gql, runtime, twins)
    edges = await discover_all(gql, ada, first=2)
    assert len({e["explanation"]["score"] for e in edges}) == 1
    assert [e["node"]["id"] for e in edges] == sorted(ids, key=raw)


async def test_bad_cursors_and_page_sizes_are_bad_user_input(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, tune: Any
) -> None:
    tune(snapshot_ttl_s=60)
    ada, _ = await world(gql, runtime, BACKEND_JOBS)
    grace = await candidate(gql, "grace@example.com")
    page = (await gql.ok(DISCOVER, {"first": 1}, token=ada))["discover"]
    cursor = page["pageInfo"]["endCursor"]
    forged = base64.urlsafe_b64encode(f"r1|{uuid.uuid4()}|1".encode()).decode()
    for bad in ("garbage", forged, base64.urlsafe_b64encode(b"r1|x|1").decode()):
        assert (
            await gql.error_code(DISCOVER, {"first": 1, "after": bad}, token=ada)
            == "BAD_USER_INPUT"
        )
    assert (
        await gql.error_code(DISCOVER, {"first": 1, "after": cursor}, token=grace)
        == "BAD_USER_INPUT"
    )
    for first in (101, -1):
        assert await gql.error_code(DISCOVER, {"first": first}, token=ada) == "BAD_USER_INPUT"
    assert (await gql.ok(DISCOVER, {"first": 1, "after": cursor}, token=ada))["discover"]["edges"]
    clock.now = datetime.now(UTC) + timedelta(minutes=2)
    assert (
        await gql.error_code(DISCOVER, {"first": 1, "after": cursor}, token=ada) == "BAD_USER_INPUT"
    )


async def test_views_record_the_score_shown_and_their_duration(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await world(gql, runtime, BACKEND_JOBS)
    edge = (await gql.ok(DISCOVER, {"first": 1}, token=ada))["discover"]["edges"][0]
    view = (await gql.ok(VIEW, {"jobId": edge["node"]["id"], "ms": 1500}, token=ada))[
        "recordJobView"
    ]
    view = (await gql.ok(VIEW, {"jobId": edge["node"]["id"], "ms": 500}, token=ada))[
        "recordJobView"
    ]
    assert (view["scoreAtView"], view["durationMs"]) == (edge["score"], 2000)
    async with runtime.services.sessions() as session:
        rows = (await session.execute(select(Interaction))).scalars().all()
    assert [(r.job_id, r.score_at_view, r.view_duration_ms) for r in rows] == [
        (raw(edge["node"]["id"]), edge["score"], 2000)
    ]
    assert (
        await gql.error_code(VIEW, {"jobId": edge["node"]["id"], "ms": -5}, token=ada)
        == "BAD_USER_INPUT"
    )
    unseen = next(i for i in ids if i != edge["node"]["id"])
    assert (await gql.ok(VIEW, {"jobId": unseen, "ms": 10}, token=ada))["recordJobView"][
        "durationMs"
    ] == 10


async def test_a_candidate_without_a_profile_gets_the_newest_jobs(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    now = datetime.now(UTC)
    specs = [{"title": f"Job {n}", "posted_at": now - timedelta(days=n)} for n in range(4)]
    ids = await insert_jobs(runtime, await company_of(gql, boss), specs)
    newcomer = await candidate(gql, "new@example.com", {})
    edges = (await _feed(gql, newcomer))["edges"]
    assert [e["node"]["id"] for e in edges] == ids
    assert all(
        f["value"] == 50
        for e in edges
        for f in e["explanation"]["factors"]
        if f["name"] == "semantic"
    )
    assert await gql.error_code(DISCOVER, {"first": 5}, token=boss) == "FORBIDDEN"
