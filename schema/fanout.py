"""One pushed event, many subscribers: executing each subscriber's query in full repeats the same
job for all of them. For matchFound, the job part of a result is executed once per event and
query (by one subscriber's plain execution), and each subscriber's own fields (score,
explanation) are rendered from its values by a plan compiled from the query with graphql-core's
own field collection and the schema's own serializers, so results are what plain execution gives
(tests/api/test_fanout_render.py compares them). Whatever the plan cannot render (a field with a
resolver, an abstract type, @defer, a null where none may be, a job field that depends on the
viewer) runs plain execution instead.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, cast

from graphql import (
    ExecutionResult,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    OperationType,
)
from graphql.execution.collect_fields import FieldDetails, collect_fields, collect_subfields

from schema.scalars import StrictTextExecutionContext

# Fields executed once per event for everyone: their values do not depend on the subscriber.
SHARED_FIELDS = frozenset({"job"})
# Fields whose value depends on who asks (Job.match scores the job for the viewer): a shared
# field whose selection reaches one of these, at any depth, is executed per subscriber.
VIEWER_FIELDS = frozenset({"match"})
STRAWBERRY_FIELD = "strawberry-definition"

Render = Callable[[Any], Any]


class _Unsupported(Exception):
    """The plan cannot render this exactly as plain execution would: execute plainly."""


@dataclass
class SharedRender:
    """Carried by every subscriber's copy of one event: the plans and shared values so far."""

    # By (operation id, variables): the operation (kept, so its id stays its own) and its plan,
    # or None where the plan cannot render it.
    shapes: dict[tuple[int, str], tuple[Any, _Shape | None]] = field(default_factory=dict)


@dataclass
class _Shape:
    """One query (operation and variables) among an event's subscribers."""

    root_key: str
    fields: list[tuple[str, str, Render | None]]  # response key, field name, own-value renderer
    shared: asyncio.Future[dict[str, Any] | None]  # the shared fields' values, or None: plain


def _strawberry_attribute(graphql_field: Any) -> str:
    definition = graphql_field.extensions.get(STRAWBERRY_FIELD)
    if (
        definition is None
        or definition.base_resolver is not None
        or definition.permission_classes
        or definition.extensions
    ):
        raise _Unsupported  # a resolver or a field extension may do anything: attributes only
    return str(definition.python_name)


class _Compiler:
    def __init__(self, executor: Any) -> None:
        self.executor = executor

    def subfields(
        self, type_: GraphQLObjectType, details: list[FieldDetails]
    ) -> dict[str, list[FieldDetails]]:
        ex = self.executor
        grouped, deferred, _ = collect_subfields(
            ex.schema, ex.fragments, ex.variable_values, ex.operation, type_, details
        )
        if deferred:
            raise _Unsupported
        return dict(grouped)

    def value(self, type_: GraphQLOutputType, details: list[FieldDetails]) -> Render:
        if isinstance(type_, GraphQLNonNull):
            inner = self.value(type_.of_type, details)

            def non_null(value: Any) -> Any:
                if value is None:
                    raise _Unsupported  # plain execution reports the error
                return inner(value)

            return non_null
        if isinstance(type_, GraphQLList):
            item = self.value(type_.of_type, details)
            return lambda value: None if value is None else [item(v) for v in value]
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            serialize = type_.serialize

            def leaf(value: Any) -> Any:
                if value is None:
                    return None
                serialized = serialize(value)
                if serialized is None:
                    raise _Unsupported
                return serialized

            return leaf
        if isinstance(type_, GraphQLObjectType):
            return self.object(type_, self.subfields(type_, details))
        raise _Unsupported  # interfaces and unions resolve their type at run time

    def object(self, type_: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]) -> Render:
        parts: list[tuple[str, str, Render | None]] = []  # key, attribute, its renderer
        for key, details in grouped.items():
            name = details[0].node.name.value
            if name == "__typename":
                parts.append((key, "", None))
                continue
            graphql_field = type_.fields[name]
            parts.append(
                (key, _strawberry_attribute(graphql_field), self.value(graphql_field.type, details))
            )
        typename = type_.name

        def render(value: Any) -> Any:
            if value is None:
                return None
            return {
                key: typename if part is None else part(getattr(value, attribute))
                for key, attribute, part in parts
            }

        return render

    def reaches_viewer_fields(self, type_: GraphQLOutputType, details: list[FieldDetails]) -> bool:
        while isinstance(type_, GraphQLNonNull | GraphQLList):
            type_ = type_.of_type
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            return False
        if not isinstance(type_, GraphQLObjectType):
            raise _Unsupported
        for sub in self.subfields(type_, details).values():
            name = sub[0].node.name.value
            if name in VIEWER_FIELDS:
                return True
            if name != "__typename" and self.reaches_viewer_fields(type_.fields[name].type, sub):
                return True
        return False


