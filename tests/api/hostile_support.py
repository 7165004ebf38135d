"""Hostile requests and the rule every answer to them must keep: GraphQL JSON, a code, no 5xx."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from tests.graphql_client import GraphQLClient

NUL, SURROGATE = "\x00", "\ud800"

# SPEC §7, less INTERNAL_SERVER_ERROR: a hostile request must never reach an unexpected error.
EXPECTED_CODES = frozenset(
    {
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "BAD_USER_INPUT",
        "CONFLICT",
        "RATE_LIMITED",
        "QUERY_TOO_COMPLEX",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "PERSISTED_QUERY_NOT_FOUND",
        "BAD_REQUEST",
    }
)


def fragment_bomb(levels: int = 30) -> str:
    """Each fragment spreads the next twice: 2**levels paths through a < 2 KB document."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    fragments.append(f"fragment F{levels - 1} on Query {{ __typename }}")
    return "{ ...F0 } " + " ".join(fragments)


def same_named_fields(count: int = 550) -> str:
    """One response name, different arguments: quadratic for the overlapping-fields rule."""
    fields = " ".join(f'a: job(id: "{i}") {{ id }}' for i in range(count))
    return "{ " + fields + " }"


def json_body(payload: Any) -> bytes:
    """ASCII-escaped JSON, so lone surrogates travel as \\ud800 the way a hostile client sends them."""
    return json.dumps(payload, ensure_ascii=True).encode()


def coded_errors(response: httpx.Response) -> list[str]:
    """The codes of a GraphQL JSON error answer; fails on anything else a hostile client could get."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert "json" in response.headers.get("content-type", ""), response.text[:500]
    body = response.json()
    assert isinstance(body, dict), body
    errors = body.get("errors") or []
    codes = [(error.get("extensions") or {}).get("code") for error in errors]
    assert all(code in EXPECTED_CODES for code in codes), body
    return [str(code) for code in codes]


def first_code(response: httpx.Response) -> str:
    codes = coded_errors(response)
    assert codes, response.text[:500]
    return codes[0]


@dataclass
class Tokens:
    candidate: str
    candidate_refresh: str
    recruiter: str
    admin: str


async def send(
    gql: GraphQLClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await gql.http.post(
        "/graphql",
        content=json_body({"query": query, "variables": variables or {}}),
        headers=headers,
    )


def _fill(value: Any, bad: str) -> Any:
    if isinstance(value, str):
        return value.replace("{bad}", bad)
    if isinstance(value, list):
        return [_fill(item, bad) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, bad) for key, item in value.items()}
    return value
