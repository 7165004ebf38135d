"""the task queue (procrastinate's schema, in a schema of its own) and daily digests

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.util import await_only

from adapters.taskqueue import QUEUE_SCHEMA, schema_sql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # procrastinate's tables, types and functions live in their own schema, out of the
    # application's (its connections put it first on their search_path).
    op.execute(f"CREATE SCHEMA {QUEUE_SCHEMA}")
    op.execute(f"SET LOCAL search_path TO {QUEUE_SCHEMA}")
    # Many statements and PL/pgSQL bodies: sent as one simple query through the driver.
    driver = op.get_bind().connection.driver_connection
    await_only(driver.execute(schema_sql()))
    op.execute("RESET search_path")

    op.add_column(
        "users",
        sa.Column("digest_opt_in", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "digests",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "user_id",
            UUID(as_uuid=True),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", JSONB(), nullable=False),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_digests_user_created", "digests", ["user_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_digests_user_created", table_name="digests")
    op.drop_table("digests")
    op.drop_column("users", "digest_opt_in")
    op.execute(f"DROP SCHEMA {QUEUE_SCHEMA} CASCADE")
