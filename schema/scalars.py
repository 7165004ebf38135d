"""Input scalars made strict: text that PostgreSQL can store, and datetimes that exist in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import dateutil.parser
from graphql import GraphQLError, StringValueNode, ValueNode, Visitor, visit
from graphql.execution import Executor
from graphql.language import BREAK
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.scalar import ScalarDefinition

from domain.errors import InvalidInput

# Python strings hold surrogates only unpaired: JSON and GraphQL decoders join valid pairs.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_RAW_VARIABLES_POSITION = 4  # graphql-core passes build() its arguments positionally


def unstorable(text: str) -> str | None:
    """Why PostgreSQL could not store this text, or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "a NUL character (U+0000)"
    return f"an unpaired surrogate (U+{ord(found.group()):04X})"


def _first_unstorable(value: object) -> str | None:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if problem := unstorable(item):
                return problem
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return None


class _LiteralCheck(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.problem: str | None = None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> object:
        self.problem = unstorable(node.value)
        return BREAK if self.problem else None


def _text_error(where: str, problem: str) -> GraphQLError:
    error = InvalidInput(
        f"{where} contains {problem}; strings must be valid Unicode text without NUL characters"
    )
    return GraphQLError(error.message, original_error=error)


class StrictTextExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Refuses NUL characters and unpaired surrogates in every String and ID input, variables
    and literals alike, before anything runs. graphql-core reserves the name `String`, so the
    built-in scalar itself cannot be replaced."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> list[GraphQLError] | Executor[Any]:
        document = args[1] if len(args) > 1 else kwargs.get("document")
        variables = (
            args[_RAW_VARIABLES_POSITION]
            if len(args) > _RAW_VARIABLES_POSITION
            else kwargs.get("raw_variable_values")
        )
        if isinstance(variables, dict):
            for name, value in variables.items():
                if problem := _first_unstorable(value):
                    return [_text_error(f'Variable "${name}"', problem)]
        if document is not None:
            literals = _LiteralCheck()
            visit(document, literals)
            if literals.problem:
                return [_text_error("A string literal", literals.problem)]
        return super().build(*args, **kwargs)


def _parse_datetime(value: object) -> datetime:
    """ISO 8601; without an offset the time is UTC. Returned in UTC, so every accepted value
    can be compared with the database's timestamps."""
    if not isinstance(value, str):
        raise InvalidInput(f"DateTime cannot represent {value!r}: expected an ISO 8601 string")
    try:
        moment = dateutil.parser.isoparse(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        utc: datetime = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"DateTime cannot represent {value!r}: expected an ISO 8601 date and time "
            "within years 1-9999 in UTC"
        ) from None
    return utc


def _parse_datetime_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> datetime:
    if not isinstance(node, StringValueNode):
        raise InvalidInput("DateTime literals must be strings")
    return _parse_datetime(node.value)


DATETIME = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat)",
    specified_by_url=None,
    serialize=datetime.isoformat,
    parse_value=_parse_datetime,
    parse_literal=_parse_datetime_literal,
    origin=datetime,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {datetime: DATETIME}
