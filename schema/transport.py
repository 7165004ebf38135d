"""GraphQL over HTTP, the rules around execution: media types, CSRF prevention, bearer tokens,
the multipart upload envelope, and the error bodies sent when nothing executed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from strawberry.http import GraphQLHTTPResponse

from domain.errors import BadRequest

if TYPE_CHECKING:
    from schema.view import GraphQLView

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"

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
JSON_CONTAINER = re.compile(rb"\s*[\[{]")
SCRAPER_KEY_HEADER = "x-scraper-api-key"


class BodyTooLarge(Exception):
    pass


def bearer(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def prefers_graphql_response(accept: str) -> bool:
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


def is_request_error(data: GraphQLHTTPResponse) -> bool:
    """Parse, validation and variable errors: nothing executed, so no error has a path."""
    errors = data.get("errors") or []
    return (
        data.get("data") is None
        and bool(errors)
        and all(isinstance(error, dict) and error.get("path") is None for error in errors)
    )


def has_code(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], code: str) -> bool:
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


def form_json(view: GraphQLView, value: object, name: str) -> object:
    if value is None:
        raise BadRequest(f"the multipart request lacks its `{name}` field")
    if not isinstance(value, str | bytes):
        raise BadRequest(f"the multipart `{name}` field must be JSON text")
    return view.parse_json(value)


def valid_files_map(files_map: object, files: Any) -> dict[str, list[str]]:
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
