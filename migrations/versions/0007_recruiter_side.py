"""company kind, match records with history, interviews

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.add_column(
        "companies",
        sa.Column("kind", sa.String(length=20), server_default="EMPLOYER", nullable=False),
    )
    op.create_table(
        "matches",
        sa.Column("id", sa.UUID(), primary_key=True),
        sa.Column(
            "company_id",
            sa.UUID(),
            sa.ForeignKey("companies.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "job_id", sa.UUID(), sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("candidate_id", sa.UUID(), sa.ForeignKey("candidates.id", ondelete="CASCADE")),
        sa.Column("user_id", sa.UUID(), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("preset", sa.String(length=30), nullable=False),
        sa.Column("preset_version", sa.Integer(), nullable=False),
        sa.Column("explanation", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="SUGGESTED", nullable=False),
        *_stamps(),
        sa.UniqueConstraint(
            "company_id", "job_id", "candidate_id", name="uq_matches_candidate_job"
        ),
        sa.UniqueConstraint("company_id", "job_id", "user_id", name="uq_matches_user_job"),
        sa.CheckConstraint(
            "(candidate_id IS NULL) <> (user_id IS NULL)", name="ck_matches_one_person"
        ),
    )
    op.create_index("ix_matches_candidate_score", "matches", ["candidate_id", "score", "id"])
    op.create_index("ix_matches_job_score", "matches", ["job_id", "score", "id"])
    op.create_index("ix_matches_company_created", "matches", ["company_id", "created_at", "id"])
    op.create_table(
        "match_history",
        sa.Column("id", sa.UUID(), primary_key=True),
        sa.Column(
            "match_id", sa.UUID(), sa.ForeignKey("matches.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.UUID(), sa.ForeignKey("users.id")),
        sa.Column("note", sa.Text()),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_match_history_match", "match_history", ["match_id", "at"])
    op.create_table(
        "interviews",
        sa.Column("id", sa.UUID(), primary_key=True),
        sa.Column(
            "company_id",
            sa.UUID(),
            sa.ForeignKey("companies.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "application_id", sa.UUID(), sa.ForeignKey("applications.id", ondelete="CASCADE")
        ),
        sa.Column("match_id", sa.UUID(), sa.ForeignKey("matches.id", ondelete="CASCADE")),
        sa.Column("candidate_user_id", sa.UUID(), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("candidate_id", sa.UUID(), sa.ForeignKey("candidates.id", ondelete="CASCADE")),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="SCHEDULED", nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=255)),
        sa.Column("link", sa.String(length=500)),
        sa.Column("feedback", sa.Text()),
        sa.Column("rating", sa.Integer()),
        sa.Column("cancel_reason", sa.Text()),
        *_stamps(),
        sa.CheckConstraint(
            "(application_id IS NULL) <> (match_id IS NULL)", name="ck_interviews_one_subject"
        ),
    )
    op.create_index("ix_interviews_company_at", "interviews", ["company_id", "scheduled_at", "id"])
    op.create_index("ix_interviews_user_at", "interviews", ["candidate_user_id", "scheduled_at"])
    op.create_index("ix_interviews_candidate_at", "interviews", ["candidate_id", "scheduled_at"])


def downgrade() -> None:
    op.drop_table("interviews")
    op.drop_table("match_history")
    op.drop_table("matches")
    op.drop_column("companies", "kind")
