"""Importing real scraped postings: parsing, upsert by source, batches, failures, expiry."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app import Runtime
from db.models import Event, ImportBatch, Job
from domain.enums import Role
from resolvers import auth, imports, maintenance
from tests.api.conftest import GraphQLClient, register
from tests.conftest import SHARED, Clock

BATCH = "id platform status total created updated unchanged duplicates failed errors { row externalJobId reason }"
IMPORT = f"mutation($p: String!, $f: Upload) {{ importJobs(platform: $p, file: $f) {{ {BATCH} }} }}"
NOW = datetime(2025, 10, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def real_postings() -> list[dict[str, Any]]:
    rows = json.loads(
        gzip.decompress((SHARED / "data" / "jobs" / "ashby_jobs.json.gz").read_bytes())
    )
    return rows[:300]


async def _admin(gql: GraphQLClient, runtime: Runtime) -> str:
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", "operator-pass-1", Role.PLATFORM_ADMIN
    )
    data = await gql.ok(
        'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
    )
    return data["login"]["accessToken"]


async def _upload(
    gql: GraphQLClient, token: str, content: bytes, platform: str = "ashby", name: str = "jobs.json"
) -> dict[str, Any]:
    operations = json.dumps({"query": IMPORT, "variables": {"p": platform, "f": None}})
    response = await gql.http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.f"]})},
        files={"0": (name, content, "application/json")},
        # Multipart is a "simple" content type: without this header it is refused as CSRF.
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
    )
    return response.json()


async def _jobs(runtime: Runtime) -> dict[str, Job]:
    async with runtime.services.sessions() as session:
        return {j.external_id: j for j in (await session.execute(select(Job))).scalars()}


def _numbers(raw: str) -> list[float]:
    found = []
    for number, suffix in re.findall(r"(\d[\d,]*(?:\.\d+)?)\s*([KkMm]?)", raw.split("•")[0]):
        value = float(number.replace(",", ""))
        found.append(
            value * (1000 if suffix.lower() == "k" else 1_000_000 if suffix.lower() == "m" else 1)
        )
    return found


async def test_importing_real_postings_parses_salaries_locations_and_skills(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, real_postings: list[dict[str, Any]]
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    body = await _upload(gql, token, json.dumps(real_postings).encode())
    batch = body["data"]["importJobs"]
    assert batch["status"] == "COMPLETED"
    assert batch["total"] == 300
    assert batch["created"] + batch["duplicates"] + batch["failed"] == 300
    assert batch["created"] >= 290
    stored = await _jobs(runtime)
    salaried = [r for r in real_postings if r.get("salary") and r["external_job_id"] in stored]
    assert len(salaried) > 50
    for row in salaried:
        job = stored[row["external_job_id"]]
        numbers = _numbers(row["salary"])
        if not numbers or job.salary_min is None:
            continue
        assert job.salary_min == pytest.approx(numbers[0], rel=1e-6), row["salary"]
        assert job.salary_max == pytest.approx(
            numbers[1] if len(numbers) > 1 else numbers[0], rel=1e-6
        ), row["salary"]
        expected_currency = {"$": "USD", "€": "EUR", "£": "GBP"}.get(row["salary"].strip()[0])
        if expected_currency and not row["salary"].startswith(("CA$", "A$")):
            assert job.salary_currency == expected_currency, row["salary"]
        if "per hour" in row["salary"]:
            assert job.salary_annual_min == pytest.approx(numbers[0] * 2080), row["salary"]
    for row in real_postings:
        job = stored.get(row["external_job_id"])
        location = row.get("location") or ""
        if job is not None and re.fullmatch(r"[A-Za-z .]+, (CA|NY|TX|WA)", location.strip()):
            state = {"CA": "California", "NY": "New York", "TX": "Texas", "WA": "Washington"}[
                location.strip()[-2:]
            ]
            assert job.region == state and job.country == "United States", location
    engineers = [j for j in stored.values() if "Software Engineer" in j.title]
    assert engineers and sum(1 for j in engineers if j.skills) / len(engineers) > 0.8
    assert all(
        j.embedding is not None and j.embedding_model == "all-MiniLM-L6-v2" for j in stored.values()
    )


async def test_reimporting_the_same_file_creates_nothing_and_newer_postings_win(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, real_postings: list[dict[str, Any]]
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    rows = real_postings[:40]
    first = (await _upload(gql, token, json.dumps(rows).encode()))["data"]["importJobs"]
    again = (
        await _upload(gql, token, gzip.compress(json.dumps(rows).encode()), name="jobs.json.gz")
    )["data"]["importJobs"]
    assert again["created"] == 0 and again["updated"] == 0
    assert again["unchanged"] == first["created"]
    async with runtime.services.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Job))).scalar_one() == first[
            "created"
        ]
    newer = dict(rows[0], title="Renamed Role", posted_date="2025-10-19")
    older = dict(rows[1], title="Stale Title", posted_date="2020-01-01")
    result = (await _upload(gql, token, json.dumps([newer, older]).encode()))["data"]["importJobs"]
    assert (result["updated"], result["unchanged"], result["created"]) == (1, 1, 0)
    stored = await _jobs(runtime)
    assert stored[rows[0]["external_job_id"]].title == "Renamed Role"
    assert stored[rows[1]["external_job_id"]].title == rows[1]["title"]


async def test_duplicates_in_one_file_collapse_to_the_newest(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    rows = [
        {
            "external_job_id": "a",
            "title": "Old title",
            "company": "Acme",
            "posted_date": "2025-10-01",
        },
        {
            "external_job_id": "a",
            "title": "New title",
            "company": "Acme",
            "posted_date": "2025-10-05",
        },
        {
            "external_job_id": "a",
            "title": "Older title",
            "company": "ACME",
            "posted_date": "2025-09-01",
        },
    ]
    batch = (await _upload(gql, token, json.dumps(rows).encode()))["data"]["importJobs"]
    assert (batch["created"], batch["duplicates"]) == (1, 2)
    assert (await _jobs(runtime))["a"].title == "New title"


async def test_bad_rows_fail_alone_with_reasons(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    rows: list[Any] = [
        {
            "external_job_id": "ok",
            "title": "Good job",
            "company": "Acme",
            "salary": "$100K – $120K",
        },
        {"external_job_id": "no-title", "company": "Acme"},
        {"title": "No id", "company": "Acme"},
        {"external_job_id": "negative", "title": "X", "salary": "-$50K"},
        {"external_job_id": "inverted", "title": "X", "salary": "$200K – $100K"},
        {"external_job_id": "huge", "title": "X", "salary": "$1000000000000"},
        {"external_job_id": "currency", "title": "X", "salary": "ZZZ 100,000 - 120,000"},
        {"external_job_id": "big", "title": "X", "description": "word " * 2_100_000},
        {"external_job_id": "date", "title": "X", "posted_date": "yesterday"},
        "not an object",
    ]
    batch = (await _upload(gql, token, json.dumps(rows).encode()))["data"]["importJobs"]
    assert batch["created"] == 1
    assert batch["failed"] == 9
    reasons = {e["row"]: e["reason"] for e in batch["errors"]}
    assert sorted(reasons) == list(range(1, 10))
    assert "title" in reasons[1] and "external_job_id" in reasons[2]
    assert "negative" in reasons[3] and "above" in reasons[4] and "ceiling" in reasons[5]
    assert "currency" in reasons[6] and "description" in reasons[7] and "posted_date" in reasons[8]
    assert batch["errors"][1]["externalJobId"] is None
    assert set(await _jobs(runtime)) == {"ok"}


async def test_unreadable_files_and_non_admins_write_nothing(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    token = await _admin(gql, runtime)
    for content in (b"this is not json", b'{"rows": []}', b"\x1f\x8b\x08garbage", b"[1, 2"):
        body = await _upload(gql, token, content)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    body = await _upload(
        gql, candidate, json.dumps([{"external_job_id": "x", "title": "X"}]).encode()
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await _upload(gql, token, b"[]", platform="no spaces allowed")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    async with runtime.services.sessions() as session:
        assert (
            await session.execute(select(func.count()).select_from(ImportBatch))
        ).scalar_one() == 0
        assert (await session.execute(select(func.count()).select_from(Job))).scalar_one() == 0


async def test_inline_rows_import_and_batches_are_listed(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    mutation = f'mutation($jobs: [JobImportInput!]) {{ importJobs(platform: "manual", jobs: $jobs) {{ {BATCH} }} }}'
    data = await gql.ok(
        mutation,
        {
            "jobs": [
                {
                    "externalJobId": "m1",
                    "title": "Python Developer",
                    "company": "Acme",
                    "location": "Remote (United States | Canada)",
                    "skills": ["python", "django"],
                    "experienceRequired": "5+ years",
                }
            ]
        },
        token=token,
    )
    batch = data["importJobs"]
    assert batch["created"] == 1
    job = (await _jobs(runtime))["m1"]
    assert job.skills == ["Python", "Django"] and job.is_remote and job.experience_min == 5
    listed = await gql.ok(
        "{ importBatches(first: 5) { edges { node { id created } } } }", token=token
    )
    assert listed["importBatches"]["edges"][0]["node"]["id"] == batch["id"]
    one = await gql.ok(
        "query($id: ID!) { importBatch(id: $id) { platform } }", {"id": batch["id"]}, token=token
    )
    assert one["importBatch"]["platform"] == "manual"
    candidate = (await register(gql, "ada@example.com"))["accessToken"]
    assert (
        await gql.error_code(
            "query($id: ID!) { importBatch(id: $id) { platform } }",
            {"id": batch["id"]},
            token=candidate,
        )
        == "NOT_FOUND"
    )
    async with runtime.services.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Event))).scalar_one() == 1


async def test_jobs_expire_thirty_days_after_posting_and_leave_listings(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    rows = [
        {
            "external_job_id": "fresh",
            "title": "Fresh",
            "company": "Acme",
            "posted_date": "2025-10-15",
        },
        {"external_job_id": "old", "title": "Old", "company": "Acme", "posted_date": "2025-09-10"},
    ]
    await _upload(gql, token, json.dumps(rows).encode())
    stored = await _jobs(runtime)
    assert stored["fresh"].status == "ACTIVE"
    assert stored["fresh"].expires_at == datetime(2025, 11, 14, tzinfo=UTC)
    assert stored["old"].status == "EXPIRED"
    clock.now = NOW + timedelta(days=26)
    assert await maintenance.expire(runtime.services) == 1
    assert (await _jobs(runtime))["fresh"].status == "EXPIRED"
    fresh_token = (await register(gql, "ada@example.com"))["accessToken"]
    listing = await gql.ok("{ jobs { edges { node { id } } } }", token=fresh_token)
    assert listing["jobs"]["edges"] == []


async def test_rows_with_nul_bytes_lone_surrogates_or_wrong_types_fail_alone(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    rows: list[Any] = [
        {"external_job_id": "ok", "title": "Good job", "company": "Acme"},
        {"external_job_id": "nul", "title": "Bad\u0000job", "company": "Acme"},
        {"external_job_id": "surrogate", "title": "X", "description": "half \ud800 a pair"},
        {"external_job_id": "skill", "title": "X", "skills": ["Python", "Go\u0000"]},
        {"external_job_id": "type", "title": {"nested": "object"}},
        {"external_job_id": "long", "title": "X", "location": "python " * 5000},
        ["not", "an", "object"],
        {"external_job_id": "also-ok", "title": "Also good", "company": "Acme"},
    ]
    # json.dumps escapes both as \u0000 and \ud800, which json.loads turns back into them.
    batch = (await _upload(gql, token, json.dumps(rows).encode()))["data"]["importJobs"]
    assert (batch["status"], batch["created"], batch["failed"]) == ("COMPLETED", 2, 6)
    reasons = {e["row"]: e["reason"] for e in batch["errors"]}
    assert reasons[1] == "title contains a NUL character"
    assert reasons[2] == "description contains a lone surrogate"
    assert reasons[3] == "skills contains a NUL character"
    assert "title" in reasons[4] and "location" in reasons[5] and "object" in reasons[6]
    assert set(await _jobs(runtime)) == {"ok", "also-ok"}


async def test_inline_rows_with_a_nul_byte_never_fail_the_server(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    clock.now = NOW
    token = await _admin(gql, runtime)
    mutation = f'mutation($jobs: [JobImportInput!]) {{ importJobs(platform: "manual", jobs: $jobs) {{ {BATCH} }} }}'
    rows = [
        {"externalJobId": "ok", "title": "Good job"},
        {"externalJobId": "nul", "title": "Bad\u0000job"},
    ]
    body = await gql.post(mutation, {"jobs": rows}, token=token)
    if body.get("errors"):  # refused while coercing the arguments: nothing ran
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert await _jobs(runtime) == {}
    else:
        batch = body["data"]["importJobs"]
        assert (batch["created"], batch["failed"]) == (1, 1)
        assert batch["errors"][0]["reason"] == "title contains a NUL character"


async def test_an_import_that_dies_is_marked_failed_and_the_error_still_raised(
    runtime: Runtime, clock: Clock
) -> None:
    clock.now = NOW

    def broken_progress(done: int) -> None:
        raise RuntimeError("the progress sink went away")

    rows = [{"external_job_id": "a", "title": "A job", "company": "Acme"}]
    with pytest.raises(RuntimeError):
        await imports.run_import(
            runtime.services,
            "ashby",
            rows,
            created_by=None,
            progress=broken_progress,
        )
    async with runtime.services.sessions() as session:
        batch = (await session.execute(select(ImportBatch))).scalar_one()
    assert batch.status == "FAILED" and batch.finished_at is not None
    assert batch.reason == "the import stopped: RuntimeError"
