"""Public browsing: jobs, job, searchJobs and company answer without signing in, for ACTIVE jobs
only, without a match, and rate limited per client address; everything else needs a sign-in."""

from __future__ import annotations

from typing import Any

from app import Runtime, create_app
from domain.config import Settings
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import post, recruiter
from tests.conftest import Clock
from tests.graphql_client import over_asgi

JOB = "query($id: ID!) { job(id: $id) { id title status company { id name } } }"
JOBS = "{ jobs(first: 10, filter: {status: [ACTIVE, CLOSED, FILLED, EXPIRED]}) { edges { node { title status } } } }"
SEARCH = (
    'query($after: String) { searchJobs(query: "python backend engineer", first: 1, after: $after) '
    "{ edges { score node { title status } } pageInfo { hasNextPage endCursor } } }"
)
COMPANY = (
    "query($id: ID!) { company(id: $id) { name jobs(first: 10) { edges { node { title } } } } }"
)
CLOSE = "mutation($id: ID!, $r: JobCloseReason!) { closeJob(id: $id, reason: $r) { status } }"


async def _board(gql: GraphQLClient) -> dict[str, Any]:
    boss = await recruiter(gql, "boss@acme.example", "Acme")
    active = await post(gql, boss, "Python Backend Engineer", skills=["Python", "PostgreSQL"])
    second = await post(gql, boss, "Senior Python Engineer", skills=["Python", "Django"])
    closed = await post(gql, boss, "Python Data Engineer", skills=["Python", "Airflow"])
    filled = await post(gql, boss, "Backend Engineer (Go)", skills=["Go"])
    await gql.ok(CLOSE, {"id": closed, "r": "CLOSED"}, token=boss)
    await gql.ok(CLOSE, {"id": filled, "r": "FILLED"}, token=boss)
    company = (await gql.ok(JOB, {"id": active}, token=boss))["job"]["company"]["id"]
    return {
        "active": active,
        "second": second,
        "closed": closed,
        "filled": filled,
        "company": company,
        "boss": boss,
    }


async def test_anonymous_callers_browse_active_jobs_and_companies(gql: GraphQLClient) -> None:
    board = await _board(gql)

    job = (await gql.ok(JOB, {"id": board["active"]}))["job"]
    assert job["title"] == "Python Backend Engineer" and job["company"]["name"] == "Acme"
    listed = (await gql.ok(JOBS))["jobs"]["edges"]
    assert sorted(e["node"]["title"] for e in listed) == [
        "Python Backend Engineer",
        "Senior Python Engineer",
    ]
    company = (await gql.ok(COMPANY, {"id": board["company"]}))["company"]
    assert company["name"] == "Acme" and len(company["jobs"]["edges"]) == 2

    first = (await gql.ok(SEARCH))["searchJobs"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await gql.ok(SEARCH, {"after": first["pageInfo"]["endCursor"]}))["searchJobs"]
    titles = {e["node"]["title"] for e in first["edges"] + second["edges"]}
    assert titles == {"Python Backend Engineer", "Senior Python Engineer"}
    assert {e["node"]["status"] for e in first["edges"] + second["edges"]} == {"ACTIVE"}


async def test_non_active_jobs_are_not_found_without_signing_in(gql: GraphQLClient) -> None:
    board = await _board(gql)
    for kind in ("closed", "filled"):
        assert await gql.error_code(JOB, {"id": board[kind]}) == "NOT_FOUND", kind
        # Their company still reads them.
        assert await gql.ok(JOB, {"id": board[kind]}, token=board["boss"])


async def test_match_needs_a_sign_in_and_the_rest_of_the_job_still_answers(
    gql: GraphQLClient,
) -> None:
    board = await _board(gql)
    body = await gql.post(
        "query($id: ID!) { job(id: $id) { title match { score } } }", {"id": board["active"]}
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["path"] == ["job", "match"]
    searched = await gql.post(
        '{ searchJobs(query: "python") { edges { node { title match { score } } } } }'
    )
    assert searched["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_signed_in_cursor_is_not_an_anonymous_one(gql: GraphQLClient) -> None:
    board = await _board(gql)
    signed = (await gql.ok(SEARCH, token=board["boss"]))["searchJobs"]["pageInfo"]["endCursor"]
    assert await gql.error_code(SEARCH, {"after": signed}) == "BAD_USER_INPUT"


async def test_everything_else_still_needs_a_sign_in(gql: GraphQLClient) -> None:
    board = await _board(gql)
    for query, variables in (
        ("{ me { id } }", None),
        ("{ discover { edges { cursor } } }", None),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": board["active"]}),
        ("{ myApplications { edges { cursor } } }", None),
        (
            "query($id: ID!) { applicationsForJob(jobId: $id) { edges { cursor } } }",
            {"id": board["active"]},
        ),
        (
            "mutation($id: ID!) { swipeJob(jobId: $id, direction: RIGHT) { swipe { id } } }",
            {"id": board["active"]},
        ),
    ):
        assert await gql.error_code(query, variables) == "UNAUTHENTICATED", query


async def test_anonymous_reads_are_rate_limited_per_client_address(
    settings: Settings, runtime: Runtime, gql: GraphQLClient, clock: Clock, tune: Any
) -> None:
    board = await _board(gql)
    tune(public_read_limit=3, public_read_window_s=60)
    app = create_app(settings, runtime)
    async with over_asgi(app, peer=("198.51.100.7", 4000)) as stranger:
        for _ in range(3):
            await stranger.ok(JOB, {"id": board["active"]})
        body = await stranger.post(JOB, {"id": board["active"]})
        assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert body["errors"][0]["extensions"]["retryAfter"] > 0
        # Signed-in callers from the same address are not counted.
        assert await stranger.ok(JOB, {"id": board["active"]}, token=board["boss"])
    async with over_asgi(app, peer=("198.51.100.8", 4000)) as neighbour:
        assert await neighbour.ok(JOB, {"id": board["active"]})
