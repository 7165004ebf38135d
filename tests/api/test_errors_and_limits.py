"""Every error carries a SPEC §7 code; limits, garbage bodies and health endpoints."""

from __future__ import annotations

from pathlib import Path

from domain.config import Settings
from schema import build_schema
from tests.api.conftest import GraphQLClient


async def test_parse_and_validation_errors_have_codes(gql: GraphQLClient) -> None:
    assert await gql.error_code("{ me { email ") == "GRAPHQL_PARSE_FAILED"
    assert await gql.error_code("{ me { nonexistentField } }") == "GRAPHQL_VALIDATION_FAILED"
    assert await gql.error_code("query($x: Int!) { me { email } }") == "GRAPHQL_VALIDATION_FAILED"


async def test_bad_variable_values_are_bad_user_input(gql: GraphQLClient) -> None:
    query = 'mutation($p: String!) { login(input: {email: "a@b.c", password: $p}) { accessToken } }'
    assert await gql.error_code(query, {"p": 12345678901234567890}) == "BAD_USER_INPUT"
    assert await gql.error_code(query, {}) == "BAD_USER_INPUT"


async def test_many_aliases_and_huge_documents_are_too_complex(gql: GraphQLClient) -> None:
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    assert await gql.error_code(aliases) == "QUERY_TOO_COMPLEX"
    tokens = "query { me { company { " + "name " * 6000 + "} } }"
    assert await gql.error_code(tokens) == "QUERY_TOO_COMPLEX"
    within = "{ " + " ".join(f"a{i}: __typename" for i in range(20)) + " }"
    assert (await gql.ok(within))["a19"] == "Query"


async def test_depth_limit_rejects_deep_queries() -> None:
    schema = build_schema(Settings(max_query_depth=1))
    result = await schema.execute("{ me { company { name } } }")
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "QUERY_TOO_COMPLEX"}
    shallow = await schema.execute("{ __typename }")
    assert shallow.errors is None


async def test_garbage_bodies_are_a_4xx_bad_request_never_a_500(gql: GraphQLClient) -> None:
    cases = [
        (b"{not json", "application/json"),
        (b"\xff\xfe\xfa", "application/json"),
        (
            b'{"query": "{ __typename }", "variables": {"x": 1' + b"0" * 5000 + b"}}",
            "application/json",
        ),
        (b"[1, 2, 3]", "application/json"),
        (b'{"query": 42}', "application/json"),
    ]
    for body, content_type in cases:
        response = await gql.http.post(
            "/graphql", content=body, headers={"content-type": content_type}
        )
        assert 400 <= response.status_code < 500, (body[:40], response.status_code, response.text)
        payload = response.json()
        assert payload["errors"][0]["extensions"]["code"] == "BAD_REQUEST", payload


async def test_oversized_body_is_refused(gql: GraphQLClient) -> None:
    big = b'{"query": "{ __typename }", "variables": {"x": "' + b"a" * (21 * 1024 * 1024) + b'"}}'
    response = await gql.http.post(
        "/graphql", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_get_queries_work_and_mutations_over_get_are_refused(gql: GraphQLClient) -> None:
    response = await gql.http.get("/graphql", params={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}
    response = await gql.http.get(
        "/graphql", params={"query": 'mutation { logout(refreshToken: "x") }'}
    )
    assert response.status_code in (400, 405)
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_health_and_readiness(gql: GraphQLClient) -> None:
    assert (await gql.http.get("/healthz")).json() == {"status": "ok"}
    ready = await gql.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": True, "migrations": True, "model": True}


async def test_every_response_carries_a_request_id(gql: GraphQLClient) -> None:
    response = await gql.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "abc-123"}
    )
    assert response.headers["x-request-id"] == "abc-123"
    assert len((await gql.http.get("/healthz")).headers["x-request-id"]) == 16


def test_sdl_is_committed_and_matches_the_code() -> None:
    committed = (Path(__file__).resolve().parents[2] / "schema" / "schema.graphql").read_text()
    assert committed.strip() == build_schema().as_str().strip(), (
        "run `python -m schema` to refresh it"
    )
