"""The signed-in user's own profile: read it, edit it, re-embed it."""

from __future__ import annotations

from typing import Any

from db import users, vectors
from db.engine import read, transaction
from db.models import User
from domain.accounts import edit_profile
from domain.enums import Role
from domain.errors import NotFound
from domain.inputs import Patch
from domain.skills import default_normalizer
from domain.vectors import dynamic_profile
from resolvers.services import Services, Viewer, require


async def me(services: Services, viewer: Viewer | None) -> User:
    viewer = require(viewer)
    async with read(services.sessions) as session:
        user = await users.get_user(session, viewer.id)
    if user is None:
        raise NotFound("user not found")
    return user


async def _embedding(services: Services, text: str) -> dict[str, Any]:
    """A candidate's base profile vector; inference runs on the embedder's worker thread."""
    base = await services.embedder.embed_one(text) if text else None
    model = services.embedder.model_name if base is not None else None
    return {"base_embedding": base, "embedding_model": model}


async def update_me(services: Services, viewer: Viewer | None, patch: Patch) -> User:
    viewer = require(viewer)
    edit = edit_profile(users.profile(await me(services, viewer)), patch, default_normalizer())
    changes = edit.changes
    candidate = viewer.role == Role.CANDIDATE
    if candidate:
        changes |= await _embedding(services, edit.text)
    async with transaction(services.sessions) as session:
        if candidate:
            swiped = await vectors.right_swiped_embeddings(session, viewer.id)
            base = changes["base_embedding"]
            current = None if base is None else (dynamic_profile(base, swiped) or base)
            changes["current_embedding"] = current
        await users.update_user(session, viewer.id, **changes)
        return await users.get_user_refreshed(session, viewer.id)
