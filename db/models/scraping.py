"""The scrape queue (roles, uploads, scraper keys), alerts, and cross-source job identities."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, _created, _uuid_pk


class ScraperKey(Base):
    """An API key of a scraper bot: only its SHA-256 is stored, with 8 characters to name it."""

    __tablename__ = "scraper_keys"

    id: Mapped[uuid.UUID] = _uuid_pk()
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    prefix: Mapped[str] = mapped_column(String(8), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = _created()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScrapeRole(Base):
    """One row per normalized preferred role; `candidates`/`locations` are refreshed from the
    candidates' profiles on every claim and queue read (db/scraping.py sync_roles)."""

    __tablename__ = "scrape_roles"
    __table_args__ = (Index("ix_scrape_roles_claim", "status", "last_scraped_at"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    role: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    candidates: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    locations: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    status: Mapped[str] = mapped_column(String(20), nullable=False, server_default="QUEUED")
    # platform -> RECEIVED (uploads came) for the current claim; reset by each claim.
    platforms: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    retry_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_scraped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set by completeScrapeRole: the claim whose uploads must be processed before the role's
    # candidates are re-matched (and an empty scrape reported).
    completed_claim_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created()


class ScrapeUpload(Base):
    """One submitScrapedJobs call: its rows wait here for the sequential processor."""

    __tablename__ = "scrape_uploads"
    __table_args__ = (
        Index("ix_scrape_uploads_pending", "status", "seq"),
        Index("ix_scrape_uploads_role", "role_id", "claimed_at"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), nullable=False, unique=True)
    role_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("scrape_roles.id", ondelete="CASCADE"), nullable=False
    )
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    platform: Mapped[str] = mapped_column(String(100), nullable=False)
    key_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("scraper_keys.id", ondelete="SET NULL")
    )
    rows: Mapped[list[Any]] = mapped_column(JSONB, nullable=False)
    received: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, server_default="PENDING")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    found: Mapped[int | None] = mapped_column(Integer)  # rows that became or matched a job
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = _created()
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Alert(Base):
    """Something a platform operator must look at (SPEC §14)."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_created", "created_at", "id"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class JobSource(Base):
    """A further source of a job: the same posting found on another platform."""

    __tablename__ = "job_sources"
    __table_args__ = (Index("ix_job_sources_job", "job_id"),)

    platform: Mapped[str] = mapped_column(String(100), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    job_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False
    )
    url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = _created()


class JobFingerprint(Base):
    """What cross-source duplicate detection compares: the posting key and description simhash."""

    __tablename__ = "job_fingerprints"
    __table_args__ = (Index("ix_job_fingerprints_key", "posting_key"),)

    job_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    posting_key: Mapped[str] = mapped_column(String(32), nullable=False)
    simhash: Mapped[int] = mapped_column(BigInteger, nullable=False)
    platform: Mapped[str | None] = mapped_column(String(100))
