"""Bulk import of scraped postings: parse, collapse duplicates, embed new text, upsert by source."""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select, tuple_, update

from db import jobs
from db.engine import read, transaction
from db.models import ImportBatch
from domain.enums import Role
from domain.errors import DomainError, InvalidInput, NotFound
from domain.imports import BatchTally, validate_platform
from domain.jobs import JobDraft, collapse_duplicates, draft_from_posting
from domain.skills import SkillNormalizer
from resolvers.jobs import check_page_size
from resolvers.services import Services, Viewer, require

CHUNK = 256
log = logging.getLogger(__name__)
Progress = Callable[[int], None]
KEPT_STATUSES = ("FILLED", "CLOSED")


def _parse(
    rows: Sequence[Any],
    start: int,
    platform: str,
    now: datetime,
    ttl: int,
    normalizer: SkillNormalizer,
    tally: BatchTally,
) -> list[tuple[int, JobDraft]]:
    drafts = []
    for offset, row in enumerate(rows):
        index = start + offset
        try:
            drafts.append(
                (
                    index,
                    draft_from_posting(
                        row, platform=platform, now=now, ttl_days=ttl, normalizer=normalizer
                    ),
                )
            )
        except DomainError as exc:
            tally.fail(index, _external_id(row), exc.message)
        except Exception:
            # A parser bug on one row must not cost the other rows: logged, and the row fails.
            log.exception("import row %d could not be parsed", index)
            tally.fail(index, _external_id(row), "the row could not be read (unexpected error)")
    return drafts


def _external_id(row: Any) -> Any:
    return row.get("external_job_id") if isinstance(row, dict) else None


async def _write_chunk(
    services: Services,
    batch_id: uuid.UUID,
    platform: str,
    chunk: list[tuple[int, JobDraft]],
    vectors: Any,
    plan: dict[str, Any],
    tally: BatchTally,
) -> None:
    inserts, updates, activated = [], [], []
    companies = plan["companies"]
    model = services.embedder.model_name
    for position, (_, draft) in enumerate(chunk):
        values = draft.columns() | {
            "company_id": companies[draft.company.lower()],
            "import_batch_id": batch_id,
        }
        row = plan["rows"][position]
        vector = (
            vectors[plan["vector_index"][position]] if position in plan["vector_index"] else None
        )
        if vector is not None:
            values |= {"embedding": [float(x) for x in vector], "embedding_model": model}
        if row is None:
            values["id"] = uuid.uuid4()
            inserts.append(values)
            if values["status"] == "ACTIVE":
                activated.append((values["id"], values["company_id"]))
        elif plan["action"][position] == "update":
            job_id, status = row.id, row.status
            if status in KEPT_STATUSES:
                values["status"] = status
            elif status != "ACTIVE" and values["status"] == "ACTIVE":
                activated.append((job_id, values["company_id"]))
            updates.append(values | {"id": job_id})
    async with transaction(services.sessions) as session:
        await jobs.insert_many(session, inserts)
        await jobs.update_many(session, updates)
        await jobs.job_activated(session, [a[0] for a in activated], [a[1] for a in activated])
    tally.created += len(inserts)
    tally.updated += len(updates)
    tally.unchanged += len(chunk) - len(inserts) - len(updates)


async def _plan(
    services: Services, platform: str, chunk: list[tuple[int, JobDraft]]
) -> dict[str, Any]:
    """Which rows are new, newer, or unchanged, and which texts need an embedding."""
    async with transaction(services.sessions) as session:
        companies = await jobs.companies_by_name(session, sorted({d.company for _, d in chunk}))
        existing = await jobs.existing_by_source(
            session, platform, [d.external_id or "" for _, d in chunk]
        )
    rows: list[jobs.Stored | None] = []
    action: list[str] = []
    vector_index: dict[int, int] = {}
    texts: list[str] = []
    for position, (_, draft) in enumerate(chunk):
        row = existing.get(draft.external_id or "")
        rows.append(row)
        columns = draft.columns()
        if row is None:
            action.append("insert")
        elif row.posted_at > draft.posted_at or row.source_hash == columns["source_hash"]:
            action.append("unchanged")
            continue
        else:
            action.append("update")
        if row is None or row.content_hash != columns["content_hash"]:
            vector_index[position] = len(texts)
            texts.append(draft.text)
    return {
        "companies": companies,
        "rows": rows,
        "action": action,
        "vector_index": vector_index,
        "texts": texts,
    }


