"""GraphiQL at GET /graphql: offline assets from /graphiql-assets, real example operations."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse, validate
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode

from schema import build_schema
from tests.e2e.conftest import register, run_node, unique_email

GRAPHIQL_HTML = Path(__file__).resolve().parents[2] / "schema" / "graphiql.html"
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
EXAMPLE_TABS = ["Register", "Login", "Me", "UpdateMe", "RefreshToken"]


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


def test_graphql_get_for_a_browser_serves_graphiql_with_only_local_assets(graphql_url: str) -> None:
    response = httpx.get(graphql_url, headers={"Accept": "text/html"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = _page(response.text)
    assert sorted(page.references) == sorted(ASSETS)
    for path in page.references:
        asset = httpx.get(graphql_url.removesuffix("/graphql") + path, timeout=10)
        assert asset.status_code == 200, path
        assert len(asset.content) > 500, path


def test_graphiql_examples_are_valid_operations_with_valid_variables() -> None:
    schema = build_schema()._schema
    examples = _page(GRAPHIQL_HTML.read_text(encoding="utf-8")).examples
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
    assert names == [*EXAMPLE_TABS, "Logout"]


def test_graphiql_renders_offline_with_zero_failed_requests(
    graphql_url: str, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make test-deps` (Debian chromium package)")
    email = unique_email("graphiql")
    token = register(graphql_url, email)["accessToken"]

    seen = run_node("graphiql_browser.mjs", graphql_url, token, email, str(tmp_path), timeout=150)

    assert seen["foreign"] == []
    assert seen["failed"] == []
    assert seen["consoleErrors"] == [] and seen["pageErrors"] == []
    assert seen.get("error") is None, seen.get("error")
    requested = {
        request.split(" ", 1)[1].removeprefix(graphql_url.removesuffix("/graphql"))
        for request in seen["requests"]
    }
    assert set(ASSETS) <= requested
    assert seen["tabs"] == EXAMPLE_TABS
    assert "mutation Register($input: RegisterInput!)" in seen["firstQuery"]
    assert "mutation: Mutation" in seen["docs"]
    assert email in seen["response"] and "CANDIDATE" in seen["response"]
    assert (tmp_path / "graphiql-examples.png").stat().st_size > 10_000
