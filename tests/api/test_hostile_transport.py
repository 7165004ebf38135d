"""Hostile transport: bad bodies, multipart maps, CSRF, HTTP subscriptions, dates, cursors, huge strings."""

from __future__ import annotations

import base64
import json

import pytest

from tests.api.conftest import GraphQLClient
from tests.api.hostile_support import Tokens, first_code, send


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "not a date", "2026-13-45"]
)
async def test_out_of_range_dates_are_bad_user_input(
    gql: GraphQLClient, tokens: Tokens, stamp: str
) -> None:
    query = "query($d: DateTime!) { jobs(filter: {postedSince: $d}) { edges { cursor } } }"
    assert first_code(await send(gql, query, {"d": stamp}, tokens.candidate)) == "BAD_USER_INPUT"


async def test_cursors_with_out_of_range_dates_are_bad_user_input(
    gql: GraphQLClient, tokens: Tokens
) -> None:
    query = "query($a: String!) { jobs(after: $a) { edges { cursor } } }"
    for stamp in ("0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"):
        cursor = base64.urlsafe_b64encode(
            f"k1|{stamp}|00000000-0000-0000-0000-000000000000".encode()
        ).decode()
        assert (
            first_code(await send(gql, query, {"a": cursor}, tokens.candidate)) == "BAD_USER_INPUT"
        )


@pytest.mark.parametrize("body", [b"null", b"true", b"1", b'"x"', b"[]", b"{}"])
async def test_bodies_that_are_not_a_request_are_bad_request(
    gql: GraphQLClient, body: bytes
) -> None:
    response = await gql.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert first_code(response) == "BAD_REQUEST"


UPLOAD = 'mutation($f: Upload) { importJobs(platform: "ashby", file: $f) { id } }'


@pytest.mark.parametrize(
    "mapping",
    ["[]", '"x"', '{"0":[1]}', '{"0":["variables.f.0.x"]}', '{"0":"variables.f"}', "nope"],
)
async def test_broken_multipart_maps_are_bad_request(
    gql: GraphQLClient, tokens: Tokens, mapping: str
) -> None:
    response = await gql.http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": UPLOAD, "variables": {"f": None}}),
            "map": mapping,
        },
        files={"0": ("jobs.json", b"[]", "application/json")},
        headers={"authorization": f"Bearer {tokens.admin}", "apollo-require-preflight": "true"},
    )
    assert response.status_code == 400, response.text
    assert first_code(response) == "BAD_REQUEST"


async def test_broken_multipart_bodies_are_bad_request(gql: GraphQLClient, tokens: Tokens) -> None:
    for operations in ("[1]", "null", "{not json"):
        response = await gql.http.post(
            "/graphql",
            data={"operations": operations, "map": '{"0":["variables.f"]}'},
            files={"0": ("jobs.json", b"[]", "application/json")},
            headers={"authorization": f"Bearer {tokens.admin}", "apollo-require-preflight": "true"},
        )
        assert response.status_code == 400, (operations, response.text)
        assert first_code(response) == "BAD_REQUEST"
    garbage = await gql.http.post(
        "/graphql",
        content=b"--xyz\r\nContent-Disposition: form-data\r\n\r\nbroken",
        headers={
            "content-type": "multipart/form-data; boundary=abc",
            "apollo-require-preflight": "true",
        },
    )
    assert 400 <= garbage.status_code < 500
    assert first_code(garbage) == "BAD_REQUEST"


async def test_multipart_without_a_preflight_header_is_refused_as_csrf(
    gql: GraphQLClient, tokens: Tokens
) -> None:
    operations = json.dumps({"query": UPLOAD, "variables": {"f": None}})
    response = await gql.http.post(
        "/graphql",
        data={"operations": operations, "map": '{"0":["variables.f"]}'},
        files={"0": ("jobs.json", b"[]", "application/json")},
        headers={"authorization": f"Bearer {tokens.admin}"},
    )
    assert response.status_code == 400
    assert first_code(response) == "BAD_REQUEST"
    assert "preflight" in response.json()["errors"][0]["message"].lower()


async def test_subscriptions_over_plain_http_are_bad_request(
    gql: GraphQLClient, tokens: Tokens
) -> None:
    query = "subscription { matchFound { eventId } }"
    posted = await send(gql, query, token=tokens.candidate)
    fetched = await gql.http.get(
        "/graphql", params={"query": query}, headers={"authorization": f"Bearer {tokens.candidate}"}
    )
    for response in (posted, fetched):
        assert response.status_code == 400, response.text
        assert first_code(response) == "BAD_REQUEST"
        assert "websocket" in response.json()["errors"][0]["message"].lower()


async def test_huge_strings_are_refused_before_parsing(gql: GraphQLClient, tokens: Tokens) -> None:
    query = 'mutation($v: String!) { createJob(input: {title: "Engineer", location: $v}) { id } }'
    response = await send(gql, query, {"v": "python " * 5000}, tokens.recruiter)
    assert first_code(response) == "BAD_USER_INPUT"
    assert response.json()["errors"][0]["extensions"].get("field") == "location"
