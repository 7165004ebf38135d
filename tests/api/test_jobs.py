"""Recruiters post and manage jobs; everyone signed in reads and filters them with keyset pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, select

from db.models import Event, Job
from resolvers.services import Runtime
from tests.api.conftest import GraphQLClient, register
from tests.conftest import Clock

JOB_FIELDS = "id title status skills city region country isRemote salaryMin salaryMax salaryCurrency salaryInterval salaryAnnualMin salaryAnnualMax experienceMin experienceMax seniority company { name } source { platform }"
CREATE = f"mutation($input: JobInput!) {{ createJob(input: $input) {{ {JOB_FIELDS} }} }}"
UPDATE = f"mutation($id: ID!, $input: JobInput!) {{ updateJob(id: $id, input: $input) {{ {JOB_FIELDS} }} }}"
POSTING = {
    "title": "Senior Backend Engineer",
    "description": "Build APIs in Python and PostgreSQL on Kubernetes.",
    "location": "Austin, TX",
    "skills": ["python", "postgres", "k8s"],
    "seniority": "SENIOR",
    "salaryMin": 150000,
    "salaryMax": 180000,
    "salaryCurrency": "usd",
    "experienceMin": 5,
    "experienceMax": 8,
}


async def _embedding(runtime: Runtime, title: str) -> np.ndarray:
    async with runtime.services.sessions() as session:
        job = (await session.execute(select(Job).where(Job.title == title))).scalar_one()
    return np.asarray(job.embedding)


async def test_recruiter_creates_an_embedded_active_job(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    job = (await gql.ok(CREATE, {"input": POSTING}, token=boss["accessToken"]))["createJob"]
    assert job["status"] == "ACTIVE"
    assert job["skills"] == ["Python", "PostgreSQL", "Kubernetes"]
    assert (job["city"], job["region"], job["country"]) == ("Austin", "Texas", "United States")
    assert (job["salaryAnnualMin"], job["salaryCurrency"], job["salaryInterval"]) == (
        150000,
        "USD",
        "YEAR",
    )
    assert job["company"]["name"] == "Acme"
    vector = await _embedding(runtime, "Senior Backend Engineer")
    expected = (
        await runtime.services.embedder.embed(
            [
                "Senior Backend Engineer. Acme. Python, PostgreSQL, Kubernetes. Build APIs in Python and PostgreSQL on Kubernetes."
            ]
        )
    )[0]
    assert float(vector @ expected) > 0.999
    async with runtime.services.sessions() as session:
        kinds = (await session.execute(select(Event.kind))).scalars().all()
    assert kinds == ["JOB_ACTIVATED"]


async def test_hourly_salary_is_annualized(gql: GraphQLClient) -> None:
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    job = (
        await gql.ok(
            CREATE,
            {
                "input": {
                    "title": "Barista",
                    "salaryMin": 20,
                    "salaryMax": 25,
                    "salaryCurrency": "EUR",
                    "salaryInterval": "HOUR",
                }
            },
            token=boss["accessToken"],
        )
    )["createJob"]
    assert (job["salaryAnnualMin"], job["salaryAnnualMax"]) == (41600, 52000)


async def test_candidates_cannot_post_and_bad_jobs_write_nothing(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada = await register(gql, "ada@example.com")
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    assert await gql.error_code(CREATE, {"input": POSTING}, token=ada["accessToken"]) == "FORBIDDEN"
    bad = [
        {**POSTING, "title": "  "},
        {**POSTING, "salaryMin": 200000, "salaryMax": 100000},
        {**POSTING, "salaryMin": -5},
        {**POSTING, "salaryMax": 10**12},
        {**POSTING, "salaryCurrency": "XYZ"},
        {**POSTING, "salaryCurrency": None},
        {**POSTING, "experienceMin": 9, "experienceMax": 2},
        {**POSTING, "description": "x" * 200_001},
    ]
    for posting in bad:
        assert (
            await gql.error_code(CREATE, {"input": posting}, token=boss["accessToken"])
            == "BAD_USER_INPUT"
        ), posting
    async with runtime.services.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Job))).scalar_one() == 0


async def test_update_reembeds_only_when_content_changes(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    job = (await gql.ok(CREATE, {"input": POSTING}, token=boss["accessToken"]))["createJob"]
    before = await _embedding(runtime, POSTING["title"])
    moved = (
        await gql.ok(
            UPDATE,
            {
                "id": job["id"],
                "input": {"location": "Remote", "isRemote": True, "salaryMax": 190000},
            },
            token=boss["accessToken"],
        )
    )["updateJob"]
    assert (
        moved["isRemote"] is True and moved["salaryMax"] == 190000 and moved["salaryMin"] == 150000
    )
    assert np.array_equal(before, await _embedding(runtime, POSTING["title"]))
    await gql.ok(
        UPDATE,
        {"id": job["id"], "input": {"title": "Staff Data Engineer"}},
        token=boss["accessToken"],
    )
    after = await _embedding(runtime, "Staff Data Engineer")
    assert float(before @ after) < 0.99


async def test_other_companies_get_not_found(gql: GraphQLClient) -> None:
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    rival = await register(gql, "boss@rival.test", role="RECRUITER", company="Rival")
    job = (await gql.ok(CREATE, {"input": POSTING}, token=boss["accessToken"]))["createJob"]
    assert (
        await gql.error_code(
            UPDATE, {"id": job["id"], "input": {"title": "Mine"}}, token=rival["accessToken"]
        )
        == "NOT_FOUND"
    )
    assert (
        await gql.error_code(
            "mutation($id: ID!) { closeJob(id: $id, reason: FILLED) { status } }",
            {"id": job["id"]},
            token=rival["accessToken"],
        )
        == "NOT_FOUND"
    )
    assert (
        await gql.error_code(
            "mutation($id: ID!) { reopenJob(id: $id) { status } }",
            {"id": job["id"]},
            token=rival["accessToken"],
        )
        == "NOT_FOUND"
    )


async def test_close_and_reopen_move_the_job_in_and_out_of_listings(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    ada = await register(gql, "ada@example.com")
    job = (await gql.ok(CREATE, {"input": POSTING}, token=boss["accessToken"]))["createJob"]
    closed = await gql.ok(
        "mutation($id: ID!) { closeJob(id: $id, reason: FILLED) { status } }",
        {"id": job["id"]},
        token=boss["accessToken"],
    )
    assert closed["closeJob"]["status"] == "FILLED"
    assert (
        await gql.error_code(
            "mutation($id: ID!) { closeJob(id: $id, reason: CLOSED) { status } }",
            {"id": job["id"]},
            token=boss["accessToken"],
        )
        == "BAD_USER_INPUT"
    )
    listing = "query($f: JobFilter) { jobs(filter: $f) { edges { node { id status } } } }"
    assert (await gql.ok(listing, token=ada["accessToken"]))["jobs"]["edges"] == []
    # A candidate asking for FILLED jobs sees none; the company sees its own.
    assert (await gql.ok(listing, {"f": {"status": ["FILLED"]}}, token=ada["accessToken"]))["jobs"][
        "edges"
    ] == []
    assert (
        len(
            (await gql.ok(listing, {"f": {"status": ["FILLED"]}}, token=boss["accessToken"]))[
                "jobs"
            ]["edges"]
        )
        == 1
    )
    reopened = await gql.ok(
        "mutation($id: ID!) { reopenJob(id: $id) { status } }",
        {"id": job["id"]},
        token=boss["accessToken"],
    )
    assert reopened["reopenJob"]["status"] == "ACTIVE"
    assert [
        e["node"]["id"] for e in (await gql.ok(listing, token=ada["accessToken"]))["jobs"]["edges"]
    ] == [job["id"]]
    async with runtime.services.sessions() as session:
        kinds = (await session.execute(select(Event.kind).order_by(Event.id))).scalars().all()
    assert kinds == ["JOB_ACTIVATED", "JOB_ACTIVATED"]


async def test_jobs_are_paged_with_keyset_cursors_and_filtered(
    gql: GraphQLClient, clock: Clock
) -> None:
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    ada = await register(gql, "ada@example.com")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    specs = [
        ("Python Engineer", ["Python"], "Austin, TX", False, 120000),
        ("Go Engineer", ["Go", "Kubernetes"], "Remote", True, 160000),
        ("React Developer", ["React", "TypeScript"], "New York, NY", False, 140000),
        ("Data Engineer", ["Python", "SQL"], "Berlin, Germany", False, 90000),
        ("Platform Engineer", ["Kubernetes", "Python"], "Austin, TX", True, 170000),
    ]
    for index, (title, skills, location, remote, salary) in enumerate(specs):
        clock.now = start + timedelta(hours=index)
        await gql.ok(
            CREATE,
            {
                "input": {
                    "title": title,
                    "skills": skills,
                    "location": location,
                    "isRemote": remote,
                    "salaryMin": salary - 10000,
                    "salaryMax": salary,
                    "salaryCurrency": "USD",
                }
            },
            token=boss["accessToken"],
        )
    query = "query($first: Int!, $after: String, $f: JobFilter) { jobs(first: $first, after: $after, filter: $f) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }"
    titles, after = [], None
    while True:
        page = (await gql.ok(query, {"first": 2, "after": after}, token=ada["accessToken"]))["jobs"]
        titles += [e["node"]["title"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert titles == [s[0] for s in reversed(specs)]

    async def titles_for(f: dict[str, object]) -> list[str]:
        page = (await gql.ok(query, {"first": 10, "f": f}, token=ada["accessToken"]))["jobs"]
        return sorted(e["node"]["title"] for e in page["edges"])

    assert await titles_for({"remote": True}) == ["Go Engineer", "Platform Engineer"]
    assert await titles_for({"skillsAny": ["golang", "reactjs"]}) == [
        "Go Engineer",
        "React Developer",
    ]
    assert await titles_for({"skillsAll": ["python", "k8s"]}) == ["Platform Engineer"]
    assert await titles_for({"location": "texas"}) == ["Platform Engineer", "Python Engineer"]
    assert await titles_for({"minAnnualSalary": 150000}) == ["Go Engineer", "Platform Engineer"]
    assert await titles_for({"postedSince": (start + timedelta(hours=3)).isoformat()}) == [
        "Data Engineer",
        "Platform Engineer",
    ]
    company_id = boss["user"]["company"]["id"]
    assert len(await titles_for({"companyId": company_id})) == 5


async def test_bad_cursor_and_page_sizes_are_bad_user_input(gql: GraphQLClient) -> None:
    ada = await register(gql, "ada@example.com")
    query = "query($first: Int!, $after: String) { jobs(first: $first, after: $after) { edges { cursor } } }"
    assert await gql.error_code(query, {"first": 101}, token=ada["accessToken"]) == "BAD_USER_INPUT"
    assert await gql.error_code(query, {"first": -1}, token=ada["accessToken"]) == "BAD_USER_INPUT"
    assert (
        await gql.error_code(
            query, {"first": 5, "after": "bm90LWEtY3Vyc29y"}, token=ada["accessToken"]
        )
        == "BAD_USER_INPUT"
    )
    assert (
        await gql.error_code(query, {"first": 5, "after": "!!!"}, token=ada["accessToken"])
        == "BAD_USER_INPUT"
    )


async def test_job_and_node_read_a_job_and_unknown_ids_are_not_found(gql: GraphQLClient) -> None:
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    ada = await register(gql, "ada@example.com")
    job = (await gql.ok(CREATE, {"input": POSTING}, token=boss["accessToken"]))["createJob"]
    by_id = await gql.ok(
        "query($id: ID!) { job(id: $id) { title } node(id: $id) { ... on Job { title } } }",
        {"id": job["id"]},
        token=ada["accessToken"],
    )
    assert by_id["job"]["title"] == by_id["node"]["title"] == POSTING["title"]
    assert (
        await gql.error_code(
            "query($id: ID!) { job(id: $id) { title } }",
            {"id": boss["user"]["id"]},
            token=ada["accessToken"],
        )
        == "NOT_FOUND"
    )
    company_jobs = await gql.ok(
        "query($id: ID!) { company(id: $id) { jobs(first: 5) { edges { node { title } } } } }",
        {"id": boss["user"]["company"]["id"]},
        token=ada["accessToken"],
    )
    assert company_jobs["company"]["jobs"]["edges"][0]["node"]["title"] == POSTING["title"]
