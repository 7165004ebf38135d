"""Match records kept current without a button: a job that becomes ACTIVE (createJob, importJobs)
is suggested to the pool candidates it suits, and the nightly full refresh."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import Runtime
from db.models import Event
from resolvers.matches import refresh_all
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import company_of, insert_jobs, post, raw, recruiter
from tests.api.test_imports import _admin
from tests.api.test_matches import LIST, _add, _agency, _generated
from tests.db.test_query_counts import statements

NURSE = """Mary Major
Registered Nurse

Summary
Registered nurse with 8 years in intensive care and emergency departments.

Skills
Patient care
Triage
Wound care
Medication administration

Experience
Registered Nurse, St. Mary Hospital, 2016 - present
"""
CANDIDATE_MATCHES = """query($id: ID!) {
  node(id: $id) {
    ... on Candidate { matches(first: 50) { edges { node { id score status job { id } } } } }
  }
}"""
IMPORT = 'mutation($jobs: [JobImportInput!]) { importJobs(platform: "manual", jobs: $jobs) { id } }'
PYTHON_JOB = {
    "description": "Python APIs on PostgreSQL in Docker for a payments platform.",
    "skills": ["Python", "PostgreSQL", "Docker"],
}


async def _records(gql: GraphQLClient, token: str, candidate_id: str) -> dict[str, Any]:
    """The candidate's records by job id, through Candidate.matches."""
    data = await gql.ok(CANDIDATE_MATCHES, {"id": candidate_id}, token=token)
    return {e["node"]["job"]["id"]: e["node"] for e in data["node"]["matches"]["edges"]}


async def _events_after(runtime: Runtime, before: int) -> list[Event]:
    async with runtime.services.sessions() as session:
        query = select(Event).where(Event.id > before, Event.kind == "CANDIDATE_MATCHED")
        return list((await session.execute(query.order_by(Event.id))).scalars())


async def _last_event(runtime: Runtime) -> int:
    async with runtime.services.sessions() as session:
        found = await session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
    return found or 0


async def test_a_created_job_is_suggested_to_the_agency_candidates_it_suits(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    staff = await _agency(gql, "boss@staffco.test", "StaffCo")
    jane = await _add(gql, staff, name="Jane", preferredLocations=["Austin, TX"])
    mary = await _add(gql, staff, text=NURSE, name="Mary")
    acme = await recruiter(gql, "boss@acme.test", "Acme")
    before = await _last_event(runtime)
    job = await post(gql, acme, "Senior Python Backend Engineer", **PYTHON_JOB)
    records = await _records(gql, staff, jane)
    assert list(records) == [job]
    record = records[job]
    assert record["status"] == "SUGGESTED" and record["score"] >= 50
    assert await _records(gql, staff, mary) == {}
    events = await _events_after(runtime, before)
    assert [(e.payload["match_id"], e.job_id, e.company_id) for e in events] == [
        (str(raw(record["id"])), raw(job), await company_of(gql, staff))
    ]
    # Candidate.matches lists what matchesForCandidate lists.
    listed = (await gql.ok(LIST, {"id": jane, "first": 50}, token=staff))["matchesForCandidate"]
    assert [e["node"]["id"] for e in listed["edges"]] == [record["id"]]


async def test_an_employer_pool_only_gets_its_own_new_jobs(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    globex = await recruiter(gql, "boss@globex.test", "Globex")
    bob = await _add(gql, globex, name="Bob")
    acme = await recruiter(gql, "boss@acme.test", "Acme")
    await post(gql, acme, "Senior Python Backend Engineer", **PYTHON_JOB)
    assert await _records(gql, globex, bob) == {}
    own = await post(gql, globex, "Python Backend Engineer", **PYTHON_JOB)
    assert list(await _records(gql, globex, bob)) == [own]


async def test_an_import_matches_its_new_jobs_with_one_vector_query(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    staff = await _agency(gql, "boss@staffco.test", "StaffCo")
    jane = await _add(gql, staff, name="Jane", preferredLocations=["Austin, TX"])
    token = await _admin(gql, runtime)
    rows = [
        {
            "externalJobId": f"py{n}",
            "title": title,
            "company": "Acme",
            "skills": ["python", "postgresql", "docker"],
            "description": "Python APIs on PostgreSQL in Docker.",
        }
        for n, title in enumerate(
            ["Python Backend Engineer", "Senior Python Developer", "Backend Engineer (Python)"]
        )
    ]
    with statements(runtime) as seen:
        await gql.ok(IMPORT, {"jobs": rows}, token=token)
    assert len([s for s in seen if "<=>" in s]) == 1
    records = await _records(gql, staff, jane)
    assert len(records) == 3
    assert all(r["status"] == "SUGGESTED" and r["score"] >= 50 for r in records.values())


async def test_the_full_refresh_rematches_every_ready_candidate(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    staff = await _agency(gql, "boss@staffco.test", "StaffCo")
    jane = await _add(gql, staff, name="Jane", preferredLocations=["Austin, TX"])
    waiting = await _add(gql, staff, name="Jim")  # PENDING_REVIEW: the refresh leaves him be
    await _generated(gql, staff, jane)
    acme = await recruiter(gql, "boss@acme.test", "Acme")
    # Written straight to the table: nothing matched it when it appeared.
    [job] = await insert_jobs(
        runtime, await company_of(gql, acme), [{"title": "Python Backend Engineer", **PYTHON_JOB}]
    )
    assert await _records(gql, staff, jane) == {}
    assert await refresh_all(runtime.services) == 1
    assert list(await _records(gql, staff, jane)) == [job]
    assert await _records(gql, staff, waiting) == {}
