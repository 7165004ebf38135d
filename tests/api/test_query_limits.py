"""Query limits: one linear pass rejects what would stall validation or execution, per role."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from graphql import parse
from starlette.types import Message

from app import Runtime, create_app
from domain.config import Settings
from domain.enums import Role
from resolvers import auth
from schema import build_schema
from schema.limits import MAX_FIELDS, Limits, analyze, limits_for
from tests.api.conftest import GraphQLClient, register
from tests.conftest import Clock

ADMIN_PASSWORD = "operator-pass-1"


def fragment_bomb(levels: int) -> str:
    """Each fragment spreads the next twice: 2**levels paths through a < 2 KB document."""
    chain = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    chain.append(f"fragment F{levels - 1} on Query {{ __typename }}")
    return "{ ...F0 } " + " ".join(chain)


def same_named(count: int) -> str:
    """One response name, different arguments: quadratic for the overlapping-fields rule."""
    return "{ " + " ".join(f'job(id: "{i}") {{ id }}' for i in range(count)) + " }"


def nested_jobs(levels: int, first: int = 100) -> str:
    """Companies' jobs inside jobs: each level multiplies the cost by `first`."""
    inner = "id title"
    for _ in range(levels - 1):
        inner = f"id company {{ jobs(first: {first}) {{ edges {{ node {{ {inner} }} }} }} }}"
    return f"{{ jobs(first: {first}) {{ edges {{ node {{ {inner} }} }} }} }}"


def two_levels(outer: int) -> str:
    """Costs 1 + outer * 404: between the role limits for the outer page sizes the tests pick."""
    return (
        f"{{ jobs(first: {outer}) {{ edges {{ node {{ company {{ jobs(first: 100) "
        "{ edges { node { id title } } } } } } } }"
    )


