"""Validation-stalling and hypothesis-graphql generated documents never fail unexpectedly."""

from __future__ import annotations

from datetime import UTC

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from schema import build_schema
from tests.api.conftest import GraphQLClient
from tests.api.hostile_support import Tokens, coded_errors, first_code, fragment_bomb, send
from tests.api.hostile_support import same_named_fields as same_named


async def test_documents_that_would_stall_validation_are_too_complex(gql: GraphQLClient) -> None:
    cyclic = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    for document in (fragment_bomb(30), same_named(550), cyclic):
        response = await send(gql, document)
        assert first_code(response) in ("QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED"), document[
            :80
        ]
    assert first_code(await send(gql, fragment_bomb(30))) == "QUERY_TOO_COMPLEX"
    assert first_code(await send(gql, same_named(550))) == "QUERY_TOO_COMPLEX"


def _generated(mode: Mode, count: int) -> list[str]:
    """A fixed, reproducible sample of documents hypothesis-graphql builds from our schema."""
    schema = build_schema().as_str()
    scalars = {
        "DateTime": st.datetimes(timezones=st.just(UTC)).map(
            lambda moment: nodes.String(moment.isoformat())
        ),
        "Upload": st.just(graphql.NullValueNode()),
    }
    strategy = from_schema(schema, custom_scalars=scalars, mode=mode, allow_x00=True, codec=None)
    documents: list[str] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(document: str) -> None:
        documents.append(document)

    collect()
    return documents


@pytest.fixture(scope="module")
def generated() -> list[str]:
    return _generated(Mode.POSITIVE, 150) + _generated(Mode.NEGATIVE, 150)


async def test_generated_documents_never_fail_unexpectedly(
    gql: GraphQLClient, tokens: Tokens, generated: list[str]
) -> None:
    assert len(generated) >= 200
    who = [None, tokens.candidate, tokens.recruiter, tokens.admin]
    for index, document in enumerate(generated):
        response = await send(gql, document, token=who[index % len(who)])
        coded_errors(response)
