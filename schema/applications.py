"""Swipes and applications: swipeJob, the pipeline mutations and the application queries."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import Application as ApplicationRow
from db.models import ApplicationHistory
from db.models import Swipe as SwipeRow
from db.paging import Page
from resolvers import applications, swipes
from schema.columns import column, node_id
from schema.context import Info
from schema.cursors import Keyset, decode_keyset
from schema.enums import ApplicationStatus, SwipeDirection
from schema.ids import expect_id, to_global_id
from schema.jobs import Job, load_job
from schema.matching import MatchExplanation
from schema.nodes import Node
from schema.pagination import Connection, Edge
from schema.users import User


@strawberry.type(description="Who changed an application.")
class Actor:
    user_id: strawberry.Private[str]

    @strawberry.field(description="The user's global id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.user_id)


@strawberry.type(description="One status an application went through.")
class ApplicationHistoryEntry:
    row: strawberry.Private[ApplicationHistory]

    status = column(ApplicationStatus, "The status it moved to.")
    at = column(datetime, "When.")

    @strawberry.field(description="Who moved it: the candidate or a recruiter.")
    def actor(self) -> Actor | None:
        actor = self.row.actor_id
        return Actor(user_id=to_global_id("User", actor)) if actor else None

    note = column(str | None, "The note given with the change.")


@strawberry.type(description="A candidate's application to a job (a RIGHT swipe).")
class Application(Node):
    row: strawberry.Private[ApplicationRow]

    id = node_id("Application")

    @strawberry.field(description="The job applied to.")
    async def job(self, info: Info) -> Job:
        return await load_job(info, self.row.job_id)

    @strawberry.field(description="The applicant.")
    async def candidate(self, info: Info) -> User:
        row = await info.context.loaders.user_by_id.load(self.row.user_id)
        assert row is not None
        return User(row=row)

    status = column(ApplicationStatus, "Where it stands in the pipeline.")
    score_at_apply = column(int | None, "The feed score the candidate saw when applying, 0-100.")
    created_at = column(datetime, "When the candidate applied.")
    updated_at = column(datetime, "When the status last changed.")

    @strawberry.field(description="Every status, oldest first, with time, actor and note.")
    async def history(self, info: Info) -> list[ApplicationHistoryEntry]:
        rows = await info.context.loaders.history_by_application_id.load(self.row.id)
        return [ApplicationHistoryEntry(row=row) for row in rows]

    @strawberry.field(description="The candidate's FIVE_FACTOR match for the job, now.")
    async def explanation(self, info: Info) -> MatchExplanation:
        value = await applications.explanation(
            info.context.services, info.context.loaders, self.row
        )
        return MatchExplanation.of(value)


@strawberry.type(description="An application in a list.")
class ApplicationEdge(Edge[Application]):
    node: Application = strawberry.field(description="The application.")


@strawberry.type(description="A page of applications, newest first.")
class ApplicationConnection(Connection[Application]):
    edges: list[ApplicationEdge] = strawberry.field(description="The applications of this page.")

    @classmethod
    def from_page(cls, page: Page[ApplicationRow]) -> ApplicationConnection:
        return cls.of_rows(page, ApplicationEdge, Application, lambda r: Keyset(r.created_at, r.id))


@strawberry.type(description="A candidate's decision on a job.")
class Swipe(Node):
    row: strawberry.Private[SwipeRow]

    id = node_id("Swipe")

    direction = column(SwipeDirection, "RIGHT applied, LEFT passed.")

    @strawberry.field(description="The job swiped.")
    async def job(self, info: Info) -> Job:
        return await load_job(info, self.row.job_id)

    created_at = column(datetime, "When.")


@strawberry.type(description="The swipe, and the application a RIGHT swipe created.")
class SwipePayload:
    swipe: Swipe = strawberry.field(description="The (first) swipe on this job.")
    application: Application | None = strawberry.field(description="Null after a LEFT swipe.")


@strawberry.type
class ApplicationQuery:
    @strawberry.field(description="The signed-in candidate's applications, newest first.")
    async def my_applications(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        status: list[ApplicationStatus] | None = None,
    ) -> ApplicationConnection:
        ctx = info.context
        page = await applications.my_applications(
            ctx.services, ctx.require_viewer(), first, decode_keyset(after), status
        )
        return ApplicationConnection.from_page(page)

    @strawberry.field(
        description="An application: the applicant's own, or one to your company's job."
    )
    async def application(self, info: Info, id: strawberry.ID) -> Application:
        row = await applications.application(
            info.context.services, info.context.require_viewer(), expect_id(id, "Application")
        )
        return Application(row=row)

    @strawberry.field(
        description="Applications to one of your company's jobs, newest first, each with its "
        "FIVE_FACTOR explanation."
    )
    async def applications_for_job(
        self,
        info: Info,
        job_id: strawberry.ID,
        first: int = 20,
        after: str | None = None,
        status: list[ApplicationStatus] | None = None,
    ) -> ApplicationConnection:
        ctx = info.context
        page = await applications.applications_for_job(
            ctx.services,
            ctx.require_viewer(),
            expect_id(job_id, "Job"),
            first,
            decode_keyset(after),
            status,
        )
        return ApplicationConnection.from_page(page)


@strawberry.type
class ApplicationMutation:
    @strawberry.mutation(
        description="Swipe a job: RIGHT applies (status SUBMITTED), LEFT passes; either way it "
        "leaves the feed. Idempotent: a repeat, in either direction, returns the first swipe "
        "unchanged."
    )
    async def swipe_job(
        self, info: Info, job_id: strawberry.ID, direction: SwipeDirection
    ) -> SwipePayload:
        result = await swipes.swipe_job(
            info.context.services,
            info.context.require_viewer(),
            expect_id(job_id, "Job"),
            direction,
        )
        application = Application(row=result.application) if result.application else None
        return SwipePayload(swipe=Swipe(row=result.swipe), application=application)

    @strawberry.mutation(
        description="Move an application: recruiters forward (stages may be skipped) or to "
        "REJECTED; the candidate to WITHDRAWN. HIRED, REJECTED and WITHDRAWN are final."
    )
    async def update_application_status(
        self, info: Info, id: strawberry.ID, status: ApplicationStatus, note: str | None = None
    ) -> Application:
        row = await applications.update_status(
            info.context.services,
            info.context.require_viewer(),
            expect_id(id, "Application"),
            status,
            note,
        )
        return Application(row=row)

    @strawberry.mutation(description="Withdraw your own application (final).")
    async def withdraw_application(self, info: Info, id: strawberry.ID) -> Application:
        row = await applications.withdraw(
            info.context.services, info.context.require_viewer(), expect_id(id, "Application")
        )
        return Application(row=row)
