"""The /graphql endpoint: HTTP (GET/POST), WebSocket (both subprotocols), GraphiQL, auth in context."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.file_uploads.utils import replace_placeholders_with_files
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
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
from schema.transport import (
    GRAPHQL_RESPONSE_JSON,
    JSON_CONTAINER,
    SCRAPER_KEY_HEADER,
    SUBSCRIPTIONS_NEED_A_STREAM,
    BodyTooLarge,
    bearer,
    csrf_refusal,
    error_response,
    form_json,
    has_code,
    is_request_error,
    prefers_graphql_response,
    valid_files_map,
)
from schema.websockets import FrameCheckingWebSocketAdapter, LegacyGraphQLWSHandler

log = logging.getLogger("jobmatch.http")


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
        except BodyTooLarge:
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
                and not JSON_CONTAINER.match(await request.get_body())
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
        operations = form_json(self, form.form.get("operations"), "operations")
        if not isinstance(operations, dict):
            raise BadRequest("the multipart `operations` field must be a JSON object")
        files_map = valid_files_map(form_json(self, form.form.get("map", "{}"), "map"), form.files)
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
                    raise BodyTooLarge
            return message

        return wrapped

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        if prefers_graphql_response(request.headers.get("accept", "")):
            sub_response.media_type = GRAPHQL_RESPONSE_JSON
        return sub_response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        """application/json, 200, unless the client asked for graphql-response+json: then
        request errors (nothing executed) answer 400 without a `data` entry. An unreachable
        database answers 503 either way, an unusable request (a malformed persisted query) 400."""
        unavailable = has_code(response_data, "SERVICE_UNAVAILABLE")
        ours = sub_response.media_type == GRAPHQL_RESPONSE_JSON
        if isinstance(response_data, dict) and is_request_error(response_data):
            if ours:
                response_data = {"errors": response_data.get("errors")}
            if ours or has_code(response_data, BadRequest.code):
                sub_response.status_code = 400
        if unavailable:
            sub_response.status_code = 503
        response = super().create_response(response_data, sub_response)
        if ours:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        if has_code(response_data, "PERSISTED_QUERY_NOT_FOUND"):
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
            token = bearer(request.headers.get("authorization"))
            if token is not None:
                try:
                    context.viewer, user = await authenticate_user(self.services, token)
                    context.loaders.user_by_id.prime(user.id, user)  # no second user query
                except DomainError as exc:
                    context.auth_error = exc
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        token = params.get("authToken") or bearer(
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
