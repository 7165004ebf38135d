"""Shared pieces of the subscription end-to-end tests: operations, profiles and helpers."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e.conftest import (
    call,
    sign_up,
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
# "Nothing arrives" is checked without sleeping: events reach a subscription in commit order, so
# once an event committed later (a marker) has arrived, an unwanted earlier one would have too.
# These two postings are markers for matchFound: MARKER_JOB mirrors BACKEND_PROFILE's own text
# (~98 for it, above every minScore the tests use), NURSE_JOB reaches NURSE_PROFILE only.
MARKER_JOB = {
    "title": "Senior Python backend engineer",
    "description": "senior. 7 years. Remote. remote",
    "skills": ["Python", "Django", "PostgreSQL", "AWS"],
    "seniority": "SENIOR",
    "isRemote": True,
    "location": "Remote",
}
NURSE_JOB = {
    "title": "Registered nurse in intensive care",
    "description": "Patient care and triage in our Boston intensive care unit.",
    "skills": ["Patient care", "Triage"],
    "seniority": "MID",
    "isRemote": False,
    "location": "Boston, MA",
}


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
    return recruiter, await post_job(graphql_url, recruiter, job or BACKEND_JOB)


async def post_job(graphql_url: str, recruiter: dict[str, Any], job: dict[str, Any]) -> str:
    created = await call(graphql_url, CREATE_JOB, {"input": job}, token=recruiter["accessToken"])
    return str(created["createJob"]["id"])


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


def matched_jobs(events: list[dict[str, Any]]) -> list[str]:
    """The job ids of matchFound payloads ({"matchFound": ...}), in arrival order."""
    return [event["matchFound"]["job"]["id"] for event in events]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]
