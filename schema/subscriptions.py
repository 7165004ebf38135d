"""Subscriptions: matchFound, applicationStatusChanged, applicationReceived (replayable by eventId)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from functools import partial

import strawberry
from starlette.websockets import WebSocket

from resolvers import alerts, digests, subscriptions
from schema.alerts import AlertRaisedEvent
from schema.applications import Application
from schema.context import Info
from schema.digests import DigestReadyEvent
from schema.enums import ApplicationStatus
from schema.fanout import SharedRender
from schema.ids import expect_id
from schema.interviews import Interview
from schema.jobs import Job
from schema.matches import MatchRecord
from schema.matching import MatchExplanation


@strawberry.type(description="A newly ACTIVE job that scores at least your minScore.")
class MatchFoundEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    job: Job = strawberry.field(description="The job.")
    score: float = strawberry.field(description="SWIPE_HYBRID score, 2 decimals.")
    explanation: MatchExplanation = strawberry.field(description="Why it matches.")
    # The job part is executed once per event and query for all its subscribers (schema/fanout).
    shared_render: strawberry.Private[SharedRender | None] = None

    @classmethod
    def of(cls, found: subscriptions.MatchFound) -> MatchFoundEvent:
        shared = found.shared
        return cls(
            event_id=strawberry.ID(str(found.event_id)),
            job=Job(row=found.job, company_row=found.company),
            score=float(found.explanation.score),
            explanation=MatchExplanation.of(found.explanation),
            shared_render=None if shared is None else shared.setdefault("render", SharedRender()),
        )


@strawberry.type(description="A status change of one of your applications.")
class ApplicationStatusChangedEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    application: Application = strawberry.field(description="The application, as it is now.")
    previous_status: ApplicationStatus | None = strawberry.field(description="Status before.")
    status: ApplicationStatus = strawberry.field(description="Status after the change.")
    note: str | None = strawberry.field(description="The recruiter's note, if any.")

    @classmethod
    def of(cls, changed: subscriptions.StatusChanged) -> ApplicationStatusChangedEvent:
        return cls(
            event_id=strawberry.ID(str(changed.event_id)),
            application=Application(row=changed.application),
            previous_status=changed.previous_status,
            status=changed.status,
            note=changed.note,
        )


@strawberry.type(description="A new application to one of your company's jobs.")
class ApplicationReceivedEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    application: Application = strawberry.field(description="The application.")

    @classmethod
    def of(cls, received: subscriptions.Received) -> ApplicationReceivedEvent:
        return cls(
            event_id=strawberry.ID(str(received.event_id)),
            application=Application(row=received.application),
        )


@strawberry.type(description="One of your interviews was scheduled, moved, cancelled or completed.")
class InterviewChangedEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    interview: Interview = strawberry.field(description="The interview, as it is now.")
    change: str = strawberry.field(
        description="What happened: SCHEDULED, RESCHEDULED, CANCELLED or COMPLETED."
    )

    @classmethod
    def of(cls, changed: subscriptions.InterviewChanged) -> InterviewChangedEvent:
        return cls(
            event_id=strawberry.ID(str(changed.event_id)),
            interview=Interview(row=changed.interview),
            change=changed.change,
        )


@strawberry.type(description="A new match record of your company's pool scoring >= minScore.")
class CandidateMatchedEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    match: MatchRecord = strawberry.field(description="The record, as it is now.")
    score: float = strawberry.field(description="FIVE_FACTOR score, 2 decimals.")

    @classmethod
    def of(cls, matched: subscriptions.CandidateMatched) -> CandidateMatchedEvent:
        return cls(
            event_id=strawberry.ID(str(matched.event_id)),
            match=MatchRecord(row=matched.match),
            score=float(matched.match.score),
        )


def _over_http(info: Info) -> bool:
    """SSE and multipart streams end with their sign-in; sockets are closed 4403 by the hub."""
    return not isinstance(info.context.request, WebSocket)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Newly ACTIVE jobs scoring >= minScore for you (candidates)."
    )
    async def match_found(
        self, info: Info, min_score: float = 70.0, after: strawberry.ID | None = None
    ) -> AsyncGenerator[MatchFoundEvent, None]:
        context = info.context
        async for found in subscriptions.match_found(
            context.services, context.require_viewer(), min_score, after, over_http=_over_http(info)
        ):
            yield MatchFoundEvent.of(found)

    @strawberry.subscription(description="Every status change of your applications (candidates).")
    async def application_status_changed(
        self, info: Info, after: strawberry.ID | None = None
    ) -> AsyncGenerator[ApplicationStatusChangedEvent, None]:
        context = info.context
        async for changed in subscriptions.application_status_changed(
            context.services, context.require_viewer(), after, over_http=_over_http(info)
        ):
            yield ApplicationStatusChangedEvent.of(changed)

    @strawberry.subscription(
        description="New applications to your company's jobs, or to one job (recruiters)."
    )
    async def application_received(
        self, info: Info, job_id: strawberry.ID | None = None, after: strawberry.ID | None = None
    ) -> AsyncGenerator[ApplicationReceivedEvent, None]:
        context, job = info.context, None if job_id is None else partial(expect_id, job_id, "Job")
        async for received in subscriptions.application_received(
            context.services, context.require_viewer(), job, after, over_http=_over_http(info)
        ):
            yield ApplicationReceivedEvent.of(received)

    @strawberry.subscription(
        description="Your interviews as they are scheduled, moved, cancelled or completed "
        "(candidates)."
    )
    async def interview_changed(
        self, info: Info, after: strawberry.ID | None = None
    ) -> AsyncGenerator[InterviewChangedEvent, None]:
        context = info.context
        async for changed in subscriptions.interview_changed(
            context.services, context.require_viewer(), after, over_http=_over_http(info)
        ):
            yield InterviewChangedEvent.of(changed)

    @strawberry.subscription(
        description="New match records scoring >= minScore for one job, or (without jobId) for "
        "any job your company's pool is matched with (recruiters)."
    )
    async def candidate_matched(
        self,
        info: Info,
        job_id: strawberry.ID | None = None,
        min_score: float = 70.0,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[CandidateMatchedEvent, None]:
        context, job = info.context, None if job_id is None else partial(expect_id, job_id, "Job")
        async for matched in subscriptions.candidate_matched(
            context.services,
            context.require_viewer(),
            job,
            min_score,
            after,
            over_http=_over_http(info),
        ):
            yield CandidateMatchedEvent.of(matched)

    @strawberry.subscription(description="Alerts as they are raised (platform admins).")
    async def alert_raised(
        self, info: Info, after: strawberry.ID | None = None
    ) -> AsyncGenerator[AlertRaisedEvent, None]:
        context = info.context
        async for raised in alerts.alert_raised(
            context.services, context.require_viewer(), after, over_http=_over_http(info)
        ):
            yield AlertRaisedEvent.of(raised)

    @strawberry.subscription(description="Your daily digests as they are made (candidates).")
    async def digest_ready(
        self, info: Info, after: strawberry.ID | None = None
    ) -> AsyncGenerator[DigestReadyEvent, None]:
        context = info.context
        async for ready in digests.digest_ready(
            context.services, context.require_viewer(), after, over_http=_over_http(info)
        ):
            yield DigestReadyEvent.of(ready)
