"""Passwords: changePassword ends the other sign-ins, reset by e-mailed single-use token (a real
local SMTP server), the operator's reset, and a temporary password that must be changed first."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

from adapters.mail import SmtpMailer
from app import Runtime
from resolvers import passwords
from tests.api.conftest import GraphQLClient, register
from tests.conftest import Clock

PASSWORD = "correct-horse-1"
NEW = "battery-staple-2"
ME = "{ me { email passwordChangeRequired } }"
CHANGE = "mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }"
LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) "
    "{ accessToken refreshToken user { passwordChangeRequired } } }"
)
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"
REQUEST = "mutation($e: String!) { requestPasswordReset(email: $e) }"
RESET = "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }"
WAIT_S = 20.0


class Inbox:
    """aiosmtpd handler: keeps every message and wakes whoever waits for one."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.arrived = asyncio.Event()
        self.loop = asyncio.get_running_loop()

    async def handle_DATA(self, server: object, session: Session, envelope: Envelope) -> str:
        content = envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode()
        self.loop.call_soon_threadsafe(self._keep, raw)
        return "250 OK"

    def _keep(self, content: bytes) -> None:
        self.messages.append(message_from_bytes(content))
        self.arrived.set()

    async def next(self) -> Message:
        async with asyncio.timeout(WAIT_S):
            while not self.messages:
                self.arrived.clear()
                await self.arrived.wait()
        return self.messages.pop(0)


