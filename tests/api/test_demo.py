"""The demo data set is reproducible, realistic and idempotent."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from app import Runtime
from db.models import Company, Job, User
from domain import demo
from domain.demo import generate
from resolvers.demo import seed
from tests.api.conftest import GraphQLClient


def test_demo_jobs_are_reproducible_and_varied() -> None:
    first = generate(random.Random(demo.SEED), 300, 6)
    second = generate(random.Random(demo.SEED), 300, 6)
    assert first == second
    assert generate(random.Random(demo.SEED + 1), 300, 6) != first
    assert len({j.seniority for j in first}) == 6
    assert len({j.title.removeprefix("Senior ").removeprefix("Lead ") for j in first}) >= 20
    assert sum(j.is_remote for j in first) > 30
    assert len({j.currency for j in first}) >= 3
    assert all(j.salary_min < j.salary_max for j in first)


async def test_seed_creates_accounts_and_embedded_jobs_once(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    summary = await seed(runtime.services)
    assert "recruiter1@demo.jobmatch.dev" in summary and demo.DEMO_PASSWORD in summary
    again = await seed(runtime.services)
    assert "0 demo jobs created" in again
    async with runtime.services.sessions() as session:
        jobs = (
            await session.execute(
                select(func.count())
                .select_from(Job)
                .where(Job.embedding.is_not(None), Job.status == "ACTIVE")
            )
        ).scalar_one()
        users = (await session.execute(select(func.count()).select_from(User))).scalar_one()
        companies = (await session.execute(select(func.count()).select_from(Company))).scalar_one()
    assert jobs == demo.DEMO_JOBS
    assert users == len(demo.COMPANIES) + len(demo.CANDIDATES)
    assert companies == len(demo.COMPANIES)
    login = await gql.ok(
        'mutation($p: String!) { login(input: {email: "ada@demo.jobmatch.dev", password: $p}) { accessToken } }',
        {"p": demo.DEMO_PASSWORD},
    )
    listing = await gql.ok(
        "{ jobs(first: 100) { edges { node { title company { name } salaryAnnualMin } } } }",
        token=login["login"]["accessToken"],
    )
    assert len(listing["jobs"]["edges"]) == 100
