"""Persisted queries: Apollo's automatic persisted queries, and an allow-list for production."""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.errors import BadRequest, Forbidden, InvalidInput, PersistedQueryNotFound

# The message Apollo clients (JS, iOS, Kotlin) match on, besides the code.
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
NOT_REGISTERED_MESSAGE = (
    "this server runs only registered operations (persisted query allow-list, "
    "JOBMATCH_PERSISTED_QUERIES): add the document to the manifest"
)
HASH = re.compile(r"[0-9a-f]{64}")
NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,127}")
# Per process: what Apollo expects, a client that meets a fresh process retries with the text.
CACHE_ENTRIES = 1000
CACHE_CHARS = 8 * 1024 * 1024
MAX_DOCUMENT_CHARS = 100_000


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


@dataclass
class DocumentCache:
    """A least-recently-used map hash -> document, bounded in entries and in characters, so
    hostile registrations cannot grow memory."""

    max_entries: int = CACHE_ENTRIES
    max_chars: int = CACHE_CHARS
    _documents: OrderedDict[str, str] = field(default_factory=OrderedDict)
    _chars: int = 0

    def get(self, key: str) -> str | None:
        document = self._documents.get(key)
        if document is not None:
            self._documents.move_to_end(key)
        return document

    def put(self, key: str, document: str) -> None:
        if key in self._documents or len(document) > MAX_DOCUMENT_CHARS:
            return
        self._documents[key] = document
        self._chars += len(document)
        while len(self._documents) > self.max_entries or self._chars > self.max_chars:
            _, evicted = self._documents.popitem(last=False)
            self._chars -= len(evicted)

    def __len__(self) -> int:
        return len(self._documents)


def parse_manifest(data: object) -> dict[str, str]:
    """Apollo's persisted query manifest ({"format": "apollo-persisted-query-manifest",
    "operations": [{"id", "body", ...}]}) or a plain {hash: document} object."""
    if isinstance(data, dict) and data.get("format") == "apollo-persisted-query-manifest":
        operations = data.get("operations")
        if not isinstance(operations, list) or not all(
            isinstance(item, dict) for item in operations
        ):
            raise InvalidInput("the manifest's `operations` must be a list of objects")
        pairs: list[tuple[object, object]] = [(op.get("id"), op.get("body")) for op in operations]
    elif isinstance(data, dict):
        pairs = list(data.items())
    else:
        raise InvalidInput("a persisted query manifest must be a JSON object")
    manifest: dict[str, str] = {}
    for key, document in pairs:
        if not isinstance(key, str) or not HASH.fullmatch(key) or not isinstance(document, str):
            raise InvalidInput(f"manifest entry {str(key)[:80]!r}: need a sha256 hex id and a body")
        if sha256(document) != key:
            raise InvalidInput(f"manifest entry {key}: the id is not the sha256 of its body")
        manifest[key] = document
    return manifest


def load_manifest(path: Path) -> dict[str, str]:
    """Blocking, at start: a manifest that cannot be used stops the server with the reason."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"JOBMATCH_PERSISTED_QUERIES: cannot read {path}: {exc}") from exc
    return parse_manifest(data)


def requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The sha256Hash of `extensions.persistedQuery`, checked; None when there is none."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise BadRequest("extensions.persistedQuery must be an object")
    if persisted.get("version") != 1:
        raise BadRequest("unsupported persisted query version: only version 1 is known")
    key = persisted.get("sha256Hash")
    if not isinstance(key, str) or not HASH.fullmatch(key):
        raise BadRequest("extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits")
    return key


@dataclass
class PersistedQueries:
    """What the schema keeps between requests: the learned documents, or the allow-list."""

    allowed: Mapping[str, str] | None = None
    cache: DocumentCache = field(default_factory=DocumentCache)

    def resolve(self, query: str | None, key: str | None) -> tuple[str, bool]:
        """The document to run, and whether to remember it once it has validated."""
        if query is None and key is None:  # strawberry answers its own "no query" error
            return "", False
        if self.allowed is not None:
            return self._registered(query, key), False
        if key is None:
            return query or "", False
        if query is None:
            known = self.cache.get(key)
            if known is None:
                raise PersistedQueryNotFound(NOT_FOUND_MESSAGE)
            return known, False
        if sha256(query) != key:
            raise BadRequest("provided sha does not match query")
        return query, True

    def _registered(self, query: str | None, key: str | None) -> str:
        allowed = self.allowed or {}
        if key is not None and query is not None and sha256(query) != key:
            raise BadRequest("provided sha does not match query")
        if key is None and query is not None:
            key = sha256(query)  # a registered document sent as text runs too (subscriptions)
        document = allowed.get(key) if key is not None else None
        if document is not None:
            return document
        if query is None and key is not None:
            raise PersistedQueryNotFound(NOT_FOUND_MESSAGE)
        raise Forbidden(NOT_REGISTERED_MESSAGE)


class PersistedQueryExtension(SchemaExtension):
    """Fills in the document of a hash-only request before strawberry looks for one, over every
    transport. A refusal becomes the operation's one pre-execution error: a stand-in document
    with no validation rules is "parsed", so HTTP and streams answer it like any request error."""

    def __init__(self, store: PersistedQueries) -> None:
        self.store = store
        self.remember: str | None = None

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        try:
            key = requested_hash(execution.operation_extensions)
            if key is not None or self.store.allowed is not None:
                document, learn = self.store.resolve(execution.query, key)
                if document:
                    execution.query = document
                self.remember = key if learn else None
        except (BadRequest, Forbidden, PersistedQueryNotFound) as exc:
            name = execution.operation_name or ""
            execution.query = f"query {name if NAME.fullmatch(name) else ''} {{ __typename }}"
            execution.validation_rules = ()
            execution.pre_execution_errors = [GraphQLError(exc.message, original_error=exc)]
        yield

    def on_validate(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        if self.remember is not None and execution.query and not execution.pre_execution_errors:
            self.store.cache.put(self.remember, execution.query)