async def run_import(
    services: Services,
    platform: str,
    rows: Sequence[Any],
    *,
    created_by: uuid.UUID | None,
    normalizer: SkillNormalizer,
    progress: Progress | None = None,
) -> ImportBatch:
    platform = validate_platform(platform)
    now = services.clock()
    tally = BatchTally(total=len(rows))
    async with transaction(services.sessions) as session:
        batch = ImportBatch(
            id=uuid.uuid4(),
            platform=platform,
            status="RUNNING",
            total=len(rows),
            created_by_id=created_by,
        )
        session.add(batch)
    try:
        await _process(services, batch.id, platform, rows, now, normalizer, tally, progress)
    except BaseException as exc:
        # In its own transaction, so that no batch is left RUNNING; the error still propagates.
        reason = "cancelled" if isinstance(exc, asyncio.CancelledError) else type(exc).__name__
        try:
            await _finish(services, batch.id, tally, "FAILED", f"the import stopped: {reason}")
        except Exception:
            log.exception("import batch %s could not be marked FAILED", batch.id)
        raise
    return await _finish(services, batch.id, tally, "COMPLETED")


async def _process(
    services: Services,
    batch_id: uuid.UUID,
    platform: str,
    rows: Sequence[Any],
    now: datetime,
    normalizer: SkillNormalizer,
    tally: BatchTally,
    progress: Progress | None,
) -> None:
    ttl = services.settings.job_ttl_days
    drafts: list[tuple[int, JobDraft]] = []
    for start in range(0, len(rows), 1024):
        part = rows[start : start + 1024]
        # Regex parsing and skill extraction are CPU work: off the event loop.
        drafts += await asyncio.to_thread(
            _parse, part, start, platform, now, ttl, normalizer, tally
        )
    kept = collapse_duplicates(drafts)
    tally.duplicates = len(drafts) - len(kept)
    if progress:
        progress(tally.failed + tally.duplicates)
    chunks = [kept[i : i + CHUNK] for i in range(0, len(kept), CHUNK)]
    pending: asyncio.Task[Any] | None = None
    try:
        for chunk in chunks:
            plan = await _plan(services, platform, chunk)
            vectors = (
                await services.embedder.embed(plan["texts"])
                if plan["texts"]
                else np.zeros((0, 384))
            )
            # Write chunk N while the model already encodes chunk N+1.
            if pending is not None:
                await pending
            pending = asyncio.create_task(
                _write_chunk(services, batch_id, platform, chunk, vectors, plan, tally)
            )
            if progress:
                pending.add_done_callback(functools.partial(_advance, progress, len(chunk)))
        if pending is not None:
            await pending
    except BaseException:
        if pending is not None and not pending.done():
            pending.cancel()  # no chunk may commit after the batch is marked FAILED
        raise


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
        await session.execute(
            update(ImportBatch)
            .where(ImportBatch.id == batch_id)
            .values(
                status=status,
                created=tally.created,
                updated=tally.updated,
                unchanged=tally.unchanged,
                duplicates=tally.duplicates,
                failed=tally.failed,
                errors=sorted(tally.errors, key=lambda e: e["row"]),
                finished_at=services.clock(),
                reason=reason,
            )
        )
        batch = await session.get(ImportBatch, batch_id)
        assert batch is not None
        await session.refresh(batch)
        return batch


async def import_jobs(
    services: Services,
    viewer: Viewer | None,
    platform: str,
    rows: Sequence[Any],
    normalizer: SkillNormalizer,
) -> ImportBatch:
    viewer = require(viewer, Role.PLATFORM_ADMIN)
    return await run_import(services, platform, rows, created_by=viewer.id, normalizer=normalizer)


async def batches(
    services: Services, viewer: Viewer | None, first: int, after: tuple[datetime, uuid.UUID] | None
) -> tuple[list[ImportBatch], bool]:
    require(viewer, Role.PLATFORM_ADMIN)
    check_page_size(first)
    query = (
        select(ImportBatch)
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
        .limit(first + 1)
    )
    if after is not None:
        query = query.where(tuple_(ImportBatch.created_at, ImportBatch.id) < tuple_(*after))
    async with read(services.sessions) as session:
        rows = list((await session.execute(query)).scalars())
    return rows[:first], len(rows) > first


async def batch(services: Services, viewer: Viewer | None, batch_id: uuid.UUID) -> ImportBatch:
    viewer = require(viewer)
    if viewer.role != Role.PLATFORM_ADMIN:
        raise NotFound("no ImportBatch has this id")
    async with read(services.sessions) as session:
        found = await session.get(ImportBatch, batch_id)
    if found is None:
        raise NotFound("no ImportBatch has this id")
    return found


def require_admin(viewer: Viewer | None) -> Viewer:
    """Checked before the upload is even read."""
    return require(viewer, Role.PLATFORM_ADMIN)


def exactly_one_source(file_given: bool, jobs_given: bool) -> None:
    if file_given == jobs_given:
        raise InvalidInput("give exactly one of file or jobs", field="file")