JOB_CARD = """
  id title location city region country isRemote skills keywords seniority description
  requirements employmentType status postedAt expiresAt salaryRaw salaryMin salaryMax
  salaryCurrency salaryInterval salaryAnnualMin salaryAnnualMax experienceMin experienceMax
  company { id name description website location size industry }
"""
EXPLANATION = """
  preset presetVersion score grade recommended summary
  factors { name weight value contribution }
  matchedSkills missingSkills reasons gaps failedFilters
"""
DISCOVER = f"""
query($first: Int!, $after: String) {{
  discover(first: $first, after: $after) {{
    edges {{ cursor score node {{ {JOB_CARD} }} explanation {{ {EXPLANATION} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""
JOBS = f"""
query($first: Int!) {{
  jobs(first: $first) {{ edges {{ cursor node {{ {JOB_CARD} }} }} pageInfo {{ hasNextPage endCursor }} }}
}}
"""
MY_APPLICATIONS = f"""
query($first: Int!) {{
  myApplications(first: $first) {{
    edges {{
      cursor
      node {{
        id status scoreAtApply createdAt updatedAt
        job {{ {JOB_CARD} }}
        history {{ status at note actor {{ id }} }}
        explanation {{ {EXPLANATION} }}
      }}
    }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""


async def _admin_token(gql: GraphQLClient, runtime: Runtime) -> str:
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", ADMIN_PASSWORD, Role.PLATFORM_ADMIN
    )
    login = (
        f'mutation {{ login(input: {{email: "ops@jobmatch.test", password: "{ADMIN_PASSWORD}"}}) '
        "{ accessToken } }"
    )
    return str((await gql.ok(login))["login"]["accessToken"])


async def _too_complex(gql: GraphQLClient, query: str, token: str | None = None) -> str:
    body = await gql.post(query, token=token)
    assert body.get("data") is None, body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX", body
    return str(error["message"])


async def test_a_fragment_bomb_is_too_complex(gql: GraphQLClient) -> None:
    message = await _too_complex(gql, fragment_bomb(30))
    assert f"the limit is {MAX_FIELDS}" in message


async def test_a_fragment_cycle_is_refused(gql: GraphQLClient) -> None:
    cyclic = "{ ...A } fragment A on Query { me { id } ...B } fragment B on Query { ...A }"
    body = await gql.post(cyclic)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", body
    assert "within itself" in body["errors"][0]["message"]


async def test_hundreds_of_same_named_fields_are_too_complex(gql: GraphQLClient) -> None:
    message = await _too_complex(gql, same_named(550))
    assert "550 fields share the response name 'job'" in message
    aliased = "{ " + " ".join(f'a: job(id: "{i}") {{ id }}' for i in range(100)) + " }"
    assert "100 fields share" in await _too_complex(gql, aliased)


async def test_nested_connections_are_too_costly_for_anonymous_and_candidates(
    gql: GraphQLClient,
) -> None:
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    costly = nested_jobs(3)
    assert "depth 11" in await _too_complex(gql, costly)  # anonymous: depth 9
    assert "the limit is 20000" in await _too_complex(gql, costly, candidate)
    variables = "query($n: Int!) { jobs(first: $n) { edges { node { id company { jobs(first: $n) { edges { node { id company { jobs(first: $n) { edges { node { id } } } } } } } } } } } }"
    body = await gql.post(variables, {"n": 100}, token=candidate)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX", body
    assert "errors" not in await gql.post(variables, {"n": 5}, token=candidate)


async def test_the_queries_the_clients_send_pass_at_the_largest_page(gql: GraphQLClient) -> None:
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    await gql.ok(JOBS, {"first": 100}, token=candidate)
    await gql.ok(DISCOVER, {"first": 100}, token=candidate)
    await gql.ok(MY_APPLICATIONS, {"first": 100}, token=candidate)


async def test_admins_get_more_than_candidates_who_get_more_than_anonymous(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    admin = await _admin_token(gql, runtime)
    between_anonymous_and_candidate = two_levels(45)  # cost 18181: 15000 < it <= 20000
    between_candidate_and_admin = two_levels(100)  # cost 40401: 20000 < it <= 80000
    assert "is 15000" in await _too_complex(gql, between_anonymous_and_candidate)
    await gql.ok(between_anonymous_and_candidate, token=candidate)
    assert "is 20000" in await _too_complex(gql, between_candidate_and_admin, candidate)
    await gql.ok(between_candidate_and_admin, token=admin)
    assert "is 80000" in await _too_complex(gql, nested_jobs(3), admin)


def test_every_limit_grows_from_anonymous_to_candidate_to_admin() -> None:
    settings = Settings()
    anonymous, candidate, recruiter, admin = (
        limits_for(settings, role)
        for role in (None, Role.CANDIDATE, Role.RECRUITER, Role.PLATFORM_ADMIN)
    )
    assert candidate == recruiter == Limits(depth=12, aliases=30, cost=20_000)
    for lower, higher in ((anonymous, candidate), (candidate, admin)):
        assert lower.depth < higher.depth and lower.aliases < higher.aliases
        assert lower.cost < higher.cost


async def test_the_depth_limit_counts_nested_fields_not_introspection() -> None:
    schema = build_schema(Settings(max_query_depth=4, anonymous_query_limits_percent=100))
    within = parse("{ me { company { jobs { edges { cursor } } } } }")
    assert analyze(schema._schema, within).depth == 4
    schema_query = '{ __type(name: "Job") { fields { type { ofType { ofType { name } } } } } }'
    assert analyze(schema._schema, parse(schema_query)).depth == 0
    assert (await schema.execute(schema_query)).errors is None
    result = await schema.execute("{ me { company { jobs { edges { node { id } } } } } }")
    assert result.errors is not None
    assert "depth 5 exceeds maximum operation depth of 4" in result.errors[0].message


async def test_graphiqls_schema_query_passes_and_nested_introspection_does_not(
    gql: GraphQLClient,
) -> None:
    from graphql import get_introspection_query

    await gql.ok(get_introspection_query(True, True, True, True, True))
    nested = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert "introspection" in await _too_complex(gql, nested)


def test_validation_work_is_linear_in_the_document() -> None:
    schema = build_schema()._schema
    small, large = (analyze(schema, parse(fragment_bomb(n))) for n in (30, 60))
    assert small.fields == 2**29
    assert small.visited <= 4 * 30 + 10  # a handful of steps per fragment, never per path
    assert large.visited <= 2 * small.visited + 10
    wide = [
        analyze(schema, parse("{ " + " ".join(f"a{i}: __typename" for i in range(n)) + " }"))
        for n in (100, 1000)
    ]
    assert wide[1].aliases == 1000
    assert wide[1].visited <= 10 * wide[0].visited + 10
    tiny, ten_times = (analyze(schema, parse(fragment_bomb(n))) for n in (10, 100))
    assert ten_times.visited <= 10 * tiny.visited + 10


# A WebSocket client for the ASGI app itself: graphql-transport-ws over in-memory queues.
class Socket:
    def __init__(self, app: Any) -> None:
        self.inbound: asyncio.Queue[Message] = asyncio.Queue()
        self.outbound: asyncio.Queue[Message] = asyncio.Queue()
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "scheme": "ws",
            "query_string": b"",
            "headers": [
                (b"host", b"testserver"),
                (b"sec-websocket-protocol", b"graphql-transport-ws"),
            ],
            "subprotocols": ["graphql-transport-ws"],
            "client": ("127.0.0.1", 5555),
            "server": ("testserver", 80),
        }
        self.task = asyncio.create_task(app(scope, self.inbound.get, self.outbound.put))

    async def receive(self) -> dict[str, Any]:
        while True:
            async with asyncio.timeout(30):
                message = await self.outbound.get()
            if message["type"] == "websocket.send":
                return dict(json.loads(message["text"]))
            assert message["type"] == "websocket.accept", message

    async def send(self, payload: dict[str, Any]) -> None:
        await self.inbound.put({"type": "websocket.receive", "text": json.dumps(payload)})


@pytest.fixture
async def socket_for(
    settings: Settings, runtime: Runtime, clean: None, clock: Clock
) -> AsyncIterator[Any]:
    app = create_app(settings, runtime)
    sockets: list[Socket] = []

    async def open_socket(token: str) -> Socket:
        socket = Socket(app)
        sockets.append(socket)
        await socket.inbound.put({"type": "websocket.connect"})
        await socket.send({"type": "connection_init", "payload": {"authToken": token}})
        assert (await socket.receive())["type"] == "connection_ack"
        return socket

    yield open_socket
    for socket in sockets:
        await socket.inbound.put({"type": "websocket.disconnect", "code": 1000})
        async with asyncio.timeout(30):
            await socket.task


async def test_limits_apply_over_websocket_with_the_sockets_viewer(
    gql: GraphQLClient, socket_for: Any
) -> None:
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    socket = await socket_for(candidate)
    costly = (
        "subscription { matchFound { eventId job { company { jobs(first: 100) { edges { node "
        "{ company { jobs(first: 100) { edges { node { id } } } } } } } } } } }"
    )
    await socket.send({"id": "1", "type": "subscribe", "payload": {"query": costly}})
    error = await socket.receive()
    assert error["type"] == "error" and error["id"] == "1", error
    assert error["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX", error
    # Over anonymous limits, within a candidate's: passes because the socket's viewer counts.
    query = two_levels(45)
    await socket.send({"id": "2", "type": "subscribe", "payload": {"query": query}})
    result = await socket.receive()
    assert result["type"] == "next" and "errors" not in result["payload"], result


async def test_limits_apply_to_subscriptions_over_sse(gql: GraphQLClient) -> None:
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    costly = (
        "subscription { matchFound { eventId job { company { jobs(first: 100) { edges { node "
        "{ company { jobs(first: 100) { edges { node { id } } } } } } } } } } }"
    )
    response = await gql.http.post(
        "/graphql",
        json={"query": costly},
        headers={"Authorization": f"Bearer {candidate}", "Accept": "text/event-stream"},
    )
    assert "QUERY_TOO_COMPLEX" in response.text, response.text
