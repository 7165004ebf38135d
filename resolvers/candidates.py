"""A company's candidate pool: add a candidate from a resume, read one, list them."""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from db import candidates, resumes
from db.engine import read, transaction
from db.models import Candidate
from db.paging import Page
from domain.candidates import (
    candidate_record,
    check_candidate_input,
    edit_candidate,
    pool_filter,
)
from domain.enums import RECRUITER_ROLES, CandidateStatus, Role
from domain.errors import NotFound
from domain.inputs import Patch
from domain.matching import check_page_size
from domain.skills import default_normalizer
from resolvers.matches import rematch_changed
from resolvers.resumes import read_resume
from resolvers.services import Services, Viewer, require


def _pool_of(viewer: Viewer) -> uuid.UUID | None:
    """The company whose pool the viewer reads; None for a platform admin (every pool)."""
    if viewer.role == Role.PLATFORM_ADMIN:
        return None
    if viewer.is_recruiter and viewer.company_id is not None:
        return viewer.company_id
    raise NotFound("no candidate pool is visible to you")


async def add_candidate(
    services: Services,
    viewer: Viewer | None,
    data: bytes | None,
    file_name: str | None,
    text: str | None,
    patch: Patch,
) -> Candidate:
    """A PENDING_REVIEW pool candidate from a resume; the input wins over parsed values."""
    viewer = require(viewer, *RECRUITER_ROLES)
    company_id = _pool_of(viewer)
    assert company_id is not None
    normalizer = default_normalizer()
    check_candidate_input(patch, normalizer)
    upload = await read_resume(services, data, file_name, text)
    record = await asyncio.to_thread(
        functools.partial(candidate_record, upload.parsed, patch, normalizer)
    )
    vector = await services.embedder.embed_one(record.text) if record.text else None
    async with transaction(services.sessions) as session:
        row = await candidates.add_candidate(
            session,
            company_id,
            **record.values,
            embedding=vector,
            embedding_model=services.embedder.model_name,
        )
        await resumes.add_for_candidate(
            session,
            row.id,
            file_name=upload.file_name,
            format=upload.format,
            parsed_at=services.clock(),
            text=upload.text,
            parsed=upload.parsed,
        )
    return row


async def candidate(
    services: Services, viewer: Viewer | None, candidate_id: uuid.UUID
) -> Candidate:
    viewer = require(viewer)
    company_id = _pool_of(viewer)
    async with read(services.sessions) as session:
        row = await candidates.get_candidate(session, candidate_id)
    if row is None or (company_id is not None and row.company_id != company_id):
        raise NotFound("no Candidate has this id")
    return row


async def list_candidates(
    services: Services,
    viewer: Viewer | None,
    first: int,
    after: tuple[datetime, uuid.UUID] | None,
    given: Mapping[str, Any] | None = None,
) -> Page[Candidate]:
    """The viewer's company's pool, newest first (every pool for a platform admin); `given`
    holds the filter's status, skills_any, location and search."""
    viewer = require(viewer)
    company_id = _pool_of(viewer)
    check_page_size(first)
    wanted = None if given is None else pool_filter(**given, normalizer=default_normalizer())
    async with read(services.sessions) as session:
        return await candidates.page(session, company_id, first, after, wanted)


async def update_candidate(
    services: Services, viewer: Viewer | None, candidate_id: uuid.UUID, patch: Patch
) -> Candidate:
    """Edit a pool candidate of the viewer's company; re-embeds when the profile text changes."""
    viewer = require(viewer, *RECRUITER_ROLES)
    row = await candidate(services, viewer, candidate_id)
    async with read(services.sessions) as session:
        resume = await resumes.for_candidates(session, [row.id])
    parsed = resumes.from_json(resume[0].parsed) if resume else None
    edit = edit_candidate(_columns(row), parsed, patch, default_normalizer())
    changes = dict(edit.changes)
    if edit.text is not None:
        changes["embedding"] = await services.embedder.embed_one(edit.text)
        changes["embedding_model"] = services.embedder.model_name
    async with transaction(services.sessions) as session:
        locked = await candidates.get_for_update(session, row.id)
        if locked is None:
            raise NotFound("no Candidate has this id")
        # Re-checked under the lock: a concurrent edit may have moved the status meanwhile.
        edit_candidate(_columns(locked), parsed, patch, default_normalizer())
        if changes:
            await candidates.update_candidate(session, row.id, **changes)
        await session.refresh(locked)
        if changes:
            await rematch_changed(session, locked, services.clock())
        return locked


async def archive_candidate(
    services: Services, viewer: Viewer | None, candidate_id: uuid.UUID
) -> Candidate:
    """ARCHIVED is final: the record stays (with its matches, for history) but leaves the lists."""
    return await update_candidate(
        services, viewer, candidate_id, {"status": CandidateStatus.ARCHIVED}
    )


def _columns(row: Candidate) -> dict[str, object]:
    return {c.key: getattr(row, c.key) for c in Candidate.__table__.columns}
