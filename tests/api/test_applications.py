"""Applications: the pipeline through the API, history with actors, visibility, events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import Runtime
from db.models import Event
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND_JOBS,
    SWIPE,
    candidate,
    company_of,
    insert_jobs,
    raw,
    recruiter,
)

APPLICATION_FIELDS = (
    "id status scoreAtApply createdAt updatedAt job { id title } candidate { id email } "
    "history { status at actor { id } note } explanation { preset score factors { name value } }"
)
MOVE = f"""
mutation($id: ID!, $status: ApplicationStatus!, $note: String) {{
  updateApplicationStatus(id: $id, status: $status, note: $note) {{ {APPLICATION_FIELDS} }}
}}
"""
WITHDRAW = "mutation($id: ID!) { withdrawApplication(id: $id) { id status history { status actor { id } } } }"
ONE = f"query($id: ID!) {{ application(id: $id) {{ {APPLICATION_FIELDS} }} }}"
NODE = (
    "query($id: ID!) { node(id: $id) { id ... on Application { status } ... on User { email } } }"
)
MINE = """
query($first: Int, $after: String, $status: [ApplicationStatus!]) {
  myApplications(first: $first, after: $after, status: $status) {
    edges { cursor node { id status job { title } } } pageInfo { hasNextPage endCursor }
  }
}
"""
FOR_JOB = f"""
query($jobId: ID!, $status: [ApplicationStatus!]) {{
  applicationsForJob(jobId: $jobId, first: 10, status: $status) {{
    edges {{ node {{ {APPLICATION_FIELDS} }} }} pageInfo {{ hasNextPage }}
  }}
}}
"""


async def _world(gql: GraphQLClient, runtime: Runtime) -> dict[str, Any]:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    other = await recruiter(gql, "boss@globex.test", "Globex")
    jobs = await insert_jobs(runtime, await company_of(gql, boss), BACKEND_JOBS)
    ada = await candidate(gql, "ada@example.com")
    grace = await candidate(gql, "grace@example.com")
    applied = []
    for job_id in jobs[:3]:
        result = await gql.ok(SWIPE, {"jobId": job_id, "direction": "RIGHT"}, token=ada)
        applied.append(result["swipeJob"]["application"]["id"])
    me = (await gql.ok("{ me { id } }", token=boss))["me"]["id"]
    ada_id = (await gql.ok("{ me { id } }", token=ada))["me"]["id"]
    return {
        "boss": boss,
        "other": other,
        "ada": ada,
        "grace": grace,
        "jobs": jobs,
        "apps": applied,
        "boss_id": me,
        "ada_id": ada_id,
    }


async def test_recruiter_moves_an_application_through_the_pipeline_with_history(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    app = w["apps"][0]
    await gql.ok(
        MOVE, {"id": app, "status": "HR_MEETING", "note": "Strong CV"}, token=w["boss"]
    )  # skips a stage
    await gql.ok(MOVE, {"id": app, "status": "TECHNICAL_INTERVIEW"}, token=w["boss"])
    hired = (
        await gql.ok(MOVE, {"id": app, "status": "HIRED", "note": "Welcome!"}, token=w["boss"])
    )["updateApplicationStatus"]
    assert hired["status"] == "HIRED"
    history = hired["history"]
    assert [h["status"] for h in history] == [
        "SUBMITTED",
        "HR_MEETING",
        "TECHNICAL_INTERVIEW",
        "HIRED",
    ]
    assert [h["actor"]["id"] for h in history] == [w["ada_id"]] + [w["boss_id"]] * 3
    assert [h["note"] for h in history] == [None, "Strong CV", None, "Welcome!"]
    assert (
        await gql.error_code(MOVE, {"id": app, "status": "REJECTED"}, token=w["boss"])
        == "BAD_USER_INPUT"
    )  # final
    async with runtime.services.sessions() as session:
        events = (
            (
                await session.execute(
                    select(Event)
                    .where(Event.kind == "APPLICATION_STATUS_CHANGED")
                    .order_by(Event.id)
                )
            )
            .scalars()
            .all()
        )
    assert [(e.payload["previous_status"], e.payload["status"]) for e in events] == [
        ("SUBMITTED", "HR_MEETING"),
        ("HR_MEETING", "TECHNICAL_INTERVIEW"),
        ("TECHNICAL_INTERVIEW", "HIRED"),
    ]
    assert all(
        e.user_id == raw(w["ada_id"]) and e.payload["application_id"] == str(raw(app))
        for e in events
    )
    assert events[0].payload["note"] == "Strong CV"


async def test_illegal_transitions_are_bad_user_input_and_write_nothing(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    app = w["apps"][0]
    await gql.ok(MOVE, {"id": app, "status": "FINAL_INTERVIEW"}, token=w["boss"])
    for status in ("SUBMITTED", "HR_MEETING", "WITHDRAWN"):
        assert (
            await gql.error_code(MOVE, {"id": app, "status": status}, token=w["boss"])
            == "BAD_USER_INPUT"
        )
    assert (
        await gql.error_code(MOVE, {"id": app, "status": "HIRED"}, token=w["ada"])
        == "BAD_USER_INPUT"
    )
    assert (
        await gql.error_code(
            MOVE, {"id": app, "status": "HIRED", "note": "x" * 2001}, token=w["boss"]
        )
        == "BAD_USER_INPUT"
    )
    current = (await gql.ok(ONE, {"id": app}, token=w["ada"]))["application"]
    assert current["status"] == "FINAL_INTERVIEW" and len(current["history"]) == 2


async def test_candidate_withdraws_and_nothing_moves_it_after(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    app = w["apps"][1]
    withdrawn = (await gql.ok(WITHDRAW, {"id": app}, token=w["ada"]))["withdrawApplication"]
    assert withdrawn["status"] == "WITHDRAWN"
    assert withdrawn["history"][-1] == {"status": "WITHDRAWN", "actor": {"id": w["ada_id"]}}
    assert (
        await gql.error_code(MOVE, {"id": app, "status": "HR_MEETING"}, token=w["boss"])
        == "BAD_USER_INPUT"
    )
    assert await gql.error_code(WITHDRAW, {"id": app}, token=w["ada"]) == "BAD_USER_INPUT"
    assert await gql.error_code(WITHDRAW, {"id": w["apps"][0]}, token=w["boss"]) == "FORBIDDEN"


async def test_other_companies_and_candidates_get_not_found(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    app = w["apps"][0]
    for token in (w["other"], w["grace"]):
        assert await gql.error_code(ONE, {"id": app}, token=token) == "NOT_FOUND"
        assert await gql.error_code(NODE, {"id": app}, token=token) == "NOT_FOUND"
        assert await gql.error_code(NODE, {"id": w["ada_id"]}, token=token) == "NOT_FOUND"
    assert (
        await gql.error_code(MOVE, {"id": app, "status": "REJECTED"}, token=w["other"])
        == "NOT_FOUND"
    )
    assert await gql.error_code(WITHDRAW, {"id": app}, token=w["grace"]) == "NOT_FOUND"
    assert await gql.error_code(FOR_JOB, {"jobId": w["jobs"][0]}, token=w["other"]) == "NOT_FOUND"
    assert await gql.error_code(FOR_JOB, {"jobId": w["jobs"][0]}, token=w["ada"]) == "FORBIDDEN"
    assert (await gql.ok(NODE, {"id": app}, token=w["boss"]))["node"]["status"] == "SUBMITTED"
    assert (await gql.ok(NODE, {"id": w["ada_id"]}, token=w["boss"]))["node"][
        "email"
    ] == "ada@example.com"
    grace_id = (await gql.ok("{ me { id } }", token=w["grace"]))["me"]["id"]
    assert (
        await gql.error_code(NODE, {"id": grace_id}, token=w["boss"]) == "NOT_FOUND"
    )  # never applied


async def test_recruiters_list_a_jobs_applications_with_five_factor_explanations(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    await gql.ok(SWIPE, {"jobId": w["jobs"][0], "direction": "RIGHT"}, token=w["grace"])
    data = (await gql.ok(FOR_JOB, {"jobId": w["jobs"][0]}, token=w["boss"]))["applicationsForJob"]
    emails = [e["node"]["candidate"]["email"] for e in data["edges"]]
    assert emails == ["grace@example.com", "ada@example.com"]  # newest first
    for edge in data["edges"]:
        explanation = edge["node"]["explanation"]
        assert explanation["preset"] == "FIVE_FACTOR"
        assert {f["name"] for f in explanation["factors"]} == {
            "skills",
            "experience",
            "location",
            "salary",
            "semantic",
        }
    await gql.ok(MOVE, {"id": w["apps"][0], "status": "REJECTED"}, token=w["boss"])
    rejected = (
        await gql.ok(FOR_JOB, {"jobId": w["jobs"][0], "status": ["REJECTED"]}, token=w["boss"])
    )["applicationsForJob"]
    assert [e["node"]["id"] for e in rejected["edges"]] == [w["apps"][0]]


async def test_my_applications_pages_newest_first_and_filters_by_status(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    await gql.ok(MOVE, {"id": w["apps"][0], "status": "REJECTED"}, token=w["boss"])
    page = (await gql.ok(MINE, {"first": 2}, token=w["ada"]))["myApplications"]
    rest = (
        await gql.ok(MINE, {"first": 2, "after": page["pageInfo"]["endCursor"]}, token=w["ada"])
    )["myApplications"]
    ids = [e["node"]["id"] for e in page["edges"] + rest["edges"]]
    assert ids == list(reversed(w["apps"])) and not rest["pageInfo"]["hasNextPage"]
    submitted = (await gql.ok(MINE, {"status": ["SUBMITTED"]}, token=w["ada"]))["myApplications"]
    assert [e["node"]["id"] for e in submitted["edges"]] == list(reversed(w["apps"][1:]))
    assert (await gql.ok(MINE, {}, token=w["grace"]))["myApplications"]["edges"] == []
    assert await gql.error_code(MINE, {"first": 101}, token=w["ada"]) == "BAD_USER_INPUT"
    assert await gql.error_code(MINE, {"after": "nope"}, token=w["ada"]) == "BAD_USER_INPUT"
