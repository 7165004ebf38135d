"""The signed-in user's own profile: read it, edit it, re-embed it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import resumes, users, vectors
from db.engine import read, transaction
from db.models import User
from domain.accounts import edit_profile
from domain.candidates import embedding_text, mark_manual
from domain.enums import Role
from domain.errors import InvalidInput, NotFound
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


async def embedding(services: Services, text: str) -> dict[str, Any]:
    """A candidate's base profile vector; inference runs on the embedder's worker thread."""
    base = await services.embedder.embed_one(text) if text else None
    model = services.embedder.model_name if base is not None else None
    return {"base_embedding": base, "embedding_model": model}


async def with_current(
    session: AsyncSession, user_id: uuid.UUID, changes: dict[str, Any]
) -> dict[str, Any]:
    """Adds the current embedding (SPEC §3 dynamic profile) over the new base to `changes`."""
    base = changes["base_embedding"]
    swiped = await vectors.right_swiped_embeddings(session, user_id)
    current = None if base is None else (dynamic_profile(base, swiped) or base)
    return changes | {"current_embedding": current}


def _account_settings(viewer: Viewer, patch: Patch) -> tuple[Patch, dict[str, Any]]:
    """Splits off settings that are not part of the scored profile (no re-embedding)."""
    if "digest_opt_in" not in patch:
        return patch, {}
    value = patch["digest_opt_in"]
    if value is None:
        raise InvalidInput("digestOptIn cannot be null", field="digestOptIn")
    if value and viewer.role != Role.CANDIDATE:
        raise InvalidInput("the daily digest is for candidates", field="digestOptIn")
    return {k: v for k, v in patch.items() if k != "digest_opt_in"}, {"digest_opt_in": value}


async def update_me(services: Services, viewer: Viewer | None, patch: Patch) -> User:
    viewer = require(viewer)
    patch, account = _account_settings(viewer, patch)
    if account and not patch:
        async with transaction(services.sessions) as session:
            await users.update_user(session, viewer.id, **account)
            return await users.get_user_refreshed(session, viewer.id)
    user = await me(services, viewer)
    edit = edit_profile(users.profile(user), patch, default_normalizer())
    changes = edit.changes | {"profile_sources": mark_manual(user.profile_sources, patch)}
    changes |= account
    candidate = viewer.role == Role.CANDIDATE
    if candidate:
        async with read(services.sessions) as session:
            resume = await resumes.for_user(session, viewer.id)
        parsed = None if resume is None else resumes.from_json(resume.parsed)
        changes |= await embedding(services, embedding_text(edit.facts, parsed))
    async with transaction(services.sessions) as session:
        if candidate:
            changes = await with_current(session, viewer.id, changes)
        await users.update_user(session, viewer.id, **changes)
        return await users.get_user_refreshed(session, viewer.id)
