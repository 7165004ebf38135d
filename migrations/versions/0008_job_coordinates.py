"""job coordinates for the feed by place, the candidate's search radius

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.jobs import job_point

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("lat", sa.Double(), nullable=True))
    op.add_column("jobs", sa.Column("lon", sa.Double(), nullable=True))
    # Bounding boxes: a range on lat narrows, lon is checked from the index entry.
    op.create_index("ix_jobs_lat_lon", "jobs", ["lat", "lon"])
    op.add_column("users", sa.Column("search_radius_km", sa.Integer(), nullable=True))
    _backfill()


def _backfill() -> None:
    """Existing jobs get the coordinates new ones get when written (domain.jobs.job_point)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, location FROM jobs WHERE location IS NOT NULL AND lat IS NULL")
    ).all()
    points = [
        {"id": row.id, "lat": point.lat, "lon": point.lon}
        for row in rows
        if (point := job_point(row.location)) is not None
    ]
    if points:
        bind.execute(sa.text("UPDATE jobs SET lat = :lat, lon = :lon WHERE id = :id"), points)


def downgrade() -> None:
    op.drop_column("users", "search_radius_km")
    op.drop_index("ix_jobs_lat_lon", table_name="jobs")
    op.drop_column("jobs", "lon")
    op.drop_column("jobs", "lat")
