"""The scrape queue: scraper keys (operators), the bots' four operations, the queue, and the rule
that a scraper key reaches those operations and nothing else."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from db.models import ScraperKey as ScraperKeyRow
from db.models import ScrapeRole as ScrapeRoleRow
from domain import scraping as rules
from domain.errors import NotFound, RateLimited
from domain.inputs import SCRAPE_JOBS
from resolvers import scraping
from schema.columns import column
from schema.context import Context, Info
from schema.cursors import Keyset, decode_keyset, encode
from schema.pagination import Connection, Edge

BOT_FIELDS = frozenset(
    {"claimScrapeRole", "submitScrapedJobs", "completeScrapeRole", "failScrapeRole", "__typename"}
)
ScrapeRoleStatus = strawberry.enum(
    rules.RoleStatus, description="QUEUED (waiting for a bot) or SCRAPING (claimed by one)."
)


def plain_id(value: strawberry.ID, type_name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"no {type_name} has this id") from None


def _row_id(root: Any) -> strawberry.ID:
    return strawberry.ID(str(root.row.id))


@strawberry.type(description="A scraper bot's API key; the secret itself is shown only once.")
class ScraperKey:
    row: strawberry.Private[ScraperKeyRow]

    id: strawberry.ID = strawberry.field(resolver=_row_id, description="The key's id.")
    name = column(str, "What the operator called it.")
    prefix = column(str, "The first 8 characters of the secret after sk_live_.")
    created_at = column(datetime, "When it was created.")
    last_used_at = column(datetime | None, "When a bot last used it.")
    revoked_at = column(datetime | None, "When it was revoked; revoked keys are refused.")


@strawberry.type(description="A new scraper key and its secret, which is never shown again.")
class CreateScraperKeyPayload:
    key: ScraperKey = strawberry.field(description="The key.")
    api_key: str = strawberry.field(
        description="sk_live_...: send it as X-Scraper-API-Key; store it now, it cannot be read later."
    )


@strawberry.type(description="A platform's uploads for the current claim of a role.")
class PlatformStatus:
    platform: str = strawberry.field(description="The platform, e.g. linkedin.")
    status: str = strawberry.field(description="RECEIVED once a bot uploaded jobs from it.")


@strawberry.type(description="A role of the scrape queue: what candidates want, to be scraped.")
class ScrapeRole:
    row: strawberry.Private[ScrapeRoleRow]
    pending: strawberry.Private[int] = 0

    id: strawberry.ID = strawberry.field(resolver=_row_id, description="The role's id.")
    role = column(str, "The normalized role, e.g. python_developer.")
    status = column(ScrapeRoleStatus, "QUEUED or SCRAPING.")
    candidates = column(int, "How many candidates (pool and signed-up) want this role.")
    locations = column(list[str], "Where they want to work, most wanted first: search hints.")
    retry_count = column(int, "Failed scrapes (failScrapeRole, or stuck over an hour).")
    last_error = column(str | None, "The last failure's reason.")
    claimed_at = column(datetime | None, "When a bot last claimed it.")
    last_scraped_at = column(datetime | None, "When a scrape of it last completed.")

    @strawberry.field(description="Per platform, what the current claim received.")
    def platforms(self) -> list[PlatformStatus]:
        return [PlatformStatus(platform=k, status=str(v)) for k, v in self.row.platforms.items()]

    @strawberry.field(description="Uploads of this role waiting to be processed.")
    def pending_uploads(self) -> int:
        return self.pending


@strawberry.type(description="A role in the queue.")
class ScrapeRoleEdge(Edge[ScrapeRole]):
    node: ScrapeRole = strawberry.field(description="The role.")


@strawberry.type(description="The scrape queue in claim order: never scraped first, then oldest.")
class ScrapeQueueConnection(Connection[ScrapeRole]):
    edges: list[ScrapeRoleEdge] = strawberry.field(description="The roles of this page.")


@strawberry.type(description="An upload, stored and queued for processing.")
class ScrapeSubmission:
    upload_id: strawberry.ID = strawberry.field(description="The upload's id.")
    received: int = strawberry.field(description="Jobs received in this upload.")
    queue_position: int = strawberry.field(
        description="Uploads to be processed before this one is done, itself included (1 = next)."
    )


@strawberry.input(
    description="One scraped posting (SPEC §9); bad rows fail alone, as in importJobs."
)
class ScrapedJobInput:
    external_job_id: str | None = None
    title: str | None = None
    company: str | None = None
    location: str | None = None
    salary: str | None = None
    description: str | None = None
    requirements: str | None = None
    posted_date: str | None = None
    job_url: str | None = None
    is_remote: bool | None = None
    job_type: str | None = None
    experience_required: str | None = None
    skills: list[str] | None = None


def _role(row: ScrapeRoleRow | None) -> ScrapeRole | None:
    return None if row is None else ScrapeRole(row=row)


@strawberry.type
class ScrapingQuery:
    @strawberry.field(description="Every scraper key, newest first (platform admins).")
    async def scraper_keys(self, info: Info) -> list[ScraperKey]:
        ctx = info.context
        return [
            ScraperKey(row=r) for r in await scraping.list_keys(ctx.services, ctx.require_viewer())
        ]

    @strawberry.field(description="The scrape queue (platform admins).")
    async def scrape_queue(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ScrapeQueueConnection:
        ctx = info.context
        found = await scraping.queue(
            ctx.services, ctx.require_viewer(), first, decode_keyset(after)
        )
        edges = [
            ScrapeRoleEdge(
                cursor=_cursor(row), node=ScrapeRole(row=row, pending=found.pending.get(row.id, 0))
            )
            for row in found.page.items
        ]
        return ScrapeQueueConnection.of(edges, found.page.has_next)


def _cursor(row: ScrapeRoleRow) -> str:
    return encode(Keyset(row.last_scraped_at or scraping.NEVER, row.id))


@strawberry.type
class ScrapingMutation:
    @strawberry.mutation(description="A new scraper API key; its secret is in the answer only.")
    async def create_scraper_key(self, info: Info, name: str) -> CreateScraperKeyPayload:
        ctx = info.context
        made = await scraping.create_key(ctx.services, ctx.require_viewer(), name)
        return CreateScraperKeyPayload(key=ScraperKey(row=made.key), api_key=made.api_key)

    @strawberry.mutation(description="Revoke a scraper key: bots using it are refused from now on.")
    async def revoke_scraper_key(self, info: Info, id: strawberry.ID) -> ScraperKey:
        ctx = info.context
        viewer = ctx.require_viewer()
        row = await scraping.revoke_key(ctx.services, viewer, plain_id(id, "ScraperKey"))
        return ScraperKey(row=row)

    @strawberry.mutation(
        description="Bots: take the role scraped longest ago (never scraped first); null when "
        "none waits. It is SCRAPING until completeScrapeRole or failScrapeRole."
    )
    async def claim_scrape_role(self, info: Info) -> ScrapeRole | None:
        ctx = info.context
        return _role(await scraping.claim(ctx.services, ctx.require_scraper()))

    @strawberry.mutation(
        description=f"Bots: upload up to {SCRAPE_JOBS} jobs of one platform for a SCRAPING "
        "role; stored and answered at once, processed like importJobs one upload at a time."
    )
    async def submit_scraped_jobs(
        self, info: Info, role_id: strawberry.ID, platform: str, jobs: list[ScrapedJobInput]
    ) -> ScrapeSubmission:
        ctx = info.context
        bot = ctx.require_scraper()
        rows = [{k: v for k, v in vars(job).items() if v is not None} for job in jobs]
        done = await scraping.submit(
            ctx.services, bot, plain_id(role_id, "ScrapeRole"), platform, rows
        )
        return ScrapeSubmission(
            upload_id=strawberry.ID(str(done.upload_id)),
            received=done.received,
            queue_position=done.queue_position,
        )

    @strawberry.mutation(
        description="Bots: the scrape of a role is done; it goes to the back of the queue and its "
        "candidates are re-matched once its uploads are processed."
    )
    async def complete_scrape_role(self, info: Info, role_id: strawberry.ID) -> ScrapeRole:
        ctx = info.context
        bot = ctx.require_scraper()
        row = await scraping.complete(ctx.services, bot, plain_id(role_id, "ScrapeRole"))
        return ScrapeRole(row=row)

    @strawberry.mutation(
        description="Bots: the scrape failed; the role stays queued with one more retry (retry: "
        "keep its place at the front; else to the back)."
    )
    async def fail_scrape_role(
        self, info: Info, role_id: strawberry.ID, error: str, retry: bool = True
    ) -> ScrapeRole:
        ctx = info.context
        bot = ctx.require_scraper()
        row = await scraping.fail(ctx.services, bot, plain_id(role_id, "ScrapeRole"), error, retry)
        return ScrapeRole(row=row)


def _root_fields(
    selection: SelectionSetNode, fragments: dict[str, Any], seen: set[str]
) -> Iterator[str]:
    for node in selection.selections:
        if isinstance(node, FieldNode):
            yield node.name.value
        elif isinstance(node, InlineFragmentNode):
            yield from _root_fields(node.selection_set, fragments, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            seen.add(node.name.value)
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                yield from _root_fields(fragment.selection_set, fragments, seen)


class ScraperScope(SchemaExtension):
    """A request carrying X-Scraper-API-Key may select the bots' operations only: anything else
    is FORBIDDEN before it runs (a bad key is UNAUTHENTICATED, as everywhere)."""

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        document = execution.graphql_document
        if (
            isinstance(context, Context)
            and context.scraper_key_sent
            and document is not None
            and not execution.pre_execution_errors
        ):
            problem = self._problem(context, document, execution.operation_name)
            if problem is not None:
                execution.pre_execution_errors = [problem]
        yield

    @staticmethod
    def _problem(context: Context, document: Any, operation: str | None) -> GraphQLError | None:
        if context.auth_error is not None:
            error = context.auth_error
            extensions: dict[str, Any] = {"code": error.code}
            if isinstance(error, RateLimited):
                extensions["retryAfter"] = error.retry_after_s
            return GraphQLError(error.message, extensions=extensions)
        definition = get_operation_ast(document, operation)
        if not isinstance(definition, OperationDefinitionNode):
            return None
        fragments = {d.name.value: d for d in document.definitions if hasattr(d, "type_condition")}
        others = set(_root_fields(definition.selection_set, fragments, set())) - BOT_FIELDS
        if not others:
            return None
        return GraphQLError(
            f"a scraper key may call only the scrape-queue operations, not {sorted(others)[0]}",
            extensions={"code": "FORBIDDEN"},
        )
