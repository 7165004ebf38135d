"""The signed-in user's own profile: read it, edit it, re-embed it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db import users, vectors
from db.engine import read, transaction
from db.models import User
from domain import inputs
from domain.accounts import ProfileFacts, clean_list, profile_text, validate_profile
from domain.enums import RemotePreference, Role, Seniority
from domain.errors import InvalidInput, NotFound
from domain.skills import SkillNormalizer
from domain.vectors import current_profile
from resolvers.services import Services, Viewer, require

_UNSET: Any = object()


@dataclass(frozen=True)
class ProfileChanges:
    headline: str | None = _UNSET
    skills: list[str] | None = _UNSET
    preferred_locations: list[str] | None = _UNSET
    remote_preference: RemotePreference | None = _UNSET
    seniority: Seniority | None = _UNSET
    years_of_experience: float | None = _UNSET
    salary_min: float | None = _UNSET
    salary_max: float | None = _UNSET
    salary_currency: str | None = _UNSET
    open_to_recruiters: bool | None = _UNSET

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not _UNSET}


async def me(services: Services, viewer: Viewer | None) -> User:
    viewer = require(viewer)
    async with read(services.sessions) as session:
        user = await users.get_user(session, viewer.id)
    if user is None:
        raise NotFound("user not found")
    return user


def _cleaned(changes: dict[str, Any], normalizer: SkillNormalizer) -> dict[str, Any]:
    if "headline" in changes and changes["headline"] is not None:
        headline = changes["headline"].strip()
        changes["headline"] = inputs.cap(headline, "headline", inputs.HEADLINE) or None
    if "skills" in changes:
        inputs.cap_list(changes["skills"], "skills", entries=inputs.SKILLS, each=inputs.SKILL)
        changes["skills"] = normalizer.normalize_many(clean_list(changes["skills"] or [], "skills"))
    if "preferred_locations" in changes:
        changes["preferred_locations"] = clean_list(
            changes["preferred_locations"] or [],
            "preferredLocations",
            limit=inputs.PREFERRED_LOCATIONS,
        )
    if changes.get("open_to_recruiters", True) is None:
        raise InvalidInput("openToRecruiters cannot be null", field="openToRecruiters")
    for key in ("remote_preference", "seniority"):
        if key in changes and changes[key] is not None:
            changes[key] = changes[key].value
    if changes.get("salary_currency"):
        changes["salary_currency"] = changes["salary_currency"].strip().upper()
    return changes


async def update_me(
    services: Services, viewer: Viewer | None, patch: ProfileChanges, normalizer: SkillNormalizer
) -> User:
    viewer = require(viewer)
    current = await me(services, viewer)
    changes = _cleaned(patch.given(), normalizer)
    merged = {**{k: getattr(current, k) for k in ProfileChanges().__dataclass_fields__}, **changes}
    validate_profile(
        merged["years_of_experience"],
        merged["salary_min"],
        merged["salary_max"],
        merged["salary_currency"],
    )
    if viewer.role == Role.CANDIDATE:
        facts = ProfileFacts(
            headline=merged["headline"],
            seniority=Seniority(merged["seniority"]) if merged["seniority"] else None,
            years_of_experience=merged["years_of_experience"],
            skills=merged["skills"],
            preferred_locations=merged["preferred_locations"],
            remote_preference=RemotePreference(merged["remote_preference"])
            if merged["remote_preference"]
            else None,
        )
        text = profile_text(facts)
        # Inference runs on the embedder's worker thread; the event loop keeps serving.
        base = await services.embedder.embed_one(text) if text else None
        changes["base_embedding"] = base
        changes["embedding_model"] = services.embedder.model_name if base is not None else None
    async with transaction(services.sessions) as session:
        if viewer.role == Role.CANDIDATE:
            base = changes["base_embedding"]
            swiped = await vectors.right_swiped_embeddings(session, viewer.id)
            changes["current_embedding"] = (
                current_profile(base, swiped) if base is not None else None
            )
        await users.update_user(session, viewer.id, **changes)
        user = await users.get_user(session, viewer.id)
        if user is None:
            raise NotFound("user not found")
        await session.refresh(user)
        return user
