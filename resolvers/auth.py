"""Sign-up, sign-in, token rotation, sign-out, and turning a bearer token into a Viewer.

Limits (domain/ratelimit.py has the policy) are counted in PostgreSQL, so every instance
shares them. Refresh reuse: a rotated refresh token presented again within
`refresh_reuse_grace_s` (10 s) by the same client (address and user agent) that rotated it is
a retry of concurrent requests, not theft: it gets a fresh pair in the same family (both pairs
stay valid). Any other reuse revokes the whole family.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.security import TokenClaims
from db import outbox, ratelimits, tokens, users
from db.engine import read, transaction
from db.models import RefreshToken, User
from domain.accounts import (
    company_kind,
    normalize_email,
    registered_role,
    validate_password,
    validate_registration,
)
from domain.clients import limit_key
from domain.enums import CompanyKind, EventKind, Role
from domain.errors import Conflict, RateLimited, Unauthenticated
from domain.ratelimit import backoff_s, retry_after_s, window_retry_after
from resolvers.services import Services, Viewer

LOGIN_ADDRESS = "login-address"
LOGIN_ACCOUNT = "login-account"
REGISTER_ADDRESS = "register-address"
PUBLIC_ADDRESS = "public-address"


@dataclass(frozen=True)
class AuthResult:
    access_token: str
    refresh_token: str
    user: User


async def authenticate(services: Services, access_token: str) -> Viewer:
    return (await authenticate_user(services, access_token))[0]


async def authenticate_user(services: Services, access_token: str) -> tuple[Viewer, User]:
    """The viewer and the user row behind it (a request primes its user loader with it)."""
    claims = services.tokens.decode(access_token, "access", services.clock())
    async with read(services.sessions) as session:
        user = await tokens.user_of_live_token(
            session, claims.user_id, claims.jti, claims.family_id
        )
    if user is None or not user.is_active:
        raise Unauthenticated("access token revoked")
    viewer = Viewer(
        id=user.id,
        role=Role(user.role),
        company_id=user.company_id,
        token=claims,
        password_change_required=user.password_change_required,
    )
    return viewer, user


async def _issue_pair(
    services: Services, session: AsyncSession, user: User, family: uuid.UUID
) -> AuthResult:
    now = services.clock()
    access, _ = services.tokens.issue(user.id, family, "access", now)
    refresh, claims = services.tokens.issue(user.id, family, "refresh", now)
    await tokens.add_refresh_token(
        session,
        claims.jti,
        family,
        user.id,
        claims.issued_at,
        claims.expires_at,
    )
    return AuthResult(access, refresh, user)


async def _revoked(session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID) -> None:
    """Tells every instance to close this sign-in's open sockets (4403)."""
    await outbox.emit(
        session, EventKind.SESSION_REVOKED, user_id=user_id, payload={"family_id": str(family_id)}
    )


async def register(
    services: Services,
    email: str,
    password: str,
    role: Role,
    company_name: str | None,
    client: str,
    kind: CompanyKind | None = None,
) -> AuthResult:
    address = normalize_email(email)
    validate_password(password, address)
    company = validate_registration(role, company_name)
    kind = company_kind(company, kind)
    await _count_registration(services, client)
    password_hash = await asyncio.to_thread(services.passwords.hash, password)
    try:
        async with transaction(services.sessions) as session:
            user = await _add_account(session, address, password_hash, role, company, kind)
            return await _issue_pair(services, session, user, uuid.uuid4())
    except IntegrityError as exc:  # a concurrent registration won the unique index
        raise Conflict("an account or company with this name already exists") from exc


async def count_public_read(services: Services, client: str) -> None:
    """An anonymous read (jobs, job, searchJobs, company) counts against its address's limit."""
    settings, now = services.settings, services.clock()
    async with transaction(services.sessions) as session:
        window = await ratelimits.hit(
            session, PUBLIC_ADDRESS, limit_key(client), settings.public_read_window_s, now
        )
    wait = window_retry_after(
        window, settings.public_read_limit, settings.public_read_window_s, now
    )
    if wait is not None:
        raise RateLimited("too many requests without signing in; sign in", retry_after_s=wait)


async def _count_registration(services: Services, client: str) -> None:
    settings, now = services.settings, services.clock()
    async with transaction(services.sessions) as session:
        window = await ratelimits.hit(
            session, REGISTER_ADDRESS, limit_key(client), settings.register_window_s, now
        )
    wait = window_retry_after(window, settings.register_limit, settings.register_window_s, now)
    if wait is not None:
        raise RateLimited("too many sign-ups from this address", retry_after_s=wait)


