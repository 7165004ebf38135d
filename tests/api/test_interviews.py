"""Interviews through the API: scheduling for applications and matches, the refusals (rejected,
past, overlapping, bad duration or rating), lists by role and time, who may see what, and the
interviewChanged stream of the candidate."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.realtime import EventHub, start_event_delivery
from app import Runtime
from db.models import Event, Interview, Match
from resolvers import auth, subscriptions
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND_JOBS,
    SWIPE,
    candidate,
    company_of,
    gid,
    insert_jobs,
    raw,
    recruiter,
)
from tests.api.resume_support import ADD_CANDIDATE, PASTED, upload
from tests.conftest import Clock

FIELDS = (
    "id type status scheduledAt durationMinutes location link feedback rating cancelReason "
    "matchId match { id status } application { id } candidate { id name }"
)
SCHEDULE = f"""mutation($input: ScheduleInterviewInput!) {{
  scheduleInterview(input: $input) {{ {FIELDS} }} }}"""
RESCHEDULE = f"""mutation($id: ID!, $input: RescheduleInterviewInput!) {{
  rescheduleInterview(id: $id, input: $input) {{ {FIELDS} }} }}"""
CANCEL = f"""mutation($id: ID!, $reason: String) {{
  cancelInterview(id: $id, reason: $reason) {{ {FIELDS} }} }}"""
COMPLETE = f"""mutation($id: ID!, $feedback: String, $rating: Int) {{
  completeInterview(id: $id, feedback: $feedback, rating: $rating) {{ {FIELDS} }} }}"""
ONE = f"query($id: ID!) {{ interview(id: $id) {{ {FIELDS} }} }}"
NODE = "query($id: ID!) { node(id: $id) { id ... on Interview { status } } }"
LIST = """query($first: Int, $after: String, $from: DateTime, $to: DateTime) {
  interviews(first: $first, after: $after, from: $from, to: $to) {
    edges { cursor node { id scheduledAt } } pageInfo { hasNextPage endCursor } } }"""
MOVE = "mutation($id: ID!, $s: ApplicationStatus!) { updateApplicationStatus(id: $id, status: $s) { id } }"
NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def at(hours: float) -> str:
    return (NOW + timedelta(hours=hours)).isoformat()


async def _world(gql: GraphQLClient, runtime: Runtime, clock: Clock) -> dict[str, Any]:
    clock.now = NOW
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    other = await recruiter(gql, "boss@globex.test", "Globex")
    jobs = await insert_jobs(runtime, await company_of(gql, boss), BACKEND_JOBS[:3], now=NOW)
    ada = await candidate(gql, "ada@example.com")
    grace = await candidate(gql, "grace@example.com")
    apps = []
    for token, job in ((ada, jobs[0]), (ada, jobs[1]), (grace, jobs[0])):
        result = await gql.ok(SWIPE, {"jobId": job, "direction": "RIGHT"}, token=token)
        apps.append(result["swipeJob"]["application"]["id"])
    return {"boss": boss, "other": other, "ada": ada, "grace": grace, "jobs": jobs, "apps": apps}


async def _schedule(gql: GraphQLClient, token: str, **fields: Any) -> dict[str, Any]:
    given = {"type": "VIDEO", "scheduledAt": at(24), "durationMinutes": 60} | fields
    return (await gql.ok(SCHEDULE, {"input": given}, token=token))["scheduleInterview"]


async def _refused(gql: GraphQLClient, token: str, **fields: Any) -> str | None:
    given = {"type": "VIDEO", "scheduledAt": at(24), "durationMinutes": 60} | fields
    return await gql.error_code(SCHEDULE, {"input": given}, token=token)


async def _login(gql: GraphQLClient, email: str) -> str:
    """A fresh access token once the clock has moved past the old one's lifetime."""
    login = 'mutation($e: String!) { login(input: {email: $e, password: "correct-horse-1"}) { accessToken } }'
    return str((await gql.ok(login, {"e": email}))["login"]["accessToken"])


async def _count(runtime: Runtime) -> int:
    async with runtime.services.sessions() as session:
        return int(
            (await session.execute(select(func.count()).select_from(Interview))).scalar_one()
        )


