"""Per-request (or per-socket) context: services, the viewer, loaders and a request id."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from db.loaders import Loaders
from domain.clients import client_address, fingerprint, parse_networks
from domain.errors import DomainError
from resolvers.services import Services, Viewer


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

    def require_viewer(self) -> Viewer | None:
        """The viewer, or the reason the presented token was refused."""
        if self.viewer is None and self.auth_error is not None:
            raise self.auth_error
        return self.viewer


Info = StrawberryInfo[Context, None]


_request_id: ContextVar[str | None] = ContextVar("jobmatch_request_id", default=None)


def current_request_id() -> str:
    """The id the HTTP middleware gave this request, or a fresh one (e.g. per WebSocket)."""
    return _request_id.get() or uuid.uuid4().hex[:16]


def set_request_id(value: str) -> None:
    _request_id.set(value)
