"""Subscriptions: who may listen to what, and each pushed event's rows, read through loaders."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from adapters.realtime import Delivery, Listener, Subscriber, Subscriptions
from db.loaders import Loaders
from db.models import Application, Company, Interview, Job, Match
from domain.enums import RECRUITER_ROLES, ApplicationStatus, CompanyKind, EventKind, Role
from domain.errors import InvalidInput, NotFound
from domain.scoring import MatchExplanation
from resolvers.services import Services, Viewer, require


@dataclass(frozen=True)
class MatchFound:
    event_id: int
    job: Job
    company: Company | None
    explanation: MatchExplanation
    shared: dict[str, Any] | None = None  # the same for every subscriber of the event


@dataclass(frozen=True)
class StatusChanged:
    event_id: int
    application: Application
    previous_status: ApplicationStatus | None
    status: ApplicationStatus
    note: str | None


@dataclass(frozen=True)
class Received:
    event_id: int
    application: Application


@dataclass(frozen=True)
class CandidateMatched:
    event_id: int
    match: Match


@dataclass(frozen=True)
class InterviewChanged:
    event_id: int
    interview: Interview
    change: str


def subscriber(viewer: Viewer) -> Subscriber:
    token = viewer.token
    return Subscriber(viewer.id, viewer.company_id, token.family_id, token.expires_at)


def track(services: Services, websocket: Any, viewer: Viewer) -> None:
    """Has the hub close the socket (4403) when the token expires or the sign-in is revoked."""
    if services.events is not None:
        services.events.track(websocket, subscriber(viewer))


def parse_event_id(value: str | None) -> int | None:
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:  # "²".isdigit()
        raise InvalidInput("after must be an eventId this API returned", field="after")
    return int(value)


def _hub(services: Services) -> Subscriptions:
    if services.events is None:
        raise InvalidInput("subscriptions are not available on this server")
    return services.events


def _stream(
    hub: Subscriptions,
    viewer: Viewer,
    kind: EventKind,
    after: str | None,
    *,
    over_http: bool,
    min_score: float = 70.0,
    job: Job | None = None,
) -> AsyncIterator[Delivery]:
    listener = Listener(
        subscriber(viewer),
        kind,
        min_score=min_score,
        job_id=job.id if job else None,
        ends_with_sign_in=over_http,
    )
    return hub.stream(listener, parse_event_id(after))


def _check_min_score(min_score: float) -> None:
    if not 0 <= min_score <= 100:
        raise InvalidInput("minScore must be between 0 and 100", field="minScore")


def _loaders(services: Services) -> Loaders:
    # A stream outlives the rows it renders: without cache, each event reads them afresh.
    return Loaders.create(services.sessions, cache=False)


async def _application(loaders: Loaders, delivery: Delivery) -> Application:
    row = await loaders.application_by_id.load(
        uuid.UUID(str(delivery.event.payload["application_id"]))
    )
    if row is None:
        raise NotFound("the application no longer exists")
    return row


async def match_found(
    services: Services,
    viewer: Viewer | None,
    min_score: float,
    after: str | None,
    *,
    over_http: bool,
) -> AsyncIterator[MatchFound]:
    viewer = require(viewer, Role.CANDIDATE)
    _check_min_score(min_score)
    hub = _hub(services)
    kind = EventKind.MATCH_FOUND
    async for delivery in _stream(
        hub, viewer, kind, after, over_http=over_http, min_score=min_score
    ):
        match = delivery.match
        assert match is not None
        yield MatchFound(
            delivery.event_id, match.job, match.company, match.explanation, delivery.shared
        )


async def application_status_changed(
    services: Services, viewer: Viewer | None, after: str | None, *, over_http: bool
) -> AsyncIterator[StatusChanged]:
    viewer = require(viewer, Role.CANDIDATE)
    hub, loaders = _hub(services), _loaders(services)
    kind = EventKind.APPLICATION_STATUS_CHANGED
    async for delivery in _stream(hub, viewer, kind, after, over_http=over_http):
        payload = delivery.event.payload
        previous = payload.get("previous_status")
        yield StatusChanged(
            delivery.event_id,
            await _application(loaders, delivery),
            ApplicationStatus(previous) if previous else None,
            ApplicationStatus(payload["status"]),
            payload.get("note"),
        )


async def application_received(
    services: Services,
    viewer: Viewer | None,
    job_id: Callable[[], uuid.UUID] | None,
    after: str | None,
    *,
    over_http: bool,
) -> AsyncIterator[Received]:
    """`job_id` is decoded only after the role check: a stranger learns nothing from an id."""
    viewer = require(viewer, *RECRUITER_ROLES)
    hub, loaders = _hub(services), _loaders(services)
    job = None
    if job_id is not None:
        job = await loaders.job_by_id.load(job_id())
        if job is None or job.company_id != viewer.company_id:
            raise NotFound("no Job has this id")
    kind = EventKind.APPLICATION_RECEIVED
    async for delivery in _stream(hub, viewer, kind, after, over_http=over_http, job=job):
        yield Received(delivery.event_id, await _application(loaders, delivery))


async def interview_changed(
    services: Services, viewer: Viewer | None, after: str | None, *, over_http: bool
) -> AsyncIterator[InterviewChanged]:
    """The candidate's interviews as they are scheduled, moved, cancelled or completed."""
    viewer = require(viewer, Role.CANDIDATE)
    hub, loaders = _hub(services), _loaders(services)
    kind = EventKind.INTERVIEW_CHANGED
    async for delivery in _stream(hub, viewer, kind, after, over_http=over_http):
        payload = delivery.event.payload
        row = await loaders.interview_by_id.load(uuid.UUID(str(payload["interview_id"])))
        if row is not None:  # deleted with its application or match since
            yield InterviewChanged(delivery.event_id, row, str(payload["change"]))


async def candidate_matched(
    services: Services,
    viewer: Viewer | None,
    job_id: Callable[[], uuid.UUID] | None,
    min_score: float,
    after: str | None,
    *,
    over_http: bool,
) -> AsyncIterator[CandidateMatched]:
    """New match records of the company's pool (for one job, or any): `job_id` is decoded after
    the role check, and a job the company may not match against is NOT_FOUND."""
    viewer = require(viewer, *RECRUITER_ROLES)
    _check_min_score(min_score)
    hub, loaders = _hub(services), _loaders(services)
    job = None
    if job_id is not None:
        job = await loaders.job_by_id.load(job_id())
        company = await loaders.company_by_id.load(viewer.company_id) if viewer.company_id else None
        agency = company is not None and company.kind == CompanyKind.AGENCY.value
        if job is None or not (job.company_id == viewer.company_id or agency):
            raise NotFound("no Job has this id")
    kind = EventKind.CANDIDATE_MATCHED
    stream = _stream(hub, viewer, kind, after, over_http=over_http, min_score=min_score, job=job)
    async for delivery in stream:
        row = await loaders.match_by_id.load(uuid.UUID(str(delivery.event.payload["match_id"])))
        if row is not None:  # dropped from the top list since
            yield CandidateMatched(delivery.event_id, row)
