"""The /graphql endpoint: HTTP (GET/POST), WebSocket (both subprotocols), GraphiQL, auth in context."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncGenerator
from datetime import timedelta
from typing import Any, cast

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.file_uploads.utils import replace_placeholders_with_files
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionInitMessage
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UnsetType

from adapters.metrics import websocket_open
from db.engine import is_unavailable
from db.loaders import Loaders
from domain.errors import BadRequest, DomainError, Unauthenticated
from resolvers import scraping, subscriptions
from resolvers.auth import authenticate, authenticate_user
from resolvers.services import Services
from schema.context import Context, current_request_id
from schema.errors import MASKED_MESSAGE, UNAVAILABLE_MESSAGE
from schema.tour import graphiql_page

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
log = logging.getLogger("jobmatch.http")

# Browsers send these cross-site without a CORS preflight (Apollo Server's CSRF prevention).
_SIMPLE_CONTENT_TYPES = frozenset(
    {"multipart/form-data", "application/x-www-form-urlencoded", "text/plain"}
)
_PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")
CSRF_MESSAGE = (
    "This request has been blocked as a potential Cross-Site Request Forgery (CSRF): "
    "multipart/form-data requests must carry a non-empty `Apollo-Require-Preflight` "
    "(or `X-Apollo-Operation-Name`) header"
)
SUBSCRIPTIONS_NEED_A_STREAM = (
    "subscriptions need a WebSocket (graphql-transport-ws), SSE (Accept: text/event-stream) "
    "or multipart HTTP (Accept: multipart/mixed), not a plain POST or GET"
)
_JSON_CONTAINER = re.compile(rb"\s*[\[{]")
SCRAPER_KEY_HEADER = "x-scraper-api-key"


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


def _has_code(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], code: str) -> bool:
    results = data if isinstance(data, list) else [data]
    return any(
        isinstance(error, dict) and (error.get("extensions") or {}).get("code") == code
        for result in results
        for error in result.get("errors") or []
    )


def error_response(status: int, message: str, code: str, **extensions: object) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JSONResponse(body, status_code=status)


def csrf_refusal(request: Request) -> str | None:
    """A POST with a simple content type needs a header a cross-site form cannot set.
    GET is exempt: it only ever runs queries."""
    if request.method != "POST":
        return None
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if content_type not in _SIMPLE_CONTENT_TYPES:
        return None
    if any(request.headers.get(name, "").strip() for name in _PREFLIGHT_HEADERS):
        return None
    return CSRF_MESSAGE


def _form_json(view: GraphQLView, value: object, name: str) -> object:
    if value is None:
        raise BadRequest(f"the multipart request lacks its `{name}` field")
    if not isinstance(value, str | bytes):
        raise BadRequest(f"the multipart `{name}` field must be JSON text")
    return view.parse_json(value)


def _valid_files_map(files_map: object, files: Any) -> dict[str, list[str]]:
    """The GraphQL multipart request spec's `map`: file field name -> ["variables.<path>"]."""
    if not isinstance(files_map, dict):
        raise BadRequest('multipart `map` must be a JSON object like {"0": ["variables.file"]}')
    for name, paths in files_map.items():
        if not isinstance(paths, list) or not all(
            isinstance(path, str) and path.startswith("variables.") for path in paths
        ):
            raise BadRequest(
                f'multipart `map` entry "{name}" must be a list of "variables.…" paths'
            )
        if not isinstance(files.get(name), UploadFile):
            raise BadRequest(f'multipart `map` names file "{name}", which the request lacks')
    return files_map


