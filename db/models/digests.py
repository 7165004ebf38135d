"""Daily digests (SPEC §14): what was sent to a candidate, kept for `digests(first, after)`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, _uuid_pk


class Digest(Base):
    """One digest: its jobs, trends and recommendations as JSON, and when its e-mail went out."""

    __tablename__ = "digests"
    __table_args__ = (Index("ix_digests_user_created", "user_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    # The digest covers jobs created in [since, created_at).
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
