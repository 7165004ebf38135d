"""Outgoing e-mail: SMTP when JOBMATCH_SMTP_URL is set, a log line otherwise.

Every message has a plain-text and an HTML part (multipart/alternative). A failed send raises
MailError so that the task that sent it is retried by the queue, never lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid, parseaddr
from typing import Protocol
from urllib.parse import unquote, urlsplit

log = logging.getLogger("jobmatch.mail")

SMTP_TIMEOUT_S = 20.0


class MailError(Exception):
    """The message could not be handed to the SMTP server (down, refused, timed out)."""


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


class Mailer(Protocol):
    async def send(self, email: Email) -> None: ...


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool  # smtps:// (implicit TLS); smtp:// uses STARTTLS when the server offers it


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp://user:pass@host:port or smtps://...; raises ValueError on anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("JOBMATCH_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("JOBMATCH_SMTP_URL needs a host")
    use_tls = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or (465 if use_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
    )


# Long header values (List-Unsubscribe's URL) stay whole on one line (RFC 5322 allows 998
# characters) rather than folded into encoded words that mail clients would not parse as a URL.
POLICY = SMTP.clone(max_line_length=998)


def build_message(email: Email, from_address: str) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = from_address
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or None)
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


class SmtpMailer:
    """Sends through aiosmtplib, one connection per message (digests are sent one per task)."""

    def __init__(self, url: str, from_address: str, *, timeout_s: float = SMTP_TIMEOUT_S) -> None:
        self.target = parse_smtp_url(url)
        self.from_address = from_address
        self.timeout_s = timeout_s

    async def send(self, email: Email) -> None:
        import aiosmtplib

        target = self.target
        try:
            # Flattened here: aiosmtplib's own flattening folds headers at 78 characters.
            await aiosmtplib.send(
                build_message(email, self.from_address).as_bytes(policy=POLICY),
                sender=parseaddr(self.from_address)[1],
                recipients=[parseaddr(email.to)[1]],
                hostname=target.host,
                port=target.port,
                username=target.username,
                password=target.password,
                use_tls=target.use_tls,
                start_tls=None if not target.use_tls else False,
                timeout=self.timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailError(
                f"SMTP {target.host}:{target.port}: {type(exc).__name__}: {exc}"
            ) from exc
        log.info("sent e-mail subject=%r to=%s", email.subject, email.to)


class LogMailer:
    """Used when JOBMATCH_SMTP_URL is unset: logs what would have been sent."""

    async def send(self, email: Email) -> None:
        log.info("e-mail not sent (no JOBMATCH_SMTP_URL) subject=%r to=%s", email.subject, email.to)


def mailer_for(smtp_url: str | None, from_address: str) -> Mailer:
    return SmtpMailer(smtp_url, from_address) if smtp_url else LogMailer()
