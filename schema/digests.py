"""Daily digests: the Digest type and `digests(first, after)` for the signed-in candidate."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from db.models import Digest as DigestRow
from db.paging import Page
from domain import digests as content
from resolvers import digests
from resolvers.jobs import may_read
from schema.columns import column, node_id
from schema.context import Info
from schema.cursors import Keyset, decode_keyset
from schema.jobs import Job
from schema.nodes import Node
from schema.pagination import Connection, Edge


@strawberry.type(description="A new job in a digest, with its score when the digest was made.")
class DigestJob:
    entry: strawberry.Private[content.DigestJob]

    @strawberry.field(description="The job; null when it is no longer visible to you.")
    async def job(self, info: Info) -> Job | None:
        row = await info.context.loaders.job_by_id.load(uuid.UUID(self.entry.job_id))
        if row is None or not may_read(info.context.viewer, row):
            return None
        return Job(row=row)

    @strawberry.field(description="The SWIPE_HYBRID score (0-100) the feed gave it.")
    def score(self) -> float:
        return self.entry.score

    @strawberry.field(description="One line on why it suits you.")
    def reason(self) -> str:
        return self.entry.reason


@strawberry.type(description="A skill or title counted among new jobs, this week against last.")
class Trend:
    name: str = strawberry.field(description="The skill (canonical) or the job title.")
    this_week: int = strawberry.field(description="New jobs carrying it in the last 7 days.")
    last_week: int = strawberry.field(description="New jobs carrying it in the 7 days before.")


@strawberry.type(description="Skills and titles rising among new jobs.")
class DigestTrends:
    skills: list[Trend] = strawberry.field(description="Rising skills, biggest rise first.")
    titles: list[Trend] = strawberry.field(description="Rising job titles, biggest rise first.")


@strawberry.type(description="A missing skill that would raise your best scores (as whatIf).")
class SkillRecommendation:
    skill: str = strawberry.field(description="The skill to add.")
    jobs_improved: int = strawberry.field(description="How many of your top jobs it raises.")
    average_gain: float = strawberry.field(description="Average score gain on those jobs.")


@strawberry.type(
    description="A daily digest: the best new jobs for you since the last one, market trends "
    "and skill recommendations. Made at 07:00 UTC for candidates with digestOptIn."
)
class Digest(Node):
    row: strawberry.Private[DigestRow]

    id = node_id("Digest")
    created_at = column(datetime, "When the digest was made.")
    since = column(datetime, "New jobs are those created from this moment on.")
    emailed_at = column(datetime | None, "When its e-mail went out (null: not yet or no SMTP).")

    @strawberry.field(description="The best new jobs, best first.")
    def jobs(self) -> list[DigestJob]:
        parsed = content.DigestContent.from_json(self.row.content)
        return [DigestJob(entry=job) for job in parsed.jobs]

    @strawberry.field(description="Skills and titles rising among new jobs, week on week.")
    def trends(self) -> DigestTrends:
        parsed = content.DigestContent.from_json(self.row.content)
        return DigestTrends(
            skills=[
                Trend(name=t.name, this_week=t.this_week, last_week=t.last_week)
                for t in parsed.skills
            ],
            titles=[
                Trend(name=t.name, this_week=t.this_week, last_week=t.last_week)
                for t in parsed.titles
            ],
        )

    @strawberry.field(description="Skills that would raise the most of your top scores.")
    def recommendations(self) -> list[SkillRecommendation]:
        parsed = content.DigestContent.from_json(self.row.content)
        return [
            SkillRecommendation(
                skill=r.skill, jobs_improved=r.jobs_improved, average_gain=r.average_gain
            )
            for r in parsed.recommendations
        ]


@strawberry.type(description="A digest in a list.")
class DigestEdge(Edge[Digest]):
    node: Digest = strawberry.field(description="The digest.")


@strawberry.type(description="A page of digests, newest first.")
class DigestConnection(Connection[Digest]):
    edges: list[DigestEdge] = strawberry.field(description="The digests of this page.")

    @classmethod
    def from_page(cls, page: Page[DigestRow]) -> DigestConnection:
        return cls.of_rows(page, DigestEdge, Digest, lambda r: Keyset(r.created_at, r.id))


@strawberry.type(description="One of your daily digests was made.")
class DigestReadyEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    digest: Digest = strawberry.field(description="The digest.")

    @classmethod
    def of(cls, ready: digests.Ready) -> DigestReadyEvent:
        return cls(event_id=strawberry.ID(str(ready.event_id)), digest=Digest(row=ready.digest))


@strawberry.type
class DigestQuery:
    @strawberry.field(description="Your daily digests (candidates), newest first.")
    async def digests(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> DigestConnection:
        page = await digests.my_digests(
            info.context.services, info.context.require_viewer(), first, decode_keyset(after)
        )
        return DigestConnection.from_page(page)
