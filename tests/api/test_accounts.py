"""Accounts through the real app: register, login, refresh rotation, logout, me, updateMe."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import func, select

from app import Runtime
from db.models import Company, RefreshToken, User
from tests.api.conftest import GraphQLClient, register
from tests.conftest import TEST_SECRET, Clock

ME = "{ me { id email role headline skills seniority yearsOfExperience hasProfileEmbedding company { name } } }"
LOGIN = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken refreshToken user { email } } }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }"
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) }"


async def _count(runtime: Runtime, model: type) -> int:
    async with runtime.services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_register_candidate_signs_in_and_me_answers(gql: GraphQLClient) -> None:
    payload = await register(gql, "Ada@Example.com")
    assert payload["user"]["role"] == "CANDIDATE"
    assert payload["user"]["email"] == "Ada@example.com"
    me = (await gql.ok(ME, token=payload["accessToken"]))["me"]
    assert me["id"] == payload["user"]["id"]
    assert me["company"] is None


async def test_recruiter_with_new_company_becomes_its_admin(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    payload = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme Rockets")
    assert payload["user"]["role"] == "COMPANY_ADMIN"
    assert payload["user"]["company"]["name"] == "Acme Rockets"
    assert await _count(runtime, Company) == 1


async def test_recruiter_cannot_register_into_an_existing_company(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    await register(gql, "boss@acme.test", role="RECRUITER", company="Acme Rockets")
    code = await gql.error_code(
        'mutation { register(input: {email: "x@acme.test", password: "correct-horse-1", role: RECRUITER, companyName: "acme rockets"}) { accessToken } }'
    )
    assert code == "CONFLICT"
    assert await _count(runtime, User) == 1


async def test_duplicate_email_is_conflict_regardless_of_case(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    await register(gql, "dup@example.com")
    body = await gql.post(
        'mutation { register(input: {email: "DUP@example.com", password: "correct-horse-1"}) { accessToken } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert body["data"] is None
    assert await _count(runtime, User) == 1


async def test_weak_password_and_bad_email_are_bad_user_input(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    for email, password, field in (
        ("a@example.com", "short", "password"),
        ("a@example.com", "aaaaaaaaaa", "password"),
        ("a@example.com", "password123", "password"),
        ("a@example.com", "Sunshine1", "password"),
        ("grace.hopper@example.com", "Grace.Hopper-1906", "password"),
        ("not-an-email", "correct-horse-1", "email"),
        ("a@b", "correct-horse-1", "email"),
    ):
        body = await gql.post(
            "mutation($e: String!, $p: String!) { register(input: {email: $e, password: $p}) { accessToken } }",
            {"e": email, "p": password},
        )
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (email, password)
        assert error["extensions"]["field"] == field, (email, password)
    assert await _count(runtime, User) == 0


async def test_candidate_cannot_register_a_company_or_self_promote(gql: GraphQLClient) -> None:
    assert (
        await gql.error_code(
            'mutation { register(input: {email: "a@example.com", password: "correct-horse-1", companyName: "X"}) { accessToken } }'
        )
        == "BAD_USER_INPUT"
    )
    assert (
        await gql.error_code(
            'mutation { register(input: {email: "a@example.com", password: "correct-horse-1", role: PLATFORM_ADMIN}) { accessToken } }'
        )
        == "BAD_USER_INPUT"
    )


async def test_login_with_wrong_password_or_unknown_email_is_unauthenticated(
    gql: GraphQLClient,
) -> None:
    await register(gql, "ada@example.com")
    wrong = await gql.post(LOGIN, {"e": "ada@example.com", "p": "wrong-password"})
    unknown = await gql.post(LOGIN, {"e": "nobody@example.com", "p": "wrong-password"})
    assert wrong["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert wrong["errors"][0]["message"] == unknown["errors"][0]["message"]
    ok = await gql.ok(LOGIN, {"e": "ADA@example.com", "p": "correct-horse-1"})
    assert ok["login"]["user"]["email"] == "ada@example.com"


async def test_login_attempts_are_rate_limited_per_account(
    gql: GraphQLClient, clock: Clock
) -> None:
    await register(gql, "ada@example.com")
    clock.now = datetime.now(UTC)
    codes = [
        (await gql.post(LOGIN, {"e": "ada@example.com", "p": "wrong-password"}))["errors"][0][
            "extensions"
        ]["code"]
        for _ in range(6)
    ]
    # Five failures are free; the fifth closes the account for 1 s, the next one for 2 s, ...
    assert codes == ["UNAUTHENTICATED"] * 5 + ["RATE_LIMITED"]
    clock.now += timedelta(seconds=1)
    assert (await gql.ok(LOGIN, {"e": "ada@example.com", "p": "correct-horse-1"}))["login"]


async def test_me_without_token_is_unauthenticated(gql: GraphQLClient) -> None:
    assert await gql.error_code(ME) == "UNAUTHENTICATED"
    assert await gql.error_code(ME, token="garbage.token.value") == "UNAUTHENTICATED"


async def test_refresh_rotates_and_reuse_revokes_the_family(
    gql: GraphQLClient, clock: Clock
) -> None:
    clock.now = datetime.now(UTC)
    first = await register(gql, "ada@example.com")
    second = (await gql.ok(REFRESH, {"t": first["refreshToken"]}))["refreshToken"]
    assert second["refreshToken"] != first["refreshToken"]
    assert (await gql.ok(ME, token=second["accessToken"]))["me"]["email"] == "ada@example.com"
    # The old token comes back after the retry grace window (tests/api/test_tokens.py):
    # treat as stolen, end every token of this sign-in.
    clock.now += timedelta(seconds=11)
    assert await gql.error_code(REFRESH, {"t": first["refreshToken"]}) == "UNAUTHENTICATED"
    assert await gql.error_code(REFRESH, {"t": second["refreshToken"]}) == "UNAUTHENTICATED"
    assert await gql.error_code(ME, token=second["accessToken"]) == "UNAUTHENTICATED"


async def test_token_types_are_not_interchangeable(gql: GraphQLClient) -> None:
    payload = await register(gql, "ada@example.com")
    assert await gql.error_code(REFRESH, {"t": payload["accessToken"]}) == "UNAUTHENTICATED"
    assert await gql.error_code(ME, token=payload["refreshToken"]) == "UNAUTHENTICATED"


def _forge(token: str, **changes: object) -> dict[str, object]:
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(changes)
    return claims


async def test_tampered_alg_none_and_wrong_key_tokens_are_refused(gql: GraphQLClient) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "00000000-0000-0000-0000-000000000000"
    tampered = ".".join(
        [
            header,
            base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("="),
            signature,
        ]
    )
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    alg_none = f"{none_header}.{payload}."
    wrong_key = jwt.encode(_forge(token), "another-secret-" + "y" * 40, algorithm="HS256")
    hs512 = jwt.encode(_forge(token), TEST_SECRET, algorithm="HS512")
    no_type = jwt.encode(
        {k: v for k, v in _forge(token).items() if k != "type"}, TEST_SECRET, algorithm="HS256"
    )
    for bad in (tampered, alg_none, wrong_key, hs512, no_type):
        assert await gql.error_code(ME, token=bad) == "UNAUTHENTICATED"
    assert (await gql.ok(ME, token=jwt.encode(_forge(token), TEST_SECRET, algorithm="HS256")))["me"]


async def test_expired_access_token_is_refused(gql: GraphQLClient, clock: Clock) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    clock.now = datetime.now(UTC) + timedelta(minutes=16)
    body = await gql.post(ME, token=token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in body["errors"][0]["message"]


async def test_logout_revokes_the_access_and_refresh_tokens(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    payload = await register(gql, "ada@example.com")
    other = (await gql.ok(LOGIN, {"e": "ada@example.com", "p": "correct-horse-1"}))["login"]
    assert (await gql.ok(LOGOUT, {"t": payload["refreshToken"]}, token=payload["accessToken"]))[
        "logout"
    ] is True
    assert await gql.error_code(ME, token=payload["accessToken"]) == "UNAUTHENTICATED"
    assert await gql.error_code(REFRESH, {"t": payload["refreshToken"]}) == "UNAUTHENTICATED"
    # Another sign-in of the same user is untouched.
    assert (await gql.ok(ME, token=other["accessToken"]))["me"]["email"] == "ada@example.com"
    async with runtime.services.sessions() as session:
        revoked = (
            await session.execute(
                select(func.count())
                .select_from(RefreshToken)
                .where(RefreshToken.revoked_at.is_not(None))
            )
        ).scalar_one()
    assert revoked == 1
