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
        client = self.request.client
        return client.host if client else "unknown"

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
