"""JWT time claims and the refresh-token reuse grace window, through the real app."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from tests.api.conftest import GraphQLClient, register
from tests.conftest import TEST_SECRET, Clock

ME = "{ me { email } }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }"


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _sign(claims: dict[str, Any], **changes: Any) -> str:
    payload = {k: v for k, v in (claims | changes).items() if v is not None}
    return jwt.encode(payload, TEST_SECRET, algorithm="HS256")


async def test_issued_tokens_carry_nbf_equal_to_iat(gql: GraphQLClient) -> None:
    payload = await register(gql, "ada@example.com")
    for token in (payload["accessToken"], payload["refreshToken"]):
        claims = _claims(token)
        assert claims["nbf"] == claims["iat"]


@pytest.mark.parametrize(
    "changes",
    [
        {"iat": True},  # a bool is an int in Python, but not a JSON number
        {"iat": "1764590400"},
        {"exp": "9999999999"},
        {"exp": "9999999999.5"},
        {"exp": float("nan")},
        {"exp": 1e300},
        {"nbf": True},
        {"nbf": "0"},
        {"nbf": None, "iat": None},
    ],
    ids=repr,
)
async def test_time_claims_that_are_not_numbers_are_refused(
    gql: GraphQLClient, changes: dict[str, Any]
) -> None:
    claims = _claims((await register(gql, "ada@example.com"))["accessToken"])
    assert await gql.error_code(ME, token=_sign(claims, **changes)) == "UNAUTHENTICATED"
    # The same token with honest claims is accepted: the change alone is refused.
    assert (await gql.ok(ME, token=_sign(claims)))["me"]["email"] == "ada@example.com"


async def test_iat_and_nbf_in_the_future_are_refused_beyond_a_small_leeway(
    gql: GraphQLClient, clock: Clock
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    clock.now = now
    claims = _claims((await register(gql, "ada@example.com"))["accessToken"])
    soon, later = int(now.timestamp()) + 20, int(now.timestamp()) + 120
    assert await gql.error_code(ME, token=_sign(claims, iat=later)) == "UNAUTHENTICATED"
    assert await gql.error_code(ME, token=_sign(claims, nbf=later)) == "UNAUTHENTICATED"
    for accepted in ({"iat": soon}, {"nbf": soon}, {"iat": soon + 0.5}, {"nbf": None}):
        assert (await gql.ok(ME, token=_sign(claims, **accepted)))["me"], accepted


async def test_concurrent_refreshes_of_one_token_keep_the_family(gql: GraphQLClient) -> None:
    token = (await register(gql, "ada@example.com"))["refreshToken"]
    first, second = await asyncio.gather(
        gql.ok(REFRESH, {"t": token}), gql.ok(REFRESH, {"t": token})
    )
    pairs = [first["refreshToken"], second["refreshToken"]]
    assert pairs[0]["refreshToken"] != pairs[1]["refreshToken"]
    for pair in pairs:
        assert (await gql.ok(ME, token=pair["accessToken"]))["me"]["email"] == "ada@example.com"
        assert (await gql.ok(REFRESH, {"t": pair["refreshToken"]}))["refreshToken"]


async def test_reuse_after_the_grace_window_revokes_the_family(
    gql: GraphQLClient, clock: Clock
) -> None:
    clock.now = datetime.now(UTC)
    token = (await register(gql, "ada@example.com"))["refreshToken"]
    rotated = (await gql.ok(REFRESH, {"t": token}))["refreshToken"]
    clock.now += timedelta(seconds=11)
    assert await gql.error_code(REFRESH, {"t": token}) == "UNAUTHENTICATED"
    assert await gql.error_code(ME, token=rotated["accessToken"]) == "UNAUTHENTICATED"
    assert await gql.error_code(REFRESH, {"t": rotated["refreshToken"]}) == "UNAUTHENTICATED"


async def test_reuse_from_another_client_within_the_window_revokes_the_family(
    gql: GraphQLClient,
) -> None:
    token = (await register(gql, "ada@example.com"))["refreshToken"]
    rotated = (await gql.ok(REFRESH, {"t": token}))["refreshToken"]
    response = await gql.http.post(
        "/graphql",
        json={"query": REFRESH, "variables": {"t": token}},
        headers={"User-Agent": "someone-else/1.0"},
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await gql.error_code(ME, token=rotated["accessToken"]) == "UNAUTHENTICATED"
