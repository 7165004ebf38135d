"""Subscriptions: matchFound, applicationStatusChanged, applicationReceived (replayable by eventId)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator

import strawberry
from starlette.websockets import WebSocket

from db.applications import get_applications
from db.engine import read
from domain import enums
from domain.enums import Role
from domain.errors import InvalidInput, NotFound
from resolvers import jobs as job_resolvers
from resolvers.events import (
    MATCH_FOUND,
    RECEIVED,
    STATUS_CHANGED,
    Delivery,
    Listener,
    parse_event_id,
)
from resolvers.services import Services, require
from schema.applications import Application
from schema.context import Info
from schema.enums import ApplicationStatus
from schema.ids import expect_id
from schema.jobs import Job
from schema.matching import MatchExplanation


@strawberry.type(description="A newly ACTIVE job that scores at least your minScore.")
class MatchFoundEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    job: Job = strawberry.field(description="The job.")
    score: float = strawberry.field(description="SWIPE_HYBRID score, 2 decimals.")
    explanation: MatchExplanation = strawberry.field(description="Why it matches.")


@strawberry.type(description="A status change of one of your applications.")
class ApplicationStatusChangedEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    application: Application = strawberry.field(description="The application, as it is now.")
    previous_status: ApplicationStatus | None = strawberry.field(description="Status before.")
    status: ApplicationStatus = strawberry.field(description="Status after the change.")
    note: str | None = strawberry.field(description="The recruiter's note, if any.")


@strawberry.type(description="A new application to one of your company's jobs.")
class ApplicationReceivedEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    application: Application = strawberry.field(description="The application.")


async def _application(services: Services, delivery: Delivery) -> Application:
    application_id = uuid.UUID(str(delivery.event.payload["application_id"]))
    async with read(services.sessions) as session:
        rows = await get_applications(session, [application_id])
    if not rows:
        raise NotFound("the application no longer exists")
    return Application(row=rows[0])


def _over_http(info: Info) -> bool:
    """SSE and multipart streams end with their sign-in; sockets are closed 4403 by the hub."""
    return not isinstance(info.context.request, WebSocket)


def _hub(info: Info) -> object:
    hub = info.context.services.events
    if hub is None:
        raise InvalidInput("subscriptions are not available on this server")
    return hub


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Newly ACTIVE jobs scoring >= minScore for you (candidates)."
    )
    async def match_found(
        self, info: Info, min_score: float = 70.0, after: strawberry.ID | None = None
    ) -> AsyncGenerator[MatchFoundEvent, None]:
        viewer = require(info.context.require_viewer(), Role.CANDIDATE)
        if not 0 <= min_score <= 100:
            raise InvalidInput("minScore must be between 0 and 100", field="minScore")
        hub = _hub(info)
        listener = Listener(
            viewer, MATCH_FOUND, min_score=min_score, ends_with_sign_in=_over_http(info)
        )
        async for delivery in hub.stream(listener, parse_event_id(after)):  # type: ignore[attr-defined]
            assert delivery.match is not None
            yield MatchFoundEvent(
                event_id=strawberry.ID(str(delivery.event_id)),
                job=Job(row=delivery.match.job, company_row=delivery.match.company),
                score=float(delivery.match.explanation.score),
                explanation=MatchExplanation.of(delivery.match.explanation),
            )

    @strawberry.subscription(description="Every status change of your applications (candidates).")
    async def application_status_changed(
        self, info: Info, after: strawberry.ID | None = None
    ) -> AsyncGenerator[ApplicationStatusChangedEvent, None]:
        viewer = require(info.context.require_viewer(), Role.CANDIDATE)
        services, hub = info.context.services, _hub(info)
        listener = Listener(viewer, STATUS_CHANGED, ends_with_sign_in=_over_http(info))
        async for delivery in hub.stream(listener, parse_event_id(after)):  # type: ignore[attr-defined]
            payload = delivery.event.payload
            previous = payload.get("previous_status")
            yield ApplicationStatusChangedEvent(
                event_id=strawberry.ID(str(delivery.event_id)),
                application=await _application(services, delivery),
                previous_status=enums.ApplicationStatus(previous) if previous else None,
                status=enums.ApplicationStatus(payload["status"]),
                note=payload.get("note"),
            )

    @strawberry.subscription(
        description="New applications to your company's jobs, or to one job (recruiters)."
    )
    async def application_received(
        self, info: Info, job_id: strawberry.ID | None = None, after: strawberry.ID | None = None
    ) -> AsyncGenerator[ApplicationReceivedEvent, None]:
        viewer = require(info.context.require_viewer(), Role.RECRUITER, Role.COMPANY_ADMIN)
        services, hub = info.context.services, _hub(info)
        job = None
        if job_id is not None:
            job = await job_resolvers.job(services, viewer, expect_id(job_id, "Job"))
            if job.company_id != viewer.company_id:
                raise NotFound("no Job has this id")
        listener = Listener(
            viewer, RECEIVED, job_id=job.id if job else None, ends_with_sign_in=_over_http(info)
        )
        async for delivery in hub.stream(listener, parse_event_id(after)):  # type: ignore[attr-defined]
            yield ApplicationReceivedEvent(
                event_id=strawberry.ID(str(delivery.event_id)),
                application=await _application(services, delivery),
            )
