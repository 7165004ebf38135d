"""GraphiQL at GET /graphql: offline assets from /graphiql-assets, and a guided tour whose tabs
run without an error in headless Chromium against the demo data (with demo tokens in
development; never a token elsewhere)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse, validate
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode

from adapters.security import JwtCodec
from app import Runtime, create_app
from db.embedded import EmbeddedDatabase
from db.migrate import upgrade_to_head
from domain import demo
from domain.config import Settings
from domain.enums import ApplicationStatus
from resolvers import demo as demo_data
from resolvers.demo import Tour
from schema import build_schema
from schema.tour import render
from tests.conftest import TEST_DATA_DIR, TEST_SECRET
from tests.e2e.conftest import _serve, run_node
from tests.graphql_client import over_asgi

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ASSETS = (
    "/graphiql-assets/react/umd/react.production.min.js",
    "/graphiql-assets/react-dom/umd/react-dom.production.min.js",
    "/graphiql-assets/js-cookie/dist/js.cookie.min.js",
    "/graphiql-assets/graphiql/graphiql.min.css",
    "/graphiql-assets/graphiql/graphiql.min.js",
    "/graphiql-assets/@graphiql/plugin-explorer/dist/style.css",
    "/graphiql-assets/@graphiql/plugin-explorer/dist/index.umd.js",
)
EXAMPLE_TABS = [
    "SignIn",
    "Discover",
    "JobMatch",
    "WhatIf",
    "SwipeJob",
    "MyApplications",
    "SearchJobs",
    "MatchFound",
    "CreateJob",
    "ApplicationsForJob",
    "CandidatesForJob",
    "UpdateApplicationStatus",
]
DEMO_DATABASE = f"jobmatch_tour_{os.getpid()}"
LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }"
)


class _Page(HTMLParser):
    """Collects the page's asset references and its example operations."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.examples: list[dict[str, Any]] = []
        self._example: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("src", "href"):
            if attributes.get(name) and not str(attributes[name]).startswith("data:"):
                self.references.append(str(attributes[name]))
        if tag == "script" and "example" in (attributes.get("class") or "").split():
            self._example = {"query": "", **attributes}

    def handle_data(self, data: str) -> None:
        if self._example is not None:
            self._example["query"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._example is not None:
            self.examples.append(self._example)
            self._example = None


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _sample_tour() -> Tour:
    """A tour with the shapes the server fills in (real tokens are JWTs, ids global ids)."""
    codec = JwtCodec(Settings(jwt_secret=TEST_SECRET))
    token, _ = codec.issue(uuid.uuid4(), uuid.uuid4(), "access", datetime.now(UTC))
    return Tour(
        candidate_email="ada@demo.jobmatch.dev",
        candidate_token=token,
        recruiter_email="recruiter1@demo.jobmatch.dev",
        recruiter_token=token,
        job_id=uuid.uuid4(),
        swipe_job_id=uuid.uuid4(),
        application_id=uuid.uuid4(),
        next_status=ApplicationStatus.HR_MEETING,
    )


@pytest.fixture(scope="module")
async def demo_database(embedded: EmbeddedDatabase, model: Any) -> AsyncIterator[str]:
    """A database of its own holding the demo data (the session database stays demo-free)."""
    embedded.drop_database(DEMO_DATABASE)
    url = embedded.create_database(DEMO_DATABASE)
    await asyncio.to_thread(upgrade_to_head, url)
    settings = Settings(environment="test", jwt_secret=TEST_SECRET, data_dir=TEST_DATA_DIR)
    runtime = await Runtime.start(settings, url=url, model=model)
    try:
        await demo_data.seed(runtime.services)
    finally:
        await runtime.close()
    yield url
    embedded.drop_database(DEMO_DATABASE)


@pytest.fixture(scope="module")
def development_url(demo_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `jobmatch serve` in development mode on the demo database."""
    extra = {"JOBMATCH_ENV": "development"}
    with _serve(demo_database, tmp_path_factory.mktemp("tour"), extra) as base:
        yield f"{base}/graphql"


def test_graphql_get_for_a_browser_serves_graphiql_with_only_local_assets(graphql_url: str) -> None:
    response = httpx.get(graphql_url, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = _page(response.text)
    assert "eyJ" not in response.text  # no JWT outside development
    assert "PASTE_THE_CANDIDATE_ACCESS_TOKEN" in response.text
    assert sorted(page.references) == sorted(ASSETS)
    for path in page.references:
        asset = httpx.get(graphql_url.removesuffix("/graphql") + path, timeout=10)
        assert asset.status_code == 200, path
        assert len(asset.content) > 500, path


@pytest.mark.parametrize("tour", [None, _sample_tour()], ids=["placeholders", "development"])
def test_graphiql_examples_are_valid_operations_with_valid_variables(tour: Tour | None) -> None:
    schema = build_schema()._schema
    examples = _page(render(tour)).examples
    names = []
    for example in examples:
        document = parse(example["query"])
        assert validate(schema, document) == [], example["query"]
        variables = json.loads(example.get("data-variables") or "{}")
        headers = json.loads(example.get("data-headers") or "{}")
        assert set(headers) <= {"Authorization"}
        for operation in document.definitions:
            assert isinstance(operation, OperationDefinitionNode) and operation.name is not None
            names.append(operation.name.value)
            coerced = get_variable_values(schema, operation.variable_definitions or [], variables)
            assert not isinstance(coerced, list), (operation.name.value, coerced)
    assert names == EXAMPLE_TABS


async def test_only_development_puts_demo_tokens_in_the_page(
    demo_database: str, model: Any
) -> None:
    for environment, tokens in (("production", False), ("test", False), ("development", True)):
        settings = Settings(
            environment=environment,
            jwt_secret=TEST_SECRET,
            database_url=demo_database,
            data_dir=TEST_DATA_DIR,
        )
        runtime = await Runtime.start(settings, url=demo_database, model=model)
        try:
            async with over_asgi(create_app(settings, runtime)) as client:
                page = await client.http.get("/graphql", headers={"Accept": "text/html"})
        finally:
            await runtime.close()
        assert page.status_code == 200
        assert ("Bearer eyJ" in page.text) is tokens, environment
        assert ("PASTE_THE_CANDIDATE_ACCESS_TOKEN" in page.text) is not tokens, environment


def _login(url: str, email: str) -> str:
    variables = {"e": email, "p": demo.DEMO_PASSWORD}
    body = httpx.post(url, json={"query": LOGIN, "variables": variables}, timeout=30).json()
    assert "errors" not in body, body
    return str(body["data"]["login"]["accessToken"])


def test_every_tour_tab_runs_in_chromium_without_an_error(
    development_url: str, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make test-deps` (Debian chromium package)")
    email = demo.TOUR_CANDIDATE
    token = _login(development_url, email)
    recruiter = _login(development_url, demo.COMPANIES[0].admin_email)

    seen = run_node(
        "graphiql_browser.mjs",
        development_url,
        token,
        email,
        str(tmp_path),
        recruiter,
        timeout=300,
    )

    assert seen.get("error") is None, (seen.get("error"), seen.get("runs"))
    assert seen["foreign"] == [] and seen["failed"] == []
    assert seen["consoleErrors"] == [] and seen["pageErrors"] == []
    origin = development_url.removesuffix("/graphql")
    requested = {r.split(" ", 1)[1].removeprefix(origin) for r in seen["requests"]}
    assert set(ASSETS) <= requested
    assert seen["tabs"] == EXAMPLE_TABS
    assert "mutation SignIn(" in seen["firstQuery"]
    assert "Bearer eyJ" in seen["firstHeaders"]  # the demo token is in the headers already
    assert "mutation: Mutation" in seen["docs"]
    runs = {run["tab"]: run for run in seen["runs"]}
    assert list(runs) == EXAMPLE_TABS
    for name, run in runs.items():
        assert '"errors"' not in run["response"], (name, run["response"])
        assert '"data"' in run["response"] or name == "MatchFound", (name, run["response"])
    assert (
        '"next"' in runs["MatchFound"]["event"] and "matchFound" in runs["MatchFound"]["response"]
    )
    assert '"score"' in runs["Discover"]["response"]
    assert '"explanation"' in runs["Discover"]["response"]
    assert '"edges": []' not in runs["MyApplications"]["response"]
    assert '"edges": []' not in runs["ApplicationsForJob"]["response"]
    assert email in seen["response"] and "CANDIDATE" in seen["response"]
    assert (tmp_path / "graphiql-tour.png").stat().st_size > 10_000
