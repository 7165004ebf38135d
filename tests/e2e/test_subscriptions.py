"""Subscriptions end to end on a real server: matchFound, applicationStatusChanged and
applicationReceived reach the right people only, with npm graphql-ws, Apollo Client and gql."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from gql.transport.exceptions import TransportQueryError

from tests.conftest import ROOT, TEST_SECRET
from tests.e2e.conftest import (
    PASSWORD,
    GqlSubscription,
    NodeSubscribers,
    call,
    graphql,
    sign_up,
    unique_email,
)

MATCH_FOUND = """subscription($minScore: Float!, $after: ID) {
  matchFound(minScore: $minScore, after: $after) {
    eventId score job { id title company { id } } explanation { score grade factors { name } }
  }
}"""
STATUS_CHANGED = """subscription($after: ID) {
  applicationStatusChanged(after: $after) { eventId previousStatus status note application { id status } }
}"""
RECEIVED = """subscription($jobId: ID) {
  applicationReceived(jobId: $jobId) { eventId application { id status job { id } candidate { id } } }
}"""
CREATE_JOB = "mutation($input: JobInput!) { createJob(input: $input) { id } }"
CLOSE_JOB = "mutation($id: ID!) { closeJob(id: $id, reason: CLOSED) { status } }"
REOPEN_JOB = "mutation($id: ID!) { reopenJob(id: $id) { status } }"
SWIPE = """mutation($jobId: ID!, $direction: SwipeDirection!) {
  swipeJob(jobId: $jobId, direction: $direction) { application { id status } }
}"""
MOVE = """mutation($id: ID!, $status: ApplicationStatus!, $note: String) {
  updateApplicationStatus(id: $id, status: $status, note: $note) { status }
}"""
WITHDRAW = "mutation($id: ID!) { withdrawApplication(id: $id) { status } }"
MATCH_SCORE = "query($id: ID!) { job(id: $id) { match { score } } }"
ADD_RECRUITER = "mutation($email: String!) { addRecruiter(email: $email) { temporaryPassword } }"
LOGIN = "mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }"
IMPORT = """mutation($jobs: [JobImportInput!]!) {
  importJobs(platform: "burst", jobs: $jobs) { status total created failed }
}"""
COMPANY_JOBS = """query($companyId: ID!) {
  jobs(first: 100, filter: {companyId: $companyId}) { edges { node { id match { score } } } }
}"""

BACKEND_PROFILE = {
    "headline": "Senior Python backend engineer",
    "skills": ["Python", "Django", "PostgreSQL", "AWS"],
    "seniority": "SENIOR",
    "remotePreference": "REMOTE_OK",
    "yearsOfExperience": 7,
    "preferredLocations": ["Remote"],
}
NURSE_PROFILE = {
    "headline": "Registered nurse in intensive care",
    "skills": ["Patient care", "Triage"],
    "seniority": "MID",
    "remotePreference": "ONSITE",
    "preferredLocations": ["Boston"],
}
BACKEND_JOB = {
    "title": "Senior Python Backend Engineer",
    "description": "Build Django and PostgreSQL services on AWS.",
    "skills": ["Python", "Django", "PostgreSQL", "AWS"],
    "seniority": "SENIOR",
    "isRemote": True,
    "location": "Remote",
}
DELIVERY_S = 2.0  # SPEC: a subscriber hears of a change within this
QUIET_S = 1.0  # how long a subscriber that must get nothing is watched after the others got theirs


def company_name() -> str:
    return f"Company {uuid.uuid4().hex[:10]}"


def spec(
    label: str,
    client: str,
    account: dict[str, Any],
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "label": label,
        "client": client,
        "token": account["accessToken"],
        "query": query,
        "variables": variables or {},
    }


async def recruiter_with_job(
    graphql_url: str, job: dict[str, Any] | None = None
) -> tuple[dict[str, Any], str]:
    recruiter = await sign_up(graphql_url, role="RECRUITER", company=company_name())
    created = await call(
        graphql_url, CREATE_JOB, {"input": job or BACKEND_JOB}, token=recruiter["accessToken"]
    )
    return recruiter, created["createJob"]["id"]


async def apply(graphql_url: str, candidate: dict[str, Any], job_id: str) -> str:
    data = await call(
        graphql_url, SWIPE, {"jobId": job_id, "direction": "RIGHT"}, token=candidate["accessToken"]
    )
    return str(data["swipeJob"]["application"]["id"])


async def score_for(graphql_url: str, account: dict[str, Any], job_id: str) -> float:
    return float(
        (await call(graphql_url, MATCH_SCORE, {"id": job_id}, token=account["accessToken"]))["job"][
            "match"
        ]["score"]
    )


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


async def test_match_found_reaches_graphql_ws_apollo_and_gql_within_2s_only_at_or_above_min_score(
    graphql_url: str,
) -> None:
    recruiter = await sign_up(graphql_url, role="RECRUITER", company=company_name())
    fan, picky, nurse = [
        await sign_up(graphql_url, profile=p)
        for p in (BACKEND_PROFILE, BACKEND_PROFILE, NURSE_PROFILE)
    ]
    specs = [
        spec("graphql-ws", "graphql-ws", fan, MATCH_FOUND, {"minScore": 60}),
        spec("apollo", "apollo", fan, MATCH_FOUND, {"minScore": 60}),
        # The same candidate on a second subscription with a bar the job does not reach.
        spec("fan at 95", "graphql-ws", fan, MATCH_FOUND, {"minScore": 95}),
        spec("picky", "graphql-ws", picky, MATCH_FOUND, {"minScore": 95}),
        spec("nurse", "apollo", nurse, MATCH_FOUND, {"minScore": 50}),
    ]
    async with (
        NodeSubscribers(graphql_url, specs) as node,
        GqlSubscription(graphql_url, fan["accessToken"], MATCH_FOUND, {"minScore": 60}) as gql,
    ):
        requested = time.time()
        job_id = (
            await call(
                graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=recruiter["accessToken"]
            )
        )["createJob"]["id"]
        committed = time.time()
        await node.wait_for_events("graphql-ws", 1)
        await node.wait_for_events("apollo", 1)
        await gql.wait_for_events(1)
        await asyncio.sleep(QUIET_S)
        await call(graphql_url, CLOSE_JOB, {"id": job_id}, token=recruiter["accessToken"])
        await asyncio.sleep(QUIET_S)
        after_close = [len(node.events("graphql-ws")), len(node.events("apollo")), len(gql.events)]
        await call(graphql_url, REOPEN_JOB, {"id": job_id}, token=recruiter["accessToken"])
        await node.wait_for_events("graphql-ws", 2)
        await node.wait_for_events("apollo", 2)
        await gql.wait_for_events(2)
        await asyncio.sleep(QUIET_S)

    fan_score = await score_for(graphql_url, fan, job_id)
    assert 60 <= fan_score < 95
    assert await score_for(graphql_url, nurse, job_id) < 50
    received = {
        "graphql-ws": [(e["at"], e["data"]["matchFound"]) for e in node.events("graphql-ws")],
        "apollo": [(e["at"], e["data"]["matchFound"]) for e in node.events("apollo")],
        "gql": [(at, data["matchFound"]) for at, data in gql.events],
    }
    assert after_close == [1, 1, 1], "closeJob must not announce the job"
    for client, events in received.items():
        assert len(events) == 2, client  # created, then reopened: never the close
        (first_at, first), (_, again) = events
        assert first["job"]["id"] == again["job"]["id"] == job_id
        assert first["job"]["title"] == BACKEND_JOB["title"]
        assert (
            abs(first["score"] - fan_score) <= 0.01
            and first["explanation"]["score"] == first["score"]
        )
        assert {f["name"] for f in first["explanation"]["factors"]} >= {"semantic", "skill_overlap"}
        assert int(again["eventId"]) > int(first["eventId"])
        assert first_at - committed < DELIVERY_S, (
            f"{client}: {first_at - committed:.2f}s after the commit"
        )
        assert first_at - requested < DELIVERY_S + 2.0, client
    for label in ("fan at 95", "picky", "nurse"):
        assert node.events(label) == [] and node.outcome(label) == [], label
    assert gql.failure is None


async def test_application_status_changed_reaches_only_the_applicant_with_previous_status_and_note(
    graphql_url: str,
) -> None:
    recruiter, job_id = await recruiter_with_job(graphql_url)
    ada, bob = [await sign_up(graphql_url, profile=BACKEND_PROFILE) for _ in range(2)]
    ada_application = await apply(graphql_url, ada, job_id)
    await apply(graphql_url, bob, job_id)
    async with (
        GqlSubscription(graphql_url, ada["accessToken"], STATUS_CHANGED) as ada_events,
        NodeSubscribers(graphql_url, [spec("bob", "graphql-ws", bob, STATUS_CHANGED)]) as node,
    ):
        note = "Strong Django background"
        move = {"id": ada_application, "status": "WAITING_FOR_REVIEW", "note": note}
        await call(graphql_url, MOVE, move, token=recruiter["accessToken"])
        await ada_events.wait_for_events(1)
        await call(graphql_url, WITHDRAW, {"id": ada_application}, token=ada["accessToken"])
        await ada_events.wait_for_events(2)
        await asyncio.sleep(QUIET_S)

    changes = [data["applicationStatusChanged"] for _, data in ada_events.events]
    assert [(c["previousStatus"], c["status"], c["note"]) for c in changes] == [
        ("SUBMITTED", "WAITING_FOR_REVIEW", note),
        ("WAITING_FOR_REVIEW", "WITHDRAWN", None),
    ]
    assert [c["application"] for c in changes] == [
        {"id": ada_application, "status": "WAITING_FOR_REVIEW"},
        {"id": ada_application, "status": "WITHDRAWN"},
    ]
    assert int(changes[1]["eventId"]) > int(changes[0]["eventId"])
    assert node.events("bob") == [] and node.outcome("bob") == []


async def test_application_received_reaches_the_jobs_company_only_and_a_foreign_job_id_is_not_found(
    graphql_url: str,
) -> None:
    admin, first_job = await recruiter_with_job(graphql_url)
    second_job = (
        await call(
            graphql_url,
            CREATE_JOB,
            {"input": BACKEND_JOB | {"title": "Django Developer"}},
            token=admin["accessToken"],
        )
    )["createJob"]["id"]
    colleague_email = unique_email("colleague")
    invite = await call(
        graphql_url, ADD_RECRUITER, {"email": colleague_email}, token=admin["accessToken"]
    )
    login = {"email": colleague_email, "password": invite["addRecruiter"]["temporaryPassword"]}
    colleague = (await call(graphql_url, LOGIN, {"input": login}))["login"]
    outsider = await sign_up(graphql_url, role="RECRUITER", company=company_name())
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    specs = [
        spec("admin, every job", "graphql-ws", admin, RECEIVED),
        spec("colleague, first job", "apollo", colleague, RECEIVED, {"jobId": first_job}),
        spec("outsider, every job", "graphql-ws", outsider, RECEIVED),
    ]
    async with (
        NodeSubscribers(graphql_url, specs) as node,
        GqlSubscription(
            graphql_url, outsider["accessToken"], RECEIVED, {"jobId": first_job}
        ) as foreign,
    ):
        first_application = await apply(graphql_url, candidate, first_job)
        await node.wait_for_events("admin, every job", 1)
        await node.wait_for_events("colleague, first job", 1)
        second_application = await apply(graphql_url, candidate, second_job)
        await node.wait_for_events("admin, every job", 2)
        await asyncio.sleep(QUIET_S)

    received = [
        e["data"]["applicationReceived"]["application"] for e in node.events("admin, every job")
    ]
    assert [(a["id"], a["job"]["id"], a["status"]) for a in received] == [
        (first_application, first_job, "SUBMITTED"),
        (second_application, second_job, "SUBMITTED"),
    ]
    assert received[0]["candidate"]["id"] == candidate["user"]["id"]
    assert [
        e["data"]["applicationReceived"]["application"]["id"]
        for e in node.events("colleague, first job")
    ] == [first_application]
    assert node.events("outsider, every job") == [] and node.outcome("outsider, every job") == []
    assert isinstance(foreign.failure, TransportQueryError) and foreign.events == []
    assert [e["extensions"]["code"] for e in foreign.failure.errors or []] == ["NOT_FOUND"]


async def test_after_replays_exactly_the_missed_events_in_order_then_goes_live_without_duplicates(
    graphql_url: str,
) -> None:
    recruiter, job_id = await recruiter_with_job(graphql_url)
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    application = await apply(graphql_url, candidate, job_id)

    async def move(status: str) -> None:
        await call(
            graphql_url, MOVE, {"id": application, "status": status}, token=recruiter["accessToken"]
        )

    async with GqlSubscription(graphql_url, candidate["accessToken"], STATUS_CHANGED) as before:
        await move("WAITING_FOR_REVIEW")
        ((_, seen),) = await before.wait_for_events(1)
    last_seen = seen["applicationStatusChanged"]["eventId"]
    await move("HR_MEETING")
    await move("TECHNICAL_INTERVIEW")
    resumed = spec("resumed", "graphql-ws", candidate, STATUS_CHANGED, {"after": last_seen})
    async with NodeSubscribers(graphql_url, [resumed]) as node:
        await node.wait_for_events("resumed", 2)
        await move("FINAL_INTERVIEW")
        await node.wait_for_events("resumed", 3)
        await asyncio.sleep(QUIET_S)

    changes = [e["data"]["applicationStatusChanged"] for e in node.events("resumed")]
    assert [(c["previousStatus"], c["status"]) for c in changes] == [
        ("WAITING_FOR_REVIEW", "HR_MEETING"),
        ("HR_MEETING", "TECHNICAL_INTERVIEW"),
        ("TECHNICAL_INTERVIEW", "FINAL_INTERVIEW"),
    ]
    ids = [int(c["eventId"]) for c in changes]
    assert ids == sorted(set(ids)) and ids[0] > int(last_seen)
    assert node.outcome("resumed") == []


async def test_a_refused_change_emits_nothing_and_the_next_event_id_follows_the_last(
    graphql_url: str,
) -> None:
    recruiter, job_id = await recruiter_with_job(graphql_url)
    closed_job = (
        await call(graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=recruiter["accessToken"])
    )["createJob"]["id"]
    await call(graphql_url, CLOSE_JOB, {"id": closed_job}, token=recruiter["accessToken"])
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    application = await apply(graphql_url, candidate, job_id)
    token = recruiter["accessToken"]
    async with (
        GqlSubscription(graphql_url, candidate["accessToken"], STATUS_CHANGED) as changes,
        GqlSubscription(graphql_url, token, RECEIVED, {"jobId": closed_job}) as received,
    ):
        await call(graphql_url, MOVE, {"id": application, "status": "HR_MEETING"}, token=token)
        await changes.wait_for_events(1)
        backwards = await graphql(
            graphql_url, MOVE, {"id": application, "status": "WAITING_FOR_REVIEW"}, token=token
        )
        on_closed_job = await graphql(
            graphql_url,
            SWIPE,
            {"jobId": closed_job, "direction": "RIGHT"},
            token=candidate["accessToken"],
        )
        await call(
            graphql_url, MOVE, {"id": application, "status": "TECHNICAL_INTERVIEW"}, token=token
        )
        await changes.wait_for_events(2)
        await asyncio.sleep(QUIET_S)

    assert error_codes(backwards) == ["BAD_USER_INPUT"] and error_codes(on_closed_job) == [
        "BAD_USER_INPUT"
    ]
    (_, first), (_, second) = changes.events
    assert [
        first["applicationStatusChanged"]["status"],
        second["applicationStatusChanged"]["status"],
    ] == ["HR_MEETING", "TECHNICAL_INTERVIEW"]
    # Nothing else writes events meanwhile (the suite runs one test at a time): no row, not even a
    # rolled-back one, was written between the two legitimate changes.
    assert (
        int(second["applicationStatusChanged"]["eventId"])
        == int(first["applicationStatusChanged"]["eventId"]) + 1
    )
    assert received.events == [] and received.failure is None


def create_admin(database_url: str) -> dict[str, str]:
    """A PLATFORM_ADMIN made the way operators make one: `jobmatch create-admin`."""
    email = unique_email("ops")
    env = {
        **os.environ,
        "JOBMATCH_DATABASE_URL": database_url,
        "JOBMATCH_JWT_SECRET": TEST_SECRET,
        "JOBMATCH_ENV": "test",
    }
    command = [
        str(Path(sys.executable).with_name("jobmatch")),
        "create-admin",
        email,
        "--password",
        PASSWORD,
    ]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {"email": email, "password": PASSWORD}


def burst_rows(company: str, count: int) -> list[dict[str, Any]]:
    """Postings of four kinds, two close to the backend profile and two far from it."""
    kinds = [
        ("Senior Python Backend Engineer", ["Python", "Django", "PostgreSQL", "AWS"], True),
        ("Python Data Engineer", ["Python", "Spark", "Airflow"], True),
        ("ICU Registered Nurse", ["Patient care"], False),
        ("Staff Accountant", ["Accounting", "Excel"], False),
    ]
    rows = []
    for index in range(count):
        title, skills, remote = kinds[index % len(kinds)]
        rows.append(
            {
                "externalJobId": f"{company}-{index}",
                "title": f"{title} {index}",
                "company": company,
                "location": "Remote" if remote else "Boston, MA",
                "isRemote": remote,
                "skills": skills,
                "description": f"{title}: {', '.join(skills)}.",
            }
        )
    return rows


async def test_an_import_burst_reaches_a_candidate_once_per_matching_job_and_loses_none(
    graphql_url: str, database_url: str
) -> None:
    admin = (await call(graphql_url, LOGIN, {"input": create_admin(database_url)}))["login"]
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    min_score = 70.0
    rows = burst_rows(company_name(), 100)
    async with GqlSubscription(
        graphql_url, candidate["accessToken"], MATCH_FOUND, {"minScore": min_score}
    ) as matches:
        batch = (await call(graphql_url, IMPORT, {"jobs": rows}, token=admin["accessToken"]))[
            "importJobs"
        ]
        imported = time.time()
        await matches.wait_for_events(1)
        company_id = matches.events[0][1]["matchFound"]["job"]["company"]["id"]
        listed = await call(
            graphql_url, COMPANY_JOBS, {"companyId": company_id}, token=candidate["accessToken"]
        )
        scores = {
            edge["node"]["id"]: edge["node"]["match"]["score"] for edge in listed["jobs"]["edges"]
        }
        expected = {job for job, score in scores.items() if score >= min_score}
        await matches.wait_for_events(len(expected))
        last_at = matches.events[-1][0]
        await asyncio.sleep(QUIET_S)

    assert batch == {"status": "COMPLETED", "total": 100, "created": 100, "failed": 0}
    assert len(scores) == 100 and 0 < len(expected) < 100
    delivered = [data["matchFound"] for _, data in matches.events]
    delivered_jobs = [d["job"]["id"] for d in delivered]
    assert len(delivered_jobs) == len(set(delivered_jobs)), "one message per job"
    assert set(delivered_jobs) == expected
    assert all(abs(d["score"] - scores[d["job"]["id"]]) <= 0.01 for d in delivered)
    ids = [int(d["eventId"]) for d in delivered]
    assert ids == sorted(ids)
    assert last_at - imported < 10.0
    assert matches.failure is None
