"""Import batch repository and the bulk upsert of a planned chunk of postings."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import jobs, paging
from db.models import ImportBatch, JobFingerprint, JobSource
from domain.duplicates import Fingerprint, Known, Link
from domain.imports import BatchTally, Write

Keyset = tuple[datetime, uuid.UUID]


async def add_batch(
    session: AsyncSession, platform: str, total: int, created_by: uuid.UUID | None
) -> ImportBatch:
    batch = ImportBatch(
        id=uuid.uuid4(), platform=platform, status="RUNNING", total=total, created_by_id=created_by
    )
    session.add(batch)
    await session.flush()
    return batch


async def finish_batch(
    session: AsyncSession,
    batch_id: uuid.UUID,
    tally: BatchTally,
    *,
    status: str,
    finished_at: datetime,
    reason: str | None,
) -> ImportBatch:
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
            errors=tally.sorted_errors(),
            finished_at=finished_at,
            reason=reason,
        )
    )
    batch = await session.get(ImportBatch, batch_id)
    assert batch is not None
    await session.refresh(batch)
    return batch


async def get_batch(session: AsyncSession, batch_id: uuid.UUID) -> ImportBatch | None:
    return await session.get(ImportBatch, batch_id)


async def page(session: AsyncSession, first: int, after: Keyset | None) -> paging.Page[ImportBatch]:
    """Newest first, keyset on (created_at, id)."""
    query = select(ImportBatch).order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
    if after is not None:
        query = query.where(tuple_(ImportBatch.created_at, ImportBatch.id) < tuple_(*after))
    return await paging.fetch(session, query, first)


async def write(
    session: AsyncSession,
    writes: Sequence[Write],
    embeddings: Iterable[Iterable[float]],
    *,
    companies: Mapping[str, uuid.UUID],
    batch_id: uuid.UUID,
    model: str,
    fingerprints: Mapping[str, Fingerprint] | None = None,
) -> list[uuid.UUID]:
    """Inserts and updates the planned rows; `embeddings` in order for those that asked one;
    `fingerprints` (by external id) are kept for cross-source duplicate detection.
    Returns the ids of the jobs that became ACTIVE."""
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    activated: list[tuple[uuid.UUID, uuid.UUID]] = []
    vectors = iter(embeddings)
    for planned in writes:
        values = planned.columns | {
            "company_id": companies[planned.draft.company.lower()],
            "import_batch_id": batch_id,
            "id": planned.job_id or uuid.uuid4(),
        }
        if planned.embed:
            values |= {"embedding": [float(x) for x in next(vectors)], "embedding_model": model}
        (inserts if planned.job_id is None else updates).append(values)
        if planned.activates:
            activated.append((values["id"], values["company_id"]))
    await jobs.insert_many(session, inserts)
    await jobs.update_many(session, updates)
    await _keep_fingerprints(session, [*inserts, *updates], fingerprints or {})
    await jobs.job_activated(session, [a[0] for a in activated], [a[1] for a in activated])
    return [a[0] for a in activated]


async def _keep_fingerprints(
    session: AsyncSession, written: Sequence[dict[str, Any]], prints: Mapping[str, Fingerprint]
) -> None:
    values = [
        {
            "job_id": row["id"],
            "posting_key": found.key,
            "simhash": found.simhash,
            "platform": row["source_platform"],
        }
        for row in written
        if (found := prints.get(row.get("external_id") or "")) is not None
    ]
    if values:
        statement = insert(JobFingerprint).values(values)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[JobFingerprint.job_id],
                set_={
                    "posting_key": statement.excluded.posting_key,
                    "simhash": statement.excluded.simhash,
                },
            )
        )


async def known_fingerprints(
    session: AsyncSession, keys: Collection[str]
) -> dict[str, list[Known]]:
    """Stored jobs by posting key, for the keys of a chunk."""
    if not keys:
        return {}
    query = select(JobFingerprint).where(JobFingerprint.posting_key.in_(list(keys)))
    found: dict[str, list[Known]] = {}
    for row in (await session.execute(query)).scalars():
        found.setdefault(row.posting_key, []).append(
            Known(str(row.job_id), row.platform, row.simhash)
        )
    return found


async def add_sources(session: AsyncSession, links: Sequence[Link]) -> None:
    """Further sources of existing jobs; a source seen before keeps pointing where it did."""
    if links:
        values = [
            {
                "job_id": uuid.UUID(link.job_id),
                "platform": link.platform,
                "external_id": link.external_id,
                "url": link.url,
            }
            for link in links
        ]
        await session.execute(insert(JobSource).values(values).on_conflict_do_nothing())


async def sources_of(session: AsyncSession, job_ids: Sequence[uuid.UUID]) -> list[JobSource]:
    query = select(JobSource).where(JobSource.job_id.in_(job_ids)).order_by(JobSource.created_at)
    return list((await session.execute(query)).scalars())
