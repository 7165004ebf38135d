"""WebSocket transport: frame checks on both subprotocols, and the legacy `graphql-ws` one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, cast

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema import BaseSchema
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionInitMessage

from schema.context import Context

if TYPE_CHECKING:
    from schema.view import GraphQLView


class FrameCheckingWebSocketAdapter(ASGIWebSocketAdapter):
    """Every frame must be text, at most JOBMATCH_MAX_WS_FRAME_BYTES, and a JSON object with a
    string `type`. Anything else closes the socket with 4400 and the reason on both
    subprotocols, where strawberry would drop it silently or fail with a traceback."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit = cast("GraphQLView", self.view).max_ws_frame_bytes
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
