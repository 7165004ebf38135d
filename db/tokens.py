"""Refresh-token families and revoked access tokens (rotation, reuse detection, logout)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import RefreshToken, RevokedAccessToken, User
from db.models.accounts import PasswordResetToken


async def add_refresh_token(
    session: AsyncSession,
    jti: uuid.UUID,
    family_id: uuid.UUID,
    user_id: uuid.UUID,
    issued_at: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        RefreshToken(
            jti=jti,
            family_id=family_id,
            user_id=user_id,
            issued_at=issued_at,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def lock_refresh_token(session: AsyncSession, jti: uuid.UUID) -> RefreshToken | None:
    """Row lock: two concurrent refreshes of one token cannot both rotate it."""
    result = await session.execute(
        select(RefreshToken).where(RefreshToken.jti == jti).with_for_update()
    )
    return result.scalar_one_or_none()


async def mark_rotated(session: AsyncSession, jti: uuid.UUID, now: datetime, client: str) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.jti == jti)
        .values(rotated_at=now, rotated_by=client)
    )


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke_user_families(
    session: AsyncSession, user_id: uuid.UUID, now: datetime, keep: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """Revokes every sign-in of the user but `keep`; returns the families it ended."""
    condition = [RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)]
    if keep is not None:
        condition.append(RefreshToken.family_id != keep)
    result = await session.execute(
        update(RefreshToken)
        .where(*condition)
        .values(revoked_at=now)
        .returning(RefreshToken.family_id)
    )
    return sorted(set(result.scalars()))


async def add_reset_token(
    session: AsyncSession,
    token_hash: str,
    user_id: uuid.UUID,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        PasswordResetToken(
            token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at
        )
    )
    await session.flush()


async def get_reset_token(session: AsyncSession, token_hash: str) -> PasswordResetToken | None:
    return await session.get(PasswordResetToken, token_hash)


async def claim_reset_token(
    session: AsyncSession, token_hash: str, now: datetime
) -> PasswordResetToken | None:
    """The unused, unexpired token, marked used (row lock: it works exactly once)."""
    result = await session.execute(
        select(PasswordResetToken)
        .where(PasswordResetToken.token_hash == token_hash)
        .with_for_update()
    )
    row = result.scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    row.used_at = now
    await session.flush()
    return row


async def void_reset_tokens(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    """A changed password makes every reset link sent before it useless."""
    await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )


async def revoke_access_token(
    session: AsyncSession,
    jti: uuid.UUID,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    expires_at: datetime,
) -> None:
    existing = await session.get(RevokedAccessToken, jti)
    if existing is None:
        session.add(
            RevokedAccessToken(jti=jti, user_id=user_id, family_id=family_id, expires_at=expires_at)
        )
        await session.flush()


async def user_of_live_token(
    session: AsyncSession, user_id: uuid.UUID, jti: uuid.UUID, family_id: uuid.UUID
) -> User | None:
    """The token's user, unless the token or its login family was revoked: one statement, as
    every authenticated request runs it."""
    revoked = exists().where(RevokedAccessToken.jti == jti)
    family_gone = exists().where(
        RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_not(None)
    )
    query = select(User).where(User.id == user_id, ~revoked, ~family_gone)
    return (await session.execute(query)).scalar_one_or_none()


async def purge_expired(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(RevokedAccessToken).where(RevokedAccessToken.expires_at < now))
    await session.execute(delete(RefreshToken).where(RefreshToken.expires_at < now))
    await session.execute(delete(PasswordResetToken).where(PasswordResetToken.expires_at < now))
