"""Traces through the real app with an in-memory exporter: one trace per request holding the HTTP
span, the GraphQL operation's span and its SQL spans; the request's log line carries its id."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from adapters.tracing import Tracing
from app import Runtime, configure_logging, create_app
from domain.config import Settings, settings_from_env
from domain.errors import InvalidInput
from tests.conftest import Clock
from tests.graphql_client import GraphQLClient, over_asgi

PASSWORD = "correct-horse-1"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    yield InMemorySpanExporter()


@pytest.fixture
async def traced(
    settings: Settings,
    runtime: Runtime,
    clean: None,
    clock: Clock,
    exporter: InMemorySpanExporter,
) -> AsyncIterator[GraphQLClient]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing = Tracing(provider)
    try:
        async with over_asgi(create_app(settings, runtime, tracing=tracing)) as client:
            yield client
    finally:
        tracing.shutdown()  # the session's engine stops tracing with this test


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The app's own log handler (format and filters), writing into a buffer."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("INFO")
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)


def request_line(buffer: io.StringIO) -> str:
    return next(line for line in buffer.getvalue().splitlines() if "POST /graphql" in line)


def ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[str]:
    names = []
    parent = span.parent
    while parent is not None and parent.span_id in by_id:
        names.append(by_id[parent.span_id].name)
        parent = by_id[parent.span_id].parent
    return names


async def test_a_request_is_one_trace_of_http_operation_and_sql_spans_and_its_log_line_says_so(
    traced: GraphQLClient,
    exporter: InMemorySpanExporter,
    log_lines: io.StringIO,
) -> None:
    # The password is in the document itself: no span may record it.
    login = (
        'mutation SignUp { register(input: {email: "ada@example.com", '
        f'password: "{PASSWORD}"}}) {{ user {{ email }} }} }}'
    )
    assert (await traced.ok(login))["register"]["user"]["email"] == "ada@example.com"

    spans = exporter.get_finished_spans()
    operation = next(span for span in spans if span.name == "mutation SignUp")
    assert operation.context is not None
    trace_id = operation.context.trace_id
    same_trace = [span for span in spans if span.context and span.context.trace_id == trace_id]
    by_id = {span.context.span_id: span for span in same_trace if span.context}
    http = [span for span in same_trace if span.kind == SpanKind.SERVER]
    sql = [span for span in same_trace if (span.attributes or {}).get("db.system") == "postgresql"]

    assert [span.name for span in http] == ["POST /graphql"]
    assert ancestors(operation, by_id) == ["POST /graphql"]
    assert sql, [span.name for span in same_trace]
    assert all("mutation SignUp" in ancestors(span, by_id) for span in sql)
    assert (operation.attributes or {})["graphql.operation.type"] == "mutation"
    for span in spans:
        assert PASSWORD not in str(dict(span.attributes or {})), span.name
    assert f"trace_id={trace_id:032x}" in request_line(log_lines)


async def test_an_operation_error_marks_its_span(
    traced: GraphQLClient, exporter: InMemorySpanExporter
) -> None:
    assert await traced.error_code("query Who { me { email } }") == "UNAUTHENTICATED"

    span = next(span for span in exporter.get_finished_spans() if span.name == "query Who")

    assert not span.status.is_ok
    assert (span.attributes or {})["graphql.error.codes"] == ("UNAUTHENTICATED",)


async def test_tracing_is_off_unless_an_exporter_is_named(
    gql: GraphQLClient, log_lines: io.StringIO
) -> None:
    assert Tracing.from_settings(settings_from_env({})) is None
    assert Tracing.from_settings(settings_from_env({"OTEL_TRACES_EXPORTER": "none"})) is None
    with pytest.raises(InvalidInput):
        settings_from_env({"OTEL_TRACES_EXPORTER": "jaeger-thrift"})

    await gql.ok("query Ping { __typename }")

    assert "trace_id=- " in request_line(log_lines)
