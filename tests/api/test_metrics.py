"""/metrics through the real app: the numbers move with the requests, the embedder, the pool and
the task queue; operation names cannot grow the label set; a token can guard the endpoint."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from adapters.metrics import OTHER, OperationNames, prepare_multiprocess
from app import Runtime
from tests.api.conftest import register
from tests.graphql_client import GraphQLClient

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(gql: GraphQLClient, token: str | None = None) -> Samples:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await gql.http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def operation(name: str, outcome: str, kind: str = "query") -> dict[str, str]:
    return {"operation": name, "type": kind, "outcome": outcome}


async def test_operations_are_counted_and_timed_by_name_and_outcome(gql: GraphQLClient) -> None:
    ping, me = operation("MetricsPing", "ok"), operation("MetricsMe", "UNAUTHENTICATED")
    invalid = operation("MetricsBroken", "GRAPHQL_VALIDATION_FAILED", kind="query")
    before = await scrape(gql)

    for _ in range(3):
        await gql.ok("query MetricsPing { __typename }")
    assert await gql.error_code("query MetricsMe { me { email } }") == "UNAUTHENTICATED"
    broken = "query MetricsBroken { noSuchField }"
    assert await gql.error_code(broken) == "GRAPHQL_VALIDATION_FAILED"
    after = await scrape(gql)

    counter, histogram = (
        "jobmatch_graphql_operations_total",
        "jobmatch_graphql_operation_duration_seconds",
    )
    assert value(after, counter, **ping) - value(before, counter, **ping) == 3
    assert value(after, counter, **me) - value(before, counter, **me) == 1
    assert value(after, counter, **invalid) - value(before, counter, **invalid) == 1
    assert (
        value(after, f"{histogram}_count", **ping) - value(before, f"{histogram}_count", **ping)
        == 3
    )
    assert value(after, f"{histogram}_bucket", **ping, le="+Inf") == value(
        after, f"{histogram}_count", **ping
    )
    assert value(after, f"{histogram}_sum", **ping) > value(before, f"{histogram}_sum", **ping)
    # Mutations are labelled by their type.
    await register(gql, "ada@example.com")
    mutations = await scrape(gql)
    assert value(mutations, counter, operation="anonymous", type="mutation", outcome="ok") >= 1


async def test_hostile_operation_names_share_one_label(gql: GraphQLClient) -> None:
    long_name = "Q" * 65
    before = await scrape(gql)

    await gql.ok(f"query {long_name} {{ __typename }}")
    # A request's operationName is any string; this one names no operation of the document.
    unknown = {"query": "query A { __typename }", "operationName": "Ünïcode name"}
    assert (await gql.http.post("/graphql", json=unknown)).status_code == 400
    after = await scrape(gql)

    counter = "jobmatch_graphql_operations_total"
    ok, refused = operation(OTHER, "ok"), operation(OTHER, "BAD_REQUEST", kind="unknown")
    assert value(after, counter, **ok) - value(before, counter, **ok) == 1
    assert value(after, counter, **refused) - value(before, counter, **refused) == 1
    assert all(long_name not in str(labels) for _, labels in after)


def test_operation_names_past_the_limit_are_other() -> None:
    names = OperationNames(limit=2)

    labels = [names.label(name) for name in ("A", "B", "C", "A", "bad-name", None, "x" * 65)]

    assert labels == ["A", "B", OTHER, "A", OTHER, "anonymous", OTHER]
    for number in range(10_000):
        names.label(f"Flood{number}")
    assert len(names.seen) == 2


async def test_embedding_latency_pool_and_queue_depth_move(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    services = runtime.services
    before = await scrape(gql)

    await services.embedder.embed(["python developer", "data engineer", "nurse"])
    async with services.sessions() as session:
        await session.execute(text("SELECT 1"))
        holding = await scrape(gql)
    assert services.tasks is not None
    await services.tasks.defer("expire_jobs")  # no worker runs in API tests: it waits
    after = await scrape(gql)

    texts = "jobmatch_embedded_texts_total"
    batches = "jobmatch_embedding_batch_duration_seconds_count"
    assert value(after, texts) - value(before, texts) == 3
    assert value(after, batches) - value(before, batches) >= 1
    assert value(before, "jobmatch_db_pool_size") >= 10
    checked_out = "jobmatch_db_pool_checked_out"
    assert value(holding, checked_out) - value(before, checked_out) == 1
    assert value(after, checked_out) == value(before, checked_out)
    depth = "jobmatch_task_queue_depth"
    assert value(after, depth) - value(before, depth) == 1


async def test_metrics_token_guards_the_endpoint(gql: GraphQLClient, tune: Any) -> None:
    tune(metrics_token="scrape-secret")

    missing = await gql.http.get("/metrics")
    wrong = await gql.http.get("/metrics", headers={"Authorization": "Bearer nope"})
    samples = await scrape(gql, token="scrape-secret")

    assert missing.status_code == wrong.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "jobmatch_graphql_operations_total" not in missing.text
    assert value(samples, "jobmatch_db_pool_size") >= 10


async def test_production_serves_metrics_only_with_a_token(gql: GraphQLClient, tune: Any) -> None:
    tune(environment="production")

    response = await gql.http.get("/metrics")

    assert response.status_code == 404
    assert "JOBMATCH_METRICS_TOKEN" in response.text


def test_several_workers_get_an_emptied_shared_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    shared = tmp_path / "prometheus"
    shared.mkdir()
    (shared / "counter_4242.db").write_bytes(b"left by a previous run")

    assert prepare_multiprocess(tmp_path) == shared

    assert list(shared.iterdir()) == []
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(shared)
