"""Scrape queue repository: scraper keys, role rows, uploads and the processor's lock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, literal_column, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from db import paging
from db.engine import SessionFactory
from db.models import Candidate, ScraperKey, ScrapeRole, ScrapeUpload, User
from domain.enums import CandidateStatus, Role
from domain.scraping import RoleStatus, UploadStatus

Keyset = tuple[datetime, uuid.UUID]
_PROCESSOR_LOCK = 0x73637270  # "scrp": one upload processor at a time, across instances
_QUEUE_LOCK = 0x73637271
_OPEN = (UploadStatus.PENDING.value, UploadStatus.PROCESSING.value)
_WANTING = (CandidateStatus.PENDING_REVIEW.value, CandidateStatus.READY.value)


async def add_key(
    session: AsyncSession, name: str, prefix: str, digest: str, created_by: uuid.UUID
) -> ScraperKey:
    row = ScraperKey(
        id=uuid.uuid4(), name=name, prefix=prefix, key_hash=digest, created_by_id=created_by
    )
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def key_by_hash(session: AsyncSession, digest: str) -> ScraperKey | None:
    query = select(ScraperKey).where(ScraperKey.key_hash == digest)
    return (await session.execute(query)).scalar_one_or_none()


async def get_key(session: AsyncSession, key_id: uuid.UUID) -> ScraperKey | None:
    return await session.get(ScraperKey, key_id)


async def touch_key(session: AsyncSession, key_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(ScraperKey).where(ScraperKey.id == key_id).values(last_used_at=now)
    )


async def keys(session: AsyncSession) -> list[ScraperKey]:
    query = select(ScraperKey).order_by(ScraperKey.created_at.desc(), ScraperKey.id.desc())
    return list((await session.execute(query)).scalars())


async def wanting_people(session: AsyncSession) -> list[tuple[list[str], list[str]]]:
    """(preferred roles, preferred locations) of every pool candidate under review or ready and
    every active CANDIDATE user who names a role."""
    pool = select(Candidate.preferred_roles, Candidate.preferred_locations).where(
        Candidate.status.in_(_WANTING), func.cardinality(Candidate.preferred_roles) > 0
    )
    people = select(User.preferred_roles, User.preferred_locations).where(
        User.role == Role.CANDIDATE.value,
        User.is_active.is_(True),
        func.cardinality(User.preferred_roles) > 0,
    )
    rows = (await session.execute(pool.union_all(people))).all()
    return [(list(r[0]), list(r[1])) for r in rows]


async def ready_pool_roles(session: AsyncSession) -> list[tuple[uuid.UUID, list[str]]]:
    """(id, preferred roles) of READY pool candidates naming any role; the caller keeps those
    naming one role (normalizing is the domain's)."""
    query = select(Candidate.id, Candidate.preferred_roles).where(
        Candidate.status == CandidateStatus.READY.value,
        func.cardinality(Candidate.preferred_roles) > 0,
    )
    return [(r.id, list(r.preferred_roles)) for r in (await session.execute(query)).all()]


async def queue_lock(session: AsyncSession) -> None:
    """Serializes role syncs and claims until the transaction ends: a sync's row locks would
    otherwise make a concurrent claim skip roles that are free."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _QUEUE_LOCK})


async def sync_roles(session: AsyncSession, wanted: Mapping[str, tuple[int, list[str]]]) -> None:
    """Upserts one row per wanted role (in name order, so concurrent syncs lock alike) and
    zeroes the roles nobody wants any more; their history (last scraped) stays."""
    names = sorted(wanted)
    if names:
        statement = insert(ScrapeRole).values(
            [
                {
                    "id": uuid.uuid4(),
                    "role": n,
                    "candidates": wanted[n][0],
                    "locations": wanted[n][1],
                }
                for n in names
            ]
        )
        table = ScrapeRole.__table__
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[ScrapeRole.role],
                set_={
                    "candidates": statement.excluded.candidates,
                    "locations": statement.excluded.locations,
                },
                where=tuple_(table.c.candidates, table.c.locations)
                != tuple_(statement.excluded.candidates, statement.excluded.locations),
            )
        )
    await session.execute(
        update(ScrapeRole)
        .where(ScrapeRole.candidates > 0, ScrapeRole.role.not_in(names))
        .values(candidates=0, locations=[])
    )


async def claim(session: AsyncSession, now: datetime) -> ScrapeRole | None:
    """The wanted role scraped longest ago (never scraped first), marked SCRAPING; rows another
    transaction is claiming are skipped, so two bots never get the same role."""
    chosen = (
        select(ScrapeRole.id)
        .where(ScrapeRole.status == RoleStatus.QUEUED.value, ScrapeRole.candidates > 0)
        .order_by(
            ScrapeRole.last_scraped_at.asc().nulls_first(),
            ScrapeRole.created_at,
            ScrapeRole.id,
        )
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(ScrapeRole)
        .where(ScrapeRole.id == chosen)
        .values(status=RoleStatus.SCRAPING.value, claimed_at=now, platforms={}, last_error=None)
        .returning(ScrapeRole)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def role_for_update(session: AsyncSession, role_id: uuid.UUID) -> ScrapeRole | None:
    query = select(ScrapeRole).where(ScrapeRole.id == role_id).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def add_upload(
    session: AsyncSession,
    role: ScrapeRole,
    platform: str,
    rows: list[Any],
    key_id: uuid.UUID | None,
) -> ScrapeUpload:
    assert role.claimed_at is not None
    upload = ScrapeUpload(
        id=uuid.uuid4(),
        role_id=role.id,
        claimed_at=role.claimed_at,
        platform=platform,
        key_id=key_id,
        rows=rows,
        received=len(rows),
    )
    session.add(upload)
    role.platforms = {**role.platforms, platform: "RECEIVED"}
    await session.flush()
    await session.refresh(upload)
    return upload


async def queue_position(session: AsyncSession, seq: int) -> int:
    """1 = processed next (or now)."""
    query = select(func.count()).where(ScrapeUpload.status.in_(_OPEN), ScrapeUpload.seq <= seq)
    return int((await session.execute(query)).scalar_one())


async def open_uploads(session: AsyncSession) -> int:
    query = select(func.count()).where(ScrapeUpload.status.in_(_OPEN))
    return int((await session.execute(query)).scalar_one())


async def work_left(session: AsyncSession) -> bool:
    """Uploads waiting, or completed roles not yet finished."""
    uploads = select(ScrapeUpload.id).where(ScrapeUpload.status.in_(_OPEN)).exists()
    roles = select(ScrapeRole.id).where(ScrapeRole.completed_claim_at.is_not(None)).exists()
    return bool((await session.execute(select(uploads | roles))).scalar_one())


async def next_upload(session: AsyncSession) -> ScrapeUpload | None:
    """The oldest upload not done, counted as one more attempt; PROCESSING ones were left by a
    processor that died (only the lock holder processes)."""
    chosen = (
        select(ScrapeUpload.id)
        .where(ScrapeUpload.status.in_(_OPEN))
        .order_by(ScrapeUpload.seq)
        .limit(1)
        .scalar_subquery()
    )
    statement = (
        update(ScrapeUpload)
        .where(ScrapeUpload.id == chosen)
        .values(status=UploadStatus.PROCESSING.value, attempts=ScrapeUpload.attempts + 1)
        .returning(ScrapeUpload)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def finish_upload(
    session: AsyncSession,
    upload_id: uuid.UUID,
    *,
    status: UploadStatus,
    now: datetime,
    found: int | None = None,
    batch_id: uuid.UUID | None = None,
) -> None:
    await session.execute(
        update(ScrapeUpload)
        .where(ScrapeUpload.id == upload_id)
        .values(
            status=status.value,
            processed_at=now,
            found=found,
            import_batch_id=batch_id,
            rows=[],  # processed: the batch keeps the per-row outcome
        )
    )


async def completed_roles(session: AsyncSession) -> list[ScrapeRole]:
    """Completed roles whose uploads of that claim are all processed, locked for the caller."""
    still_open = (
        select(literal_column("1"))
        .where(
            ScrapeUpload.role_id == ScrapeRole.id,
            ScrapeUpload.claimed_at == ScrapeRole.completed_claim_at,
            ScrapeUpload.status.in_(_OPEN),
        )
        .exists()
    )
    query = (
        select(ScrapeRole)
        .where(ScrapeRole.completed_claim_at.is_not(None), ~still_open)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars())


async def found_in_claim(session: AsyncSession, role_id: uuid.UUID, claimed_at: datetime) -> int:
    query = select(func.coalesce(func.sum(ScrapeUpload.found), 0)).where(
        ScrapeUpload.role_id == role_id, ScrapeUpload.claimed_at == claimed_at
    )
    total = (await session.execute(query)).scalar_one()
    return int(total or 0)


async def stuck_roles(session: AsyncSession, before: datetime) -> list[ScrapeRole]:
    query = (
        select(ScrapeRole)
        .where(ScrapeRole.status == RoleStatus.SCRAPING.value, ScrapeRole.claimed_at < before)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars())


NEVER = datetime.min.replace(tzinfo=UTC)  # "never scraped" sorts first


def _scraped() -> Any:
    return func.coalesce(ScrapeRole.last_scraped_at, NEVER)


async def queue_page(
    session: AsyncSession, first: int, after: Keyset | None
) -> paging.Page[ScrapeRole]:
    """Wanted roles in claim order: never scraped first, then scraped longest ago."""
    query = select(ScrapeRole).where(ScrapeRole.candidates > 0).order_by(_scraped(), ScrapeRole.id)
    if after is not None:
        query = query.where(tuple_(_scraped(), ScrapeRole.id) > tuple_(*after))
    return await paging.fetch(session, query, first)


async def pending_by_role(
    session: AsyncSession, role_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    query = (
        select(ScrapeUpload.role_id, func.count())
        .where(ScrapeUpload.role_id.in_(role_ids), ScrapeUpload.status.in_(_OPEN))
        .group_by(ScrapeUpload.role_id)
    )
    return {r[0]: int(r[1]) for r in (await session.execute(query)).all()}


@asynccontextmanager
async def processor_lock(factory: SessionFactory) -> AsyncIterator[bool]:
    """Whether this caller is the one upload processor: a session-level advisory lock on a
    connection held for the block, freed when that connection closes, so a killed processor
    never keeps it."""
    engine: AsyncEngine = factory.kw["bind"]
    async with engine.connect() as connection:
        statement = text("SELECT pg_try_advisory_lock(:key)")
        got = bool((await connection.execute(statement, {"key": _PROCESSOR_LOCK})).scalar_one())
        await connection.commit()
        try:
            yield got
        finally:
            if got:
                unlock = text("SELECT pg_advisory_unlock(:key)")
                await connection.execute(unlock, {"key": _PROCESSOR_LOCK})
                await connection.commit()
