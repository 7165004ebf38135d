"""Alembic's head matches the SQLAlchemy models exactly; revision 1 creates pgvector."""

from __future__ import annotations

import os

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app import Runtime
from db.embedded import EmbeddedDatabase
from db.migrate import alembic_config, head_revision
from db.models import Base


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


def test_every_migration_downgrades_and_upgrades_again(embedded: EmbeddedDatabase) -> None:
    name = f"jobmatch_migrations_{os.getpid()}"
    embedded.drop_database(name)
    config = alembic_config(embedded.create_database(name))
    try:
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        command.upgrade(config, "head")
    finally:
        embedded.drop_database(name)
