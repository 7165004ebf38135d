"""event recipient indexes: replay for one user or company reads only their events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_events_user_id", "events", ["user_id", "id"], unique=False)
    op.create_index("ix_events_company_id", "events", ["company_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_company_id", table_name="events")
    op.drop_index("ix_events_user_id", table_name="events")
