"""The demo stays alive: its candidates have resumes, swipes and applications, and demo jobs that
aged out are re-dated (only demo ones) so a demo install's feed is never empty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app import Runtime
from db.models import Company, Job
from domain import demo
from resolvers import demo as demo_data
from resolvers import maintenance
from schema.ids import to_global_id
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import post, recruiter
from tests.conftest import Clock

T = datetime(2031, 5, 6, 8, 0, tzinfo=UTC)
LOGIN = (
    'mutation($e: String!) { login(input: {email: $e, password: "demo-password-1"}) '
    "{ accessToken } }"
)
DISCOVER = "{ discover(first: 5) { edges { node { title postedAt } } } }"
TOUR = """{
  myResume { headline skills yearsOfExperience }
  myApplications { edges { node { status job { title } } } }
}"""
CLOSE = "mutation($id: ID!) { closeJob(id: $id, reason: CLOSED) { status } }"


async def _token(gql: GraphQLClient, email: str) -> str:
    return str((await gql.ok(LOGIN, {"e": email}))["login"]["accessToken"])


async def _statuses(runtime: Runtime) -> dict[str, int]:
    async with runtime.services.sessions() as session:
        rows = await session.execute(
            select(Job.source_platform, Job.status, func.count()).group_by(
                Job.source_platform, Job.status
            )
        )
        return {f"{platform or 'own'}:{status}": count for platform, status, count in rows}


async def test_demo_candidates_have_resumes_swipes_and_applications(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = T
    await demo_data.seed(runtime.services)
    for email, *_ in demo.CANDIDATES:
        data = await gql.ok(TOUR, token=await _token(gql, email))
        assert data["myResume"]["headline"] and data["myResume"]["skills"], email
        applied = data["myApplications"]["edges"]
        assert len(applied) == demo.RIGHT_SWIPES, email
    ada = await _token(gql, "ada@demo.jobmatch.dev")
    feed = (await gql.ok(DISCOVER, token=ada))["discover"]["edges"]
    assert len(feed) == 5
    # Seeding again adds nothing: no second resume, no more swipes.
    await demo_data.seed(runtime.services)
    assert len((await gql.ok(TOUR, token=ada))["myApplications"]["edges"]) == demo.RIGHT_SWIPES


async def test_refresh_brings_aged_out_demo_jobs_back_and_only_those(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = T
    await demo_data.seed(runtime.services)
    boss = await recruiter(gql, "boss@acme.example", "Acme")
    await post(gql, boss, "Acme Backend Engineer", skills=["Python"])
    demo_admin = await _token(gql, demo.COMPANIES[0].admin_email)
    async with runtime.services.sessions() as session:
        closed = (
            await session.execute(
                select(Job.id)
                .join(Company, Company.id == Job.company_id)
                .where(Company.name == demo.COMPANIES[0].name)
                .order_by(Job.external_id)
                .limit(1)
            )
        ).scalar_one()
    await gql.ok(CLOSE, {"id": to_global_id("Job", closed)}, token=demo_admin)
    assert not await demo_data.needs_refresh(runtime.services)

    clock.now = T + timedelta(days=40)
    await maintenance.expire(runtime.services)
    ada = await _token(gql, "ada@demo.jobmatch.dev")
    assert (await gql.ok(DISCOVER, token=ada))["discover"]["edges"] == []
    assert await demo_data.needs_refresh(runtime.services)

    refreshed = await demo_data.refresh(runtime.services)

    assert refreshed == demo.DEMO_JOBS - 1
    statuses = await _statuses(runtime)
    assert statuses == {
        "demo:ACTIVE": demo.DEMO_JOBS - 1,
        "demo:CLOSED": 1,
        "own:EXPIRED": 1,
    }
    feed = (await gql.ok(DISCOVER, token=ada))["discover"]["edges"]
    assert len(feed) == 5
    newest = max(datetime.fromisoformat(e["node"]["postedAt"]) for e in feed)
    assert newest > clock.now - timedelta(days=demo.MAX_AGE_DAYS)
    assert not await demo_data.needs_refresh(runtime.services)


def test_demo_job_ids_are_the_same_on_every_install() -> None:
    assert demo.demo_job_id("demo-0000") == demo.demo_job_id("demo-0000")
    assert demo.demo_job_id("demo-0000") != demo.demo_job_id("demo-0001")
    # The README's examples name this job.
    assert str(demo.demo_job_id("demo-0000")) == "b6444088-b8fc-555f-b497-0635aeb19211"
