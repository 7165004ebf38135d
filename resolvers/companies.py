"""Companies: public profiles, editing by their admins, and adding recruiters."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass

from db import users
from db.engine import read, transaction
from db.models import Company, User
from domain.accounts import normalize_email
from domain.companies import company_changes
from domain.enums import RECRUITER_ROLES, Role
from domain.errors import Conflict, NotFound
from domain.inputs import Patch
from resolvers.services import Services, Viewer, require


@dataclass(frozen=True)
class RecruiterInvite:
    user: User
    temporary_password: str | None


async def company(
    services: Services, viewer: Viewer | None, company_id: uuid.UUID, *, public: bool = False
) -> Company:
    """Any signed-in user reads a company's public profile (also the Company node); with
    `public`, an anonymous caller too."""
    if not public:
        require(viewer)
    async with read(services.sessions) as session:
        found = await users.get_company(session, company_id)
    if found is None:
        raise NotFound("no Company has this id")
    return found


async def update_company(services: Services, viewer: Viewer | None, patch: Patch) -> Company:
    viewer = require(viewer, Role.COMPANY_ADMIN)
    assert viewer.company_id is not None
    changes = company_changes(patch)
    async with transaction(services.sessions) as session:
        if "name" in changes:
            other = await users.get_company_by_name(session, changes["name"])
            if other is not None and other.id != viewer.company_id:
                raise Conflict("another company already has this name", field="name")
        if changes:
            await users.update_company(session, viewer.company_id, **changes)
        return await users.get_company_refreshed(session, viewer.company_id)


async def add_recruiter(services: Services, viewer: Viewer | None, email: str) -> RecruiterInvite:
    """Creates a recruiter account in the admin's company, with a one-time temporary password."""
    viewer = require(viewer, Role.COMPANY_ADMIN)
    address = normalize_email(email)
    async with read(services.sessions) as session:
        existing = await users.get_user_by_email(session, address)
    if existing is not None:
        if existing.company_id == viewer.company_id and existing.role in RECRUITER_ROLES:
            return RecruiterInvite(existing, None)
        raise Conflict("an account with this email already exists", field="email")
    password = secrets.token_urlsafe(12)
    password_hash = await asyncio.to_thread(services.passwords.hash, password)
    async with transaction(services.sessions) as session:
        if await users.email_taken(session, address):
            raise Conflict("an account with this email already exists", field="email")
        user = await users.add_user(
            session,
            email=address,
            password_hash=password_hash,
            role=Role.RECRUITER.value,
            company_id=viewer.company_id,
            password_change_required=True,  # the admin saw it: the recruiter picks their own
        )
    return RecruiterInvite(user, password)
