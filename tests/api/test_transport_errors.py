"""Requests that are unusable as sent: bad bodies, multipart maps, CSRF, subscriptions over plain
HTTP, text PostgreSQL cannot store and datetimes outside UTC's years. Always GraphQL JSON."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import httpx
import pytest

from app import Runtime
from domain.enums import Role
from resolvers import auth
from tests.api.conftest import GraphQLClient, register

UPLOAD = 'mutation($f: Upload) { importJobs(platform: "ashby", file: $f) { id } }'
PREFLIGHT = {"Apollo-Require-Preflight": "true"}


def _error(response: httpx.Response) -> dict[str, Any]:
    assert "json" in response.headers["content-type"], response.text
    error: dict[str, Any] = response.json()["errors"][0]
    return error


@pytest.fixture
async def admin(gql: GraphQLClient, runtime: Runtime) -> str:
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", "operator-pass-1", Role.PLATFORM_ADMIN
    )
    data = await gql.ok(
        'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) '
        "{ accessToken } }"
    )
    return str(data["login"]["accessToken"])


async def _upload(
    gql: GraphQLClient, token: str, mapping: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await gql.http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": UPLOAD, "variables": {"f": None}}),
            "map": mapping,
        },
        files={"0": ("jobs.json", b"[]", "application/json")},
        headers={"Authorization": f"Bearer {token}", **(headers or {})},
    )


@pytest.mark.parametrize("body", [b"null", b"true", b"1", b'"x"', b"  \n", b"{}"])
async def test_a_body_that_is_not_a_request_object_is_bad_request(
    gql: GraphQLClient, body: bytes
) -> None:
    response = await gql.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert _error(response)["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "mapping", ["[]", '"x"', '{"0":[1]}', '{"0":["variables.f.0.x"]}', '{"0":["query"]}', "{"]
)
async def test_broken_multipart_maps_are_bad_request(
    gql: GraphQLClient, admin: str, mapping: str
) -> None:
    response = await _upload(gql, admin, mapping, PREFLIGHT)
    assert response.status_code == 400, response.text
    assert _error(response)["extensions"]["code"] == "BAD_REQUEST"


async def test_unparsable_multipart_and_non_object_operations_are_bad_request(
    gql: GraphQLClient, admin: str
) -> None:
    for operations in ('"x"', "[]", "null"):
        response = await gql.http.post(
            "/graphql",
            data={"operations": operations, "map": '{"0":["variables.f"]}'},
            files={"0": ("jobs.json", b"[]", "application/json")},
            headers={"Authorization": f"Bearer {admin}", **PREFLIGHT},
        )
        assert response.status_code == 400, operations
        assert _error(response)["extensions"]["code"] == "BAD_REQUEST"
    garbage = await gql.http.post(
        "/graphql",
        content=b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query"',
        headers={"content-type": "multipart/form-data; boundary=b", **PREFLIGHT},
    )
    assert garbage.status_code == 400
    assert _error(garbage)["extensions"]["code"] == "BAD_REQUEST"


async def test_multipart_without_a_preflight_header_is_refused_as_csrf(
    gql: GraphQLClient, admin: str
) -> None:
    refused = await _upload(gql, admin, '{"0":["variables.f"]}')
    assert refused.status_code == 400
    assert _error(refused)["extensions"]["code"] == "BAD_REQUEST"
    assert "Apollo-Require-Preflight" in _error(refused)["message"]

    for header in (PREFLIGHT, {"X-Apollo-Operation-Name": "importJobs"}):
        accepted = await _upload(gql, admin, '{"0":["variables.f"]}', header)
        assert accepted.status_code == 200, accepted.text
        assert "errors" not in accepted.json(), accepted.text


async def test_get_queries_need_no_preflight_header_even_with_a_simple_content_type(
    gql: GraphQLClient,
) -> None:
    response = await gql.http.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"content-type": "text/plain"}
    )
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_subscriptions_over_plain_post_or_get_are_bad_request_without_a_traceback(
    gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    account = await register(gql, "seeker@example.com")
    query = "subscription { applicationStatusChanged { eventId } }"
    headers = {"Authorization": f"Bearer {account['accessToken']}"}
    with caplog.at_level(logging.INFO):
        posted = await gql.http.post("/graphql", json={"query": query}, headers=headers)
        fetched = await gql.http.get("/graphql", params={"query": query}, headers=headers)
    for response in (posted, fetched):
        assert response.status_code == 400
        error = _error(response)
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert "WebSocket" in error["message"] and "text/event-stream" in error["message"]
    assert not [record for record in caplog.records if record.exc_info]


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\udfff", "ok\udbffok"])
async def test_nul_and_unpaired_surrogates_in_variables_are_bad_user_input(
    gql: GraphQLClient, bad: str
) -> None:
    query = "mutation($e: String!) { login(input: {email: $e, password: $e}) { accessToken } }"
    # ensure_ascii sends the surrogate as \\ud800, as a hostile JSON client would.
    body = json.dumps({"query": query, "variables": {"e": f"a{bad}@example.com"}}).encode()
    response = await gql.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    error = _error(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert '"$e"' in error["message"]


async def test_ids_in_variables_and_nul_in_string_literals_are_checked_too(
    gql: GraphQLClient,
) -> None:
    by_id = await gql.post("query($id: ID!) { job(id: $id) { id } }", {"id": "1\x00"})
    assert by_id["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    literal = await gql.post('{ job(id: "x\\u0000") { id } }')
    assert literal["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "NUL" in literal["errors"][0]["message"]
    # A lone surrogate cannot even be written as a GraphQL literal: the parser refuses it.
    surrogate = await gql.post('{ job(id: "x\\ud800") { id } }')
    assert surrogate["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"])
async def test_datetimes_outside_the_years_1_to_9999_in_utc_are_bad_user_input(
    gql: GraphQLClient, stamp: str
) -> None:
    account = await register(gql, "seeker@example.com")
    token = account["accessToken"]
    variable = "query($d: DateTime!) { jobs(filter: {postedSince: $d}) { edges { cursor } } }"
    assert await gql.error_code(variable, {"d": stamp}, token) == "BAD_USER_INPUT"
    literal = f'{{ jobs(filter: {{postedSince: "{stamp}"}}) {{ edges {{ cursor }} }} }}'
    assert await gql.error_code(literal, token=token) == "BAD_USER_INPUT"


async def test_a_datetime_without_an_offset_is_read_as_utc(gql: GraphQLClient) -> None:
    account = await register(gql, "seeker@example.com")
    query = "query($d: DateTime!) { jobs(filter: {postedSince: $d}) { edges { cursor } } }"
    data = await gql.ok(query, {"d": "2024-01-01T00:00:00"}, account["accessToken"])
    assert data["jobs"]["edges"] == []


async def test_cursors_with_out_of_range_dates_or_positions_are_bad_user_input(
    gql: GraphQLClient,
) -> None:
    account = await register(gql, "seeker@example.com")
    token = account["accessToken"]
    keyset = base64.urlsafe_b64encode(
        b"k1|0001-01-01T00:00:00+23:59|00000000-0000-0000-0000-000000000000"
    ).decode()
    jobs = "query($a: String!) { jobs(after: $a) { edges { cursor } } }"
    assert await gql.error_code(jobs, {"a": keyset}, token) == "BAD_USER_INPUT"
    ranked = base64.urlsafe_b64encode(
        f"r1|00000000-0000-0000-0000-000000000000|{10**30}".encode()
    ).decode()
    feed = "query($a: String!) { discover(after: $a) { edges { cursor } } }"
    assert await gql.error_code(feed, {"a": ranked}, token) == "BAD_USER_INPUT"
