"""matchFound's fan-out fast path (schema/fanout.py) gives every subscriber exactly what plain
GraphQL execution of its own query gives: same fields, order, aliases, fragments, __typename and
per-subscriber values, with the job part executed once for all of them."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from adapters.matches import score_matches
from app import Runtime
from db import outbox
from db.engine import read
from db.loaders import Loaders
from domain.enums import EventKind
from resolvers import auth
from resolvers.subscriptions import MatchFound
from schema import build_schema
from schema.context import Context
from schema.fanout import FanoutExecutionContext, SharedRender
from schema.scalars import StrictTextExecutionContext
from schema.subscriptions import MatchFoundEvent
from tests.api.conftest import register
from tests.graphql_client import GraphQLClient

PROFILES = [
    {"headline": "Senior Python backend engineer", "skills": ["Python", "Django", "AWS"]},
    {"headline": "Frontend developer, React", "skills": ["React", "TypeScript"]},
    {"headline": "Data scientist", "skills": ["Python", "SQL", "Machine Learning"]},
]
JOB = {
    "title": "Senior Python Backend Engineer",
    "description": "Build Django and PostgreSQL services on AWS.",
    "skills": ["Python", "Django", "PostgreSQL", "AWS"],
    "seniority": "SENIOR",
    "isRemote": True,
    "location": "Remote",
}
QUERIES = {
    "bench": """subscription { matchFound(minScore: 0) { eventId score
        job { id title company { name } } explanation { grade factors { name contribution } } } }""",
    "aliases_and_typename": """subscription { found: matchFound(minScore: 0) {
        __typename mine: score id: eventId
        role: job { __typename t: title id remote: isRemote posted: postedAt status }
        why: explanation { __typename s: score preset presetVersion recommended summary
          reasons gaps matchedSkills missingSkills failedFilters grade
          factors { __typename n: name weight value contribution } }
        again: explanation { score } } }""",
    "fragments_and_directives": """subscription($all: Boolean!, $none: Boolean!) {
        matchFound(minScore: 0) { ...Event ... on MatchFoundEvent { score }
          explanation @include(if: $all) { ...Why factors @skip(if: $none) { name } }
          job @skip(if: $none) { ... on Node { id } ...JobPart } } }
      fragment Event on MatchFoundEvent { eventId explanation { grade } }
      fragment Why on MatchExplanation { score factors { weight value } }
      fragment JobPart on Job { title skills company { name __typename } salaryMin }""",
    "per_viewer_job_field": """subscription { matchFound(minScore: 0) {
        score job { title match { score grade } } } }""",
    "no_job": """subscription { matchFound(minScore: 0) { eventId score explanation { summary } } }""",
}
VARIABLES = {"all": True, "none": False}


async def _scenario(gql: GraphQLClient, runtime: Runtime) -> tuple[list[MatchFound], list[Any]]:
    """One createJob's event scored for three candidates, as the hub does it, and their viewers."""
    viewers = []
    for n, profile in enumerate(PROFILES):
        account = await register(gql, f"fan{n}@example.com")
        update = "mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }"
        profile = profile | {"seniority": "SENIOR", "remotePreference": "REMOTE_OK"}
        await gql.ok(update, {"i": profile}, account["accessToken"])
        viewers.append(await auth.authenticate(runtime.services, account["accessToken"]))
    recruiter = await register(gql, "boss@example.com", "RECRUITER", "Fanout Inc")
    create = "mutation($i: JobInput!) { createJob(input: $i) { id } }"
    await gql.ok(create, {"i": JOB}, recruiter["accessToken"])
    async with read(runtime.services.sessions) as session:
        events = await outbox.since(session, 0, kinds=[EventKind.JOB_ACTIVATED], limit=10)
    (event,) = events
    listeners = [(viewer.id, 0.0) for viewer in viewers]
    now = runtime.services.clock()
    matched = await score_matches(runtime.services.sessions, events, listeners, now=now)
    shared: dict[str, Any] = {}
    found = [
        MatchFound(event.id, m.job, m.company, m.explanation, shared)
        for m in (matched[(event.id, viewer.id)] for viewer in viewers)
    ]
    assert len({f.explanation.score for f in found}) == len(found)  # different for each
    return found, viewers


async def _execute(
    executor_class: Any, schema: Any, query: str, event: MatchFoundEvent, context: Context
) -> dict[str, Any]:
    executor = executor_class.build(
        schema._schema, parse(query), None, context, VARIABLES, None
    ).build_per_event_executor(event)
    result = executor.execute_operation(False)
    if executor.is_awaitable(result):
        result = await result
    return {"data": result.data, "errors": [e.formatted for e in result.errors or []]}


@pytest.mark.parametrize("name", list(QUERIES))
async def test_each_subscriber_gets_what_plain_execution_of_its_query_gives(
    name: str, gql: GraphQLClient, runtime: Runtime
) -> None:
    found, viewers = await _scenario(gql, runtime)
    schema = build_schema(runtime.services.settings)
    query = QUERIES[name]
    document = parse(query)  # one parsed document for all, as the parser cache gives sockets

    def context(viewer: Any) -> Context:
        loaders = Loaders.create(runtime.services.sessions, cache=False)
        return Context(runtime.services, loaders, request=None, viewer=viewer)  # type: ignore[arg-type]

    fast, plain = [], []
    for one, viewer in zip(found, viewers, strict=True):
        executor = FanoutExecutionContext.build(
            schema._schema, document, None, context(viewer), VARIABLES, None
        ).build_per_event_executor(MatchFoundEvent.of(one))
        result = executor.execute_operation(False)
        if executor.is_awaitable(result):
            result = await result
        fast.append({"data": result.data, "errors": [e.formatted for e in result.errors or []]})
        alone = MatchFound(one.event_id, one.job, one.company, one.explanation)  # no sharing
        plain.append(
            await _execute(
                StrictTextExecutionContext,
                schema,
                query,
                MatchFoundEvent.of(alone),
                context(viewer),
            )
        )
    assert fast == plain
    assert all(not result["errors"] for result in plain)
    # Key order too: JSON clients see the fields in the order they asked for them.
    assert [list(r["data"]) for r in fast] == [list(r["data"]) for r in plain]
    assert [list(next(iter(r["data"].values()))) for r in fast] == [
        list(next(iter(r["data"].values()))) for r in plain
    ]
    render = found[0].shared["render"] if found[0].shared else None
    assert isinstance(render, SharedRender)
    ((_, shape),) = render.shapes.values()
    if name == "per_viewer_job_field":
        assert shape is None  # Job.match is the viewer's: executed for each subscriber
        return
    assert shape is not None
    shared_job = shape.shared.result()
    if name != "no_job":
        assert shared_job  # executed once, reused by the other subscribers
        subscriber_results = [next(iter(r["data"].values())) for r in fast]
        for key in shared_job:
            assert all(result[key] is shared_job[key] for result in subscriber_results[1:])
