"""candidateMatched end to end: new match records reach their company's recruiters, per job or
all, above minScore, replayable by eventId; another company hears nothing and gets NOT_FOUND."""

from __future__ import annotations

import uuid
from typing import Any

from gql.transport.exceptions import TransportQueryError

from tests.e2e.conftest import GqlSubscription, call, sign_up, unique_email
from tests.e2e.subscription_support import BACKEND_JOB, CREATE_JOB

MATCHED = """subscription($jobId: ID, $minScore: Float!, $after: ID) {
  candidateMatched(jobId: $jobId, minScore: $minScore, after: $after) {
    eventId score match { id score status job { id } candidate { id name } }
  }
}"""
ADD = "mutation($text: String, $input: CandidateInput) { addCandidate(text: $text, input: $input) { id } }"
GENERATE = (
    "mutation($id: ID!) { generateMatches(candidateId: $id) { matches { id score job { id } } } }"
)
RESUME = """Jane Doe
Senior Backend Engineer

Summary
Backend engineer with 8 years of Python, Django and PostgreSQL services on AWS.

Skills
Python, Django, PostgreSQL, AWS
"""
OTHER_JOB = {
    "title": "Python Django Developer",
    "description": "Django and PostgreSQL APIs on AWS.",
    "skills": ["Python", "Django", "PostgreSQL"],
    "isRemote": True,
    "location": "Remote",
}


def _name(prefix: str) -> str:
    """Company names are unique and the server is shared by the session's tests."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"


async def _agency(url: str, name: str) -> str:
    data = {
        "email": unique_email("agency"),
        "password": "correct-horse-1",
        "role": "RECRUITER",
        "companyName": name,
        "companyKind": "AGENCY",
    }
    register = "mutation($input: RegisterInput!) { register(input: $input) { accessToken } }"
    token: str = (await call(url, register, {"input": data}))["register"]["accessToken"]
    return token


async def _candidate(url: str, token: str, name: str) -> str:
    data = await call(url, ADD, {"text": RESUME, "input": {"name": name}}, token=token)
    candidate_id: str = data["addCandidate"]["id"]
    return candidate_id


async def _generate(url: str, token: str, candidate_id: str) -> list[dict[str, Any]]:
    data = await call(url, GENERATE, {"id": candidate_id}, token=token)
    kept: list[dict[str, Any]] = data["generateMatches"]["matches"]
    return kept


async def test_candidate_matched_reaches_only_the_pool_owner_per_job_and_replays(
    graphql_url: str,
) -> None:
    employer = await sign_up(graphql_url, role="RECRUITER", company=_name("Acme"))
    token = employer["accessToken"]
    jobs = [
        (await call(graphql_url, CREATE_JOB, {"input": spec}, token=token))["createJob"]["id"]
        for spec in (BACKEND_JOB, OTHER_JOB)
    ]
    staff, rival = (
        await _agency(graphql_url, _name("StaffCo")),
        await _agency(graphql_url, _name("Rival")),
    )
    jane = await _candidate(graphql_url, staff, "Jane")
    rick = await _candidate(graphql_url, rival, "Rick")
    every = {"minScore": 0}
    one_job = {"minScore": 0, "jobId": jobs[1]}
    async with (
        GqlSubscription(graphql_url, staff, MATCHED, every) as staff_all,
        GqlSubscription(graphql_url, staff, MATCHED, one_job) as staff_one,
        GqlSubscription(graphql_url, rival, MATCHED, every) as rival_all,
    ):
        kept = await _generate(graphql_url, staff, jane)
        # An agency reaches every ACTIVE job: the server's database may hold others' too.
        assert set(jobs) <= {m["job"]["id"] for m in kept}
        # The rival's own records are the marker: events arrive in commit order, so once
        # these have, any of StaffCo's that leaked would have too.
        rivals = await _generate(graphql_url, rival, rick)
        await staff_all.wait_for_events(len(kept))
        await staff_one.wait_for_events(1)
        await rival_all.wait_for_events(len(rivals))
    got = [data["candidateMatched"] for _, data in staff_all.events]
    assert sorted(e["match"]["id"] for e in got) == sorted(m["id"] for m in kept)
    assert all(e["match"]["candidate"]["name"] == "Jane" for e in got)
    assert all(
        e["score"] == e["match"]["score"] and e["match"]["status"] == "SUGGESTED" for e in got
    )
    assert [data["candidateMatched"]["match"]["job"]["id"] for _, data in staff_one.events] == [
        jobs[1]
    ]
    heard = [data["candidateMatched"]["match"]["candidate"]["name"] for _, data in rival_all.events]
    assert heard == ["Rick"] * len(rivals)
    ids = [int(e["eventId"]) for e in got]
    assert ids == sorted(ids)
    replay = {"minScore": 0, "after": got[0]["eventId"]}
    async with GqlSubscription(graphql_url, staff, MATCHED, replay) as again:
        await again.wait_for_events(len(got) - 1)
    assert [d["candidateMatched"]["eventId"] for _, d in again.events] == [
        e["eventId"] for e in got[1:]
    ]


async def test_candidate_matched_refuses_candidates_and_foreign_jobs_of_employers(
    graphql_url: str,
) -> None:
    acme = await sign_up(graphql_url, role="RECRUITER", company=_name("Acme"))
    job = (await call(graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=acme["accessToken"]))[
        "createJob"
    ]["id"]
    globex = await sign_up(graphql_url, role="RECRUITER", company=_name("Globex"))
    ada = await sign_up(graphql_url)
    refused = []
    for who, variables in (
        (globex, {"jobId": job, "minScore": 0}),
        (ada, {"minScore": 0}),
    ):
        async with GqlSubscription(graphql_url, who["accessToken"], MATCHED, variables) as sub:
            await sub.wait_for_events(1)
        assert isinstance(sub.failure, TransportQueryError) and sub.events == []
        refused += [e["extensions"]["code"] for e in sub.failure.errors or []]
    assert refused == ["NOT_FOUND", "FORBIDDEN"]
