"""Passwords: change (ends the other sign-ins), reset by an e-mailed single-use token, and the
operator's reset from the command line.

requestPasswordReset answers the same whether or not the address has an account, and the
e-mail leaves in the background so the answer's timing does not tell either.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.mail import Email
from db import outbox, ratelimits, tokens, users
from db.engine import read, transaction
from domain.accounts import MAX_PASSWORD_LENGTH, normalize_email, validate_password
from domain.clients import limit_key
from domain.enums import EventKind
from domain.errors import InvalidInput, NotFound, RateLimited, Unauthenticated
from domain.passwords import reset_email, token_digest
from domain.ratelimit import retry_after_s, window_retry_after
from resolvers.auth import LOGIN_ACCOUNT, failed_login
from resolvers.services import Services, Viewer, require

log = logging.getLogger("jobmatch.passwords")

RESET_ADDRESS = "reset-address"
RESET_ACCOUNT = "reset-account"
RESETS_PER_ACCOUNT = 5  # e-mails per account per password_reset_ttl_s
MAX_TOKEN_LENGTH = 200
# Sends in flight: a task nobody references may be garbage-collected before it finishes.
_sending: set[asyncio.Task[None]] = set()


async def _end_sessions(
    session: AsyncSession, user_id: uuid.UUID, services: Services, keep: uuid.UUID | None
) -> None:
    """Revokes the user's other sign-ins; their sockets close (4403) on every instance."""
    now = services.clock()
    for family in await tokens.revoke_user_families(session, user_id, now, keep):
        await outbox.emit(
            session, EventKind.SESSION_REVOKED, user_id=user_id, payload={"family_id": str(family)}
        )
    await tokens.void_reset_tokens(session, user_id, now)


async def _store_password(
    services: Services,
    session: AsyncSession,
    user_id: uuid.UUID,
    password_hash: str,
    *,
    temporary: bool = False,
    keep: uuid.UUID | None = None,
) -> None:
    await users.update_user(
        session, user_id, password_hash=password_hash, password_change_required=temporary
    )
    await _end_sessions(session, user_id, services, keep)


async def change_password(
    services: Services, viewer: Viewer | None, current: str, new: str
) -> bool:
    """Needs the current password (failures back off like sign-in); keeps this sign-in only."""
    viewer = require(viewer)
    async with read(services.sessions) as session:
        user = await users.get_user(session, viewer.id)
        if user is None:
            raise Unauthenticated("this account no longer exists")
        blocked = await ratelimits.blocked_until(session, LOGIN_ACCOUNT, user.email.lower())
    now = services.clock()
    if blocked is not None and blocked > now:
        raise RateLimited("too many wrong passwords", retry_after_s=retry_after_s(blocked, now))
    if len(current) > MAX_PASSWORD_LENGTH or not await asyncio.to_thread(
        services.passwords.verify, user.password_hash, current
    ):
        await failed_login(services, user.email.lower(), now)
        raise InvalidInput("the current password is wrong", field="current")
    validate_password(new, user.email)
    if new == current:
        raise InvalidInput("choose a password different from the current one", field="new")
    password_hash = await asyncio.to_thread(services.passwords.hash, new)
    async with transaction(services.sessions) as session:
        await _store_password(
            services, session, viewer.id, password_hash, keep=viewer.token.family_id
        )
    return True


async def _count(services: Services, scope: str, key: str, limit: int, window_s: int) -> bool:
    """Counts one hit; True while the window has room."""
    now = services.clock()
    async with transaction(services.sessions) as session:
        window = await ratelimits.hit(session, scope, key, window_s, now)
    return window_retry_after(window, limit, window_s, now) is None


async def _limit_address(services: Services, client: str) -> None:
    settings, now = services.settings, services.clock()
    async with transaction(services.sessions) as session:
        window = await ratelimits.hit(
            session, RESET_ADDRESS, limit_key(client), settings.login_address_window_s, now
        )
    wait = window_retry_after(
        window, settings.login_address_limit, settings.login_address_window_s, now
    )
    if wait is not None:
        raise RateLimited("too many password resets from this address", retry_after_s=wait)


async def request_password_reset(services: Services, email: str, client: str) -> bool:
    """Always True: e-mails a single-use token only when the address has an active account."""
    address = normalize_email(email)
    await _limit_address(services, client)
    settings, now = services.settings, services.clock()
    ttl = settings.password_reset_ttl_s
    if not await _count(services, RESET_ACCOUNT, address.lower(), RESETS_PER_ACCOUNT, ttl):
        return True
    token = secrets.token_urlsafe(32)
    async with transaction(services.sessions) as session:
        user = await users.get_user_by_email(session, address)
        if user is None or not user.is_active:
            return True
        expires = now + timedelta(seconds=ttl)
        await tokens.add_reset_token(session, token_digest(token), user.id, now, expires)
    message = reset_email(token, ttl, settings.password_reset_url)
    email_out = Email(to=user.email, subject=message.subject, text=message.text, html=message.html)
    task = asyncio.create_task(_send(services, email_out))
    _sending.add(task)
    task.add_done_callback(_sending.discard)
    return True


async def _send(services: Services, email: Email) -> None:
    try:
        await services.mailer.send(email)
    except Exception:  # nobody awaits this task: the failure must reach the log
        log.exception("password reset e-mail to %s failed", email.to)


async def reset_password(services: Services, token: str, new: str, client: str) -> bool:
    """Sets the password from a reset e-mail's token (once) and ends every sign-in."""
    await _limit_address(services, client)
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidInput("this reset token is invalid, used or expired", field="token")
    digest = token_digest(token.strip())
    async with read(services.sessions) as session:
        pending = await tokens.get_reset_token(session, digest)
        user = await users.get_user(session, pending.user_id) if pending else None
    if user is None:
        raise InvalidInput("this reset token is invalid, used or expired", field="token")
    validate_password(new, user.email)
    password_hash = await asyncio.to_thread(services.passwords.hash, new)
    async with transaction(services.sessions) as session:
        if await tokens.claim_reset_token(session, digest, services.clock()) is None:
            raise InvalidInput("this reset token is invalid, used or expired", field="token")
        await _store_password(services, session, user.id, password_hash)
        await ratelimits.reset(session, LOGIN_ACCOUNT, user.email.lower())
    return True


async def set_password(services: Services, email: str, password: str | None) -> str:
    """For operators (CLI): sets `password`, or a temporary one the user must change at the
    next sign-in; ends every sign-in of the account. Returns the password set."""
    address = normalize_email(email)
    async with read(services.sessions) as session:
        user = await users.get_user_by_email(session, address)
    if user is None:
        raise NotFound(f"no account has the e-mail {address}")
    temporary = password is None
    chosen = secrets.token_urlsafe(12) if password is None else password
    validate_password(chosen, user.email)
    password_hash = await asyncio.to_thread(services.passwords.hash, chosen)
    async with transaction(services.sessions) as session:
        await _store_password(services, session, user.id, password_hash, temporary=temporary)
        await ratelimits.reset(session, LOGIN_ACCOUNT, user.email.lower())
    return chosen
