"""API fixtures: the real Starlette app over ASGI through the shared GraphQL client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app import Runtime, create_app
from domain.config import Settings
from domain.enums import Role
from resolvers import auth
from tests.api.hostile_support import Tokens
from tests.conftest import Clock
from tests.graphql_client import GraphQLClient, over_asgi


@pytest.fixture
async def gql(
    settings: Settings, runtime: Runtime, clean: None, clock: Clock
) -> AsyncIterator[GraphQLClient]:
    async with over_asgi(create_app(settings, runtime)) as client:
        yield client


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


@pytest.fixture
async def tokens(gql: GraphQLClient, runtime: Runtime) -> Tokens:
    """A candidate, a recruiter and a platform admin, for the hostile-input tests."""
    candidate = await register(gql, "seeker@example.com")
    recruiter = await register(gql, "hirer@example.com", "RECRUITER", "Acme")
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", "operator-pass-1", Role.PLATFORM_ADMIN
    )
    admin = await gql.ok(
        'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
    )
    return Tokens(
        candidate["accessToken"],
        candidate["refreshToken"],
        recruiter["accessToken"],
        admin["login"]["accessToken"],
    )
