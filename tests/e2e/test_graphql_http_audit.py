"""GraphQL over HTTP compliance: graphql-http's audits, and the graphql-response+json media type."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import run_node

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
def audits(graphql_url: str) -> list[dict[str, Any]]:
    return list(run_node("audit.mjs", graphql_url, timeout=60))


def _post(url: str, body: dict[str, Any], accept: str) -> httpx.Response:
    return httpx.post(url, json=body, headers={"Accept": accept}, timeout=10)


def test_server_passes_every_mandatory_graphql_over_http_audit(
    audits: list[dict[str, Any]],
) -> None:
    assert len(audits) > 50
    assert [audit for audit in audits if audit["status"] == "error"] == []


def test_server_follows_every_recommended_graphql_over_http_audit(
    audits: list[dict[str, Any]],
) -> None:
    assert [audit for audit in audits if audit["status"] == "warn"] == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ me { email ", "GRAPHQL_PARSE_FAILED"),
        ("{ me { noSuchField } }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
def test_request_errors_are_400_without_data_when_graphql_response_json_is_accepted(
    graphql_url: str, query: str, code: str
) -> None:
    response = _post(graphql_url, {"query": query}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code


def test_variable_coercion_failure_is_400_bad_user_input(graphql_url: str) -> None:
    body = {"query": "mutation($t: String!) { logout(refreshToken: $t) }", "variables": {"t": 5}}
    response = _post(graphql_url, body, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_field_errors_stay_200_with_data_under_graphql_response_json(graphql_url: str) -> None:
    response = _post(graphql_url, {"query": "{ me { email } }"}, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", f"application/json, {GRAPHQL_RESPONSE};q=0.5"]
)
def test_json_clients_keep_200_and_application_json_for_request_errors(
    graphql_url: str, accept: str
) -> None:
    response = _post(graphql_url, {"query": "{ me { noSuchField } }"}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
