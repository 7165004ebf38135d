"""API fixtures: the real Starlette app over ASGI, and a small GraphQL helper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app import create_app
from domain.config import Settings
from resolvers.services import Runtime
from tests.conftest import Clock


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    token: str | None = None

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {}
        bearer = token or self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return response.json()

    async def ok(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        body = await self.post(query, variables, token)
        assert "errors" not in body, body
        return body["data"]

    async def error_code(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> str:
        body = await self.post(query, variables, token)
        assert body.get("errors"), body
        return body["errors"][0]["extensions"]["code"]


@pytest.fixture
async def gql(
    settings: Settings, runtime: Runtime, clean: None, clock: Clock
) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings, runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield GraphQLClient(http)


REGISTER = """
mutation($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id email role company { id name } } }
}
"""


async def register(
    gql: GraphQLClient,
    email: str,
    role: str = "CANDIDATE",
    company: str | None = None,
    password: str = "correct-horse-1",
) -> dict[str, Any]:
    data = await gql.ok(
        REGISTER,
        {"input": {"email": email, "password": password, "role": role, "companyName": company}},
    )
    return data["register"]


@pytest.fixture
def tune(runtime: Runtime) -> Any:
    """Changes runtime settings for one test, e.g. tune(feed_pool_size=4) for a small ANN pool."""
    from dataclasses import replace

    original = runtime.services.settings

    def change(**values: Any) -> None:
        runtime.services.settings = replace(original, **values)

    yield change
    runtime.services.settings = original
