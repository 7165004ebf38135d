"""Password reset: how a token is stored (its digest) and the e-mail that carries it."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class ResetMessage:
    subject: str
    text: str
    html: str


def token_digest(token: str) -> str:
    """Only the sha256 of a reset token is stored: a database leak discloses no usable link."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def reset_email(token: str, ttl_s: int, reset_url: str | None) -> ResetMessage:
    """The reset e-mail: a link to the web app's reset page when one is configured, and the
    token with the mutation that takes it either way."""
    minutes = max(1, ttl_s // 60)
    link = (
        f"{reset_url}{'&' if '?' in reset_url else '?'}{urlencode({'token': token})}"
        if reset_url
        else None
    )
    how = (
        f"Open {link} to choose a new password"
        if link
        else f'Call resetPassword(token: "{token}", newPassword: "...")'
    )
    text = (
        "Someone asked to reset the password of your jobmatch account.\n\n"
        f"{how}. The token works once, within {minutes} minutes.\n\n"
        f"Reset token: {token}\n\n"
        "If it was not you, ignore this message: your password stays as it is."
    )
    action = f'<p><a href="{html.escape(link)}">Choose a new password</a></p>' if link else ""
    body = (
        "<p>Someone asked to reset the password of your jobmatch account.</p>"
        f"{action}<p>Reset token (works once, within {minutes} minutes): "
        f"<code>{html.escape(token)}</code></p>"
        "<p>If it was not you, ignore this message: your password stays as it is.</p>"
    )
    return ResetMessage("Reset your jobmatch password", text, body)