def _shape_key(executor: Any) -> tuple[int, str]:
    variables = json.dumps(executor.variable_values.coerced, sort_keys=True, default=repr)
    return id(executor.operation), variables


def _compile(executor: Any, loop: asyncio.AbstractEventLoop) -> _Shape:
    schema = executor.schema
    root_type = schema.subscription_type
    grouped, deferred, _ = collect_fields(
        schema, executor.fragments, executor.variable_values, root_type, executor.operation
    )
    if deferred or len(grouped) != 1:
        raise _Unsupported
    ((root_key, root_details),) = grouped.items()
    event_type = root_type.fields[root_details[0].node.name.value].type
    while isinstance(event_type, GraphQLNonNull):
        event_type = event_type.of_type
    if not isinstance(event_type, GraphQLObjectType):
        raise _Unsupported
    compiler = _Compiler(executor)
    fields: list[tuple[str, str, Render | None]] = []
    for key, details in compiler.subfields(event_type, root_details).items():
        name = details[0].node.name.value
        if name in SHARED_FIELDS:
            if compiler.reaches_viewer_fields(event_type.fields[name].type, details):
                raise _Unsupported
            fields.append((key, name, None))
        elif name == "__typename":
            fields.append((key, name, _constant(event_type.name)))
        else:
            graphql_field = event_type.fields[name]
            attribute = _strawberry_attribute(graphql_field)
            render = compiler.value(graphql_field.type, details)
            fields.append((key, name, _attribute_of(attribute, render)))
    return _Shape(root_key, fields, loop.create_future())


def _constant(value: str) -> Render:
    return lambda _: value


def _attribute_of(attribute: str, render: Render) -> Render:
    return lambda event: render(getattr(event, attribute))


class FanoutExecutionContext(StrictTextExecutionContext):
    """Plain execution, except for subscription events that carry a SharedRender."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        shared = getattr(self.root_value, "shared_render", None)
        if not isinstance(shared, SharedRender) or self.operation.operation != (
            OperationType.SUBSCRIPTION
        ):
            return super().execute_operation(serially)
        key = _shape_key(self)
        operation, shape = shared.shapes.get(key, (None, None))
        if operation is not self.operation:
            try:
                shape = _compile(self, asyncio.get_running_loop())
            except _Unsupported:
                shape = None
            shared.shapes[key] = (self.operation, shape)
            if shape is not None:
                return self._execute_for_everyone(shape, serially)
        if shape is None:
            return super().execute_operation(serially)
        if shape.shared.done():
            return self._render(shape, shape.shared.result(), serially)
        return self._render_when_shared(shape, serially)

    def _execute_for_everyone(self, shape: _Shape, serially: bool | None) -> Any:
        """This subscriber's plain execution, whose shared fields the others reuse. It runs as a
        task of its own: the others wait for it even if this subscriber's socket goes away."""
        result = super().execute_operation(serially)

        def shared_values(done: ExecutionResult) -> dict[str, Any] | None:
            if done.errors or done.data is None:
                return None
            mine = done.data[shape.root_key]
            return {key: mine[key] for key, name, _ in shape.fields if name in SHARED_FIELDS}

        if not self.is_awaitable(result):
            shape.shared.set_result(shared_values(cast(ExecutionResult, result)))
            return result
        task: asyncio.Future[ExecutionResult] = asyncio.ensure_future(
            cast(Awaitable[ExecutionResult], result)
        )

        def settle(task: asyncio.Future[ExecutionResult]) -> None:
            failed = task.cancelled() or task.exception() is not None
            shape.shared.set_result(None if failed else shared_values(task.result()))

        task.add_done_callback(settle)

        async def mine() -> ExecutionResult:
            return await asyncio.shield(task)

        return mine()

    async def _render_when_shared(self, shape: _Shape, serially: bool | None) -> Any:
        values = await asyncio.shield(shape.shared)
        result = self._render(shape, values, serially)
        return await result if self.is_awaitable(result) else result

    def _render(self, shape: _Shape, values: dict[str, Any] | None, serially: bool | None) -> Any:
        if values is None:
            return super().execute_operation(serially)
        event = self.root_value
        try:
            data = {
                key: values[key] if render is None else render(event)
                for key, _, render in shape.fields
            }
        except Exception:  # _Unsupported, or a value plain execution would report an error for
            return super().execute_operation(serially)
        return ExecutionResult({shape.root_key: data}, None)
