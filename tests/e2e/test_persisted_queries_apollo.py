"""Apollo Client's persisted-query link against real servers: automatic persisted queries (a
hash first, the text once on PERSISTED_QUERY_NOT_FOUND, hashes over GET afterwards), and a server
in allow-list mode built from the documents the client registered.

Learned documents are per process: on a server of several workers a client meets
PERSISTED_QUERY_NOT_FOUND once per worker that has not seen the document yet, and retries. The
request-by-request assertions use a one-worker server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError
from graphql import parse, print_ast

from schema.persisted import sha256
from tests.e2e.conftest import (
    PASSWORD,
    GqlSubscription,
    _serve,
    call,
    run_node,
    sign_up,
    unique_email,
)
from tests.e2e.subscription_support import (
    BACKEND_PROFILE,
    MOVE,
    STATUS_CHANGED,
    apply,
    recruiter_with_job,
)

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
ONE_WORKER = {"JOBMATCH_WORKERS": "1"}


@pytest.fixture(scope="module")
def one_worker_url(
    server_url: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A one-process server on the session's database (started after the first migrated it)."""
    with _serve(database_url, tmp_path_factory.mktemp("one_worker"), ONE_WORKER) as base:
        yield f"{base}/graphql"


def request(method: str, *, text: bool, codes: list[str] | None = None) -> dict[str, Any]:
    return {"method": method, "hash": True, "text": text, "status": 200, "codes": codes or []}


def by_step(wire: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    steps: dict[str, list[dict[str, Any]]] = {}
    current = ""
    for entry in wire:
        if "step" in entry:
            current = entry["step"]
            steps[current] = []
        else:
            steps[current].append(entry)
    return steps


def test_apollo_link_sends_the_text_once_then_hashes_over_get(one_worker_url: str) -> None:
    email = unique_email("apq")

    seen = run_node("apollo_persisted.mjs", "apq", one_worker_url, email, PASSWORD)

    assert seen["registered"]["email"] == email
    assert [answer["data"]["me"]["email"] for answer in seen["me"]] == [email] * 3
    steps = by_step(seen["wire"])
    # A mutation never goes over GET, hashed or not.
    assert steps["register"] == [
        request("POST", text=False, codes=[NOT_FOUND]),
        request("POST", text=True),
    ]
    assert steps["me"] == [
        request("GET", text=False, codes=[NOT_FOUND]),
        request("POST", text=True),
    ]
    assert steps["me again"] == [request("GET", text=False)]
    # The server learned the document: a client that never sent it gets answered by hash.
    assert steps["me from a fresh client"] == [request("GET", text=False)]


def test_apollo_link_gets_every_answer_from_a_server_of_several_workers(graphql_url: str) -> None:
    email = unique_email("apq")

    seen = run_node("apollo_persisted.mjs", "apq", graphql_url, email, PASSWORD)

    assert seen["registered"]["email"] == email
    assert [answer["data"]["me"]["email"] for answer in seen["me"]] == [email] * 3
    requests = [entry for entry in seen["wire"] if "step" not in entry]
    assert all(entry["codes"] in ([], [NOT_FOUND]) for entry in requests), requests
    assert all(entry["method"] == "POST" for entry in requests if entry["text"])


async def test_allow_list_server_runs_registered_documents_only_over_http_and_websocket(
    one_worker_url: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    learned = await asyncio.to_thread(
        run_node, "apollo_persisted.mjs", "apq", one_worker_url, unique_email("apq"), PASSWORD
    )
    me = {key: body for key, body in learned["documents"].items() if body.startswith("query Me")}
    assert len(me) == 1
    # Subscriptions travel as text over WebSocket: gql sends the document as graphql-core prints it.
    status_changed = print_ast(parse(STATUS_CHANGED))
    registered = [*me.items(), (sha256(status_changed), status_changed)]
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": key, "body": body} for key, body in registered],
    }
    workdir = tmp_path_factory.mktemp("allow_list")
    path = workdir / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    recruiter, job_id = await recruiter_with_job(one_worker_url)
    candidate = await sign_up(one_worker_url, profile=BACKEND_PROFILE)
    application = await apply(one_worker_url, candidate, job_id)
    token = candidate["accessToken"]

    allow_list = {**ONE_WORKER, "JOBMATCH_PERSISTED_QUERIES": str(path)}
    with _serve(database_url, workdir, allow_list) as base:
        url = f"{base}/graphql"
        seen = await asyncio.to_thread(run_node, "apollo_persisted.mjs", "allowlist", url, token)
        # The candidate may listen to this one, but the manifest does not hold it.
        unlisted = "subscription { applicationStatusChanged { eventId } }"
        unregistered = GqlSubscription(url, token, unlisted)
        async with GqlSubscription(url, token, STATUS_CHANGED) as events, unregistered:
            move = {"id": application, "status": "WAITING_FOR_REVIEW"}
            await call(one_worker_url, MOVE, move, token=recruiter["accessToken"])
            await events.wait_for_events(1)
            await unregistered.wait_until(lambda: unregistered.failure is not None)

    assert seen["me"]["data"]["me"]["id"] == candidate["user"]["id"]
    steps = by_step(seen["wire"])
    assert steps["me"] == [request("GET", text=False)]
    assert seen["unregistered"]["codes"] == ["FORBIDDEN"]
    assert "registered operations" in seen["unregistered"]["messages"][0]
    assert steps["unregistered"] == [
        request("GET", text=False, codes=[NOT_FOUND]),
        request("POST", text=True, codes=["FORBIDDEN"]),
    ]
    [(_, event)] = events.events
    assert event["applicationStatusChanged"]["application"]["id"] == application
    assert isinstance(unregistered.failure, TransportQueryError)
    assert unregistered.failure.errors
    assert unregistered.failure.errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert "registered operations" in unregistered.failure.errors[0]["message"]
    assert unregistered.events == []
