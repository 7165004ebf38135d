"""The one GraphQL-over-HTTP client of the tests and benchmarks: the ASGI app or a real server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.types import ASGIApp

Variables = dict[str, Any] | None


@dataclass
class GraphQLClient:
    """POSTs operations to `url`: a path under the HTTP client's base URL, or an absolute URL.
    The token given to a call wins over the client's own."""

    http: httpx.AsyncClient
    token: str | None = None
    url: str = "/graphql"

    async def post(
        self, query: str, variables: Variables = None, token: str | None = None
    ) -> dict[str, Any]:
        """The whole response body: `data` and, when something failed, `errors`."""
        headers = {}
        bearer = token or self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        response = await self.http.post(
            self.url, json={"query": query, "variables": variables or {}}, headers=headers
        )
        return dict(response.json())

    async def ok(
        self, query: str, variables: Variables = None, token: str | None = None
    ) -> dict[str, Any]:
        """The `data` of an operation that must succeed."""
        body = await self.post(query, variables, token)
        if "errors" in body:
            raise AssertionError(body)
        return dict(body["data"])

    async def error_code(
        self, query: str, variables: Variables = None, token: str | None = None
    ) -> str:
        """`extensions.code` of the first error of an operation that must fail."""
        body = await self.post(query, variables, token)
        if not body.get("errors"):
            raise AssertionError(body)
        return str(body["errors"][0]["extensions"]["code"])


@asynccontextmanager
async def over_asgi(
    app: ASGIApp, peer: tuple[str, int] = ("127.0.0.1", 5555)
) -> AsyncIterator[GraphQLClient]:
    """A client of the app in this process; requests come from `peer` (rate limits key on it)."""
    transport = httpx.ASGITransport(app=app, client=peer)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield GraphQLClient(http)


@asynccontextmanager
async def over_http(
    url: str, token: str | None = None, **options: Any
) -> AsyncIterator[GraphQLClient]:
    """A client of a real server's endpoint, e.g. http://127.0.0.1:8000/graphql; `options` go
    to httpx.AsyncClient (limits, headers)."""
    async with httpx.AsyncClient(timeout=options.pop("timeout", 60), **options) as http:
        yield GraphQLClient(http, token, url)
