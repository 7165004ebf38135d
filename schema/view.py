"""The /graphql endpoint: HTTP (GET/POST), WebSocket (both subprotocols), GraphiQL, auth in context."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from cross_web import HTTPException
from strawberry.types.unset import UnsetType

from db.loaders import Loaders
from domain.errors import DomainError, Unauthenticated
from resolvers.auth import authenticate
from resolvers.services import Services
from schema.context import Context, current_request_id

GRAPHIQL_HTML = (Path(__file__).parent / "graphiql.html").read_text(encoding="utf-8")


class _BodyTooLarge(Exception):
    pass


def _bearer(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def error_response(status: int, message: str, code: str) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, services: Services, schema: Any, **kwargs: Any) -> None:
        settings = services.settings
        super().__init__(
            schema,
            graphql_ide="graphiql",
            multipart_uploads_enabled=True,
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=20,
            allowed_origins=settings.allowed_origins,
            **kwargs,
        )
        self.services = services
        self.max_body_bytes = settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await error_response(413, "request body too large", "BAD_USER_INPUT")(scope, receive, send)
            return
        request = Request(scope, receive=self._limited(receive))
        try:
            response = await self.run(request)
        except HTTPException as exc:
            response = error_response(exc.status_code, exc.reason, "BAD_USER_INPUT")
        except _BodyTooLarge:
            response = error_response(413, "request body too large", "BAD_USER_INPUT")
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            # Bad UTF-8 or numbers too long for Python's int parser, found while reading JSON.
            response = error_response(400, f"unable to parse request body: {type(exc).__name__}", "BAD_USER_INPUT")
        await response(scope, receive, send)

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise _BodyTooLarge
            return message

        return wrapped

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(GRAPHIQL_HTML)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket | None) -> Context:
        is_socket = isinstance(request, WebSocket)
        context = Context(
            services=self.services,
            loaders=Loaders.create(self.services.sessions, cache=not is_socket),
            request=request,
            response=response if isinstance(response, Response) else None,
            request_id=current_request_id(),
        )
        if not is_socket:
            token = _bearer(request.headers.get("authorization"))
            if token is not None:
                try:
                    context.viewer = await authenticate(self.services, token)
                except DomainError as exc:
                    context.auth_error = exc
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        token = params.get("authToken") or _bearer(params.get("Authorization") or params.get("authorization"))
        if not isinstance(token, str) or not token:
            raise ConnectionRejectionError({"message": "missing access token", "code": "UNAUTHENTICATED"})
        try:
            context.viewer = await authenticate(self.services, token)
        except Unauthenticated as exc:
            raise ConnectionRejectionError({"message": exc.message, "code": "UNAUTHENTICATED"}) from exc
        return None

    def encode_json(self, data: object) -> str:
        return json.dumps(data, separators=(",", ":"), default=str)
