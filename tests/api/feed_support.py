"""Helpers for the matching, feed, swipe and application tests: profiles, jobs, common queries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from app import Runtime
from db.models import Job
from domain.jobs import job_text
from schema.ids import from_global_id, to_global_id
from tests.api.conftest import GraphQLClient, register

UPDATE_ME = "mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }"
CREATE_JOB = "mutation($input: JobInput!) { createJob(input: $input) { id title } }"
EXPLANATION = (
    "preset presetVersion score grade recommended factors { name weight value contribution } "
    "matchedSkills missingSkills reasons gaps summary"
)
DISCOVER = f"""
query($first: Int, $after: String) {{
  discover(first: $first, after: $after) {{
    edges {{ cursor score node {{ id title company {{ name }} }} explanation {{ {EXPLANATION} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""
SWIPE = """
mutation($jobId: ID!, $direction: SwipeDirection!) {
  swipeJob(jobId: $jobId, direction: $direction) {
    swipe { id direction } application { id status scoreAtApply }
  }
}
"""
BACKEND = {
    "headline": "Backend engineer building Python APIs and PostgreSQL data services",
    "skills": ["Python", "PostgreSQL", "Docker"],
    "seniority": "SENIOR",
    "yearsOfExperience": 6,
    "preferredLocations": ["Austin, TX"],
    "remotePreference": "REMOTE_OK",
}


async def candidate(gql: GraphQLClient, email: str, profile: dict[str, Any] | None = None) -> str:
    """A signed-up candidate with an embedded profile (unless profile is {}); returns the token."""
    token: str = (await register(gql, email))["accessToken"]
    chosen = BACKEND if profile is None else profile
    if chosen:
        await gql.ok(UPDATE_ME, {"input": chosen}, token=token)
    return token


async def recruiter(gql: GraphQLClient, email: str, company: str) -> str:
    token: str = (await register(gql, email, role="RECRUITER", company=company))["accessToken"]
    return token


async def post(gql: GraphQLClient, token: str, title: str, **fields: Any) -> str:
    posting = {"title": title, "description": fields.pop("description", title), **fields}
    data = await gql.ok(CREATE_JOB, {"input": posting}, token=token)
    job_id: str = data["createJob"]["id"]
    return job_id


async def insert_jobs(
    runtime: Runtime,
    company_id: uuid.UUID,
    specs: list[dict[str, Any]],
    now: datetime | None = None,
) -> list[str]:
    """Many ACTIVE jobs at once, embedded in one batch (faster than createJob one by one)."""
    now = now or datetime.now(UTC)
    texts = [
        job_text(s["title"], "Acme", s.get("skills", []), s.get("description", "")) for s in specs
    ]
    vectors = await runtime.services.embedder.embed(texts)
    ids = []
    async with runtime.services.sessions() as session, session.begin():
        for spec, vector in zip(specs, vectors, strict=True):
            job = Job(
                id=uuid.uuid4(),
                company_id=company_id,
                title=spec["title"],
                description=spec.get("description", ""),
                skills=spec.get("skills", []),
                status=spec.get("status", "ACTIVE"),
                posted_at=spec.get("posted_at", now),
                expires_at=spec.get("expires_at", now + timedelta(days=30)),
                embedding=[float(x) for x in vector],
                embedding_model=runtime.services.embedder.model_name,
            )
            session.add(job)
            ids.append(job.id)
    return [gid("Job", i) for i in ids]


def gid(kind: str, value: uuid.UUID) -> str:
    return to_global_id(kind, value)


def raw(global_id: str) -> uuid.UUID:
    return from_global_id(global_id)[1]


async def set_job(runtime: Runtime, job_id: str, **values: Any) -> None:
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(update(Job).where(Job.id == raw(job_id)).values(**values))


async def company_of(gql: GraphQLClient, token: str) -> uuid.UUID:
    data = await gql.ok("{ me { company { id } } }", token=token)
    return raw(data["me"]["company"]["id"])


async def world(
    gql: GraphQLClient, runtime: Runtime, specs: list[dict[str, Any]]
) -> tuple[str, list[str]]:
    """Acme's jobs from `specs` and a backend candidate; returns her token and the job ids."""
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    ids = await insert_jobs(runtime, await company_of(gql, boss), specs)
    return await candidate(gql, "ada@example.com"), ids


async def discover_all(gql: GraphQLClient, token: str, first: int) -> list[dict[str, Any]]:
    """Every edge of the feed, page by page."""
    edges: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await gql.ok(DISCOVER, {"first": first, "after": after}, token=token))["discover"]
        edges += page["edges"]
        if not page["pageInfo"]["hasNextPage"]:
            return edges
        after = page["pageInfo"]["endCursor"]


BACKEND_JOBS = [
    {
        "title": "Senior Python Backend Engineer",
        "skills": ["Python", "PostgreSQL"],
        "description": "Build Python APIs on PostgreSQL.",
    },
    {
        "title": "Python Developer, Data Services",
        "skills": ["Python", "Docker"],
        "description": "Python services and data pipelines.",
    },
    {
        "title": "Backend Engineer (Django)",
        "skills": ["Python", "Django"],
        "description": "Django REST APIs backed by PostgreSQL.",
    },
    {
        "title": "Platform Engineer",
        "skills": ["Docker", "Kubernetes"],
        "description": "Run our Python platform on Kubernetes.",
    },
]
ML_JOBS = [
    {
        "title": f"Machine Learning Scientist {n}",
        "skills": ["PyTorch", "Machine Learning"],
        "description": f"Train deep learning models with PyTorch for computer vision, team {n}.",
    }
    for n in range(1, 9)
]
OTHER_JOBS = [
    {
        "title": "Registered Nurse",
        "skills": ["Patient Care"],
        "description": "Care for patients in the ICU.",
    },
    {
        "title": "Account Executive",
        "skills": ["Salesforce"],
        "description": "Close enterprise software deals.",
    },
    {
        "title": "Pastry Chef",
        "skills": [],
        "description": "Bake croissants and cakes every morning.",
    },
    {"title": "Truck Driver", "skills": [], "description": "Long-haul deliveries across Texas."},
]
