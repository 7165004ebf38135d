"""searchJobs: reciprocal rank fusion of full-text and semantic rankings over ACTIVE jobs."""

from __future__ import annotations

from app import Runtime
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND_JOBS,
    ML_JOBS,
    OTHER_JOBS,
    candidate,
    company_of,
    insert_jobs,
    recruiter,
    set_job,
)

SEARCH = """
query($query: String!, $first: Int, $after: String) {
  searchJobs(query: $query, first: $first, after: $after) {
    edges { cursor score node { id title status } } pageInfo { hasNextPage endCursor }
  }
}
"""


async def _world(gql: GraphQLClient, runtime: Runtime) -> tuple[str, list[str]]:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    ids = await insert_jobs(
        runtime, await company_of(gql, boss), BACKEND_JOBS + OTHER_JOBS + ML_JOBS[:2]
    )
    return await candidate(gql, "ada@example.com", {}), ids


async def _search(gql: GraphQLClient, token: str, query: str, first: int = 50) -> dict:
    return (await gql.ok(SEARCH, {"query": query, "first": first}, token=token))["searchJobs"]


async def test_a_job_first_in_both_rankings_scores_two_sixty_firsts(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, ids = await _world(gql, runtime)
    edges = (await _search(gql, ada, "registered nurse"))["edges"]
    assert edges[0]["node"]["title"] == "Registered Nurse"
    assert abs(edges[0]["score"] - 2 / 61) < 1e-12
    scores = [e["score"] for e in edges]
    assert scores == sorted(scores, reverse=True)
    # Every ACTIVE job is in the semantic list; only full-text hits get a second term.
    assert len(edges) == len(ids)
    assert all(e["score"] <= 1 / 61 + 1e-12 for e in edges[1:])


async def test_semantic_rank_finds_jobs_without_the_words(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada, _ = await _world(gql, runtime)
    edges = (await _search(gql, ada, "neural networks for image recognition"))["edges"]
    assert edges[0]["node"]["title"].startswith("Machine Learning Scientist")
    websearch = (await _search(gql, ada, '"Django REST" -kubernetes'))["edges"]
    assert websearch[0]["node"]["title"] == "Backend Engineer (Django)"


async def test_search_returns_active_jobs_only(gql: GraphQLClient, runtime: Runtime) -> None:
    ada, ids = await _world(gql, runtime)
    nurse = ids[len(BACKEND_JOBS)]
    await set_job(runtime, nurse, status="CLOSED")
    edges = (await _search(gql, ada, "registered nurse"))["edges"]
    assert nurse not in {e["node"]["id"] for e in edges}
    assert {e["node"]["status"] for e in edges} == {"ACTIVE"}


async def test_search_pages_come_from_one_snapshot(gql: GraphQLClient, runtime: Runtime) -> None:
    ada, ids = await _world(gql, runtime)
    whole = [e["node"]["id"] for e in (await _search(gql, ada, "python engineer"))["edges"]]
    seen, after = [], None
    while True:
        page = (
            await gql.ok(
                SEARCH, {"query": "python engineer", "first": 4, "after": after}, token=ada
            )
        )["searchJobs"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == whole
    assert (
        await gql.error_code(SEARCH, {"query": "nurse", "after": after}, token=ada)
        == "BAD_USER_INPUT"
    )
    for query in ("", "   ", "x" * 501):
        assert await gql.error_code(SEARCH, {"query": query}, token=ada) == "BAD_USER_INPUT"
    assert (
        await gql.error_code(SEARCH, {"query": "nurse", "first": 101}, token=ada)
        == "BAD_USER_INPUT"
    )
