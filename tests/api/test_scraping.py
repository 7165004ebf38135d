"""The scrape queue through the API: keys, claim/submit/complete/fail, processing to searchable,
and the bad input of bots and people."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from adapters.taskqueue import TaskQueue
from app import Runtime
from db.models import Job, ScraperKey, ScrapeUpload
from domain.inputs import SCRAPE_JOBS
from tests.api.conftest import register
from tests.api.resume_support import ADD_CANDIDATE, PASTED
from tests.api.scraping_support import (
    CLAIM,
    COMPLETE,
    FAIL,
    QUEUE,
    REVOKE_KEY,
    SUBMIT,
    bot,
    bot_ok,
    code,
    new_key,
    operator,
    posting,
    seeker,
)
from tests.conftest import Clock
from tests.graphql_client import GraphQLClient
from tests.tasks import conftest as tasks
from tests.tasks.conftest import drain

queue = tasks.queue  # the task-queue suite's fixture: an emptied queue
SEARCH = "query($q: String!) { searchJobs(query: $q, first: 10) { edges { node { id title sources { platform externalId } } } } }"


async def _uploads(runtime: Runtime) -> int:
    async with runtime.services.sessions() as session:
        return int((await session.execute(select(func.count(ScrapeUpload.id)))).scalar_one())


async def test_an_admin_creates_lists_and_revokes_keys_and_only_a_digest_is_stored(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    admin = await operator(gql, runtime)
    made = await new_key(gql, admin, "linkedin bot")
    api_key, key = made["apiKey"], made["key"]
    assert api_key.startswith("sk_live_") and len(api_key) > 40
    assert key["prefix"] == api_key[8:16] and key["revokedAt"] is None
    async with runtime.services.sessions() as session:
        row = (await session.execute(select(ScraperKey))).scalar_one()
        dump = str((await session.execute(text("SELECT row_to_json(k) FROM scraper_keys k"))).all())
    assert row.key_hash == hashlib.sha256(api_key.encode()).hexdigest()
    assert api_key not in dump and api_key[8:] not in dump
    listed = await gql.ok("{ scraperKeys { id name prefix lastUsedAt } }", token=admin)
    assert listed["scraperKeys"] == [
        {"id": key["id"], "name": "linkedin bot", "prefix": key["prefix"], "lastUsedAt": None}
    ]
    await bot_ok(gql, api_key, CLAIM)
    used = (await gql.ok("{ scraperKeys { lastUsedAt } }", token=admin))["scraperKeys"][0]
    assert used["lastUsedAt"] is not None
    revoked = (await gql.ok(REVOKE_KEY, {"id": key["id"]}, token=admin))["revokeScraperKey"]
    assert revoked["revokedAt"] is not None
    assert code(await bot(gql, api_key, CLAIM)) == "UNAUTHENTICATED"


async def test_claims_hand_out_never_scraped_roles_first_then_the_oldest(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Python Developer"], ["Berlin", "Remote"])
    await seeker(gql, "ben@example.com", ["python developer", "Data Engineer"], ["Berlin"])
    first = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    second = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    assert {first["role"], second["role"]} == {"python_developer", "data_engineer"}
    assert first["status"] == "SCRAPING" and first["platforms"] == []
    python = first if first["role"] == "python_developer" else second
    assert python["candidates"] == 2 and python["locations"] == ["Berlin", "Remote"]
    assert (await bot_ok(gql, key, CLAIM))["claimScrapeRole"] is None  # both are taken
    clock.now = datetime.now(UTC)
    await bot_ok(gql, key, COMPLETE, {"r": first["id"]})
    clock.now += timedelta(minutes=5)
    await bot_ok(gql, key, COMPLETE, {"r": second["id"]})
    shown = (await gql.ok(QUEUE, token=admin))["scrapeQueue"]["edges"]
    assert [e["node"]["role"] for e in shown] == [first["role"], second["role"]]
    assert [e["node"]["status"] for e in shown] == ["QUEUED", "QUEUED"]
    again = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    assert again["id"] == first["id"]  # scraped longest ago


async def test_an_upload_is_answered_at_once_then_processed_into_searchable_jobs(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Data Engineer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    rows = [
        posting("in-1", "Streaming Data Engineer"),
        {"externalJobId": "in-2", "company": "Scrapeco"},  # no title: fails alone
        posting("in-3", "Analytics Data Engineer", postedDate="not a date"),
    ]
    sent = (await bot_ok(gql, key, SUBMIT, {"r": role["id"], "p": "linkedin", "j": rows}))[
        "submitScrapedJobs"
    ]
    assert sent["received"] == 3 and sent["queuePosition"] == 1
    admin_search = await gql.ok(SEARCH, {"q": "streaming data engineer"}, token=admin)
    assert admin_search["searchJobs"]["edges"] == []  # stored, not yet processed
    shown = (await gql.ok(QUEUE, token=admin))["scrapeQueue"]["edges"][0]["node"]
    assert shown["pendingUploads"] == 1
    assert shown["platforms"] == [{"platform": "linkedin", "status": "RECEIVED"}]
    await drain(queue)  # a worker runs process_scrape_uploads
    found = (await gql.ok(SEARCH, {"q": "streaming data engineer"}, token=admin))["searchJobs"]
    assert found["edges"][0]["node"]["title"] == "Streaming Data Engineer"
    assert found["edges"][0]["node"]["sources"] == [{"platform": "linkedin", "externalId": "in-1"}]
    batches = await gql.ok(
        "{ importBatches(first: 5) { edges { node { platform total created failed errors { row reason } } } } }",
        token=admin,
    )
    batch = batches["importBatches"]["edges"][0]["node"]
    assert (batch["platform"], batch["total"], batch["created"], batch["failed"]) == (
        "linkedin",
        3,
        1,
        2,
    )
    assert [e["row"] for e in batch["errors"]] == [1, 2]
    assert "title" in batch["errors"][0]["reason"]
    assert (await gql.ok(QUEUE, token=admin))["scrapeQueue"]["edges"][0]["node"][
        "pendingUploads"
    ] == 0


async def test_uploads_are_processed_one_at_a_time_in_order(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Data Engineer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    positions = []
    for n in range(3):
        rows = [posting(f"seq-{n}", "Data Engineer", description=f"version {n} of the posting")]
        sent = await bot_ok(gql, key, SUBMIT, {"r": role["id"], "p": "indeed", "j": rows})
        positions.append(sent["submitScrapedJobs"]["queuePosition"])
    assert positions == [1, 2, 3]
    await drain(queue)
    async with runtime.services.sessions() as session:
        done = (
            await session.execute(
                select(ScrapeUpload.status, ScrapeUpload.processed_at).order_by(ScrapeUpload.seq)
            )
        ).all()
        jobs = (await session.execute(select(func.count(Job.id)))).scalar_one()
    assert [d.status for d in done] == ["DONE"] * 3
    assert [d.processed_at for d in done] == sorted(d.processed_at for d in done)
    assert jobs == 3


async def test_failing_keeps_the_role_queued_with_a_retry_and_its_place(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["QA Engineer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    failed = (await bot_ok(gql, key, FAIL, {"r": role["id"], "e": "captcha", "retry": True}))[
        "failScrapeRole"
    ]
    assert (failed["status"], failed["retryCount"], failed["lastError"]) == ("QUEUED", 1, "captcha")
    assert failed["lastScrapedAt"] is None
    assert (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]["id"] == role["id"]
    gave_up = await bot_ok(gql, key, FAIL, {"r": role["id"], "e": "banned", "retry": False})
    assert gave_up["failScrapeRole"]["retryCount"] == 2
    assert gave_up["failScrapeRole"]["lastScrapedAt"] is not None


async def test_a_role_not_being_scraped_takes_no_upload_and_nothing_is_written(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["QA Engineer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    await bot_ok(gql, key, COMPLETE, {"r": role["id"]})
    rows = [posting("late-1", "QA Engineer")]
    late = await bot(gql, key, SUBMIT, {"r": role["id"], "p": "indeed", "j": rows})
    assert code(late) == "BAD_USER_INPUT"
    assert code(await bot(gql, key, COMPLETE, {"r": role["id"]})) == "BAD_USER_INPUT"
    assert code(await bot(gql, key, FAIL, {"r": role["id"], "e": "x", "retry": True})) == (
        "BAD_USER_INPUT"
    )
    unknown = await bot(gql, key, SUBMIT, {"r": "not-an-id", "p": "indeed", "j": rows})
    assert code(unknown) == "NOT_FOUND"
    assert await _uploads(runtime) == 0


async def test_hostile_uploads_are_refused_whole(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["QA Engineer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    too_many = [posting(f"x-{n}", "QA") for n in range(SCRAPE_JOBS + 1)]
    body = await bot(gql, key, SUBMIT, {"r": role["id"], "p": "indeed", "j": too_many})
    assert code(body) == "BAD_USER_INPUT"
    bad_platform = await bot(gql, key, SUBMIT, {"r": role["id"], "p": "../etc", "j": []})
    assert code(bad_platform) == "BAD_USER_INPUT"
    long_error = await bot(gql, key, FAIL, {"r": role["id"], "e": "x" * 5000, "retry": True})
    assert code(long_error) == "BAD_USER_INPUT"
    long_name = await gql.post(
        'mutation { createScraperKey(name: "' + "n" * 500 + '") { apiKey } }', token=admin
    )
    assert long_name["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await _uploads(runtime) == 0


async def test_unknown_and_revoked_keys_are_refused_logged_and_alerted_once(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue, caplog: pytest.LogCaptureFixture
) -> None:
    admin = await operator(gql, runtime)
    made = await new_key(gql, admin)
    caplog.set_level(logging.WARNING, logger="jobmatch.security")
    for _ in range(3):
        assert code(await bot(gql, "sk_live_guessedguessed", CLAIM)) == "UNAUTHENTICATED"
    await gql.ok(REVOKE_KEY, {"id": made["key"]["id"]}, token=admin)
    for _ in range(2):
        assert code(await bot(gql, made["apiKey"], CLAIM)) == "UNAUTHENTICATED"
    assert code(await bot(gql, made["apiKey"], "{ me { id } }")) == "UNAUTHENTICATED"
    alerts = await gql.ok("{ alerts(first: 10) { edges { node { kind } } } }", token=admin)
    kinds = sorted(e["node"]["kind"] for e in alerts["alerts"]["edges"])
    assert kinds == ["REVOKED_KEY_USED", "UNKNOWN_KEY_USED"]
    lines = [r.getMessage() for r in caplog.records if r.name == "jobmatch.security"]
    assert sum("UNKNOWN_KEY_USED" in line for line in lines) == 3
    assert sum("REVOKED_KEY_USED" in line for line in lines) == 3


async def test_a_key_is_limited_to_sixty_requests_a_minute(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    clock.now = datetime.now(UTC)
    for _ in range(60):
        await bot_ok(gql, key, CLAIM)
    limited = await bot(gql, key, CLAIM)
    assert code(limited) == "RATE_LIMITED" and limited["errors"][0]["extensions"]["retryAfter"] > 0
    clock.now += timedelta(seconds=61)
    await bot_ok(gql, key, CLAIM)


async def test_a_scraper_key_reaches_the_bot_operations_only_and_people_never_do(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    for query in (
        "{ me { id } }",
        "{ jobs(first: 1) { edges { cursor } } }",
        "{ scraperKeys { id } }",
        'mutation { createScraperKey(name: "mine") { apiKey } }',
        'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }',
        'mutation { claimScrapeRole { id } ...F } fragment F on Mutation { createScraperKey(name: "x") { apiKey } }',
    ):
        assert code(await bot(gql, key, query)) == "FORBIDDEN", query
    candidate = (await register(gql, "ana@example.com"))["accessToken"]
    for token in (candidate, admin):
        assert await gql.error_code(CLAIM, token=token) == "FORBIDDEN"
        assert await gql.error_code(COMPLETE, {"r": "x"}, token=token) == "FORBIDDEN"
    assert await gql.error_code(CLAIM) == "UNAUTHENTICATED"
    assert await gql.error_code("{ scraperKeys { id } }", token=candidate) == "FORBIDDEN"
    assert await gql.error_code(QUEUE, token=candidate) == "FORBIDDEN"
    assert await _uploads(runtime) == 0


async def test_the_queue_follows_the_roles_candidates_want(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    ana = await seeker(gql, "ana@example.com", ["Python Developer"])
    roles = (await gql.ok(QUEUE, token=admin))["scrapeQueue"]["edges"]
    assert [(e["node"]["role"], e["node"]["candidates"]) for e in roles] == [
        ("python_developer", 1)
    ]
    change = "mutation($r: [String!]) { updateMe(input: {preferredRoles: $r}) { preferredRoles } }"
    changed = await gql.ok(change, {"r": ["  Go   Engineer "]}, token=ana)
    assert changed["updateMe"]["preferredRoles"] == ["Go Engineer"]
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    assert role["role"] == "go_engineer"  # nobody wants python_developer any more
    assert (await bot_ok(gql, key, CLAIM))["claimScrapeRole"] is None
    too_many = await gql.post(change, {"r": [f"role {n}" for n in range(21)]}, token=ana)
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_completed_role_has_its_pool_candidates_matched_with_the_new_jobs(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    agency = await gql.ok(
        "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }",
        {
            "i": {
                "email": "boss@staffco.test",
                "password": "correct-horse-1",
                "role": "RECRUITER",
                "companyName": "StaffCo",
                "companyKind": "AGENCY",
            }
        },
    )
    boss = agency["register"]["accessToken"]
    jane = await gql.ok(
        ADD_CANDIDATE,
        {"text": PASTED, "input": {"name": "Jane", "preferredRoles": ["Backend Engineer"]}},
        token=boss,
    )
    jane_id = jane["addCandidate"]["id"]
    generate = "mutation($id: ID!) { generateMatches(candidateId: $id) { matches { id } } }"
    assert (await gql.ok(generate, {"id": jane_id}, token=boss))["generateMatches"]["matches"] == []
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    assert role["role"] == "backend_engineer"
    rows = [
        posting(
            "be-1",
            "Senior Backend Engineer",
            location="Austin, TX",
            description="Python, FastAPI and PostgreSQL services on Docker and Kubernetes for a "
            "fintech. 5+ years of backend engineering.",
            skills=["Python", "PostgreSQL", "Docker"],
        )
    ]
    await bot_ok(gql, key, SUBMIT, {"r": role["id"], "p": "indeed", "j": rows})
    await bot_ok(gql, key, COMPLETE, {"r": role["id"]})
    await drain(queue)
    listed = await gql.ok(
        "query($id: ID!) { matchesForCandidate(candidateId: $id) { edges { node { job { title } score } } } }",
        {"id": jane_id},
        token=boss,
    )
    titles = [e["node"]["job"]["title"] for e in listed["matchesForCandidate"]["edges"]]
    assert titles == ["Senior Backend Engineer"]


async def test_bots_claiming_at_once_never_get_the_same_role(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    keys = [(await new_key(gql, admin, f"bot-{n}"))["apiKey"] for n in range(6)]
    await seeker(gql, "ana@example.com", ["Go Engineer", "Rust Engineer", "QA Engineer"])
    claims = await asyncio.gather(*(bot_ok(gql, key, CLAIM) for key in keys))
    roles = [c["claimScrapeRole"]["role"] for c in claims if c["claimScrapeRole"]]
    assert sorted(roles) == ["go_engineer", "qa_engineer", "rust_engineer"]
