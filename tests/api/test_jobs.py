"""Recruiters post and manage jobs; everyone signed in reads and filters them with keyset pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, select, update

from app import Runtime
from db.models import Event, Job
from domain.enums import Role
from resolvers import auth
from tests.api.conftest import GraphQLClient, register
from tests.conftest import Clock

PLATFORM = Role.PLATFORM_ADMIN

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
    start = datetime(2026, 11, 1, tzinfo=UTC)
    # Tokens must not be issued after the clock's now (iat in the future) nor expire meanwhile.
    clock.now = start
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    ada = await register(gql, "ada@example.com")
    specs = [
        ("Python Engineer", ["Python"], "Austin, TX", False, 120000),
        ("Go Engineer", ["Go", "Kubernetes"], "Remote", True, 160000),
        ("React Developer", ["React", "TypeScript"], "New York, NY", False, 140000),
        ("Data Engineer", ["Python", "SQL"], "Berlin, Germany", False, 90000),
        ("Platform Engineer", ["Kubernetes", "Python"], "Austin, TX", True, 170000),
    ]
    for index, (title, skills, location, remote, salary) in enumerate(specs):
        clock.now = start + timedelta(minutes=index)
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
    assert await titles_for({"postedSince": (start + timedelta(minutes=3)).isoformat()}) == [
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


async def test_closed_and_filled_jobs_are_not_found_outside_their_company(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = (await register(gql, "boss@acme.test", role="RECRUITER", company="Acme"))["accessToken"]
    rival = await register(gql, "boss@rival.test", role="RECRUITER", company="Rival")
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    await auth.create_user(runtime.services, "ops@jobmatch.test", "operator-pass-1", PLATFORM)
    admin = (
        await gql.ok(
            'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
        )
    )["login"]["accessToken"]
    close = "mutation($id: ID!, $r: JobCloseReason!) { closeJob(id: $id, reason: $r) { id } }"
    ids = {}
    for reason in ("CLOSED", "FILLED", "EXPIRED", "ACTIVE"):
        posting = {**POSTING, "title": f"{reason} job"}
        ids[reason] = (await gql.ok(CREATE, {"input": posting}, token=boss))["createJob"]["id"]
        if reason in ("CLOSED", "FILLED"):
            await gql.ok(close, {"id": ids[reason], "r": reason}, token=boss)
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(
            update(Job).where(Job.title == "EXPIRED job").values(status="EXPIRED")
        )
    one = "query($id: ID!) { job(id: $id) { status } }"
    node = "query($id: ID!) { node(id: $id) { ... on Job { status } } }"
    outsiders = {"candidate": candidate, "rival recruiter": rival["accessToken"]}
    for status in ("CLOSED", "FILLED"):
        for who, token in outsiders.items():
            for query in (one, node):
                code = await gql.error_code(query, {"id": ids[status]}, token=token)
                assert code == "NOT_FOUND", (status, who, query)
        for token in (boss, admin):
            assert (await gql.ok(one, {"id": ids[status]}, token=token))["job"]["status"] == status
            assert (await gql.ok(node, {"id": ids[status]}, token=token))["node"] == {
                "status": status
            }
    what_if = 'mutation($id: ID!) { whatIf(jobId: $id, addSkills: ["go"]) { delta } }'
    for status in ("CLOSED", "FILLED"):
        assert await gql.error_code(what_if, {"id": ids[status]}, token=candidate) == "NOT_FOUND"
    assert "delta" in (await gql.ok(what_if, {"id": ids["ACTIVE"]}, token=candidate))["whatIf"]
    for status in ("ACTIVE", "EXPIRED"):
        for token in outsiders.values():
            assert (await gql.ok(one, {"id": ids[status]}, token=token))["job"]["status"] == status
            assert (await gql.ok(node, {"id": ids[status]}, token=token))["node"] == {
                "status": status
            }
    listing = "{ jobs(filter: {status: [CLOSED, FILLED]}) { edges { node { title } } } }"
    assert (await gql.ok(listing, token=rival["accessToken"]))["jobs"]["edges"] == []
    assert (await gql.ok(listing, token=candidate))["jobs"]["edges"] == []
    mine = (await gql.ok(listing, token=boss))["jobs"]["edges"]
    assert {e["node"]["title"] for e in mine} == {"CLOSED job", "FILLED job"}


async def test_job_location_past_its_cap_is_refused_before_parsing(gql: GraphQLClient) -> None:
    boss = (await register(gql, "boss@acme.test", role="RECRUITER", company="Acme"))["accessToken"]
    too_long = {**POSTING, "location": "python " * 5000}
    body = await gql.post(CREATE, {"input": too_long}, token=boss)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "location" in error["message"]
    job = (await gql.ok(CREATE, {"input": POSTING}, token=boss))["createJob"]
    for field, value in (("title", "x" * 301), ("skills", ["x" * 101]), ("skills", ["x"] * 101)):
        code = await gql.error_code(UPDATE, {"id": job["id"], "input": {field: value}}, token=boss)
        assert code == "BAD_USER_INPUT", field
