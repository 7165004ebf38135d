"""NUL and lone surrogates in every string argument and in GraphQL literals are BAD_USER_INPUT."""

from __future__ import annotations

import pytest

from tests.api.conftest import GraphQLClient
from tests.api.hostile_string_cases import STRING_ARGUMENTS
from tests.api.hostile_support import NUL, SURROGATE, Tokens, _fill, coded_errors, first_code, send


@pytest.mark.parametrize(
    "bad", [NUL, SURROGATE, "\udfff", "a\ud800b"], ids=["nul", "high", "low", "mid"]
)
async def test_nul_and_lone_surrogates_in_any_string_are_bad_user_input(
    gql: GraphQLClient, tokens: Tokens, bad: str
) -> None:
    for query, variables, who in STRING_ARGUMENTS:
        token = getattr(tokens, who) if who else None
        response = await send(gql, query, _fill(variables, bad), token)
        codes = coded_errors(response)
        if "importJobs" in query and not codes:
            assert response.json()["data"]["importJobs"]["failed"] == 1  # a failed row, not a 500
            continue
        assert codes and codes[0] == "BAD_USER_INPUT", (query, response.text[:300])


async def test_nul_in_a_graphql_string_literal_is_bad_user_input(
    gql: GraphQLClient, tokens: Tokens
) -> None:
    response = await send(
        gql, '{ searchJobs(query: "py\\u0000") { edges { cursor } } }', token=tokens.candidate
    )
    assert first_code(response) == "BAD_USER_INPUT"
