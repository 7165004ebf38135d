"""Bulk import of scraped postings: parse, collapse duplicates, embed new text, upsert by source."""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.embedder import Vectors
from db import imports, jobs
from db.engine import read, transaction
from db.models import ImportBatch
from db.paging import Page
from domain.duplicates import Fingerprint, Link, fingerprint, split_cross_source
from domain.enums import Role
from domain.errors import NotFound
from domain.imports import (
    BatchTally,
    Plan,
    collapse_duplicates,
    exactly_one_source,
    parse_rows,
    plan,
    validate_platform,
)
from domain.jobs import JobDraft
from domain.matching import check_page_size
from domain.skills import default_normalizer
from resolvers.matches import match_new_jobs
from resolvers.services import Services, Viewer, require

__all__ = ["exactly_one_source"]

CHUNK = 256
PARSE_CHUNK = 1024
log = logging.getLogger(__name__)
Progress = Callable[[int], None]


async def run_import(
    services: Services,
    platform: str,
    rows: Sequence[Any],
    *,
    created_by: uuid.UUID | None,
    progress: Progress | None = None,
) -> ImportBatch:
    platform = validate_platform(platform)
    tally = BatchTally(total=len(rows))
    async with transaction(services.sessions) as session:
        batch = await imports.add_batch(session, platform, len(rows), created_by)
    try:
        drafts = await _parse(services, platform, rows, tally)
        await _upsert(services, batch.id, platform, drafts, tally, progress)
    except BaseException as exc:
        # In its own transaction, so that no batch is left RUNNING; the error still propagates.
        reason = "cancelled" if isinstance(exc, asyncio.CancelledError) else type(exc).__name__
        try:
            await _finish(services, batch.id, tally, "FAILED", f"the import stopped: {reason}")
        except Exception:
            log.exception("import batch %s could not be marked FAILED", batch.id)
        raise
    return await _finish(services, batch.id, tally, "COMPLETED")


async def _parse(
    services: Services, platform: str, rows: Sequence[Any], tally: BatchTally
) -> list[tuple[int, JobDraft]]:
    """Every row that parses, newest per external id; regex parsing runs off the event loop."""
    parse = functools.partial(
        parse_rows,
        platform=platform,
        now=services.clock(),
        ttl_days=services.settings.job_ttl_days,
        normalizer=default_normalizer(),
        tally=tally,
        on_bug=lambda index: log.exception("import row %d could not be parsed", index),
    )
    drafts: list[tuple[int, JobDraft]] = []
    for start in range(0, len(rows), PARSE_CHUNK):
        drafts += await asyncio.to_thread(parse, rows[start : start + PARSE_CHUNK], start)
    kept = collapse_duplicates(drafts)
    tally.duplicates = len(drafts) - len(kept)
    return kept


async def _upsert(
    services: Services,
    batch_id: uuid.UUID,
    platform: str,
    drafts: list[tuple[int, JobDraft]],
    tally: BatchTally,
    progress: Progress | None,
) -> None:
    if progress:
        progress(tally.failed + tally.duplicates)
    pending: asyncio.Task[None] | None = None
    try:
        for start in range(0, len(drafts), CHUNK):
            chunk = [draft for _, draft in drafts[start : start + CHUNK]]
            planned, companies, same = await _plan(services, platform, chunk)
            texts = [w.text for w in planned.writes if w.embed]
            vectors = await services.embedder.embed(texts)  # no inference for no texts
            # Write chunk N while the model already encodes chunk N+1.
            if pending is not None:
                await pending
            pending = asyncio.create_task(
                _write(services, batch_id, planned, vectors, companies, tally, same)
            )
            if progress:
                pending.add_done_callback(functools.partial(_advance, progress, len(chunk)))
        if pending is not None:
            await pending
    except BaseException:
        if pending is not None and not pending.done():
            pending.cancel()  # no chunk may commit after the batch is marked FAILED
        raise


@dataclass(frozen=True)
class CrossSource:
    """A chunk's fingerprints (by external id) and its postings that are another platform's job."""

    fingerprints: dict[str, Fingerprint]
    links: list[Link]


async def _plan(
    services: Services, platform: str, chunk: list[JobDraft]
) -> tuple[Plan, dict[str, uuid.UUID], CrossSource]:
    """Which rows are new, newer, unchanged or another platform's job already (SPEC §14 cross-source
    duplicates: one job, several sources), and which texts need an embedding."""
    prints = await asyncio.to_thread(lambda: {d.external_id or "": fingerprint(d) for d in chunk})
    async with transaction(services.sessions) as session:
        companies = await jobs.companies_by_name(session, sorted({d.company for d in chunk}))
        existing = await jobs.existing_by_source(
            session, platform, [d.external_id or "" for d in chunk]
        )
        known = await imports.known_fingerprints(session, {p.key for p in prints.values()})
    planned = plan(chunk, existing)
    writes, links = split_cross_source(planned.writes, platform, prints, known)
    return Plan(writes, planned.unchanged + len(links)), companies, CrossSource(prints, links)


async def _write(
    services: Services,
    batch_id: uuid.UUID,
    planned: Plan,
    vectors: Vectors,
    companies: dict[str, uuid.UUID],
    tally: BatchTally,
    same: CrossSource,
) -> None:
    model = services.embedder.model_name
    async with transaction(services.sessions) as session:
        activated = await imports.write(
            session,
            planned.writes,
            vectors,
            companies=companies,
            batch_id=batch_id,
            model=model,
            fingerprints=same.fingerprints,
        )
        await imports.add_sources(session, same.links)
        await match_new_jobs(session, activated, services.clock(), services.settings)
    tally.wrote(planned)


def _advance(progress: Progress, count: int, _task: object) -> None:
    progress(count)


async def _finish(
    services: Services,
    batch_id: uuid.UUID,
    tally: BatchTally,
    status: str,
    reason: str | None = None,
) -> ImportBatch:
    async with transaction(services.sessions) as session:
        return await imports.finish_batch(
            session, batch_id, tally, status=status, finished_at=services.clock(), reason=reason
        )


async def import_jobs(
    services: Services, viewer: Viewer | None, platform: str, rows: Sequence[Any]
) -> ImportBatch:
    viewer = require(viewer, Role.PLATFORM_ADMIN)
    return await run_import(services, platform, rows, created_by=viewer.id)


async def batches(
    services: Services, viewer: Viewer | None, first: int, after: tuple[datetime, uuid.UUID] | None
) -> Page[ImportBatch]:
    require(viewer, Role.PLATFORM_ADMIN)
    check_page_size(first)
    async with read(services.sessions) as session:
        return await imports.page(session, first, after)


async def batch(services: Services, viewer: Viewer | None, batch_id: uuid.UUID) -> ImportBatch:
    viewer = require(viewer)
    if viewer.role != Role.PLATFORM_ADMIN:
        raise NotFound("no ImportBatch has this id")
    async with read(services.sessions) as session:
        found = await imports.get_batch(session, batch_id)
    if found is None:
        raise NotFound("no ImportBatch has this id")
    return found


def require_admin(viewer: Viewer | None) -> Viewer:
    """Checked before the upload is even read."""
    return require(viewer, Role.PLATFORM_ADMIN)