async def _events(runtime: Runtime) -> list[Event]:
    async with runtime.services.sessions() as session:
        query = select(Event).where(Event.kind == "INTERVIEW_CHANGED").order_by(Event.id)
        return list((await session.execute(query)).scalars())


async def _pool_match(
    gql: GraphQLClient, runtime: Runtime, token: str, job: str, status: str
) -> tuple[str, str]:
    """A pool candidate of the recruiter's company and a match record of them for `job`."""
    body = await upload(gql, token, ADD_CANDIDATE, {"text": PASTED, "input": {"name": "Jane"}})
    candidate_id = body["data"]["addCandidate"]["id"]
    match_id = uuid.uuid4()
    async with runtime.services.sessions() as session, session.begin():
        session.add(
            Match(
                id=match_id,
                company_id=await company_of(gql, token),
                job_id=raw(job),
                candidate_id=raw(candidate_id),
                score=81.5,
                preset="FIVE_FACTOR",
                preset_version=1,
                explanation={},
                status=status,
            )
        )
    return candidate_id, gid("Match", match_id)


async def test_a_recruiter_schedules_moves_and_completes_an_applicants_interview(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    made = await _schedule(
        gql, w["boss"], applicationId=w["apps"][0], link="https://meet.example.com/abc"
    )
    assert made["status"] == "SCHEDULED" and made["application"] == {"id": w["apps"][0]}
    assert made["scheduledAt"] == at(24) and made["link"] == "https://meet.example.com/abc"
    moved = (
        await gql.ok(
            RESCHEDULE,
            {
                "id": made["id"],
                "input": {"scheduledAt": at(48), "type": "ONSITE", "location": "HQ"},
            },
            token=w["boss"],
        )
    )["rescheduleInterview"]
    assert (moved["scheduledAt"], moved["type"], moved["location"]) == (at(48), "ONSITE", "HQ")
    assert moved["durationMinutes"] == 60 and moved["link"] == made["link"]
    early = {"id": made["id"], "feedback": "Great", "rating": 4}
    assert await gql.error_code(COMPLETE, early, token=w["boss"]) == "BAD_USER_INPUT"
    clock.now = NOW + timedelta(hours=49)
    w["boss"], w["ada"] = await _login(gql, "boss@acme.test"), await _login(gql, "ada@example.com")
    assert (
        await gql.error_code(COMPLETE, early | {"rating": 6}, token=w["boss"]) == "BAD_USER_INPUT"
    )
    done = (await gql.ok(COMPLETE, early, token=w["boss"]))["completeInterview"]
    assert (done["status"], done["feedback"], done["rating"]) == ("COMPLETED", "Great", 4)
    assert await gql.error_code(CANCEL, {"id": made["id"]}, token=w["boss"]) == "BAD_USER_INPUT"
    seen = (await gql.ok(ONE, {"id": made["id"]}, token=w["ada"]))["interview"]
    assert seen == done
    events = await _events(runtime)
    assert [e.payload["change"] for e in events] == ["SCHEDULED", "RESCHEDULED", "COMPLETED"]
    ada_id = raw((await gql.ok("{ me { id } }", token=w["ada"]))["me"]["id"])
    assert {e.user_id for e in events} == {ada_id}


async def test_refused_interviews_write_nothing(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    app, boss = w["apps"][0], w["boss"]
    first = await _schedule(gql, boss, applicationId=app, scheduledAt=at(24))
    refusals = [
        {"applicationId": app, "scheduledAt": at(-1)},  # past
        {"applicationId": app, "durationMinutes": 10, "scheduledAt": at(72)},
        {"applicationId": app, "durationMinutes": 481, "scheduledAt": at(72)},
        {"applicationId": app, "link": "javascript:alert(1)", "scheduledAt": at(72)},
        {"scheduledAt": at(72)},  # neither subject
        {"applicationId": app, "matchId": gid("Match", uuid.uuid4()), "scheduledAt": at(72)},
        # Overlaps ada's first interview [24h, 25h), through her other application too.
        {"applicationId": w["apps"][1], "scheduledAt": at(24.5)},
        {"applicationId": app, "scheduledAt": at(23.5), "durationMinutes": 31},
    ]
    for fields in refusals:
        assert await _refused(gql, boss, **fields) == "BAD_USER_INPUT", fields
    # Back to back is no overlap; another candidate at the same time is none either.
    await _schedule(gql, boss, applicationId=w["apps"][1], scheduledAt=at(25))
    await _schedule(gql, boss, applicationId=w["apps"][2], scheduledAt=at(24))
    await gql.ok(MOVE, {"id": app, "s": "REJECTED"}, token=boss)
    assert await _refused(gql, boss, applicationId=app, scheduledAt=at(96)) == "BAD_USER_INPUT"
    assert await _count(runtime) == 3
    moving = {"id": first["id"], "input": {"scheduledAt": at(25.5)}}
    assert await gql.error_code(RESCHEDULE, moving, token=boss) == "BAD_USER_INPUT"  # overlap
    cancelled = await gql.ok(CANCEL, {"id": first["id"], "reason": " No show "}, token=boss)
    assert cancelled["cancelInterview"]["status"] == "CANCELLED"
    assert cancelled["cancelInterview"]["cancelReason"] == "No show"
    assert await gql.error_code(RESCHEDULE, moving, token=boss) == "BAD_USER_INPUT"  # cancelled
    # A cancelled interview frees its slot.
    await _schedule(gql, boss, applicationId=w["apps"][1], scheduledAt=at(24))


async def test_a_match_of_a_pool_candidate_gets_an_interview_unless_rejected(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    candidate_id, match = await _pool_match(gql, runtime, w["boss"], w["jobs"][0], "SHORTLISTED")
    made = await _schedule(gql, w["boss"], matchId=match, type="PHONE")
    assert made["matchId"] == match and made["application"] is None
    assert made["match"] == {"id": match, "status": "SHORTLISTED"}
    assert made["candidate"] == {"id": candidate_id, "name": "Jane"}
    assert await _refused(gql, w["boss"], matchId=match, scheduledAt=at(24.25)) == "BAD_USER_INPUT"
    _, rejected = await _pool_match(gql, runtime, w["boss"], w["jobs"][1], "REJECTED")
    assert await _refused(gql, w["boss"], matchId=rejected, scheduledAt=at(72)) == "BAD_USER_INPUT"
    assert await _refused(gql, w["other"], matchId=match, scheduledAt=at(72)) == "NOT_FOUND"
    assert await _count(runtime) == 1
    assert await _events(runtime) == []  # a pool candidate has no account to push to


async def test_other_companies_and_candidates_get_not_found(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    made = await _schedule(gql, w["boss"], applicationId=w["apps"][0])
    iid = made["id"]
    for token in (w["other"], w["grace"]):
        assert await gql.error_code(ONE, {"id": iid}, token=token) == "NOT_FOUND"
        assert await gql.error_code(NODE, {"id": iid}, token=token) == "NOT_FOUND"
        page = (await gql.ok(LIST, {"first": 10}, token=token))["interviews"]
        assert page["edges"] == []
    other = w["other"]
    assert await _refused(gql, other, applicationId=w["apps"][0], scheduledAt=at(72)) == "NOT_FOUND"
    moving = {"id": iid, "input": {"scheduledAt": at(72)}}
    assert await gql.error_code(RESCHEDULE, moving, token=other) == "NOT_FOUND"
    assert await gql.error_code(CANCEL, {"id": iid}, token=other) == "NOT_FOUND"
    assert await gql.error_code(COMPLETE, {"id": iid, "rating": 3}, token=other) == "NOT_FOUND"
    assert await gql.error_code(CANCEL, {"id": iid}, token=w["ada"]) == "FORBIDDEN"
    assert await _refused(gql, w["ada"], applicationId=w["apps"][0]) == "FORBIDDEN"
    assert await gql.error_code(ONE, {"id": iid}) == "UNAUTHENTICATED"
    assert (await gql.ok(NODE, {"id": iid}, token=w["ada"]))["node"]["status"] == "SCHEDULED"
    assert (await gql.ok(NODE, {"id": iid}, token=w["boss"]))["node"]["id"] == iid
    assert (await gql.ok(ONE, {"id": iid}, token=w["boss"]))["interview"] == made


async def test_interviews_list_soonest_first_within_from_and_to(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    boss = w["boss"]
    ada_times = [at(24 * d) for d in (3, 1, 2)]
    for when, app in zip(ada_times, [w["apps"][0], w["apps"][1], w["apps"][0]], strict=True):
        await _schedule(gql, boss, applicationId=app, scheduledAt=when)
    await _schedule(gql, boss, applicationId=w["apps"][2], scheduledAt=at(30))
    first = (await gql.ok(LIST, {"first": 2}, token=boss))["interviews"]
    rest = (await gql.ok(LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=boss))[
        "interviews"
    ]
    times = [e["node"]["scheduledAt"] for e in first["edges"] + rest["edges"]]
    assert times == [at(24), at(30), at(48), at(72)]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    mine = (await gql.ok(LIST, {"first": 10}, token=w["ada"]))["interviews"]["edges"]
    assert [e["node"]["scheduledAt"] for e in mine] == [at(24), at(48), at(72)]
    window = {"first": 10, "from": at(30), "to": at(72)}
    bounded = (await gql.ok(LIST, window, token=boss))["interviews"]["edges"]
    assert [e["node"]["scheduledAt"] for e in bounded] == [at(30), at(48)]
    backwards = {"first": 10, "from": at(72), "to": at(30)}
    assert await gql.error_code(LIST, backwards, token=boss) == "BAD_USER_INPUT"
    assert await gql.error_code(LIST, {"first": 101}, token=boss) == "BAD_USER_INPUT"


@pytest.fixture
async def hub(runtime: Runtime) -> AsyncIterator[EventHub]:
    services = runtime.services
    delivery = await start_event_delivery(
        services.sessions,
        services.clock,
        broadcast_url=services.settings.broadcast_url,
        database_url=runtime.url,
        poll_interval_s=0.05,
    )
    services.events = delivery.hub
    yield delivery.hub
    services.events = None
    await delivery.stop()


async def test_interview_changed_reaches_only_the_candidate_and_replays_after_an_event_id(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, hub: EventHub
) -> None:
    w = await _world(gql, runtime, clock)
    services = runtime.services
    ada = await auth.authenticate(services, w["ada"])
    grace = await auth.authenticate(services, w["grace"])
    ada_stream = subscriptions.interview_changed(services, ada, None, over_http=False)
    grace_stream = subscriptions.interview_changed(services, grace, None, over_http=False)
    ada_next = asyncio.ensure_future(anext(ada_stream))
    grace_next = asyncio.ensure_future(anext(grace_stream))
    async with asyncio.timeout(5):
        while len(hub.listeners) < 2:  # noqa: ASYNC110 (the hub has no event for "joined")
            await asyncio.sleep(0)
    made = await _schedule(gql, w["boss"], applicationId=w["apps"][0])
    await gql.ok(CANCEL, {"id": made["id"], "reason": "moved"}, token=w["boss"])
    marker = await _schedule(gql, w["boss"], applicationId=w["apps"][2])  # grace's
    async with asyncio.timeout(10):
        first, grace_first = await ada_next, await grace_next
        second = await anext(ada_stream)
    assert (first.change, second.change) == ("SCHEDULED", "CANCELLED")
    assert (
        second.interview.status == "CANCELLED"
        and gid("Interview", first.interview.id) == made["id"]
    )
    assert gid("Interview", grace_first.interview.id) == marker["id"]  # not ada's two
    await ada_stream.aclose()  # type: ignore[attr-defined]
    await grace_stream.aclose()  # type: ignore[attr-defined]
    replay = subscriptions.interview_changed(services, ada, str(first.event_id), over_http=False)
    async with asyncio.timeout(10):
        again = await anext(replay)
    assert (again.event_id, again.change) == (second.event_id, "CANCELLED")
    await replay.aclose()  # type: ignore[attr-defined]
    boss = await auth.authenticate(services, w["boss"])
    refused = subscriptions.interview_changed(services, boss, None, over_http=False)
    with pytest.raises(Exception, match="CANDIDATE"):
        await anext(refused)