class FrameCheckingWebSocketAdapter(ASGIWebSocketAdapter):
    """Every frame must be text, at most JOBMATCH_MAX_WS_FRAME_BYTES, and a JSON object with a
    string `type`. Anything else closes the socket with 4400 and the reason on both
    subprotocols, where strawberry would drop it silently or fail with a traceback."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit = cast(GraphQLView, self.view).max_ws_frame_bytes
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                text = message.get("text")
                frame, problem = (
                    (None, "frame must be text") if text is None else self._decode(text, limit)
                )
                if problem is not None:
                    await self.close(4400, problem)
                    return
                yield frame
        except WebSocketDisconnect:
            return

    def _decode(self, text: str, limit: int) -> tuple[object, str | None]:
        if len(text) > limit or len(text.encode()) > limit:
            return None, f"frame larger than {limit} bytes"
        try:
            frame = self.view.decode_json(text)
        except RecursionError:
            return None, "frame nests too deeply"
        except ValueError:  # not JSON, or a number longer than Python's int limit
            return None, "frame must be valid JSON"
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            return None, "frame must be a JSON object with a string `type`"
        return frame, None


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
    websocket_adapter_class = FrameCheckingWebSocketAdapter

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
        self.max_ws_frame_bytes = settings.max_ws_frame_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            with websocket_open():
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
        response = await self._respond(request)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        """Every failure outside GraphQL execution still answers GraphQL JSON with a code."""
        if refusal := csrf_refusal(request):
            return error_response(400, refusal, BadRequest.code)
        try:
            return await self.run(request)
        except BadRequest as exc:
            return error_response(400, exc.message, exc.code)
        except HTTPException as exc:
            return error_response(exc.status_code, exc.reason, "BAD_USER_INPUT")
        except _BodyTooLarge:
            return error_response(413, "request body too large", "BAD_USER_INPUT")
        except Exception as exc:
            if is_unavailable(exc):
                log.warning("database unavailable: %s", type(exc).__name__)
                return error_response(503, UNAVAILABLE_MESSAGE, "SERVICE_UNAVAILABLE")
            request_id = current_request_id()
            log.exception("unexpected error outside execution request_id=%s", request_id)
            return error_response(
                500, MASKED_MESSAGE, "INTERNAL_SERVER_ERROR", requestId=request_id
            )

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """A body that is not a GraphQL request object is BAD_REQUEST (SPEC §7)."""
        try:
            is_json = "application/json" in (request.content_type or "")
            if (
                request.method == "POST"
                and is_json
                and not _JSON_CONTAINER.match(await request.get_body())
            ):
                raise BadRequest('the request body must be a JSON object: {"query": "..."}')
            return await super().parse_http_body(request)
        except HTTPException as exc:
            raise BadRequest(exc.reason) from exc
        except (ValueError, RecursionError) as exc:
            # Bad UTF-8, or numbers too long for Python's int parser, found while reading JSON.
            raise BadRequest(f"unable to parse request body: {type(exc).__name__}") from exc

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        try:
            form = await request.get_form_data()
        except (ValueError, MultiPartException, StarletteHTTPException) as exc:
            raise BadRequest("unable to parse the multipart/form-data body") from exc
        operations = _form_json(self, form.form.get("operations"), "operations")
        if not isinstance(operations, dict):
            raise BadRequest("the multipart `operations` field must be a JSON object")
        files_map = _valid_files_map(
            _form_json(self, form.form.get("map", "{}"), "map"), form.files
        )
        try:
            return replace_placeholders_with_files(operations, files_map, form.files)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise BadRequest("a multipart `map` path names no variable of `operations`") from exc

    async def execute_single(  # noqa: PLR0917
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Plain POST/GET runs queries (and mutations over POST); a subscription needs a
        stream, which strawberry would otherwise try to execute once and fail."""
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.SUBSCRIPTION:
                raise BadRequest(SUBSCRIPTIONS_NEED_A_STREAM) from exc
            raise HTTPException(400, exc.as_http_error_reason(request_adapter.method)) from exc
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from exc
        except MissingQueryError as exc:
            raise BadRequest("No GraphQL query found in the request") from exc

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
        """application/json, 200, unless the client asked for graphql-response+json: then
        request errors (nothing executed) answer 400 without a `data` entry. An unreachable
        database answers 503 either way, an unusable request (a malformed persisted query) 400."""
        unavailable = _has_code(response_data, "SERVICE_UNAVAILABLE")
        ours = sub_response.media_type == GRAPHQL_RESPONSE_JSON
        if isinstance(response_data, dict) and _is_request_error(response_data):
            if ours:
                response_data = {"errors": response_data.get("errors")}
            if ours or _has_code(response_data, BadRequest.code):
                sub_response.status_code = 400
        if unavailable:
            sub_response.status_code = 503
        response = super().create_response(response_data, sub_response)
        if ours:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        if _has_code(response_data, "PERSISTED_QUERY_NOT_FOUND"):
            # A cache in front must not keep the miss: the client registers the document next.
            response.headers["cache-control"] = "private, no-cache, must-revalidate"
        return response

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """A GET that carries only a persisted query's hash is a request, not a browser."""
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(await graphiql_page(self.services))

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
        scraper_key = None if is_socket else request.headers.get(SCRAPER_KEY_HEADER)
        if scraper_key is not None:
            # A bot: its key alone counts, and it may call the scraper operations only.
            context.scraper_key_sent = True
            try:
                context.scraper = await scraping.authenticate(
                    self.services, scraper_key, context.client_address
                )
            except DomainError as exc:
                context.auth_error = exc
        elif not is_socket:
            token = _bearer(request.headers.get("authorization"))
            if token is not None:
                try:
                    context.viewer, user = await authenticate_user(self.services, token)
                    context.loaders.user_by_id.prime(user.id, user)  # no second user query
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
        subscriptions.track(self.services, context.request, context.viewer)
        return None

    def encode_json(self, data: object) -> str:
        return json.dumps(data, separators=(",", ":"), default=str)
