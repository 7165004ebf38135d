"""Interviews: the Interview type, scheduleInterview and the other mutations, interviews(...)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from db.models import Interview as InterviewRow
from db.paging import Page
from resolvers import interviews
from resolvers.interviews import Plan
from schema.applications import Application
from schema.candidates import Candidate
from schema.columns import column, node_id
from schema.context import Info
from schema.cursors import Keyset, decode_keyset
from schema.enums import InterviewStatus, InterviewType
from schema.ids import expect_id, to_global_id
from schema.matches import MatchRecord
from schema.nodes import Node
from schema.pagination import Connection, Edge


@strawberry.type(
    description="An interview for an application or a match: when, how long, where or on "
    "which link, and how it went. Seen by the company's recruiters and the candidate."
)
class Interview(Node):
    row: strawberry.Private[InterviewRow]

    id = node_id("Interview")

    @strawberry.field(description="The application it is for, when it is for one.")
    async def application(self, info: Info) -> Application | None:
        if self.row.application_id is None:
            return None
        row = await info.context.loaders.application_by_id.load(self.row.application_id)
        return None if row is None else Application(row=row)

    @strawberry.field(description="The pool candidate it is with, when not a signed-up user.")
    async def candidate(self, info: Info) -> Candidate | None:
        if self.row.candidate_id is None:
            return None
        row = await info.context.loaders.candidate_by_id.load(self.row.candidate_id)
        return None if row is None else Candidate(row=row)

    @strawberry.field(description="The match record it is for, when it is for one.")
    async def match(self, info: Info) -> MatchRecord | None:
        if self.row.match_id is None:
            return None
        row = await info.context.loaders.match_by_id.load(self.row.match_id)
        return None if row is None else MatchRecord(row=row)

    @strawberry.field(description="The global id of the match it is for, when it is for one.")
    def match_id(self) -> strawberry.ID | None:
        value = self.row.match_id
        return None if value is None else strawberry.ID(to_global_id("Match", value))

    type = column(InterviewType, "Phone, video, on site or technical.")
    status = column(InterviewStatus, "SCHEDULED until cancelled or completed.")
    scheduled_at = column(datetime, "When it starts.")
    duration_minutes = column(int, "How long it lasts, 15-480 minutes.")
    location = column(str | None, "Where it takes place (on site).")
    link = column(str | None, "The call's link (phone, video).")
    feedback = column(str | None, "The recruiter's feedback, once completed.")
    rating = column(int | None, "The recruiter's rating 1-5, once completed.")
    cancel_reason = column(str | None, "Why it was cancelled.")
    created_at = column(datetime, "When it was scheduled first.")
    updated_at = column(datetime, "When it last changed.")


@strawberry.type(description="An interview in a list.")
class InterviewEdge(Edge[Interview]):
    node: Interview = strawberry.field(description="The interview.")


@strawberry.type(description="A page of interviews, soonest first.")
class InterviewConnection(Connection[Interview]):
    edges: list[InterviewEdge] = strawberry.field(description="The interviews of this page.")

    @classmethod
    def from_page(cls, page: Page[InterviewRow]) -> InterviewConnection:
        return cls.of_rows(page, InterviewEdge, Interview, lambda r: Keyset(r.scheduled_at, r.id))


@strawberry.input(description="An interview to schedule: for one application or one match.")
class ScheduleInterviewInput:
    application_id: strawberry.ID | None = strawberry.field(
        default=None, description="The application (give this or matchId)."
    )
    match_id: strawberry.ID | None = strawberry.field(
        default=None, description="The match (give this or applicationId)."
    )
    type: InterviewType = strawberry.field(description="Phone, video, on site or technical.")
    scheduled_at: datetime = strawberry.field(description="When it starts; in the future.")
    duration_minutes: int = strawberry.field(default=60, description="15-480 minutes.")
    location: str | None = strawberry.field(default=None, description="Where (on site).")
    link: str | None = strawberry.field(default=None, description="The call's http(s) link.")


@strawberry.input(description="A new time for an interview; omitted fields stay as they are.")
class RescheduleInterviewInput:
    scheduled_at: datetime = strawberry.field(description="The new start; in the future.")
    duration_minutes: int | None = strawberry.field(default=None, description="15-480 minutes.")
    type: InterviewType | None = strawberry.field(default=None, description="A new type.")
    location: str | None = strawberry.field(default=None, description="A new place.")
    link: str | None = strawberry.field(default=None, description="A new http(s) link.")


@strawberry.type
class InterviewQuery:
    @strawberry.field(description="An interview of your company, or your own (candidates).")
    async def interview(self, info: Info, id: strawberry.ID) -> Interview:
        row = await interviews.interview(
            info.context.services, info.context.require_viewer(), expect_id(id, "Interview")
        )
        return Interview(row=row)

    @strawberry.field(
        description="Interviews soonest first: your company's (recruiters) or your own "
        "(candidates); `from`/`to` bound the start time, `to` excluded."
    )
    async def interviews(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> InterviewConnection:
        page = await interviews.list_interviews(
            info.context.services,
            info.context.require_viewer(),
            first,
            decode_keyset(after),
            from_,
            to,
        )
        return InterviewConnection.from_page(page)


@strawberry.type
class InterviewMutation:
    @strawberry.mutation(
        description="Schedule an interview for an application to, or a match of, your company; "
        "refused for a REJECTED one, in the past, or overlapping another SCHEDULED interview "
        "of the same candidate."
    )
    async def schedule_interview(self, info: Info, input: ScheduleInterviewInput) -> Interview:
        ctx = info.context
        viewer = ctx.require_viewer()
        row = await interviews.schedule(
            ctx.services,
            viewer,
            expect_id(input.application_id, "Application") if input.application_id else None,
            expect_id(input.match_id, "Match") if input.match_id else None,
            Plan(
                input.scheduled_at, input.duration_minutes, input.type, input.location, input.link
            ),
        )
        return Interview(row=row)

    @strawberry.mutation(description="Move a SCHEDULED interview (same rules as scheduling).")
    async def reschedule_interview(
        self, info: Info, id: strawberry.ID, input: RescheduleInterviewInput
    ) -> Interview:
        plan = Plan(
            input.scheduled_at, input.duration_minutes, input.type, input.location, input.link
        )
        row = await interviews.reschedule(
            info.context.services, info.context.require_viewer(), expect_id(id, "Interview"), plan
        )
        return Interview(row=row)

    @strawberry.mutation(description="Cancel a SCHEDULED interview, with an optional reason.")
    async def cancel_interview(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> Interview:
        row = await interviews.cancel(
            info.context.services, info.context.require_viewer(), expect_id(id, "Interview"), reason
        )
        return Interview(row=row)

    @strawberry.mutation(
        description="Complete an interview that has started, with feedback and a 1-5 rating."
    )
    async def complete_interview(
        self, info: Info, id: strawberry.ID, feedback: str | None = None, rating: int | None = None
    ) -> Interview:
        row = await interviews.complete(
            info.context.services,
            info.context.require_viewer(),
            expect_id(id, "Interview"),
            feedback,
            rating,
        )
        return Interview(row=row)
