"""A real server's observability: /metrics of two worker processes in prometheus-client's
multiprocess mode (counts summed over workers, open sockets and subscriptions, outbox lag as
events are routed), and traces switched on by OTEL_TRACES_EXPORTER alone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import GqlSubscription, _serve, call, sign_up
from tests.e2e.subscription_support import (
    BACKEND_PROFILE,
    MOVE,
    STATUS_CHANGED,
    apply,
    recruiter_with_job,
)

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
PING = {"operation": "E2EPing", "type": "query", "outcome": "ok"}


@pytest.fixture(scope="module")
def metered_url(
    server_url: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Two workers sharing one multiprocess directory (started after the first server migrated)."""
    workdir = tmp_path_factory.mktemp("metered")
    shared = workdir / "prometheus"
    shared.mkdir()
    extra = {
        "JOBMATCH_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(shared),
        "JOBMATCH_BROADCAST_URL": "postgres://",
    }
    with _serve(database_url, workdir, extra) as base:
        yield base


def scrape(base: str) -> Samples:
    # A fresh connection each time: the kernel hands it to either worker.
    response = httpx.get(f"{base}/metrics", timeout=30)
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_every_scrape_counts_the_requests_of_all_workers(metered_url: str) -> None:
    counter = "jobmatch_graphql_operations_total"
    before = scrape(metered_url)

    for _ in range(20):
        response = httpx.post(
            f"{metered_url}/graphql", json={"query": "query E2EPing { __typename }"}, timeout=30
        )
        assert response.json() == {"data": {"__typename": "Query"}}

    scrapes = [scrape(metered_url) for _ in range(4)]
    assert [value(s, counter, **PING) - value(before, counter, **PING) for s in scrapes] == [20] * 4
    assert all(value(s, "jobmatch_db_pool_size") > 0 for s in scrapes)


async def test_sockets_subscriptions_and_outbox_lag_are_measured(metered_url: str) -> None:
    graphql_url = f"{metered_url}/graphql"
    recruiter, job_id = await recruiter_with_job(graphql_url)
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    application = await apply(graphql_url, candidate, job_id)
    lag = "jobmatch_outbox_lag_seconds_count"
    kind = {"kind": "APPLICATION_STATUS_CHANGED"}
    before = scrape(metered_url)

    async with GqlSubscription(graphql_url, candidate["accessToken"], STATUS_CHANGED) as events:
        listening = scrape(metered_url)
        move = {"id": application, "status": "WAITING_FOR_REVIEW"}
        await call(graphql_url, MOVE, move, token=recruiter["accessToken"])
        await events.wait_for_events(1)
        delivered = scrape(metered_url)

    sockets = "jobmatch_websockets_open"
    subscriptions = "jobmatch_subscriptions_active"
    assert value(listening, sockets) - value(before, sockets) == 1
    assert value(listening, subscriptions, **kind) - value(before, subscriptions, **kind) == 1
    assert value(delivered, lag) > value(before, lag)
    assert value(delivered, "jobmatch_outbox_lag_seconds_sum") < 60 * value(delivered, lag)


def test_otel_variables_alone_turn_traces_on_and_log_lines_name_their_trace(
    server_url: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workdir = tmp_path_factory.mktemp("traced")
    extra = {"OTEL_TRACES_EXPORTER": "console", "JOBMATCH_WORKERS": "1"}
    with _serve(database_url, workdir, extra) as base:
        response = httpx.post(
            f"{base}/graphql", json={"query": "query E2ETraced { __typename }"}, timeout=30
        )
        assert response.status_code == 200
    # Stopped: the batch of spans has been flushed to the console (the server's log).
    log = (workdir / "server.log").read_text(encoding="utf-8")

    [line] = [line for line in log.splitlines() if "POST /graphql status=200" in line]
    match = re.search(r"trace_id=([0-9a-f]{32})", line)
    assert match, line
    assert '"name": "query E2ETraced"' in log
    assert f'"trace_id": "0x{match.group(1)}"' in log
