"""User and company repositories: plain async functions over a session; callers commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Base, Company, User
from domain.accounts import PROFILE_FIELDS
from domain.errors import NotFound

RowT = TypeVar("RowT", bound=Base)


async def _add(session: AsyncSession, model: type[RowT], fields: dict[str, Any]) -> RowT:
    row = model(id=uuid.uuid4(), **fields)
    session.add(row)
    await session.flush()
    return row


async def _refreshed(
    session: AsyncSession, model: type[RowT], row_id: uuid.UUID, what: str
) -> RowT:
    """The row as stored now, after an update in this session; NotFound when it is gone."""
    row = await session.get(model, row_id)
    if row is None:
        raise NotFound(f"{what} not found")
    await session.refresh(row)
    return row


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(func.lower(User.email) == email.lower()))
    return result.scalar_one_or_none()


async def email_taken(session: AsyncSession, email: str) -> bool:
    result = await session.execute(select(User.id).where(func.lower(User.email) == email.lower()))
    return result.first() is not None


async def get_users(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[User]:
    result = await session.execute(select(User).where(User.id.in_(ids)))
    return list(result.scalars())


async def add_user(session: AsyncSession, **fields: Any) -> User:
    return await _add(session, User, fields)


async def update_user(session: AsyncSession, user_id: uuid.UUID, **fields: Any) -> None:
    await session.execute(update(User).where(User.id == user_id).values(**fields))


async def get_user_refreshed(session: AsyncSession, user_id: uuid.UUID) -> User:
    return await _refreshed(session, User, user_id, "user")


def profile(user: User) -> dict[str, Any]:
    """The stored values of the fields a profile edit may change."""
    return {name: getattr(user, name) for name in PROFILE_FIELDS}


async def get_company(session: AsyncSession, company_id: uuid.UUID) -> Company | None:
    return await session.get(Company, company_id)


async def get_companies(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Company]:
    result = await session.execute(select(Company).where(Company.id.in_(ids)))
    return list(result.scalars())


async def get_company_by_name(session: AsyncSession, name: str) -> Company | None:
    result = await session.execute(select(Company).where(func.lower(Company.name) == name.lower()))
    return result.scalar_one_or_none()


async def add_company(session: AsyncSession, **fields: Any) -> Company:
    return await _add(session, Company, fields)


async def get_company_refreshed(session: AsyncSession, company_id: uuid.UUID) -> Company:
    return await _refreshed(session, Company, company_id, "company")


async def update_company(session: AsyncSession, company_id: uuid.UUID, **fields: Any) -> None:
    await session.execute(update(Company).where(Company.id == company_id).values(**fields))
