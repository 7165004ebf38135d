"""Persisted queries through the real app: Apollo's automatic persisted queries over POST and GET,
and the allow-list mode (JOBMATCH_PERSISTED_QUERIES) that runs registered documents only."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import Runtime, create_app
from domain.config import Settings
from domain.errors import InvalidInput
from schema.persisted import MAX_DOCUMENT_CHARS, DocumentCache, sha256
from tests.api.conftest import register
from tests.conftest import Clock
from tests.graphql_client import GraphQLClient, over_asgi

ME = "query Me { me { email } }"
REGISTER = (
    "mutation Register($input: RegisterInput!) { register(input: $input) { user { email } } }"
)
PASSWORD = "correct-horse-1"


def persisted(key: str, version: object = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": key}}


async def post(
    http: httpx.AsyncClient,
    query: str | None,
    key: str | None,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"variables": variables or {}}
    if query is not None:
        body["query"] = query
    if key is not None:
        body["extensions"] = persisted(key)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await http.post("/graphql", json=body, headers=headers)


async def get(
    http: httpx.AsyncClient,
    key: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> httpx.Response:
    """What Apollo's link sends with useGETForHashedQueries (its Accept is */*)."""
    params = {"extensions": json.dumps(persisted(key)), "variables": json.dumps(variables or {})}
    headers = {"Accept": "*/*", **({"Authorization": f"Bearer {token}"} if token else {})}
    return await http.get("/graphql", params=params, headers=headers)


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]


async def test_hash_only_for_an_unknown_document_is_persisted_query_not_found(
    gql: GraphQLClient,
) -> None:
    response = await post(gql.http, None, sha256(ME))

    assert response.status_code == 200
    assert response.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert "no-cache" in response.headers["cache-control"]


async def test_text_with_its_hash_runs_then_the_hash_alone_runs_it_over_post_and_get(
    gql: GraphQLClient,
) -> None:
    account = await register(gql, "ada@example.com")
    token = account["accessToken"]
    key = sha256(ME)
    assert codes(await get(gql.http, key, token=token)) == ["PERSISTED_QUERY_NOT_FOUND"]

    first = await post(gql.http, ME, key, token=token)
    by_post = await post(gql.http, None, key, token=token)
    by_get = await get(gql.http, key, token=token)

    assert first.json() == {"data": {"me": {"email": "ada@example.com"}}}
    assert by_post.json() == first.json()
    assert by_get.status_code == 200
    assert by_get.headers["content-type"].startswith("application/json")  # not GraphiQL
    assert by_get.json() == first.json()


async def test_a_persisted_mutation_never_runs_over_get(gql: GraphQLClient) -> None:
    key = sha256(REGISTER)
    first = {"input": {"email": "first@example.com", "password": PASSWORD}}
    second = {"input": {"email": "second@example.com", "password": PASSWORD}}
    assert "errors" not in (await post(gql.http, REGISTER, key, first)).json()

    refused = await get(gql.http, key, second)
    assert refused.status_code in (400, 405)
    assert codes(refused)
    login = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"
    credentials = {"i": {"email": "second@example.com", "password": PASSWORD}}
    assert await gql.error_code(login, credentials) == "UNAUTHENTICATED"

    # The same hash over POST is a stored mutation like any other.
    assert (await post(gql.http, None, key, second)).json()["data"]["register"]["user"] == {
        "email": "second@example.com"
    }


async def test_text_whose_hash_differs_is_refused_and_not_stored(gql: GraphQLClient) -> None:
    other = sha256("query Other { __typename }")

    refused = await post(gql.http, ME, other)

    assert refused.status_code == 400
    assert codes(refused) == ["BAD_REQUEST"]
    assert "does not match" in refused.json()["errors"][0]["message"]
    assert codes(await post(gql.http, None, other)) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert codes(await post(gql.http, None, sha256(ME))) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": "abc"},
        persisted("abc"),
        persisted(sha256(ME).upper()),
        persisted(sha256(ME) + "0"),
        persisted(sha256(ME), version=2),
        {"persistedQuery": {"version": 1}},
    ],
)
async def test_a_malformed_persisted_query_is_bad_request(
    gql: GraphQLClient, extension: dict[str, Any]
) -> None:
    response = await gql.http.post("/graphql", json={"query": ME, "extensions": extension})

    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert "data" not in response.json() or response.json()["data"] is None


