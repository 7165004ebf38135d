"""The long-lived collaborators a request needs, built once by the app's lifespan."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from db.embedded import EmbeddedDatabase
from db.embedder import Embedder, load_model
from db.engine import SessionFactory, create_engine, create_session_factory
from domain.config import Settings
from domain.enums import Role
from domain.errors import Forbidden, Unauthenticated
from resolvers.security import TokenClaims, TokenCodec


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    sessions: SessionFactory
    embedder: Embedder
    tokens: TokenCodec
    # Login and register limits are not here: their counters live in PostgreSQL
    # (db/ratelimits.py), shared by every instance.
    clock: Callable[[], datetime] = utc_now
    events: Any = None  # the EventHub, set when subscriptions are served


@dataclass(frozen=True)
class Viewer:
    """The authenticated caller as the access token and the database describe it."""

    id: uuid.UUID
    role: Role
    company_id: uuid.UUID | None
    token: TokenClaims

    @property
    def is_recruiter(self) -> bool:
        return self.role in (Role.RECRUITER, Role.COMPANY_ADMIN)


def require(viewer: Viewer | None, *roles: Role) -> Viewer:
    if viewer is None:
        raise Unauthenticated("sign in first")
    if roles and viewer.role not in roles:
        raise Forbidden(f"this operation needs the role {' or '.join(r.value for r in roles)}")
    return viewer


def database_url(settings: Settings) -> tuple[str, EmbeddedDatabase | None]:
    """Blocking: the configured URL, or the embedded server's (started or joined)."""
    if settings.database_url:
        return settings.database_url, None
    embedded = EmbeddedDatabase(settings.data_dir)
    return embedded.start(), embedded


@dataclass
class Runtime:
    """What the app's lifespan (or a CLI command, or a test session) owns."""

    services: Services
    embedded: EmbeddedDatabase | None = None

    @classmethod
    async def start(
        cls, settings: Settings, *, url: str | None = None, model: object = None
    ) -> Runtime:
        embedded = None
        if url is None:
            url, embedded = await asyncio.to_thread(database_url, settings)
        assert url is not None
        if model is None:
            model = await asyncio.to_thread(load_model)
        elif model is False:  # commands that never embed skip the model's load time
            model = None
        engine = create_engine(url)
        services = Services(
            settings=settings,
            sessions=create_session_factory(engine),
            embedder=Embedder(model),
            tokens=TokenCodec(settings),
        )
        return cls(services=services, embedded=embedded)

    @property
    def url(self) -> str:
        return str(self.services.sessions.kw["bind"].url.render_as_string(hide_password=False))

    async def close(self) -> None:
        await self.services.embedder.aclose()
        await self.services.sessions.kw["bind"].dispose()
