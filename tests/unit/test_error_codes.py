"""Error classification: domain errors keep their code, unexpected ones are masked with a request id."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import pytest
from graphql import GraphQLError, GraphQLSyntaxError, Source

from domain.errors import Conflict, NotFound
from schema.errors import MASKED_MESSAGE, process


def _context(document: object = object(), result: object = object()) -> Any:
    return SimpleNamespace(
        graphql_document=document, result=result, context=SimpleNamespace(request_id="req-42")
    )


def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = GraphQLError(
        "database password is hunter2", original_error=RuntimeError("hunter2"), path=["me"]
    )
    with caplog.at_level(logging.ERROR, logger="jobmatch.errors"):
        process([error], _context())
    assert error.message == MASKED_MESSAGE
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "req-42" in caplog.text and "hunter2" in caplog.text


def test_domain_errors_keep_message_code_and_field() -> None:
    conflict = GraphQLError(
        "dup", original_error=Conflict("an account exists", field="email"), path=["register"]
    )
    missing = GraphQLError("gone", original_error=NotFound("no Job has this id"), path=["job"])
    process([conflict, missing], _context())
    assert conflict.extensions == {"code": "CONFLICT", "field": "email"}
    assert missing.message == "gone" and missing.extensions == {"code": "NOT_FOUND"}


def test_parse_validation_and_limit_errors_are_classified() -> None:
    syntax = GraphQLSyntaxError(Source("{"), 1, "Expected Name")
    validation = GraphQLError("Cannot query field 'x' on type 'Query'.")
    depth = GraphQLError("'q' exceeds maximum operation depth of 12")
    process([syntax], _context(document=None, result=None))
    process([validation, depth], _context(result=None))
    assert syntax.extensions == {"code": "GRAPHQL_PARSE_FAILED"}
    assert validation.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert depth.extensions == {"code": "QUERY_TOO_COMPLEX"}
