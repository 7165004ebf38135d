"""Helpers of the scrape-queue tests: an operator, scraper keys, bot calls, candidates with roles."""

from __future__ import annotations

from typing import Any

from app import Runtime
from domain.enums import Role
from resolvers import auth
from tests.api.conftest import register
from tests.graphql_client import GraphQLClient

ROLE = "id role status candidates locations retryCount lastError claimedAt lastScrapedAt pendingUploads platforms { platform status }"
CLAIM = f"mutation {{ claimScrapeRole {{ {ROLE} }} }}"
SUBMIT = """
mutation($r: ID!, $p: String!, $j: [ScrapedJobInput!]!) {
  submitScrapedJobs(roleId: $r, platform: $p, jobs: $j) { uploadId received queuePosition }
}
"""
COMPLETE = f"mutation($r: ID!) {{ completeScrapeRole(roleId: $r) {{ {ROLE} }} }}"
FAIL = f"mutation($r: ID!, $e: String!, $retry: Boolean!) {{ failScrapeRole(roleId: $r, error: $e, retry: $retry) {{ {ROLE} }} }}"
CREATE_KEY = "mutation($n: String!) { createScraperKey(name: $n) { apiKey key { id name prefix createdAt lastUsedAt revokedAt } } }"
REVOKE_KEY = "mutation($id: ID!) { revokeScraperKey(id: $id) { id revokedAt } }"
QUEUE = f"query {{ scrapeQueue(first: 50) {{ edges {{ cursor node {{ {ROLE} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
ALERTS = "query { alerts(first: 50) { edges { node { id kind message createdAt details { name value } } } } }"


async def operator(gql: GraphQLClient, runtime: Runtime) -> str:
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", "operator-pass-1", Role.PLATFORM_ADMIN
    )
    data = await gql.ok(
        'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
    )
    return str(data["login"]["accessToken"])


async def new_key(gql: GraphQLClient, admin: str, name: str = "bot-1") -> dict[str, Any]:
    return dict((await gql.ok(CREATE_KEY, {"n": name}, token=admin))["createScraperKey"])


async def bot(
    gql: GraphQLClient, key: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole response body of an operation sent with X-Scraper-API-Key."""
    response = await gql.http.post(
        gql.url,
        json={"query": query, "variables": variables or {}},
        headers={"X-Scraper-API-Key": key},
    )
    return dict(response.json())


async def bot_ok(
    gql: GraphQLClient, key: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await bot(gql, key, query, variables)
    assert "errors" not in body, body
    return dict(body["data"])


def code(body: dict[str, Any]) -> str:
    assert body.get("errors"), body
    return str(body["errors"][0]["extensions"]["code"])


async def seeker(
    gql: GraphQLClient, email: str, roles: list[str], places: list[str] | None = None
) -> str:
    """A signed-up candidate with preferred roles (and locations); returns the access token."""
    token = str((await register(gql, email))["accessToken"])
    await gql.ok(
        "mutation($r: [String!], $l: [String!]) { updateMe(input: {preferredRoles: $r, "
        'preferredLocations: $l, headline: "Engineer"}) { id preferredRoles } }',
        {"r": roles, "l": places or []},
        token=token,
    )
    return token


def posting(external_id: str, title: str, **extra: Any) -> dict[str, Any]:
    return {
        "externalJobId": external_id,
        "title": title,
        "company": "Scrapeco",
        "location": "Berlin, Germany",
        "description": f"{title} at Scrapeco: build data pipelines in Python and SQL.",
        **extra,
    }
