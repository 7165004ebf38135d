"""Gives every GraphQL error its SPEC §7 code, once, and masks the unexpected ones."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionContext

from db.engine import is_unavailable
from domain.errors import DomainError, RateLimited

log = logging.getLogger("jobmatch.errors")

_COMPLEXITY_MARKERS = (
    "exceeds maximum operation depth",
    "aliases found",
    "Document contains more than",
    "exceeds maximum",
)
MASKED_MESSAGE = "Unexpected error"
UNAVAILABLE_MESSAGE = "the database is unavailable; try again shortly"


def _request_id(execution_context: ExecutionContext | None) -> str | None:
    context: Any = getattr(execution_context, "context", None)
    return getattr(context, "request_id", None)


def _is_complexity(error: GraphQLError) -> bool:
    return any(marker in error.message for marker in _COMPLEXITY_MARKERS)


def classify(error: GraphQLError, execution_context: ExecutionContext | None) -> str:
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code
    if isinstance(error, GraphQLSyntaxError) or (
        execution_context is not None and execution_context.graphql_document is None
    ):
        return "QUERY_TOO_COMPLEX" if _is_complexity(error) else "GRAPHQL_PARSE_FAILED"
    if original is None:
        if _is_complexity(error):
            return "QUERY_TOO_COMPLEX"
        if execution_context is not None and execution_context.result is None:
            return "GRAPHQL_VALIDATION_FAILED"
        # Errors graphql-core raises itself while executing: bad variable values and the like.
        return "BAD_USER_INPUT"
    if isinstance(original, InvalidOperationTypeError):
        return "BAD_USER_INPUT"
    if is_unavailable(original):
        return "SERVICE_UNAVAILABLE"
    if isinstance(original, GraphQLError) and error.path is None:
        # Variable coercion (a String given 12345) happens before any field runs.
        return "BAD_USER_INPUT"
    return "INTERNAL_SERVER_ERROR"


def process(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    """Mutates errors in place: strawberry serializes these very objects afterwards."""
    request_id = _request_id(execution_context)
    for error in errors:
        extensions = dict(error.extensions or {})
        if "code" in extensions:
            continue
        code = classify(error, execution_context)
        extensions["code"] = code
        original = error.original_error
        if isinstance(original, DomainError) and original.field:
            extensions["field"] = original.field
        if isinstance(original, RateLimited):
            extensions["retryAfter"] = original.retry_after_s
        if code == "SERVICE_UNAVAILABLE" and not isinstance(original, DomainError):
            log.warning(
                "database unavailable request_id=%s path=%s: %s",
                request_id,
                error.path,
                type(original).__name__,
            )
            error.message = UNAVAILABLE_MESSAGE
        if code == "INTERNAL_SERVER_ERROR":
            log.error(
                "unexpected error request_id=%s path=%s",
                request_id,
                error.path,
                exc_info=(type(original), original, original.__traceback__) if original else None,
            )
            error.message = MASKED_MESSAGE
            extensions["requestId"] = request_id
        error.extensions = extensions
