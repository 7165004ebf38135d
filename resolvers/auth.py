"""Sign-up, sign-in, token rotation, sign-out, and turning a bearer token into a Viewer."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import outbox, tokens, users
from db.engine import read, transaction
from db.models import User
from domain.accounts import normalize_email, validate_password, validate_registration
from domain.enums import Role
from domain.errors import Conflict, RateLimited, Unauthenticated
from resolvers.security import DUMMY_HASH, TokenClaims, hash_password, verify_password
from resolvers.services import Services, Viewer


@dataclass(frozen=True)
class AuthResult:
    access_token: str
    refresh_token: str
    user: User


async def authenticate(services: Services, access_token: str) -> Viewer:
    claims = services.tokens.decode(access_token, "access", services.clock())
    async with read(services.sessions) as session:
        user = await users.get_user(session, claims.user_id)
        revoked = await tokens.access_token_revoked(session, claims.jti, claims.family_id)
    if user is None or not user.is_active or revoked:
        raise Unauthenticated("access token revoked")
    return Viewer(id=user.id, role=Role(user.role), company_id=user.company_id, token=claims)


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
        session, "SESSION_REVOKED", user_id=user_id, payload={"family_id": str(family_id)}
    )


async def register(
    services: Services, email: str, password: str, role: Role, company_name: str | None
) -> AuthResult:
    address = normalize_email(email)
    validate_password(password)
    company = validate_registration(role, company_name)
    password_hash = await asyncio.to_thread(hash_password, password)
    try:
        async with transaction(services.sessions) as session:
            if await users.email_taken(session, address):
                raise Conflict("an account with this email already exists", field="email")
            company_id = None
            if company is not None:
                if await users.get_company_by_name(session, company) is not None:
                    raise Conflict(
                        "this company already exists; ask its admin to add you", field="companyName"
                    )
                company_id = (await users.add_company(session, name=company)).id
                role = Role.COMPANY_ADMIN
            user = await users.add_user(
                session,
                email=address,
                password_hash=password_hash,
                role=role.value,
                company_id=company_id,
            )
            return await _issue_pair(services, session, user, uuid.uuid4())
    except IntegrityError as exc:  # a concurrent registration won the unique index
        raise Conflict("an account or company with this name already exists") from exc


async def create_user(services: Services, email: str, password: str, role: Role) -> User:
    """For operators (CLI): any role, no company, no tokens."""
    address = normalize_email(email)
    validate_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
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
    now = services.clock()
    key = email.strip().lower()
    if not services.login_limiter.hit(f"account:{key}", now) or not services.address_limiter.hit(
        f"address:{client}", now
    ):
        raise RateLimited("too many sign-in attempts; wait a minute and try again")
    async with read(services.sessions) as session:
        user = await users.get_user_by_email(session, key)
    stored = user.password_hash if user is not None and user.is_active else DUMMY_HASH
    valid = await asyncio.to_thread(verify_password, stored, password)
    if user is None or not user.is_active or not valid:
        raise Unauthenticated("wrong email or password")
    async with transaction(services.sessions) as session:
        return await _issue_pair(services, session, user, uuid.uuid4())


async def refresh(services: Services, refresh_token: str) -> AuthResult:
    claims = services.tokens.decode(refresh_token, "refresh", services.clock())
    reused = False
    async with transaction(services.sessions) as session:
        row = await tokens.get_refresh_token_for_update(session, claims.jti)
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("refresh token revoked")
        if row.rotated_at is not None:
            # Someone presents a token that was already exchanged: assume theft, end the family.
            await tokens.revoke_family(session, row.family_id, services.clock())
            await _revoked(session, row.user_id, row.family_id)
            reused = True
        else:
            user = await users.get_user(session, row.user_id)
            if user is None or not user.is_active:
                raise Unauthenticated("refresh token revoked")
            await tokens.mark_rotated(session, claims.jti, services.clock())
            return await _issue_pair(services, session, user, row.family_id)
    if reused:
        raise Unauthenticated(
            "refresh token was already used; all sessions of this sign-in are revoked"
        )
    raise Unauthenticated("refresh token revoked")


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