async def _add_account(
    session: AsyncSession,
    address: str,
    password_hash: str,
    role: Role,
    company: str | None,
    kind: CompanyKind | None,
) -> User:
    """The user, and for a recruiter the company they create and administer."""
    if await users.email_taken(session, address):
        raise Conflict("an account with this email already exists", field="email")
    company_id = None
    if company is not None:
        if await users.get_company_by_name(session, company) is not None:
            raise Conflict(
                "this company already exists; ask its admin to add you", field="companyName"
            )
        added = await users.add_company(
            session, name=company, kind=(kind or CompanyKind.EMPLOYER).value
        )
        company_id = added.id
    return await users.add_user(
        session,
        email=address,
        password_hash=password_hash,
        role=registered_role(role, company).value,
        company_id=company_id,
    )


async def create_user(services: Services, email: str, password: str, role: Role) -> User:
    """For operators (CLI): any role, no company, no tokens."""
    address = normalize_email(email)
    validate_password(password, address)
    password_hash = await asyncio.to_thread(services.passwords.hash, password)
    try:
        async with transaction(services.sessions) as session:
            if await users.email_taken(session, address):
                raise Conflict("an account with this email already exists", field="email")
            return await users.add_user(
                session, email=address, password_hash=password_hash, role=role.value
            )
    except IntegrityError as exc:
        raise Conflict("an account with this email already exists") from exc


async def login(services: Services, email: str, password: str, client: str) -> AuthResult:
    """`client` is the caller's address; failures count per address and per account."""
    settings = services.settings
    now = services.clock()
    account = email.strip().lower()
    async with transaction(services.sessions) as session:
        window = await ratelimits.hit(
            session, LOGIN_ADDRESS, limit_key(client), settings.login_address_window_s, now
        )
        blocked = await ratelimits.blocked_until(session, LOGIN_ACCOUNT, account)
        user = await users.get_user_by_email(session, account)
    wait = window_retry_after(
        window, settings.login_address_limit, settings.login_address_window_s, now
    )
    if wait is not None:
        raise RateLimited("too many sign-in attempts from this address", retry_after_s=wait)
    if blocked is not None and blocked > now:
        raise RateLimited(
            "too many failed sign-ins for this account", retry_after_s=retry_after_s(blocked, now)
        )
    stored = user.password_hash if user is not None and user.is_active else None
    valid = await asyncio.to_thread(services.passwords.verify, stored, password)
    if user is None or not user.is_active or not valid:
        await failed_login(services, account, now)
        raise Unauthenticated("wrong email or password")
    async with transaction(services.sessions) as session:
        await ratelimits.reset(session, LOGIN_ACCOUNT, account)
        return await _issue_pair(services, session, user, uuid.uuid4())


async def failed_login(services: Services, account: str, now: datetime) -> None:
    """Unknown emails count too, so a back-off never tells whether an account exists."""
    settings = services.settings
    async with transaction(services.sessions) as session:
        window = await ratelimits.hit(
            session, LOGIN_ACCOUNT, account, settings.login_failure_window_s, now
        )
        wait = backoff_s(window.hits, settings.login_free_failures, settings.login_backoff_cap_s)
        if wait:
            await ratelimits.block(session, LOGIN_ACCOUNT, account, now + timedelta(seconds=wait))


def _same_client_retry(row: RefreshToken, client: str, now: datetime, grace_s: int) -> bool:
    if row.rotated_at is None or row.rotated_by != client:
        return False
    return abs(now - row.rotated_at) <= timedelta(seconds=grace_s)


async def refresh(services: Services, refresh_token: str, client: str) -> AuthResult:
    """`client` is the caller's fingerprint (domain.clients.fingerprint)."""
    now = services.clock()
    claims = services.tokens.decode(refresh_token, "refresh", now)
    async with transaction(services.sessions) as session:
        row = await tokens.lock_refresh_token(session, claims.jti)
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("refresh token revoked")
        grace = services.settings.refresh_reuse_grace_s
        if row.rotated_at is None or _same_client_retry(row, client, now, grace):
            user = await users.get_user(session, row.user_id)
            if user is None or not user.is_active:
                raise Unauthenticated("refresh token revoked")
            if row.rotated_at is None:
                await tokens.mark_rotated(session, claims.jti, now, client)
            return await _issue_pair(services, session, user, row.family_id)
        # An exchanged token comes back from elsewhere or later: assume theft, end the family.
        await tokens.revoke_family(session, row.family_id, now)
        await _revoked(session, row.user_id, row.family_id)
    raise Unauthenticated(
        "refresh token was already used; all sessions of this sign-in are revoked"
    )


async def logout(services: Services, refresh_token: str, viewer: Viewer | None) -> bool:
    claims: TokenClaims = services.tokens.decode(refresh_token, "refresh", services.clock())
    if viewer is not None and viewer.id != claims.user_id:
        raise Unauthenticated("this refresh token belongs to another session")
    async with transaction(services.sessions) as session:
        await tokens.revoke_family(session, claims.family_id, services.clock())
        await _revoked(session, claims.user_id, claims.family_id)
        if viewer is not None:
            await tokens.revoke_access_token(
                session,
                viewer.token.jti,
                viewer.id,
                viewer.token.family_id,
                viewer.token.expires_at,
            )
    return True
