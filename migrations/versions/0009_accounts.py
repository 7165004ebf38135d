"""account basics: a forced password change after a temporary password, password reset tokens

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column(
            "password_change_required",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
    )
    op.create_table(
        "password_reset_tokens",
        # sha256 hex of the token e-mailed; the token itself is never stored.
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            UUID(as_uuid=True),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_password_reset_tokens_user", "password_reset_tokens", ["user_id"])
    op.create_index("ix_password_reset_tokens_expires", "password_reset_tokens", ["expires_at"])
    # Anonymous searches (public browsing) keep their ranked snapshot without a user.
    op.alter_column("ranked_snapshots", "user_id", existing_type=UUID(as_uuid=True), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM ranked_snapshots WHERE user_id IS NULL")
    op.alter_column("ranked_snapshots", "user_id", existing_type=UUID(as_uuid=True), nullable=False)
    op.drop_index("ix_password_reset_tokens_expires", table_name="password_reset_tokens")
    op.drop_index("ix_password_reset_tokens_user", table_name="password_reset_tokens")
    op.drop_table("password_reset_tokens")
    op.drop_column("users", "password_change_required")
