"""Alembic's head matches the SQLAlchemy models exactly; revision 1 creates pgvector."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from db.migrate import head_revision
from db.models import Base
from resolvers.services import Runtime


async def test_models_and_migrations_agree(runtime: Runtime) -> None:
    engine = runtime.services.sessions.kw["bind"]

    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        changes = await connection.run_sync(diff)
        version = (
            await connection.execute(text("SELECT version_num FROM alembic_version"))
        ).scalar_one()
        vector = (
            await connection.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            )
        ).scalar_one()
    assert changes == []
    assert version == head_revision()
    assert vector.startswith("0.8")
