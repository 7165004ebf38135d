"""Hostile input through the real app: each known attack, then generated documents; every answer
is GraphQL JSON with a SPEC §7 code, never a 5xx or a masked unexpected error."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from app import Runtime
from domain.enums import Role
from resolvers import auth
from schema import build_schema
from tests.api.conftest import GraphQLClient, register
from tests.api.hostile_support import coded_errors, first_code, fragment_bomb, json_body
from tests.api.hostile_support import same_named_fields as same_named

NUL, SURROGATE = "\x00", "\ud800"
PASSWORD = "correct-horse-1"


@dataclass
class Tokens:
    candidate: str
    candidate_refresh: str
    recruiter: str
    admin: str


@pytest.fixture
async def tokens(gql: GraphQLClient, runtime: Runtime) -> Tokens:
    candidate = await register(gql, "seeker@example.com")
    recruiter = await register(gql, "hirer@example.com", "RECRUITER", "Acme")
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", "operator-pass-1", Role.PLATFORM_ADMIN
    )
    admin = await gql.ok(
        'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
    )
    return Tokens(
        candidate["accessToken"],
        candidate["refreshToken"],
        recruiter["accessToken"],
        admin["login"]["accessToken"],
    )


async def send(
    gql: GraphQLClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await gql.http.post(
        "/graphql",
        content=json_body({"query": query, "variables": variables or {}}),
        headers=headers,
    )


async def test_documents_that_would_stall_validation_are_too_complex(gql: GraphQLClient) -> None:
    cyclic = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    for document in (fragment_bomb(30), same_named(550), cyclic):
        response = await send(gql, document)
        assert first_code(response) in ("QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED"), document[
            :80
        ]
    assert first_code(await send(gql, fragment_bomb(30))) == "QUERY_TOO_COMPLEX"
    assert first_code(await send(gql, same_named(550))) == "QUERY_TOO_COMPLEX"


# (operation, variables with a "{bad}" placeholder, which token)
STRING_ARGUMENTS: list[tuple[str, dict[str, Any], str | None]] = [
    ("query($v: ID!) { jobAnalytics(jobId: $v) { impressions } }", {"v": "Sm9i{bad}"}, "recruiter"),
    (
        "mutation($v: String!) { login(input: {email: $v, password: $v}) { accessToken } }",
        {"v": "x{bad}@example.com"},
        None,
    ),
    (
        "mutation($v: String!) { refreshToken(refreshToken: $v) { accessToken } }",
        {"v": "a{bad}"},
        None,
    ),
    ("mutation($v: String!) { logout(refreshToken: $v) }", {"v": "a{bad}"}, "candidate"),
    (
        "query($v: String!) { searchJobs(query: $v) { edges { cursor } } }",
        {"v": "py{bad}"},
        "candidate",
    ),
    (
        "mutation($v: String!) { updateMe(input: {headline: $v}) { id } }",
        {"v": "dev{bad}"},
        "candidate",
    ),
    (
        "mutation($v: [String!]) { updateMe(input: {preferredLocations: $v}) { id } }",
        {"v": ["Austin{bad}"]},
        "candidate",
    ),
    (
        'mutation($v: String!) { createJob(input: {title: $v, description: "d"}) { id } }',
        {"v": "Engineer{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: String!) { updateCompany(input: {description: $v}) { id } }",
        {"v": "x{bad}"},
        "recruiter",
    ),
    (
        "query($v: String!) { jobs(filter: {location: $v}) { edges { cursor } } }",
        {"v": "Austin{bad}"},
        "candidate",
    ),
    (
        "mutation($v: String!) { uploadResume(text: $v) { resume { id } } }",
        {"v": "Backend engineer{bad}"},
        "candidate",
    ),
    (
        'mutation($v: String!) { addCandidate(text: "Engineer", input: {name: $v}) { id } }',
        {"v": "Ana{bad}"},
        "recruiter",
    ),
    (
        'query($v: String!) { candidatesForJob(jobId: "Sm9iOjA", after: $v) { edges { cursor } } }',
        {"v": "cjE{bad}"},
        "recruiter",
    ),
    (
        "query($v: String!) { candidates(filter: {search: $v, location: $v}) { edges { cursor } } }",
        {"v": "Ana{bad}"},
        "recruiter",
    ),
    (
        "query($v: [String!]) { candidates(filter: {skillsAny: $v}) { edges { cursor } } }",
        {"v": ["Python{bad}"]},
        "recruiter",
    ),
    (
        'mutation($v: String!) { updateCandidate(id: "Q", input: {name: $v}) { id } }',
        {"v": "Ana{bad}"},
        "recruiter",
    ),
    ("mutation($v: ID!) { archiveCandidate(id: $v) { id } }", {"v": "Q{bad}"}, "recruiter"),
    (
        "mutation($v: ID!) { generateMatches(candidateId: $v) { matches { id } } }",
        {"v": "Q{bad}"},
        "recruiter",
    ),
    (
        'query($v: String!) { matchesForCandidate(candidateId: "Q", after: $v) { edges { cursor } } }',
        {"v": "czE{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { updateMatchStatus(id: "TWF0", status: VIEWED, note: $v) { id } }',
        {"v": "ok{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { shortlistCandidate(jobId: "Sm9i", candidateId: "Q", note: $v) { id } }',
        {"v": "ok{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { scheduleInterview(input: {applicationId: "QXBw", type: VIDEO, '
        'scheduledAt: "2099-01-01T09:00:00Z", location: $v, link: $v}) { id } }',
        {"v": "HQ{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { rescheduleInterview(id: "SW50", input: '
        '{scheduledAt: "2099-01-01T09:00:00Z", location: $v}) { id } }',
        {"v": "HQ{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { cancelInterview(id: "SW50", reason: $v) { id } }',
        {"v": "ill{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { completeInterview(id: "SW50", feedback: $v, rating: 3) { id } }',
        {"v": "good{bad}"},
        "recruiter",
    ),
    (
        "query($v: String!) { interviews(after: $v) { edges { cursor } } }",
        {"v": "azE{bad}"},
        "candidate",
    ),
    ("query($v: ID!) { candidate(id: $v) { id } }", {"v": "Q{bad}"}, "recruiter"),
    ("query($v: ID!) { interview(id: $v) { id } }", {"v": "SW50{bad}"}, "candidate"),
    ("query($v: ID!) { node(id: $v) { id } }", {"v": "SW50{bad}"}, "candidate"),
    (
        "query($v: ID!) { candidatesForJob(jobId: $v) { edges { cursor } } }",
        {"v": "Sm9i{bad}"},
        "recruiter",
    ),
    (
        "query($v: ID!) { matchesForCandidate(candidateId: $v) { edges { cursor } } }",
        {"v": "Q{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: ID!) { updateMatchStatus(id: $v, status: VIEWED) { id } }",
        {"v": "TWF0{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: ID!) { shortlistCandidate(jobId: $v, candidateId: $v) { id } }",
        {"v": "Sm9i{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: ID!) { scheduleInterview(input: {applicationId: $v, matchId: $v, "
        'type: VIDEO, scheduledAt: "2099-01-01T09:00:00Z"}) { id } }',
        {"v": "QXBw{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { rescheduleInterview(id: "SW50", input: '
        '{scheduledAt: "2099-01-01T09:00:00Z", link: $v}) { id } }',
        {"v": "https://meet.example.com/{bad}"},
        "recruiter",
    ),
    ("mutation($v: ID!) { cancelInterview(id: $v) { id } }", {"v": "SW50{bad}"}, "recruiter"),
    (
        'mutation($v: String!, $l: [String!]) { updateCandidate(id: "Q", input: {email: $v, '
        "phone: $v, headline: $v, salaryCurrency: $v, skills: $l, preferredLocations: $l, "
        "preferredRoles: $l}) { id } }",
        {"v": "x{bad}", "l": ["x{bad}"]},
        "recruiter",
    ),
    (
        "mutation($v: String!, $l: [String!]) { addCandidate(text: $v, input: {email: $v, "
        "phone: $v, headline: $v, salaryCurrency: $v, skills: $l, preferredRoles: $l}) { id } }",
        {"v": "Engineer{bad}", "l": ["Python{bad}"]},
        "recruiter",
    ),
    (
        'mutation($v: [JobImportInput!]) { importJobs(platform: "ashby", jobs: $v) { id failed } }',
        {"v": [{"externalJobId": "1", "title": "Engineer{bad}"}]},
        "admin",
    ),
]


def _fill(value: Any, bad: str) -> Any:
    if isinstance(value, str):
        return value.replace("{bad}", bad)
    if isinstance(value, list):
        return [_fill(item, bad) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, bad) for key, item in value.items()}
    return value


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


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "not a date", "2026-13-45"]
)
async def test_out_of_range_dates_are_bad_user_input(
    gql: GraphQLClient, tokens: Tokens, stamp: str
) -> None:
    query = "query($d: DateTime!) { jobs(filter: {postedSince: $d}) { edges { cursor } } }"
    assert first_code(await send(gql, query, {"d": stamp}, tokens.candidate)) == "BAD_USER_INPUT"


async def test_cursors_with_out_of_range_dates_are_bad_user_input(
    gql: GraphQLClient, tokens: Tokens
) -> None:
    query = "query($a: String!) { jobs(after: $a) { edges { cursor } } }"
    for stamp in ("0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"):
        cursor = base64.urlsafe_b64encode(
            f"k1|{stamp}|00000000-0000-0000-0000-000000000000".encode()
        ).decode()
        assert (
            first_code(await send(gql, query, {"a": cursor}, tokens.candidate)) == "BAD_USER_INPUT"
        )


@pytest.mark.parametrize("body", [b"null", b"true", b"1", b'"x"', b"[]", b"{}"])
async def test_bodies_that_are_not_a_request_are_bad_request(
    gql: GraphQLClient, body: bytes
) -> None:
    response = await gql.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert first_code(response) == "BAD_REQUEST"


UPLOAD = 'mutation($f: Upload) { importJobs(platform: "ashby", file: $f) { id } }'


@pytest.mark.parametrize(
    "mapping",
    ["[]", '"x"', '{"0":[1]}', '{"0":["variables.f.0.x"]}', '{"0":"variables.f"}', "nope"],
)
async def test_broken_multipart_maps_are_bad_request(
    gql: GraphQLClient, tokens: Tokens, mapping: str
) -> None:
    response = await gql.http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": UPLOAD, "variables": {"f": None}}),
            "map": mapping,
        },
        files={"0": ("jobs.json", b"[]", "application/json")},
        headers={"authorization": f"Bearer {tokens.admin}", "apollo-require-preflight": "true"},
    )
    assert response.status_code == 400, response.text
    assert first_code(response) == "BAD_REQUEST"


async def test_broken_multipart_bodies_are_bad_request(gql: GraphQLClient, tokens: Tokens) -> None:
    for operations in ("[1]", "null", "{not json"):
        response = await gql.http.post(
            "/graphql",
            data={"operations": operations, "map": '{"0":["variables.f"]}'},
            files={"0": ("jobs.json", b"[]", "application/json")},
            headers={"authorization": f"Bearer {tokens.admin}", "apollo-require-preflight": "true"},
        )
        assert response.status_code == 400, (operations, response.text)
        assert first_code(response) == "BAD_REQUEST"
    garbage = await gql.http.post(
        "/graphql",
        content=b"--xyz\r\nContent-Disposition: form-data\r\n\r\nbroken",
        headers={
            "content-type": "multipart/form-data; boundary=abc",
            "apollo-require-preflight": "true",
        },
    )
    assert 400 <= garbage.status_code < 500
    assert first_code(garbage) == "BAD_REQUEST"


async def test_multipart_without_a_preflight_header_is_refused_as_csrf(
    gql: GraphQLClient, tokens: Tokens
) -> None:
    operations = json.dumps({"query": UPLOAD, "variables": {"f": None}})
    response = await gql.http.post(
        "/graphql",
        data={"operations": operations, "map": '{"0":["variables.f"]}'},
        files={"0": ("jobs.json", b"[]", "application/json")},
        headers={"authorization": f"Bearer {tokens.admin}"},
    )
    assert response.status_code == 400
    assert first_code(response) == "BAD_REQUEST"
    assert "preflight" in response.json()["errors"][0]["message"].lower()


async def test_subscriptions_over_plain_http_are_bad_request(
    gql: GraphQLClient, tokens: Tokens
) -> None:
    query = "subscription { matchFound { eventId } }"
    posted = await send(gql, query, token=tokens.candidate)
    fetched = await gql.http.get(
        "/graphql", params={"query": query}, headers={"authorization": f"Bearer {tokens.candidate}"}
    )
    for response in (posted, fetched):
        assert response.status_code == 400, response.text
        assert first_code(response) == "BAD_REQUEST"
        assert "websocket" in response.json()["errors"][0]["message"].lower()


async def test_huge_strings_are_refused_before_parsing(gql: GraphQLClient, tokens: Tokens) -> None:
    query = 'mutation($v: String!) { createJob(input: {title: "Engineer", location: $v}) { id } }'
    response = await send(gql, query, {"v": "python " * 5000}, tokens.recruiter)
    assert first_code(response) == "BAD_USER_INPUT"
    assert response.json()["errors"][0]["extensions"].get("field") == "location"


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
