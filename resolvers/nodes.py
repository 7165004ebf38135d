"""Fetching any object by global id, with the same visibility rules as its own query."""

from __future__ import annotations

import uuid

from db import applications, users
from db.engine import read
from db.models import User
from domain.enums import Role
from domain.errors import NotFound
from resolvers.services import Services, Viewer, require


async def user_node(services: Services, viewer: Viewer | None, user_id: uuid.UUID) -> User:
    """A user sees their own account; platform admins see everyone; recruiters see candidates
    who applied to their company; others get NOT_FOUND."""
    viewer = require(viewer)
    async with read(services.sessions) as session:
        visible = viewer.id == user_id or viewer.role == Role.PLATFORM_ADMIN
        if not visible and viewer.is_recruiter and viewer.company_id is not None:
            visible = await applications.applied_to_company(session, user_id, viewer.company_id)
        if not visible:
            raise NotFound("no User has this id")
        row = await users.get_user(session, user_id)
    if row is None:
        raise NotFound("no User has this id")
    return row
