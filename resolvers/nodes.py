"""Fetching any object by global id, with the same visibility rules as its own query."""

from __future__ import annotations

import uuid

from db import users
from db.engine import read
from db.models import Company, User
from domain.enums import Role
from domain.errors import NotFound
from resolvers.services import Services, Viewer, require


async def user_node(services: Services, viewer: Viewer | None, user_id: uuid.UUID) -> User:
    """A user sees their own account; platform admins see everyone; others get NOT_FOUND."""
    viewer = require(viewer)
    if viewer.id != user_id and viewer.role != Role.PLATFORM_ADMIN:
        raise NotFound("no User has this id")
    async with read(services.sessions) as session:
        row = await users.get_user(session, user_id)
    if row is None:
        raise NotFound("no User has this id")
    return row


async def company_node(services: Services, viewer: Viewer | None, company_id: uuid.UUID) -> Company:
    require(viewer)
    async with read(services.sessions) as session:
        row = await users.get_company(session, company_id)
    if row is None:
        raise NotFound("no Company has this id")
    return row
