"""Cross-source duplicates: the same posting from two platforms is one job with several sources,
through importJobs and through the scrape queue; a swipe covers it once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from adapters.taskqueue import TaskQueue
from app import Runtime
from db.models import Job
from tests.api.conftest import register
from tests.api.feed_support import SWIPE, discover_all
from tests.api.scraping_support import CLAIM, SUBMIT, bot_ok, new_key, operator, seeker
from tests.graphql_client import GraphQLClient
from tests.tasks import conftest as tasks
from tests.tasks.conftest import drain

queue = tasks.queue  # the task-queue suite's fixture: an emptied queue
IMPORT = """
mutation($p: String!, $j: [JobImportInput!]) {
  importJobs(platform: $p, jobs: $j) { total created updated unchanged failed }
}
"""
JOBS = "{ jobs(first: 10) { edges { node { id title source { platform } sources { platform externalId url } } } } }"
DESCRIPTION = """About Ledgerly
Ledgerly builds the accounting back office for small businesses across North America. We are a
team of sixty people, half of them engineers, and we ship every day.

The role
Build and run the data platform of a growing fintech: streaming pipelines in Python and Kafka,
a warehouse in PostgreSQL and dbt, and the tooling our analysts rely on every day. You will own
services end to end, review designs, keep our on-call calm and mentor two junior engineers.

What you bring
Six or more years of data engineering, strong Python and SQL, experience running Kafka or a
similar log in production, and the habit of writing things down. Experience with dbt, Airflow
and cloud cost control is a plus.

What we offer
A competitive salary and equity, four weeks of paid time off, a learning budget, and a hybrid
office in downtown Austin with a remote week every month."""


def _posting(external_id: str, description: str = DESCRIPTION, **extra: Any) -> dict[str, Any]:
    return {
        "externalJobId": external_id,
        "title": "Senior Data Engineer",
        "company": "Ledgerly",
        "location": "Austin, TX",
        "description": description,
        "skills": ["Python", "Kafka", "PostgreSQL"],
        "jobUrl": f"https://jobs.example.com/{external_id}",
        **extra,
    }


async def _import(
    gql: GraphQLClient, admin: str, platform: str, rows: list[dict[str, Any]]
) -> dict:
    return dict((await gql.ok(IMPORT, {"p": platform, "j": rows}, token=admin))["importJobs"])


async def _jobs(runtime: Runtime) -> int:
    async with runtime.services.sessions() as session:
        return int((await session.execute(select(func.count(Job.id)))).scalar_one())


async def test_one_posting_from_two_platforms_is_one_job_with_two_sources(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    admin = await operator(gql, runtime)
    first = await _import(gql, admin, "ashby", [_posting("a-1")])
    # Another board's copy: its own id and url, the text lightly edited.
    copy = _posting(
        "li-9", DESCRIPTION.replace("every day", "daily"), title="Senior  data engineer"
    )
    second = await _import(gql, admin, "linkedin", [copy])
    assert (first["created"], second["created"], second["unchanged"]) == (1, 0, 1)
    assert await _jobs(runtime) == 1
    [job] = [e["node"] for e in (await gql.ok(JOBS, token=admin))["jobs"]["edges"]]
    assert job["source"] == {"platform": "ashby"}
    assert job["sources"] == [
        {"platform": "ashby", "externalId": "a-1", "url": "https://jobs.example.com/a-1"},
        {"platform": "linkedin", "externalId": "li-9", "url": "https://jobs.example.com/li-9"},
    ]
    again = await _import(gql, admin, "linkedin", [copy])  # re-imported: still one source
    assert again["created"] == 0 and await _jobs(runtime) == 1
    assert len((await gql.ok(JOBS, token=admin))["jobs"]["edges"][0]["node"]["sources"]) == 2


async def test_postings_that_differ_stay_separate_jobs(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    admin = await operator(gql, runtime)
    await _import(gql, admin, "ashby", [_posting("a-1")])
    other_text = "Kitchen porter for a busy restaurant: dishes, deliveries, and closing shifts."
    other_city = _posting("li-1", location="Denver, CO")
    different = [_posting("li-2", other_text), other_city]
    assert (await _import(gql, admin, "linkedin", different))["created"] == 2
    # Two ids of one platform are two postings, however alike.
    assert (await _import(gql, admin, "ashby", [_posting("a-2")]))["created"] == 1
    assert await _jobs(runtime) == 4


async def test_a_swipe_covers_the_posting_once_whichever_platform_brought_it(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    admin = await operator(gql, runtime)
    await _import(gql, admin, "ashby", [_posting("a-1")])
    await _import(gql, admin, "linkedin", [_posting("li-1")])
    seeker_token = (await register(gql, "ana@example.com"))["accessToken"]
    await gql.ok(
        'mutation { updateMe(input: {headline: "Data engineer", skills: ["Python", "Kafka"]}) { id } }',
        token=seeker_token,
    )
    [card] = await discover_all(gql, seeker_token, 20)
    await gql.ok(SWIPE, {"jobId": card["node"]["id"], "direction": "RIGHT"}, token=seeker_token)
    await _import(gql, admin, "indeed", [_posting("in-1")])
    assert await discover_all(gql, seeker_token, 20) == []
    mine = await gql.ok(
        "{ myApplications(first: 10) { edges { node { id } } } }", token=seeker_token
    )
    assert len(mine["myApplications"]["edges"]) == 1


async def test_a_scraped_copy_of_an_imported_posting_becomes_a_source(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    await _import(gql, admin, "ashby", [_posting("a-1")])
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Data Engineer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    rows = [_posting("gd-7")]
    await bot_ok(gql, key, SUBMIT, {"r": role["id"], "p": "glassdoor", "j": rows})
    await drain(queue)
    assert await _jobs(runtime) == 1
    [job] = [e["node"] for e in (await gql.ok(JOBS, token=admin))["jobs"]["edges"]]
    assert [s["platform"] for s in job["sources"]] == ["ashby", "glassdoor"]
