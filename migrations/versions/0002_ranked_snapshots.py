"""ranked snapshots for feed and search pagination; application keyset indexes; HNSW rebuilt

The jobs HNSW index is rebuilt with ef_construction = 200 (was 64): on 100k jobs the feed's
recall@300 at ef_search = 400 goes from 0.968 to 0.989 for the same query time (bench/discover).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ranked_snapshots",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("job_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("scores", postgresql.ARRAY(sa.Float()), nullable=False),
        sa.Column("cosines", postgresql.ARRAY(sa.Float()), nullable=True),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ranked_snapshots_user_expires", "ranked_snapshots", ["user_id", "expires_at"], unique=False)
    op.create_index("ix_applications_user_created", "applications", ["user_id", "created_at", "id"], unique=False)
    op.create_index("ix_applications_job_created", "applications", ["job_id", "created_at", "id"], unique=False)
    op.drop_index("ix_jobs_embedding_hnsw", table_name="jobs")
    op.create_index(
        "ix_jobs_embedding_hnsw", "jobs", ["embedding"], unique=False, postgresql_using="hnsw",
        postgresql_with={"m": 16, "ef_construction": 200}, postgresql_ops={"embedding": "vector_cosine_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_jobs_embedding_hnsw", table_name="jobs")
    op.create_index(
        "ix_jobs_embedding_hnsw", "jobs", ["embedding"], unique=False, postgresql_using="hnsw",
        postgresql_with={"m": 16, "ef_construction": 64}, postgresql_ops={"embedding": "vector_cosine_ops"},
    )
    op.drop_index("ix_applications_job_created", table_name="applications")
    op.drop_index("ix_applications_user_created", table_name="applications")
    op.drop_index("ix_ranked_snapshots_user_expires", table_name="ranked_snapshots")
    op.drop_table("ranked_snapshots")
