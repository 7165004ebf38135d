"""The swipe feed (`discover`), hybrid search (`searchJobs`) and `recordJobView`."""

from __future__ import annotations

import strawberry

from db.models import Interaction
from resolvers import feed
from schema.columns import column
from schema.context import Info
from schema.cursors import Ranked, decode_ranked, encode
from schema.ids import expect_id
from schema.jobs import Job, load_job
from schema.matching import MatchExplanation
from schema.pagination import Connection, Edge, fields_in_order


@fields_in_order("cursor", "score", "node", "explanation")
@strawberry.type(description="A job card in the feed.")
class FeedEdge(Edge[Job]):
    cursor: str = strawberry.field(description="Opaque position of this card in the feed snapshot.")
    score: int = strawberry.field(description="SWIPE_HYBRID score shown on the card, 0-100.")
    node: Job = strawberry.field(description="The job.")
    explanation: MatchExplanation = strawberry.field(description="Why it scores so (SWIPE_HYBRID).")


@strawberry.type(
    description="A page of the feed, cut from one ranked snapshot: no repeats, no gaps."
)
class FeedConnection(Connection[Job]):
    edges: list[FeedEdge] = strawberry.field(description="The cards of this page, best first.")

    @classmethod
    def from_page(cls, page: feed.RankedPage) -> FeedConnection:
        edges = [
            FeedEdge(
                cursor=encode(Ranked(page.snapshot_id, e.position)),
                score=int(e.score),
                node=Job(row=e.job),
                explanation=MatchExplanation.of(e.explanation),
            )
            for e in page.edges
            if e.explanation is not None
        ]
        return cls.of(edges, page.has_next)


@fields_in_order("cursor", "score", "node")
@strawberry.type(description="A job found by searchJobs.")
class SearchEdge(Edge[Job]):
    cursor: str = strawberry.field(description="Opaque position of this result.")
    score: float = strawberry.field(
        description="Reciprocal rank fusion score: sum of 1/(60 + rank + 1)."
    )
    node: Job = strawberry.field(description="The job.")


@strawberry.type(description="A page of search results, cut from one ranked snapshot.")
class SearchConnection(Connection[Job]):
    edges: list[SearchEdge] = strawberry.field(description="The results of this page, best first.")

    @classmethod
    def from_page(cls, page: feed.RankedPage) -> SearchConnection:
        edges = [
            SearchEdge(
                cursor=encode(Ranked(page.snapshot_id, e.position)),
                score=e.score,
                node=Job(row=e.job),
            )
            for e in page.edges
        ]
        return cls.of(edges, page.has_next)


@strawberry.type(description="A recorded view of a job by the signed-in candidate.")
class JobView:
    row: strawberry.Private[Interaction]

    @strawberry.field(description="The job viewed.")
    async def job(self, info: Info) -> Job:
        return await load_job(info, self.row.job_id)

    score_at_view = column(int, "The SWIPE_HYBRID score the feed showed for it.")

    @strawberry.field(description="Total time spent on the card, in milliseconds.")
    def duration_ms(self) -> int:
        return self.row.view_duration_ms or 0


@strawberry.type
class FeedQuery:
    @strawberry.field(
        description="The candidate's swipe feed: ACTIVE jobs not yet swiped, by SWIPE_HYBRID, "
        "ties by job id. Pages come from one snapshot (valid 30 minutes by default); first is "
        "at most 100. Before the profile has an embedding (updateMe), the pool is the newest jobs."
    )
    async def discover(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> FeedConnection:
        ctx = info.context
        page = await feed.discover(
            ctx.services, ctx.loaders, ctx.require_viewer(), first, decode_ranked(after)
        )
        return FeedConnection.from_page(page)

    @strawberry.field(
        description="ACTIVE jobs for a free-text query: full-text and semantic rankings fused "
        "(reciprocal rank fusion, k = 60); first is at most 100. Works without signing in "
        "(rate limited per client address; `match` then answers UNAUTHENTICATED)."
    )
    async def search_jobs(
        self, info: Info, query: str, first: int = 20, after: str | None = None
    ) -> SearchConnection:
        ctx = info.context
        page = await feed.search_jobs(
            ctx.services, await ctx.reader(), query, first, decode_ranked(after), public=True
        )
        return SearchConnection.from_page(page)


@strawberry.type
class FeedMutation:
    @strawberry.mutation(
        description="Add time spent looking at a job to its latest view in the feed."
    )
    async def record_job_view(self, info: Info, job_id: strawberry.ID, duration_ms: int) -> JobView:
        ctx = info.context
        row = await feed.record_job_view(
            ctx.services, ctx.loaders, ctx.require_viewer(), expect_id(job_id, "Job"), duration_ms
        )
        return JobView(row=row)
