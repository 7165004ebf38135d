"""Accounts over HTTP with real clients: Python gql (httpx transport) and Apollo Client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.client import AsyncClientSession
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport

from tests.e2e.conftest import PASSWORD, run_node, unique_email

REGISTER = GraphQLRequest(
    "mutation Register($input: RegisterInput!) { register(input: $input) "
    "{ accessToken refreshToken user { id email role } } }"
)
LOGIN = GraphQLRequest(
    "mutation Login($input: LoginInput!) { login(input: $input) "
    "{ accessToken refreshToken user { id email } } }"
)
ME = GraphQLRequest("query Me { me { id email role } }")
REFRESH = GraphQLRequest(
    "mutation Refresh($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) "
    "{ accessToken refreshToken } }"
)
LOGOUT = GraphQLRequest(
    "mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }"
)


@pytest.fixture
async def gql_session(graphql_url: str) -> AsyncIterator[AsyncClientSession]:
    """gql validates every document against the schema it introspects from the server."""
    transport = HTTPXAsyncTransport(url=graphql_url, timeout=30)
    async with Client(
        transport=transport, fetch_schema_from_transport=True, execute_timeout=30
    ) as session:
        yield session


async def _run(
    session: AsyncClientSession,
    request: GraphQLRequest,
    bearer: str | None = None,
    **variables: Any,
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return await session.execute(
        GraphQLRequest(request, variable_values=variables), extra_args={"headers": headers}
    )


async def _error_code(
    session: AsyncClientSession,
    request: GraphQLRequest,
    bearer: str | None = None,
    **variables: Any,
) -> str:
    with pytest.raises(TransportQueryError) as failed:
        await _run(session, request, bearer, **variables)
    assert failed.value.errors
    return str(failed.value.errors[0]["extensions"]["code"])


async def test_gql_client_registers_signs_in_and_reads_me(gql_session: AsyncClientSession) -> None:
    email = unique_email("gql")
    credentials = {"email": email, "password": PASSWORD}
    registered = (await _run(gql_session, REGISTER, input=credentials))["register"]
    signed_in = (await _run(gql_session, LOGIN, input=credentials))["login"]

    me = (await _run(gql_session, ME, signed_in["accessToken"]))["me"]

    assert registered["user"]["role"] == "CANDIDATE"
    assert me == {"id": registered["user"]["id"], "email": email, "role": "CANDIDATE"}
    assert signed_in["user"]["id"] == registered["user"]["id"]
    assert signed_in["refreshToken"] != registered["refreshToken"]
    assert await _error_code(gql_session, ME) == "UNAUTHENTICATED"


async def test_gql_client_refresh_rotates_the_pair_and_logout_revokes_it(
    gql_session: AsyncClientSession,
) -> None:
    first = (
        await _run(
            gql_session, REGISTER, input={"email": unique_email("gql"), "password": PASSWORD}
        )
    )["register"]
    second = (await _run(gql_session, REFRESH, refreshToken=first["refreshToken"]))["refreshToken"]
    assert (await _run(gql_session, ME, second["accessToken"]))["me"]["id"] == first["user"]["id"]

    assert (
        await _run(gql_session, LOGOUT, second["accessToken"], refreshToken=second["refreshToken"])
    )["logout"] is True

    assert await _error_code(gql_session, ME, second["accessToken"]) == "UNAUTHENTICATED"
    assert (
        await _error_code(gql_session, REFRESH, refreshToken=second["refreshToken"])
        == "UNAUTHENTICATED"
    )
    assert (
        await _error_code(gql_session, REFRESH, refreshToken=first["refreshToken"])
        == "UNAUTHENTICATED"
    )


def test_apollo_client_registers_and_reads_me_over_http_and_websocket(graphql_url: str) -> None:
    email = unique_email("apollo")

    seen = run_node("apollo_client.mjs", graphql_url, email, PASSWORD)

    assert seen["registered"]["email"] == email
    assert seen["httpMe"]["email"] == email and seen["httpMe"]["role"] == "CANDIDATE"
    assert seen["wsMe"]["id"] == seen["httpMe"]["id"] == seen["registered"]["id"]
    assert seen["invalid"] == {"codes": ["GRAPHQL_VALIDATION_FAILED"]}