@pytest.fixture
async def inbox(runtime: Runtime) -> AsyncIterator[Inbox]:
    """A real SMTP server on 127.0.0.1 that the app's mailer sends to."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    original = runtime.services.mailer
    runtime.services.mailer = SmtpMailer(f"smtp://127.0.0.1:{port}", "noreply@jobmatch.test")
    yield inbox
    runtime.services.mailer = original
    controller.stop()


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode())  # type: ignore[union-attr]
    raise AssertionError("no text part")


def _token(message: Message) -> str:
    found = re.search(r"Reset token: (\S+)", _text(message))
    assert found is not None, _text(message)
    return found.group(1)


async def _login(gql: GraphQLClient, email: str, password: str) -> dict[str, Any]:
    return dict((await gql.ok(LOGIN, {"e": email, "p": password}))["login"])


async def test_change_password_revokes_the_other_sign_ins_and_keeps_this_one(
    gql: GraphQLClient,
) -> None:
    first = await register(gql, "ada@example.com")
    second = await _login(gql, "ada@example.com", PASSWORD)

    assert await gql.ok(CHANGE, {"c": PASSWORD, "n": NEW}, token=first["accessToken"]) == {
        "changePassword": True
    }

    assert (await gql.ok(ME, token=first["accessToken"]))["me"]["email"] == "ada@example.com"
    assert await gql.error_code(ME, token=second["accessToken"]) == "UNAUTHENTICATED"
    assert await gql.error_code(REFRESH, {"t": second["refreshToken"]}) == "UNAUTHENTICATED"
    assert await gql.ok(REFRESH, {"t": first["refreshToken"]})
    assert await gql.error_code(LOGIN, {"e": "ada@example.com", "p": PASSWORD}) == (
        "UNAUTHENTICATED"
    )
    await _login(gql, "ada@example.com", NEW)


async def test_change_password_refuses_a_wrong_current_or_weak_new_password(
    gql: GraphQLClient,
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    for current, new, field in (
        ("wrong-password-9", NEW, "current"),
        (PASSWORD, "short", "password"),
        (PASSWORD, "password", "password"),
        (PASSWORD, PASSWORD, "new"),
        ("x" * 100_000, NEW, "current"),
    ):
        body = await gql.post(CHANGE, {"c": current, "n": new}, token=token)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    await _login(gql, "ada@example.com", PASSWORD)
    assert await gql.error_code(CHANGE, {"c": PASSWORD, "n": NEW}) == "UNAUTHENTICATED"


async def test_password_reset_mails_a_single_use_token(
    gql: GraphQLClient, inbox: Inbox, clock: Clock
) -> None:
    signed_in = await register(gql, "ada@example.com")

    assert await gql.ok(REQUEST, {"e": "ada@example.com"}) == {"requestPasswordReset": True}
    message = await inbox.next()
    assert message["To"] == "ada@example.com"
    assert "resetPassword" in _text(message)
    token = _token(message)

    assert await gql.ok(RESET, {"t": token, "p": NEW}) == {"resetPassword": True}
    assert await gql.error_code(ME, token=signed_in["accessToken"]) == "UNAUTHENTICATED"
    assert await gql.error_code(RESET, {"t": token, "p": "another-pass-3"}) == "BAD_USER_INPUT"
    await _login(gql, "ada@example.com", NEW)


async def test_password_reset_answers_the_same_for_unknown_addresses_and_tokens_expire(
    gql: GraphQLClient, inbox: Inbox, clock: Clock, runtime: Runtime
) -> None:
    await register(gql, "ada@example.com")
    assert await gql.ok(REQUEST, {"e": "nobody@example.com"}) == {"requestPasswordReset": True}
    assert await gql.ok(REQUEST, {"e": "ada@example.com"}) == {"requestPasswordReset": True}
    message = await inbox.next()
    assert message["To"] == "ada@example.com"  # the unknown address got nothing
    assert inbox.messages == []

    clock.now = datetime.now(UTC) + timedelta(
        seconds=runtime.services.settings.password_reset_ttl_s + 1
    )
    body = await gql.post(RESET, {"t": _token(message), "p": NEW})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    await _login(gql, "ada@example.com", PASSWORD)


async def test_a_weak_new_password_leaves_the_reset_token_usable(
    gql: GraphQLClient, inbox: Inbox
) -> None:
    await register(gql, "ada@example.com")
    await gql.ok(REQUEST, {"e": "ada@example.com"})
    token = _token(await inbox.next())
    body = await gql.post(RESET, {"t": token, "p": "short"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await gql.ok(RESET, {"t": token, "p": NEW})


async def test_a_temporary_password_must_be_changed_before_anything_else(
    gql: GraphQLClient,
) -> None:
    boss = (await register(gql, "boss@acme.example", "RECRUITER", "Acme"))["accessToken"]
    invite = await gql.ok(
        'mutation { addRecruiter(email: "new@acme.example") { temporaryPassword } }', token=boss
    )
    temporary = invite["addRecruiter"]["temporaryPassword"]

    signed_in = await _login(gql, "new@acme.example", temporary)
    assert signed_in["user"]["passwordChangeRequired"] is True
    token = signed_in["accessToken"]
    assert (await gql.ok(ME, token=token))["me"]["passwordChangeRequired"] is True
    for blocked in (
        "{ jobs(first: 1) { edges { cursor } } }",
        "{ candidates(first: 1) { edges { cursor } } }",
        'mutation { createJob(input: {title: "Engineer", description: "Build things"}) { id } }',
    ):
        assert await gql.error_code(blocked, token=token) == "PASSWORD_CHANGE_REQUIRED", blocked

    await gql.ok(CHANGE, {"c": temporary, "n": NEW}, token=token)

    assert (await gql.ok(ME, token=token))["me"]["passwordChangeRequired"] is False
    assert await gql.ok("{ jobs(first: 1) { edges { cursor } } }", token=token)


async def test_the_operator_reset_sets_a_temporary_or_a_given_password(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    old = await register(gql, "ada@example.com")

    temporary = await passwords.set_password(runtime.services, "ada@example.com", None)

    assert await gql.error_code(ME, token=old["accessToken"]) == "UNAUTHENTICATED"
    assert (await _login(gql, "ada@example.com", temporary))["user"]["passwordChangeRequired"]
    await passwords.set_password(runtime.services, "ada@example.com", NEW)
    assert not (await _login(gql, "ada@example.com", NEW))["user"]["passwordChangeRequired"]
