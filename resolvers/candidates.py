"""A company's candidate pool: add a candidate from a resume, read one, list them."""

from __future__ import annotations

import asyncio
import functools
import uuid
from datetime import datetime

from db import candidates, resumes
from db.engine import read, transaction
from db.models import Candidate
from db.paging import Page
from domain.candidates import candidate_record, check_candidate_input
from domain.enums import RECRUITER_ROLES, Role
from domain.errors import NotFound
from domain.inputs import Patch
from domain.matching import check_page_size
from domain.skills import default_normalizer
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
) -> Page[Candidate]:
    """The viewer's company's pool, newest first (every pool for a platform admin)."""
    viewer = require(viewer)
    company_id = _pool_of(viewer)
    check_page_size(first)
    async with read(services.sessions) as session:
        return await candidates.page(session, company_id, first, after)
