"""Sign-up and sign-in limits through the real app: per address, per account, across instances."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app import Runtime, create_app
from db.models import RateLimit
from domain.config import Settings
from tests.api.conftest import GraphQLClient, register
from tests.conftest import Clock

REGISTER = 'mutation($e: String!) { register(input: {email: $e, password: "correct-horse-1"}) { accessToken } }'
LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }"
)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors"), body
    return dict(body["errors"][0])


async def _login(gql: GraphQLClient, password: str, email: str = "ada@example.com") -> str:
    body = await gql.post(LOGIN, {"e": email, "p": password})
    return "OK" if "errors" not in body else _error(body)["extensions"]["code"]


@dataclass
class Instance:
    gql: GraphQLClient
    runtime: Runtime


@pytest.fixture
async def second(settings: Settings, database_url: str) -> AsyncIterator[Instance]:
    """Another server instance on the same database: its own engine and process state."""
    other = await Runtime.start(settings, url=database_url, model=False)
    transport = httpx.ASGITransport(app=create_app(settings, other), client=("127.0.0.1", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield Instance(GraphQLClient(http), other)
    await other.close()


async def test_register_is_limited_per_address_with_a_retry_hint(
    gql: GraphQLClient, tune: Any, clock: Clock
) -> None:
    tune(register_limit=3, register_window_s=600)
    clock.now = NOW
    for n in range(3):
        await gql.ok(REGISTER, {"e": f"user{n}@example.com"})
    refused = _error(await gql.post(REGISTER, {"e": "user3@example.com"}))
    assert refused["extensions"]["code"] == "RATE_LIMITED"
    assert refused["extensions"]["retryAfter"] == 600
    assert "600 s" in refused["message"]
    clock.now = NOW + timedelta(seconds=599)
    assert (
        _error(await gql.post(REGISTER, {"e": "user3@example.com"}))["extensions"]["retryAfter"]
        == 1
    )
    clock.now = NOW + timedelta(seconds=600)
    await gql.ok(REGISTER, {"e": "user3@example.com"})


async def test_register_limit_is_shared_by_server_instances(
    gql: GraphQLClient, second: Instance, runtime: Runtime, tune: Any
) -> None:
    tune(register_limit=2)
    second.runtime.services.settings = runtime.services.settings
    await gql.ok(REGISTER, {"e": "one@example.com"})
    await gql.ok(REGISTER, {"e": "two@example.com"})
    # The second instance has never seen this address, but the counter is in PostgreSQL.
    assert await second.gql.error_code(REGISTER, {"e": "three@example.com"}) == "RATE_LIMITED"


async def test_failed_sign_ins_back_off_exponentially_up_to_a_cap(
    gql: GraphQLClient, tune: Any, clock: Clock
) -> None:
    tune(login_free_failures=3, login_backoff_cap_s=8, login_address_limit=1000)
    await register(gql, "ada@example.com")
    clock.now = NOW
    assert [await _login(gql, "wrong-password") for _ in range(3)] == ["UNAUTHENTICATED"] * 3
    # Third failure: closed for 1 s, even for the right password.
    assert await _login(gql, "correct-horse-1") == "RATE_LIMITED"
    waits = []
    for _ in range(5):
        body = await gql.post(LOGIN, {"e": "ada@example.com", "p": "wrong-password"})
        waits.append(_error(body)["extensions"]["retryAfter"])
        clock.now += timedelta(seconds=waits[-1])
        assert await _login(gql, "wrong-password") == "UNAUTHENTICATED"
    assert waits == [1, 2, 4, 8, 8]
    # Bounded: once the capped back-off ends, the owner signs in.
    assert await _login(gql, "correct-horse-1") == "RATE_LIMITED"
    clock.now += timedelta(seconds=8)
    assert await _login(gql, "correct-horse-1") == "OK"


async def test_a_successful_sign_in_clears_the_failures(
    gql: GraphQLClient, tune: Any, clock: Clock
) -> None:
    tune(login_free_failures=3)
    await register(gql, "ada@example.com")
    clock.now = NOW
    for _ in range(2):
        assert await _login(gql, "wrong-password") == "UNAUTHENTICATED"
    assert await _login(gql, "correct-horse-1") == "OK"
    for _ in range(2):
        assert await _login(gql, "wrong-password") == "UNAUTHENTICATED"
    assert await _login(gql, "correct-horse-1") == "OK"


async def test_refused_attempts_during_a_back_off_do_not_extend_it(
    gql: GraphQLClient, tune: Any, clock: Clock
) -> None:
    tune(login_free_failures=2, login_backoff_cap_s=900)
    await register(gql, "ada@example.com")
    clock.now = NOW
    for _ in range(2):
        assert await _login(gql, "wrong-password") == "UNAUTHENTICATED"
    for _ in range(20):
        assert await _login(gql, "wrong-password") == "RATE_LIMITED"
    clock.now += timedelta(seconds=1)
    assert await _login(gql, "correct-horse-1") == "OK"


async def test_sign_ins_are_limited_per_address_across_accounts(
    gql: GraphQLClient, tune: Any, clock: Clock
) -> None:
    tune(login_address_limit=4, login_address_window_s=60)
    await register(gql, "ada@example.com")
    clock.now = NOW
    codes = [await _login(gql, "wrong-password", f"n{n}@example.com") for n in range(4)]
    assert codes == ["UNAUTHENTICATED"] * 4
    assert await _login(gql, "correct-horse-1") == "RATE_LIMITED"
    clock.now += timedelta(seconds=60)
    assert await _login(gql, "correct-horse-1") == "OK"


async def test_account_failures_are_shared_by_server_instances(
    gql: GraphQLClient, second: Instance, runtime: Runtime, tune: Any
) -> None:
    tune(login_free_failures=2)
    second.runtime.services.settings = runtime.services.settings
    await register(gql, "ada@example.com")
    assert await _login(gql, "wrong-password") == "UNAUTHENTICATED"
    assert await _login(second.gql, "wrong-password") == "UNAUTHENTICATED"
    assert await _login(gql, "correct-horse-1") == "RATE_LIMITED"


async def test_forwarded_for_counts_only_behind_a_trusted_proxy(
    gql: GraphQLClient, tune: Any, runtime: Runtime
) -> None:
    tune(register_limit=1)

    async def sign_up(email: str, forwarded: str) -> str:
        response = await gql.http.post(
            "/graphql",
            json={"query": REGISTER, "variables": {"e": email}},
            headers={"X-Forwarded-For": forwarded},
        )
        body = response.json()
        return "OK" if "errors" not in body else _error(body)["extensions"]["code"]

    # The peer (127.0.0.1) is no proxy of ours: a forged header buys no fresh budget.
    assert await sign_up("a@example.com", "198.51.100.1") == "OK"
    assert await sign_up("b@example.com", "198.51.100.2") == "RATE_LIMITED"
    tune(register_limit=1, trusted_proxies=("127.0.0.1/32",))
    assert await sign_up("c@example.com", "6.6.6.6, 198.51.100.1") == "OK"
    assert await sign_up("d@example.com", "198.51.100.2") == "OK"
    # Whatever the client prepends, the hop our proxy saw is the one counted.
    assert await sign_up("e@example.com", "203.0.113.99, 198.51.100.2") == "RATE_LIMITED"
    async with runtime.services.sessions() as session:
        keys = (await session.execute(select(func.count()).select_from(RateLimit))).scalar_one()
    assert keys == 3
