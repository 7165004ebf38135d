"""A discover page costs the same number of SQL statements whatever its size (no N+1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from resolvers.services import Runtime
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import EXPLANATION, candidate, company_of, insert_jobs, recruiter

PAGE = f"""
query($first: Int, $after: String) {{
  discover(first: $first, after: $after) {{
    edges {{
      cursor score explanation {{ {EXPLANATION} }}
      node {{ id title company {{ id name }} match {{ score grade }} }}
    }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""
# Per request: the access token check (3), the candidate (its loader serves Job.match too), the
# iterative-scan settings, the ANN pool and its exact fallback (fewer than K = 300 jobs here),
# snapshot cleanup + insert, the page's jobs, the views, and one batch of companies.
FIRST_PAGE_STATEMENTS = 12
# A later page: token check (3), candidate, snapshot, the page's jobs, views, companies.
LATER_PAGE_STATEMENTS = 8


@contextmanager
def statements(runtime: Runtime) -> Iterator[list[str]]:
    engine = runtime.services.sessions.kw["bind"].sync_engine
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def _feed_world(gql: GraphQLClient, runtime: Runtime) -> str:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    specs = [
        {"title": f"Python engineer {n}", "skills": ["Python"], "description": f"Team {n}"}
        for n in range(120)
    ]
    await insert_jobs(runtime, await company_of(gql, boss), specs)
    return await candidate(gql, "ada@example.com")


async def test_discover_statement_count_does_not_grow_with_the_page_size(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada = await _feed_world(gql, runtime)
    await gql.ok(PAGE, {"first": 5}, token=ada)  # warm the pool's connections
    counts = {}
    for first in (10, 50):
        with statements(runtime) as seen:
            data = (await gql.ok(PAGE, {"first": first}, token=ada))["discover"]
        assert len(data["edges"]) == first
        counts[first] = len(seen)
    assert counts == {10: FIRST_PAGE_STATEMENTS, 50: FIRST_PAGE_STATEMENTS}, seen


async def test_later_pages_cost_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada = await _feed_world(gql, runtime)
    cursor = (await gql.ok(PAGE, {"first": 10}, token=ada))["discover"]["pageInfo"]["endCursor"]
    counts = {}
    for first in (10, 50):
        with statements(runtime) as seen:
            data = (await gql.ok(PAGE, {"first": first, "after": cursor}, token=ada))["discover"]
        assert len(data["edges"]) == first
        counts[first] = len(seen)
    assert counts == {10: LATER_PAGE_STATEMENTS, 50: LATER_PAGE_STATEMENTS}, seen
