"""The /graphql endpoint: HTTP (GET/POST), WebSocket (both subprotocols), GraphiQL, auth in context."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionInitMessage
from strawberry.types.unset import UnsetType

from db.loaders import Loaders
from domain.errors import DomainError, Unauthenticated
from resolvers.auth import authenticate
from resolvers.services import Services
from schema.context import Context, current_request_id

GRAPHIQL_HTML = (Path(__file__).parent / "graphiql.html").read_text(encoding="utf-8")
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


class _BodyTooLarge(Exception):
    pass


def _bearer(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def _prefers_graphql_response(accept: str) -> bool:
    """GraphQL over HTTP: the newer media type wins when Accept ranks it at least as high."""
    ranks: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranks[media.lower()] = max(quality, ranks.get(media.lower(), 0.0))
    ours = ranks.get(GRAPHQL_RESPONSE_JSON, 0.0)
    return ours > 0 and ours >= ranks.get("application/json", 0.0)


def _is_request_error(data: GraphQLHTTPResponse) -> bool:
    """Parse, validation and variable errors: nothing executed, so no error has a path."""
    errors = data.get("errors") or []
    return (
        data.get("data") is None
        and bool(errors)
        and all(isinstance(error, dict) and error.get("path") is None for error in errors)
    )


def error_response(status: int, message: str, code: str) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)


class _AnyOperation:
    """Where strawberry's legacy handler calls `schema.subscribe` (subscriptions only), `stream`
    also runs queries and mutations, as subscriptions-transport-ws clients send them."""

    def __init__(self, schema: BaseSchema) -> None:
        self.subscribe = schema.stream


class LegacyGraphQLWSHandler(BaseGraphQLWSHandler[Context, None]):
    """The legacy `graphql-ws` subprotocol: any operation, and a refused connection_init closes
    with 4403 as on graphql-transport-ws (SPEC §6), not strawberry's 1011."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema = cast(BaseSchema, _AnyOperation(self.schema))

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = message.get("payload")
        self.context.connection_params = payload if isinstance(payload, dict) else {}
        try:
            ack = await self.view.on_ws_connect(self.context)
        except ConnectionRejectionError as exc:
            await self.send_message({"type": "connection_error", "payload": exc.payload})
            await self.websocket.close(code=4403, reason="Forbidden")
            return
        if isinstance(ack, dict):
            await self.send_message({"type": "connection_ack", "payload": ack})
        else:
            await self.send_message({"type": "connection_ack"})
        self.connection_acknowledged = True
        if self.keep_alive:
            self.keep_alive_task = asyncio.create_task(self.handle_keep_alive())


class GraphQLView(GraphQL[Context, None]):
    graphql_ws_handler_class = LegacyGraphQLWSHandler

    def __init__(self, services: Services, schema: Any, **kwargs: Any) -> None:
        settings = services.settings
        super().__init__(
            schema,
            graphql_ide="graphiql",
            multipart_uploads_enabled=True,
            subscription_protocols=(
                GRAPHQL_TRANSPORT_WS_PROTOCOL,
                GRAPHQL_WS_PROTOCOL,
                GRAPHQL_SSE_PROTOCOL,
                MULTIPART_SUBSCRIPTION_PROTOCOL,
            ),
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
            await error_response(413, "request body too large", "BAD_USER_INPUT")(
                scope, receive, send
            )
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
            response = error_response(
                400, f"unable to parse request body: {type(exc).__name__}", "BAD_USER_INPUT"
            )
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

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        if _prefers_graphql_response(request.headers.get("accept", "")):
            sub_response.media_type = GRAPHQL_RESPONSE_JSON
        return sub_response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        """application/json, always 200, unless the client asked for graphql-response+json:
        then request errors (nothing executed) answer 400 without a `data` entry."""
        if sub_response.media_type != GRAPHQL_RESPONSE_JSON:
            return super().create_response(response_data, sub_response)
        if isinstance(response_data, dict) and _is_request_error(response_data):
            response_data = {"errors": response_data.get("errors")}
            sub_response.status_code = 400
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(GRAPHIQL_HTML)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
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
        token = params.get("authToken") or _bearer(
            params.get("Authorization") or params.get("authorization")
        )
        if not isinstance(token, str) or not token:
            raise ConnectionRejectionError(
                {"message": "missing access token", "code": "UNAUTHENTICATED"}
            )
        try:
            context.viewer = await authenticate(self.services, token)
        except Unauthenticated as exc:
            raise ConnectionRejectionError(
                {"message": exc.message, "code": "UNAUTHENTICATED"}
            ) from exc
        if self.services.events is not None:
            self.services.events.track(context.request, context.viewer)
        return None

    def encode_json(self, data: object) -> str:
        return json.dumps(data, separators=(",", ":"), default=str)
