"""Resumes: read and parse one (file or pasted text), fill the candidate's profile from it,
preview the matches it brings, and read it back (myResume, node)."""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db import candidates, jobs, resumes, users
from db.engine import read, transaction
from db.facts import candidate_facts
from db.models import Job, Resume, User
from domain.accounts import ProfileFacts
from domain.candidates import embedding_text, fill_profile
from domain.enums import RemotePreference, Role, ScoringPreset, Seniority
from domain.errors import InvalidInput, NotFound
from domain.matching import best_explained
from domain.resumes import MAX_RESUME_CHARS, ParsedResume, parse_resume
from domain.scoring import MatchExplanation
from domain.skills import default_normalizer
from resolvers import matching, profiles
from resolvers.services import Services, Viewer, require

PREVIEW_PRESET = ScoringPreset.FIVE_FACTOR
PREVIEW_MIN_SCORE = 50.0
PREVIEW_TOP = 10
FILE_NAME = 255


@dataclass(frozen=True)
class ParsedUpload:
    file_name: str | None
    format: str
    text: str
    parsed: ParsedResume


@dataclass(frozen=True)
class Preview:
    """How many jobs of the retrieval pool (the feed's K nearest eligible jobs) score at least
    PREVIEW_MIN_SCORE, and the best PREVIEW_TOP of them."""

    total_matches: int
    top: list[tuple[Job, MatchExplanation]]


async def read_resume(
    services: Services, data: bytes | None, file_name: str | None, text: str | None
) -> ParsedUpload:
    """Exactly one of a file's bytes or pasted text; the file is read in the capped worker,
    the text parsed off the event loop. Every refusal is InvalidInput, before any write."""
    if (data is None) == (text is None):
        raise InvalidInput("give exactly one of file or text", field="file")
    fmt = "text"
    if data is not None:
        document = await services.resumes.read(data, file_name)
        text, fmt = document.text.replace("\x00", ""), document.format
    assert text is not None
    if len(text) > MAX_RESUME_CHARS:
        raise InvalidInput(
            f"the resume is longer than {MAX_RESUME_CHARS:,} characters", field="text"
        )
    if not text.strip():
        raise InvalidInput("the resume has no text", field="text" if data is None else "file")
    today = services.clock().date()
    parsed = await asyncio.to_thread(parse_resume, text, default_normalizer(), today=today)
    name = file_name[-FILE_NAME:] if data is not None and file_name else None
    return ParsedUpload(name, fmt, text, parsed)


def _facts(profile: Mapping[str, Any]) -> ProfileFacts:
    remote = profile["remote_preference"]
    return ProfileFacts(
        headline=profile["headline"],
        seniority=Seniority(profile["seniority"]) if profile["seniority"] else None,
        years_of_experience=profile["years_of_experience"],
        skills=profile["skills"],
        preferred_locations=profile["preferred_locations"],
        remote_preference=RemotePreference(remote) if remote else None,
    )


async def upload_resume(
    services: Services,
    viewer: Viewer | None,
    data: bytes | None,
    file_name: str | None,
    text: str | None,
) -> tuple[Resume, Preview]:
    """Replace the candidate's resume, fill the fields not set by hand, re-embed, preview."""
    viewer = require(viewer, Role.CANDIDATE)
    upload = await read_resume(services, data, file_name, text)
    user = await profiles.me(services, viewer)
    fill = fill_profile(users.profile(user), user.profile_sources, upload.parsed)
    facts = _facts({**users.profile(user), **fill.changes})
    changes = await profiles.embedding(services, embedding_text(facts, upload.parsed))
    async with transaction(services.sessions) as session:
        resume = await resumes.replace_for_user(
            session,
            viewer.id,
            file_name=upload.file_name,
            format=upload.format,
            parsed_at=services.clock(),
            text=upload.text,
            parsed=upload.parsed,
        )
        changes = await profiles.with_current(session, viewer.id, changes)
        await users.update_user(
            session, viewer.id, **fill.changes, **changes, profile_sources=fill.sources
        )
        user = await users.get_user_refreshed(session, viewer.id)
    return resume, await preview(services, user, services.clock())


async def preview(services: Services, user: User, now: datetime) -> Preview:
    """The matches query's two stages (pool, then FIVE_FACTOR on it), counted and cut."""
    async with read(services.sessions) as session:
        pool = await matching.load_pool(session, services, user, now)
        good, top = await asyncio.to_thread(
            functools.partial(
                best_explained,
                PREVIEW_PRESET,
                candidate_facts(user),
                pool,
                now=now,
                normalizer=default_normalizer(),
                limit=PREVIEW_TOP,
                minimum=PREVIEW_MIN_SCORE,
            )
        )
        rows = {r.id: r for r in await jobs.get_jobs(session, [uuid.UUID(b.job_id) for b in top])}
    return Preview(good, [(rows[uuid.UUID(b.job_id)], b.explanation) for b in top])


async def my_resume(services: Services, viewer: Viewer | None) -> Resume | None:
    viewer = require(viewer, Role.CANDIDATE)
    async with read(services.sessions) as session:
        return await resumes.for_user(session, viewer.id)


async def resume_node(services: Services, viewer: Viewer | None, resume_id: uuid.UUID) -> Resume:
    """Its user sees it; a pool candidate's, that company's recruiters; platform admins all."""
    viewer = require(viewer)
    async with read(services.sessions) as session:
        row = await resumes.get_resume(session, resume_id)
        visible = row is not None and (
            viewer.role == Role.PLATFORM_ADMIN or row.user_id == viewer.id
        )
        if row is not None and not visible and row.candidate_id and viewer.is_recruiter:
            owner = await candidates.get_candidate(session, row.candidate_id)
            visible = owner is not None and owner.company_id == viewer.company_id
    if row is None or not visible:
        raise NotFound("no Resume has this id")
    return row