async def test_an_invalid_document_is_answered_and_never_stored(gql: GraphQLClient) -> None:
    invalid = "query Broken { me { noSuchField } }"
    unparsable = "query Broken { me { "

    assert codes(await post(gql.http, invalid, sha256(invalid))) == ["GRAPHQL_VALIDATION_FAILED"]
    assert codes(await post(gql.http, unparsable, sha256(unparsable))) == ["GRAPHQL_PARSE_FAILED"]
    for document in (invalid, unparsable):
        assert codes(await post(gql.http, None, sha256(document))) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_requests_without_a_persisted_query_are_untouched(gql: GraphQLClient) -> None:
    assert await gql.ok("query Ping { __typename }") == {"__typename": "Query"}
    response = await gql.http.post("/graphql", json={"variables": {}})
    assert codes(response) == ["BAD_REQUEST"]


def test_the_learned_documents_are_bounded_in_entries_and_characters() -> None:
    by_count = DocumentCache(max_entries=3, max_chars=10_000)
    for number in range(5):
        by_count.put(f"k{number}", f"query Q{number} {{ __typename }}")
    by_count.get("k2")  # recently used: kept over k3
    by_count.put("k5", "query Q5 { __typename }")

    assert len(by_count) == 3
    assert by_count.get("k0") is None and by_count.get("k3") is None
    assert by_count.get("k2") is not None and by_count.get("k5") is not None

    by_size = DocumentCache(max_entries=100, max_chars=100)
    for number in range(10):
        by_size.put(f"k{number}", "x" * 30)
    by_size.put("huge", "y" * (MAX_DOCUMENT_CHARS + 1))
    assert len(by_size) == 3
    assert by_size.get("huge") is None


# The allow-list: only the manifest's documents run.

PING = "query Ping { __typename }"


@pytest.fixture
async def allow_listed(
    settings: Settings, runtime: Runtime, clean: None, clock: Clock, tmp_path: Path
) -> AsyncIterator[GraphQLClient]:
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha256(ME), "name": "Me", "type": "query", "body": ME},
            {"id": sha256(PING), "name": "Ping", "type": "query", "body": PING},
        ],
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    app = create_app(replace(settings, persisted_queries=path), runtime)
    async with over_asgi(app) as client:
        yield client


async def test_allow_list_runs_registered_documents_by_hash_or_text(
    allow_listed: GraphQLClient, gql: GraphQLClient
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    expected = {"data": {"me": {"email": "ada@example.com"}}}

    assert (await post(allow_listed.http, None, sha256(ME), token=token)).json() == expected
    assert (await get(allow_listed.http, sha256(ME), token=token)).json() == expected
    assert (await post(allow_listed.http, ME, None, token=token)).json() == expected
    assert (await post(allow_listed.http, PING, sha256(PING))).json() == {
        "data": {"__typename": "Query"}
    }


async def test_allow_list_refuses_every_other_document(allow_listed: GraphQLClient) -> None:
    other = "query Other { __typename }"

    plain = await post(allow_listed.http, other, None)
    retried = await post(allow_listed.http, other, sha256(other))
    hash_only = await post(allow_listed.http, None, sha256(other))
    introspection = await post(allow_listed.http, "{ __schema { types { name } } }", None)

    assert codes(plain) == codes(retried) == codes(introspection) == ["FORBIDDEN"]
    assert "registered operations" in plain.json()["errors"][0]["message"]
    assert codes(hash_only) == ["PERSISTED_QUERY_NOT_FOUND"]
    # Nothing is learned in this mode: the same hash stays unknown.
    assert codes(await post(allow_listed.http, None, sha256(other))) == [
        "PERSISTED_QUERY_NOT_FOUND"
    ]
    mismatch = await post(allow_listed.http, other, sha256(PING))
    assert codes(mismatch) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    "manifest",
    [
        {sha256(PING): "query Tampered { __typename }"},
        {"not-a-hash": PING},
        [PING],
        {"format": "apollo-persisted-query-manifest", "operations": {"id": "x"}},
    ],
)
def test_a_manifest_that_cannot_be_trusted_stops_the_start(
    settings: Settings, tmp_path: Path, manifest: object
) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(InvalidInput):
        create_app(replace(settings, persisted_queries=path))


def test_a_plain_hash_to_document_manifest_is_accepted(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({sha256(PING): PING}), encoding="utf-8")

    create_app(replace(settings, persisted_queries=path))
