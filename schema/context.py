"""Per-request (or per-socket) context: services, the viewer, loaders and a request id."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from db.loaders import Loaders
from domain.clients import client_address, fingerprint, parse_networks
from domain.errors import DomainError, Forbidden, PasswordChangeRequired, Unauthenticated
from resolvers.auth import count_public_read
from resolvers.services import Services, Viewer

if TYPE_CHECKING:
    from resolvers.scraping import Scraper


@dataclass
class Context:
    services: Services
    loaders: Loaders
    request: Request | WebSocket
    response: Response | None = None
    viewer: Viewer | None = None
    auth_error: DomainError | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    connection_params: dict[str, Any] = field(default_factory=dict)
    public_read_counted: bool = False
    # X-Scraper-API-Key: a bot, which may call the scrape-queue operations only (schema/scraping.py).
    scraper: Scraper | None = None
    scraper_key_sent: bool = False

    @property
    def client_address(self) -> str:
        """The peer, or behind JOBMATCH_TRUSTED_PROXIES the hop they saw (X-Forwarded-For)."""
        client = self.request.client
        return client_address(
            client.host if client else None,
            self.request.headers.getlist("x-forwarded-for"),
            parse_networks(self.services.settings.trusted_proxies),
        )

    @property
    def client_fingerprint(self) -> str:
        return fingerprint(self.client_address, self.request.headers.get("user-agent"))

    def require_viewer(self, *, pending_password_ok: bool = False) -> Viewer | None:
        """The viewer, or the reason the presented token was refused. A viewer holding a
        temporary password gets PASSWORD_CHANGE_REQUIRED everywhere but `pending_password_ok`
        fields (me, changePassword)."""
        if self.viewer is None and self.auth_error is not None:
            raise self.auth_error
        pending = self.viewer is not None and self.viewer.password_change_required
        if pending and not pending_password_ok:
            raise PasswordChangeRequired("change your temporary password first (changePassword)")
        return self.viewer

    async def reader(self) -> Viewer | None:
        """For the public reads (jobs, job, searchJobs, company): the viewer, or None for an
        anonymous caller, whose request counts once against its address's limit."""
        viewer = self.require_viewer()
        if viewer is None and not self.public_read_counted:
            self.public_read_counted = True
            await count_public_read(self.services, self.client_address)
        return viewer

    def require_scraper(self) -> Scraper:
        """The bot behind the X-Scraper-API-Key; signed-in people may not call its operations."""
        if self.scraper_key_sent and self.auth_error is not None:
            raise self.auth_error
        if self.scraper is None:
            if self.viewer is not None or self.auth_error is not None:
                raise Forbidden("only scraper bots (X-Scraper-API-Key) call this operation")
            raise Unauthenticated("send the bot's X-Scraper-API-Key")
        return self.scraper


Info = StrawberryInfo[Context, None]


_request_id: ContextVar[str | None] = ContextVar("jobmatch_request_id", default=None)


def current_request_id() -> str:
    """The id the HTTP middleware gave this request, or a fresh one (e.g. per WebSocket)."""
    return _request_id.get() or uuid.uuid4().hex[:16]


def set_request_id(value: str) -> None:
    _request_id.set(value)
