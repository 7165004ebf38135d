"""The GraphQL layer: strawberry types, roots, the schema, and the HTTP/WebSocket view."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from domain.config import Settings
from schema import errors
from schema.limits import QueryLimits
from schema.root import Mutation, Query
from schema.scalars import SCALAR_OVERRIDES, StrictTextExecutionContext
from schema.subscriptions import Subscription


class JobmatchSchema(strawberry.Schema):
    def process_errors(
        self, errors_: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        errors.process(errors_, execution_context)


def build_schema(settings: Settings | None = None) -> JobmatchSchema:
    settings = settings or Settings()
    # The token limit bounds the parser; QueryLimits bounds everything after it, per role.
    validate = lru_cache(maxsize=512)(validate_document)
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: QueryLimits(settings, validate),
    ]
    return JobmatchSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
        scalar_overrides=SCALAR_OVERRIDES,
        execution_context_class=StrictTextExecutionContext,
    )
