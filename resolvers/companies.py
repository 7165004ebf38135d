"""Companies: public profiles, editing by their admins, and adding recruiters."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from db import users
from db.engine import read, transaction
from db.models import Company, User
from domain import inputs
from domain.accounts import normalize_email
from domain.enums import Role
from domain.errors import Conflict, InvalidInput, NotFound
from resolvers.security import hash_password
from resolvers.services import Services, Viewer, require

_LIMITS = inputs.COMPANY


@dataclass(frozen=True)
class RecruiterInvite:
    user: User
    temporary_password: str | None


async def company(services: Services, viewer: Viewer | None, company_id: uuid.UUID) -> Company:
    require(viewer)
    async with read(services.sessions) as session:
        found = await users.get_company(session, company_id)
    if found is None:
        raise NotFound("company not found")
    return found


def _clean_company_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            if key == "name":
                raise InvalidInput("name cannot be empty", field="name")
            cleaned[key] = None
            continue
        inputs.cap(str(value), key, _LIMITS[key] * 2)  # before the whitespace is normalized
        text = " ".join(str(value).split()) if key != "description" else str(value).strip()
        if key == "name" and not text:
            raise InvalidInput("name cannot be empty", field="name")
        if len(text) > _LIMITS[key]:
            raise InvalidInput(f"{key} must be at most {_LIMITS[key]} characters", field=key)
        if key == "website" and text and not text.startswith(("https://", "http://")):
            raise InvalidInput("website must be an http(s) URL", field="website")
        cleaned[key] = text or None
    return cleaned


async def update_company(
    services: Services, viewer: Viewer | None, fields: dict[str, Any]
) -> Company:
    viewer = require(viewer, Role.COMPANY_ADMIN)
    assert viewer.company_id is not None
    changes = _clean_company_fields(fields)
    async with transaction(services.sessions) as session:
        if "name" in changes:
            other = await users.get_company_by_name(session, changes["name"])
            if other is not None and other.id != viewer.company_id:
                raise Conflict("another company already has this name", field="name")
        if changes:
            await users.update_company(session, viewer.company_id, **changes)
        found = await users.get_company(session, viewer.company_id)
        if found is None:
            raise NotFound("company not found")
        await session.refresh(found)
        return found


async def add_recruiter(services: Services, viewer: Viewer | None, email: str) -> RecruiterInvite:
    """Creates a recruiter account in the admin's company, with a one-time temporary password."""
    viewer = require(viewer, Role.COMPANY_ADMIN)
    address = normalize_email(email)
    async with read(services.sessions) as session:
        existing = await users.get_user_by_email(session, address)
    if existing is not None:
        if existing.company_id == viewer.company_id and existing.role in (
            "RECRUITER",
            "COMPANY_ADMIN",
        ):
            return RecruiterInvite(existing, None)
        raise Conflict("an account with this email already exists", field="email")
    password = secrets.token_urlsafe(12)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with transaction(services.sessions) as session:
        if await users.email_taken(session, address):
            raise Conflict("an account with this email already exists", field="email")
        user = await users.add_user(
            session,
            email=address,
            password_hash=password_hash,
            role=Role.RECRUITER.value,
            company_id=viewer.company_id,
        )
    return RecruiterInvite(user, password)
