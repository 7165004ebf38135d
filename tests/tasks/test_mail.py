"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1): text and HTML parts, the from
address, the digest's unsubscribe headers; a server that is down delays a digest, never loses it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from adapters.mail import Email, LogMailer, MailError, SmtpMailer, parse_smtp_url
from adapters.taskqueue import TaskQueue
from app import Runtime
from db.models import Digest
from resolvers.tasks import defer_digest
from tests.api.conftest import GraphQLClient
from tests.api.test_digests import NOW, _world
from tests.conftest import Clock
from tests.tasks.conftest import SmtpServer, drain, jobs, until

FROM = "JobMatch <digest@jobmatch.test>"


@pytest.fixture
def smtp_mailer(runtime: Runtime, smtp: SmtpServer) -> Iterator[SmtpMailer]:
    """The runtime sends through the test's SMTP server for one test."""
    original = runtime.services.mailer
    mailer = SmtpMailer(smtp.url, FROM, timeout_s=5)
    runtime.services.mailer = mailer
    yield mailer
    runtime.services.mailer = original


def _parts(message: object) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()  # type: ignore[attr-defined]
        for part in message.walk()  # type: ignore[attr-defined]
        if not part.is_multipart()
    }


async def test_an_email_arrives_with_a_text_and_an_html_part(smtp: SmtpServer) -> None:
    smtp.start()
    mailer = SmtpMailer(smtp.url, FROM)
    await mailer.send(
        Email(
            to="ada@example.com",
            subject="Hello <there>",
            text="plain words\n",
            html="<p>rich words</p>",
            headers={"X-Test": "1"},
        )
    )
    [message] = smtp.recorder.messages
    [envelope] = smtp.recorder.envelopes
    assert envelope.mail_from == "digest@jobmatch.test"
    assert envelope.rcpt_tos == ["ada@example.com"]
    assert message["From"] == FROM and message["To"] == "ada@example.com"
    assert message["Subject"] == "Hello <there>" and message["X-Test"] == "1"
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert parts["text/plain"].strip() == "plain words"
    assert parts["text/html"].strip() == "<p>rich words</p>"


async def test_a_server_that_is_down_raises_mail_error(smtp: SmtpServer) -> None:
    mailer = SmtpMailer(smtp.url, FROM, timeout_s=5)  # nothing listens on the port
    with pytest.raises(MailError):
        await mailer.send(Email(to="ada@example.com", subject="s", text="t", html="<p>h</p>"))


async def test_without_smtp_url_emails_are_logged_not_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="jobmatch.mail"):
        await LogMailer().send(Email(to="ada@example.com", subject="Hi", text="t", html="h"))
    assert "e-mail not sent" in caplog.text and "ada@example.com" in caplog.text


def test_smtp_urls_are_parsed_with_credentials_and_tls() -> None:
    target = parse_smtp_url("smtps://user%40x:p%3Ass@mail.example.com")
    assert (target.host, target.port, target.username, target.password, target.use_tls) == (
        "mail.example.com",
        465,
        "user@x",
        "p:ss",
        True,
    )
    assert parse_smtp_url("smtp://127.0.0.1:2525").port == 2525
    with pytest.raises(ValueError):
        parse_smtp_url("http://mail.example.com")


async def test_a_digest_is_stored_when_smtp_is_down_and_emailed_on_a_retry(
    gql: GraphQLClient,
    runtime: Runtime,
    queue: TaskQueue,
    clock: Clock,
    smtp: SmtpServer,
    smtp_mailer: SmtpMailer,
) -> None:
    w = await _world(gql, runtime, clock)
    await defer_digest(runtime.services, w["user"])
    await defer_digest(runtime.services, w["user"])  # the queueing lock keeps one waiting
    failed_at = datetime.now(UTC)
    await drain(queue)  # the server is down: the task fails and is scheduled again
    [job] = await jobs(runtime, "send_digest")
    assert job["status"] == "todo" and job["attempts"] == 1
    async with runtime.services.sessions() as session:
        [stored] = (await session.execute(select(Digest))).scalars().all()
        scheduled = await session.scalar(
            text("SELECT scheduled_at FROM procrastinate.procrastinate_jobs")
        )
    assert stored.emailed_at is None and stored.created_at == NOW
    assert scheduled is not None and scheduled > failed_at  # backed off, not spinning

    smtp.start()

    async def delivered() -> list[object]:
        await drain(queue)  # runs the retry once its back-off has passed
        return list(smtp.recorder.messages)

    [message] = await until(delivered, limit_s=60, every=0.5)
    assert message["To"] == "ada@example.com" and message["From"] == FROM
    assert message["Subject"].startswith("Your daily job digest")
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/digests/unsubscribe?token=" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = _parts(message)
    assert "Best new jobs for you" in parts["text/plain"]
    assert "Senior Python Engineer" in parts["text/plain"]
    assert "<h1>" in parts["text/html"] and "Unsubscribe</a>" in parts["text/html"]
    [job] = await jobs(runtime, "send_digest")
    assert job["status"] == "succeeded" and job["attempts"] == 2
    async with runtime.services.sessions() as session:
        [sent] = (await session.execute(select(Digest))).scalars().all()
    assert sent.id == stored.id and sent.emailed_at == NOW  # the stored digest, not a new one
