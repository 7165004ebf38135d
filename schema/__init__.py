"""The GraphQL layer: strawberry types, roots, the schema, and the HTTP/WebSocket view."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from domain.config import Settings
from schema import errors
from schema.root import Mutation, Query
from schema.subscriptions import Subscription


class JobmatchSchema(strawberry.Schema):
    def process_errors(
        self, errors_: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        errors.process(errors_, execution_context)


def build_schema(settings: Settings | None = None) -> JobmatchSchema:
    settings = settings or Settings()
    extensions: list[Any] = [
        MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        QueryDepthLimiter(max_depth=settings.max_query_depth),
        MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        ParserCache(maxsize=512),
        ValidationCache(maxsize=512),
    ]
    return JobmatchSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
