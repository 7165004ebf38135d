"""Alerts: each cause raises one, operators list them, get them by e-mail (a real SMTP server)
and live through alertRaised (a real server and WebSocket client); nobody else sees them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select, update

from adapters.mail import SmtpMailer
from adapters.taskqueue import TaskQueue
from app import Runtime
from db.models import Alert, ScrapeUpload
from domain.enums import Role
from domain.scraping import BACKLOG_UPLOADS
from resolvers import auth
from tests.api.conftest import register
from tests.api.scraping_support import (
    ALERTS,
    CLAIM,
    COMPLETE,
    SUBMIT,
    bot,
    bot_ok,
    new_key,
    operator,
    posting,
    seeker,
)
from tests.conftest import Clock
from tests.e2e import conftest as e2e
from tests.e2e.conftest import GqlSubscription, call, sign_up
from tests.graphql_client import GraphQLClient
from tests.tasks import conftest as tasks
from tests.tasks.conftest import SmtpServer, drain

# Fixtures of the task-queue and end-to-end suites.
queue, smtp = tasks.queue, tasks.smtp
server_url, graphql_url = e2e.server_url, e2e.graphql_url
RAISED = "subscription($after: ID) { alertRaised(after: $after) { eventId alert { id kind message details { name value } } } }"


async def _alerts(gql: GraphQLClient, admin: str) -> list[dict]:
    return [e["node"] for e in (await gql.ok(ALERTS, token=admin))["alerts"]["edges"]]


async def _kinds(runtime: Runtime) -> list[str]:
    async with runtime.services.sessions() as session:
        return list((await session.execute(select(Alert.kind))).scalars())


async def _login(gql: GraphQLClient) -> str:
    login = 'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
    return str((await gql.ok(login))["login"]["accessToken"])


async def test_a_completed_scrape_that_found_nothing_raises_an_alert(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Rust Developer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    bad_only = [{"externalJobId": "no-title"}]
    await bot_ok(gql, key, SUBMIT, {"r": role["id"], "p": "indeed", "j": bad_only})
    await bot_ok(gql, key, COMPLETE, {"r": role["id"]})
    assert await _alerts(gql, admin) == []  # not before its uploads are processed
    await drain(queue)
    [alert] = await _alerts(gql, admin)
    assert alert["kind"] == "EMPTY_SCRAPE" and "rust_developer" in alert["message"]
    assert {"name": "role", "value": "rust_developer"} in alert["details"]
    candidate = (await register(gql, "ben@example.com"))["accessToken"]
    assert await gql.error_code(ALERTS, token=candidate) == "FORBIDDEN"


async def test_a_scrape_that_found_jobs_raises_none(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Rust Developer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    rows = [posting("r-1", "Rust Developer")]
    await bot_ok(gql, key, SUBMIT, {"r": role["id"], "p": "indeed", "j": rows})
    await bot_ok(gql, key, COMPLETE, {"r": role["id"]})
    await drain(queue)
    assert await _alerts(gql, admin) == []


async def test_a_backlog_over_a_hundred_uploads_raises_one_alert(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    keys = [(await new_key(gql, admin, f"bot-{n}"))["apiKey"] for n in range(3)]
    await seeker(gql, "ana@example.com", ["Rust Developer"])
    role = (await bot_ok(gql, keys[0], CLAIM))["claimScrapeRole"]
    for n in range(BACKLOG_UPLOADS + 5):
        rows = [posting(f"b-{n}", "Rust Developer")]
        await bot_ok(gql, keys[n % 3], SUBMIT, {"r": role["id"], "p": "indeed", "j": rows})
        if n + 1 == BACKLOG_UPLOADS:
            assert await _alerts(gql, admin) == []
    [alert] = await _alerts(gql, admin)
    assert alert["kind"] == "BACKLOG"
    assert {"name": "pendingUploads", "value": str(BACKLOG_UPLOADS + 1)} in alert["details"]


async def test_a_role_scraping_for_over_an_hour_is_queued_again_with_an_alert(
    gql: GraphQLClient, runtime: Runtime, clock: Clock, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Rust Developer"])
    clock.now = datetime.now(UTC)
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    clock.now += timedelta(minutes=59)
    await queue.defer("check_scrape_queue", timestamp=0)
    await drain(queue)
    assert await _kinds(runtime) == []
    clock.now += timedelta(minutes=2)
    await queue.defer("check_scrape_queue", timestamp=1)
    await drain(queue)
    clock.now = None  # tokens signed an hour ago have expired
    admin = await _login(gql)
    [alert] = await _alerts(gql, admin)
    assert alert["kind"] == "ROLE_STUCK" and "rust_developer" in alert["message"]
    again = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    assert again["id"] == role["id"] and again["retryCount"] == 1


async def test_an_upload_whose_processing_died_three_times_is_dropped_with_an_alert(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue
) -> None:
    admin = await operator(gql, runtime)
    key = (await new_key(gql, admin))["apiKey"]
    await seeker(gql, "ana@example.com", ["Rust Developer"])
    role = (await bot_ok(gql, key, CLAIM))["claimScrapeRole"]
    rows = [posting("d-1", "Rust Developer")]
    sent = await bot_ok(gql, key, SUBMIT, {"r": role["id"], "p": "indeed", "j": rows})
    upload_id = uuid.UUID(sent["submitScrapedJobs"]["uploadId"])
    async with runtime.services.sessions() as session:  # what three killed processors leave
        await session.execute(
            update(ScrapeUpload)
            .where(ScrapeUpload.id == upload_id)
            .values(status="PROCESSING", attempts=3)
        )
        await session.commit()
    await drain(queue)
    [alert] = await _alerts(gql, admin)
    assert alert["kind"] == "EMBEDDING_FAILED"
    assert {"name": "uploadId", "value": str(upload_id)} in alert["details"]
    async with runtime.services.sessions() as session:
        row = await session.get(ScrapeUpload, upload_id)
        assert row is not None and row.status == "FAILED"


async def test_alerts_are_emailed_to_every_operator_as_text_and_html(
    gql: GraphQLClient, runtime: Runtime, queue: TaskQueue, smtp: SmtpServer
) -> None:
    smtp.start()
    admin = await operator(gql, runtime)
    original = runtime.services.mailer
    runtime.services.mailer = SmtpMailer(smtp.url, "alerts@jobmatch.test")
    try:
        await bot(gql, "sk_live_" + uuid.uuid4().hex, CLAIM)
        await drain(queue)  # the email_alert task
    finally:
        runtime.services.mailer = original
    [message] = smtp.recorder.messages
    assert message["To"] == "ops@jobmatch.test"
    assert "UNKNOWN_KEY_USED" in message["Subject"]
    kinds = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in kinds and "text/html" in kinds
    assert len(await _alerts(gql, admin)) == 1


async def test_operators_are_pushed_alerts_live_and_others_may_not_listen(
    runtime: Runtime,
    graphql_url: str,
) -> None:
    """Last in this file: the real server's in-process worker shares the session's queue."""
    email = f"ops-{uuid.uuid4().hex[:8]}@jobmatch.test"
    await auth.create_user(runtime.services, email, "operator-pass-1", Role.PLATFORM_ADMIN)
    login = 'mutation($e: String!) { login(input: {email: $e, password: "operator-pass-1"}) { accessToken } }'
    admin = (await call(graphql_url, login, {"e": email}))["login"]["accessToken"]
    prefix = uuid.uuid4().hex[:8]
    async with GqlSubscription(graphql_url, admin, RAISED) as live:
        async with httpx.AsyncClient() as http:
            response = await http.post(
                graphql_url,
                json={"query": CLAIM},
                headers={"X-Scraper-API-Key": f"sk_live_{prefix}{uuid.uuid4().hex}"},
            )
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        events = await live.wait_for_events(1)
    alert = events[0][1]["alertRaised"]["alert"]
    assert alert["kind"] == "UNKNOWN_KEY_USED"
    assert {"name": "prefix", "value": prefix} in alert["details"]
    candidate = await sign_up(graphql_url)
    async with GqlSubscription(graphql_url, candidate["accessToken"], RAISED) as refused:
        await refused.wait_until(lambda: False)
    assert refused.failure is not None and "FORBIDDEN" in str(refused.failure)
