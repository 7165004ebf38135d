"""the scrape queue, scraper keys, alerts, cross-source job sources; users gain preferred roles

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _now() -> sa.TextClause:
    return sa.text("now()")


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("preferred_roles", ARRAY(sa.Text()), nullable=False, server_default="{}"),
    )
    op.create_table(
        "scraper_keys",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(8), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "created_by_id", UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL")
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "scrape_roles",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("role", sa.String(100), nullable=False, unique=True),
        sa.Column("candidates", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locations", ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("status", sa.String(20), nullable=False, server_default="QUEUED"),
        sa.Column("platforms", JSONB(), nullable=False, server_default="{}"),
        sa.Column("retry_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text()),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("last_scraped_at", sa.DateTime(timezone=True)),
        sa.Column("completed_claim_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
    )
    op.create_index("ix_scrape_roles_claim", "scrape_roles", ["status", "last_scraped_at"])
    op.create_table(
        "scrape_uploads",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False, unique=True),
        sa.Column(
            "role_id",
            UUID(as_uuid=True),
            sa.ForeignKey("scrape_roles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column(
            "key_id", UUID(as_uuid=True), sa.ForeignKey("scraper_keys.id", ondelete="SET NULL")
        ),
        sa.Column("rows", JSONB(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="PENDING"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("found", sa.Integer()),
        sa.Column(
            "import_batch_id",
            UUID(as_uuid=True),
            sa.ForeignKey("import_batches.id", ondelete="SET NULL"),
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_scrape_uploads_pending", "scrape_uploads", ["status", "seq"])
    op.create_index("ix_scrape_uploads_role", "scrape_uploads", ["role_id", "claimed_at"])
    op.create_table(
        "alerts",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", JSONB(), nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_alerts_created", "alerts", ["created_at", "id"])
    op.create_table(
        "job_sources",
        sa.Column("platform", sa.String(100), primary_key=True),
        sa.Column("external_id", sa.String(300), primary_key=True),
        sa.Column(
            "job_id",
            UUID(as_uuid=True),
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("url", sa.String(2000)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
    )
    op.create_index("ix_job_sources_job", "job_sources", ["job_id"])
    op.create_table(
        "job_fingerprints",
        sa.Column(
            "job_id",
            UUID(as_uuid=True),
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("posting_key", sa.String(32), nullable=False),
        sa.Column("simhash", sa.BigInteger(), nullable=False),
        sa.Column("platform", sa.String(100)),
    )
    op.create_index("ix_job_fingerprints_key", "job_fingerprints", ["posting_key"])


def downgrade() -> None:
    op.drop_index("ix_job_fingerprints_key", table_name="job_fingerprints")
    op.drop_table("job_fingerprints")
    op.drop_index("ix_job_sources_job", table_name="job_sources")
    op.drop_table("job_sources")
    op.drop_index("ix_alerts_created", table_name="alerts")
    op.drop_table("alerts")
    op.drop_index("ix_scrape_uploads_role", table_name="scrape_uploads")
    op.drop_index("ix_scrape_uploads_pending", table_name="scrape_uploads")
    op.drop_table("scrape_uploads")
    op.drop_index("ix_scrape_roles_claim", table_name="scrape_roles")
    op.drop_table("scrape_roles")
    op.drop_table("scraper_keys")
    op.drop_column("users", "preferred_roles")
