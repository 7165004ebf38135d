"""The GraphQL layer: strawberry types, roots, the schema, and the HTTP/WebSocket view."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import strawberry
from graphql import GraphQLError
from opentelemetry import trace
from strawberry.extensions import MaxTokensLimiter, ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from domain.config import Settings
from schema import errors
from schema.descriptions import describe
from schema.fanout import FanoutExecutionContext
from schema.limits import QueryLimits
from schema.observability import OperationMetrics, OperationSpan
from schema.persisted import PersistedQueries, PersistedQueryExtension, load_manifest
from schema.root import Mutation, Query
from schema.scalars import SCALAR_OVERRIDES
from schema.scraping import ScraperScope
from schema.subscriptions import Subscription


class JobmatchSchema(strawberry.Schema):
    def process_errors(
        self, errors_: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        errors.process(errors_, execution_context)


def build_schema(
    settings: Settings | None = None, *, tracer: trace.Tracer | None = None
) -> JobmatchSchema:
    settings = settings or Settings()
    # The token limit bounds the parser; QueryLimits bounds everything after it, per role.
    validate = lru_cache(maxsize=512)(validate_document)
    manifest = settings.persisted_queries
    persisted = PersistedQueries(allowed=load_manifest(manifest) if manifest else None)
    extensions: list[Any] = [
        # First: it supplies the document every later extension sees.
        lambda: PersistedQueryExtension(persisted),
        OperationMetrics,
        *([lambda: OperationSpan(tracer)] if tracer is not None else []),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: QueryLimits(settings, validate),
        ScraperScope,  # after QueryLimits: a scraper key reaches the bots' operations only
    ]
    schema = JobmatchSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
        scalar_overrides=SCALAR_OVERRIDES,
        execution_context_class=FanoutExecutionContext,
    )
    describe(schema._schema)
    return schema
