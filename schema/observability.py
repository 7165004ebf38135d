"""Schema extensions that observe operations: Prometheus counts and timings, a trace span."""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import GraphQLError
from opentelemetry import trace
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionContext

from adapters.metrics import record_operation
from domain.errors import DomainError

_REFUSED_REQUESTS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


def _operation_type(execution: ExecutionContext) -> str:
    try:
        return execution.operation_type.value
    except RuntimeError:  # no document, or no operation of the requested name
        return "unknown"


def _codes(execution: ExecutionContext, failure: BaseException | None) -> list[object]:
    """The error codes the client sees, in order. Strawberry has given the errors their codes
    (JobmatchSchema.process_errors) before on_operation ends; an exception escaping here is
    answered by the view."""
    if failure is not None:
        if isinstance(failure, DomainError):
            return [failure.code]
        return [
            "BAD_REQUEST" if isinstance(failure, _REFUSED_REQUESTS) else "INTERNAL_SERVER_ERROR"
        ]
    errors: list[GraphQLError] = execution.pre_execution_errors or []
    return [(error.extensions or {}).get("code") for error in errors]


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        failure: BaseException | None = None
        try:
            yield
        except BaseException as exc:
            failure = exc
            raise
        finally:
            execution = self.execution_context
            record_operation(
                execution.operation_name,
                _operation_type(execution),
                _codes(execution, failure),
                time.perf_counter() - started,
            )


class OperationSpan(SchemaExtension):
    """One span per operation, named "<type> <name>". Unlike strawberry's
    OpenTelemetryExtension it records neither the document nor resolver arguments: both can
    hold passwords and tokens. SQL spans of the operation's resolvers are its children."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self.tracer = tracer

    def on_operation(self) -> Iterator[None]:
        with self.tracer.start_as_current_span("graphql.operation") as span:
            failure: BaseException | None = None
            try:
                yield
            except BaseException as exc:
                failure = exc
                raise
            finally:
                execution = self.execution_context
                kind = _operation_type(execution)
                name = execution.operation_name
                span.update_name(f"{kind} {name}" if name else kind)
                span.set_attribute("graphql.operation.type", kind)
                if name:
                    span.set_attribute("graphql.operation.name", name[:128])
                codes = [code for code in _codes(execution, failure) if isinstance(code, str)]
                if codes:
                    span.set_attribute("graphql.error.codes", codes[:10])
                    span.set_status(trace.Status(trace.StatusCode.ERROR, codes[0]))
