"""A page costs the same number of SQL statements whatever its size (no N+1): discover,
myApplications, applicationsForJob, jobs and matches, at 10 and at 50 rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select

from app import Runtime
from db.models import Application, ApplicationHistory, Candidate, Match, Resume, User
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    EXPLANATION,
    candidate,
    company_of,
    insert_jobs,
    raw,
    recruiter,
)

PAGE = f"""
query($first: Int, $after: String) {{
  discover(first: $first, after: $after) {{
    edges {{
      cursor score explanation {{ {EXPLANATION} }}
      node {{ id title company {{ id name }} match {{ score grade }} }}
    }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""
# Per request: the access token check, which loads the user and primes the user loader (1: the
# candidate, and Job.match, cost nothing more), the iterative-scan settings, the ANN pool and its
# exact fallback (fewer than K = 300 jobs here), how crowded the boxes around Austin, TX are and
# the nearest jobs in reach (issue 12's first tier: an exact scan of that small subset), snapshot
# cleanup + insert, the page's jobs, the views, one batch of companies.
FIRST_PAGE_STATEMENTS = 11
# A later page: token check with the candidate (1), snapshot, the page's jobs, views, companies.
LATER_PAGE_STATEMENTS = 5


@contextmanager
def statements(runtime: Runtime) -> Iterator[list[str]]:
    engine = runtime.services.sessions.kw["bind"].sync_engine
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def _feed_world(gql: GraphQLClient, runtime: Runtime) -> str:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    specs = [
        {"title": f"Python engineer {n}", "skills": ["Python"], "description": f"Team {n}"}
        for n in range(120)
    ]
    await insert_jobs(runtime, await company_of(gql, boss), specs)
    return await candidate(gql, "ada@example.com")


async def test_discover_statement_count_does_not_grow_with_the_page_size(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada = await _feed_world(gql, runtime)
    await gql.ok(PAGE, {"first": 5}, token=ada)  # warm the pool's connections
    counts = {}
    for first in (10, 50):
        with statements(runtime) as seen:
            data = (await gql.ok(PAGE, {"first": first}, token=ada))["discover"]
        assert len(data["edges"]) == first
        counts[first] = len(seen)
    assert counts == {10: FIRST_PAGE_STATEMENTS, 50: FIRST_PAGE_STATEMENTS}, seen


async def test_later_pages_cost_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada = await _feed_world(gql, runtime)
    cursor = (await gql.ok(PAGE, {"first": 10}, token=ada))["discover"]["pageInfo"]["endCursor"]
    counts = {}
    for first in (10, 50):
        with statements(runtime) as seen:
            data = (await gql.ok(PAGE, {"first": first, "after": cursor}, token=ada))["discover"]
        assert len(data["edges"]) == first
        counts[first] = len(seen)
    assert counts == {10: LATER_PAGE_STATEMENTS, 50: LATER_PAGE_STATEMENTS}, seen


APPLICATION = f"""
  edges {{
    cursor
    node {{
      id status scoreAtApply createdAt job {{ id title company {{ id name }} }}
      candidate {{ id email }} history {{ status at actor {{ id }} note }}
      explanation {{ {EXPLANATION} }}
    }}
  }}
  pageInfo {{ hasNextPage endCursor }}
"""
MY_APPLICATIONS = f"query($first: Int) {{ myApplications(first: $first) {{ {APPLICATION} }} }}"
FOR_JOB = f"""query($jobId: ID!, $first: Int) {{
  applicationsForJob(jobId: $jobId, first: $first) {{ {APPLICATION} }}
}}"""
JOBS = """query($first: Int) { jobs(first: $first) {
  edges { cursor node { id title status skills company { id name } match { score grade } } }
  pageInfo { hasNextPage endCursor }
} }"""
MATCHES = f"""query($first: Int!) {{ matches(first: $first, minScore: 0) {{
  score job {{ id title company {{ id name }} }} explanation {{ {EXPLANATION} }}
}} }}"""
# Token check with the candidate (1), the page of applications, then one batch each: the history
# entries, the jobs (whose vectors Application.explanation needs) and their companies.
MY_APPLICATIONS_STATEMENTS = 5
# Token check (1), the job (may this recruiter see it?), the page, then one batch each: the job,
# the history entries, the candidates and the company.
FOR_JOB_STATEMENTS = 7
# Token check with the candidate (1, for Job.match too), the page of jobs, the companies.
JOBS_STATEMENTS = 3
# Token check with the candidate (1), the iterative-scan settings, the ANN pool and its exact
# fallback, how crowded the boxes in reach are and the nearest jobs there (issue 12's first tier),
# the jobs, the companies.
MATCHES_STATEMENTS = 8


def _rows(data: dict[str, Any], field: str) -> list[Any]:
    rows = data[field]
    return list(rows["edges"] if isinstance(rows, dict) else rows)


async def _statements_per_page(
    gql: GraphQLClient,
    runtime: Runtime,
    query: str,
    field: str,
    token: str,
    variables: dict[str, Any] | None = None,
) -> dict[int, int]:
    """{page size: statements} for full pages of 10 and 50 rows, on a warm connection pool."""
    await gql.ok(query, {**(variables or {}), "first": 5}, token=token)
    counts = {}
    for first in (10, 50):
        with statements(runtime) as seen:
            data = await gql.ok(query, {**(variables or {}), "first": first}, token=token)
        assert len(_rows(data, field)) == first
        counts[first] = len(seen)
    return counts


async def _applications_world(gql: GraphQLClient, runtime: Runtime) -> dict[str, str]:
    """60 jobs; Ada has applied to 55 of them, and 55 candidates like her to the first one
    (rows written directly: signing up 55 candidates would only slow the test down)."""
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    specs = [
        {"title": f"Python engineer {n}", "skills": ["Python"], "description": f"Team {n}"}
        for n in range(60)
    ]
    jobs = await insert_jobs(runtime, await company_of(gql, boss), specs)
    ada = await candidate(gql, "ada@example.com")
    ada_id = raw((await gql.ok("{ me { id } }", token=ada))["me"]["id"])
    now = datetime.now(UTC)
    async with runtime.services.sessions() as session, session.begin():
        template = (await session.execute(select(User).where(User.id == ada_id))).scalar_one()
        peers = [
            User(
                email=f"peer{n}@example.com",
                password_hash=template.password_hash,
                role=template.role,
                headline=template.headline,
                skills=template.skills,
                seniority=template.seniority,
                base_embedding=template.base_embedding,
                embedding_model=template.embedding_model,
            )
            for n in range(55)
        ]
        session.add_all(peers)
        await session.flush()
        pairs = [(ada_id, raw(job)) for job in jobs[:55]]
        pairs += [(peer.id, raw(jobs[0])) for peer in peers]
        for n, (user_id, job_id) in enumerate(pairs):
            at = now - timedelta(minutes=n)
            application = Application(
                user_id=user_id,
                job_id=job_id,
                status="SUBMITTED",
                score_at_apply=70,
                created_at=at,
                updated_at=at,
            )
            session.add(application)
            await session.flush()
            session.add(
                ApplicationHistory(
                    application_id=application.id, status="SUBMITTED", actor_id=user_id, at=at
                )
            )
    return {"boss": boss, "ada": ada, "job": jobs[0]}


async def test_my_applications_and_applications_for_job_cost_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    world = await _applications_world(gql, runtime)

    mine = await _statements_per_page(gql, runtime, MY_APPLICATIONS, "myApplications", world["ada"])
    for_job = await _statements_per_page(
        gql, runtime, FOR_JOB, "applicationsForJob", world["boss"], {"jobId": world["job"]}
    )

    assert mine == {10: MY_APPLICATIONS_STATEMENTS, 50: MY_APPLICATIONS_STATEMENTS}
    assert for_job == {10: FOR_JOB_STATEMENTS, 50: FOR_JOB_STATEMENTS}


async def test_a_jobs_page_costs_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada = await _feed_world(gql, runtime)

    counts = await _statements_per_page(gql, runtime, JOBS, "jobs", ada)

    assert counts == {10: JOBS_STATEMENTS, 50: JOBS_STATEMENTS}


async def test_matches_cost_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    ada = await _feed_world(gql, runtime)

    counts = await _statements_per_page(gql, runtime, MATCHES, "matches", ada)

    assert counts == {10: MATCHES_STATEMENTS, 50: MATCHES_STATEMENTS}


CANDIDATES = """query($first: Int) { candidates(first: $first) {
  edges { cursor node { id name status skills resume { id headline skills } } }
  pageInfo { hasNextPage endCursor }
} }"""
# Token check (1), the page of candidates, one batch of their resumes.
CANDIDATES_STATEMENTS = 3


async def test_a_candidate_pool_page_costs_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    company_id = await company_of(gql, boss)
    now = datetime.now(UTC)
    async with runtime.services.sessions() as session, session.begin():
        for n in range(55):
            row = Candidate(company_id=company_id, name=f"Candidate {n}", skills=["Python"])
            session.add(row)
            await session.flush()
            parsed = {"headline": "Developer", "skills": ["Python"]}
            session.add(
                Resume(
                    candidate_id=row.id,
                    format="text",
                    parsed_at=now,
                    text="Developer",
                    parsed=parsed,
                )
            )

    counts = await _statements_per_page(gql, runtime, CANDIDATES, "candidates", boss)

    assert counts == {10: CANDIDATES_STATEMENTS, 50: CANDIDATES_STATEMENTS}


FOR_JOB_RANKED = """query($jobId: ID!, $first: Int, $after: String) {
  candidatesForJob(jobId: $jobId, first: $first, after: $after) {
    edges { cursor score node { id source email skills candidate { id status resume { id } } }
            explanation { score matchedSkills } match { id status job { id } } }
    pageInfo { hasNextPage endCursor }
} }"""
# Token check (1), the job and the company (loaders; the records' job comes from the same
# loader), the pool's size, its exact nearest (a small pool), the nearest users, snapshot
# cleanup + insert, the page's match records, one batch of resumes.
RANKED_FIRST_STATEMENTS = 10
# A later page: token check (1), job, company, snapshot, match records, the page's people (pool,
# users), resumes.
RANKED_LATER_STATEMENTS = 8


async def test_candidates_for_job_costs_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    company_id = await company_of(gql, boss)
    ids = await insert_jobs(
        runtime, company_id, [{"title": "Python engineer", "skills": ["Python"]}]
    )
    job_id = raw(ids[0])
    texts = [f"Python developer {n}" for n in range(120)]
    vectors = await runtime.services.embedder.embed(texts)
    async with runtime.services.sessions() as session, session.begin():
        for n, vector in enumerate(vectors):
            row = Candidate(
                company_id=company_id,
                name=f"Candidate {n}",
                headline=texts[n],
                skills=["Python"],
                embedding=[float(x) for x in vector],
                embedding_model=runtime.services.embedder.model_name,
            )
            session.add(row)
            await session.flush()
            if n % 2:
                session.add(
                    Match(
                        company_id=company_id,
                        job_id=job_id,
                        candidate_id=row.id,
                        score=50.0,
                        preset="FIVE_FACTOR",
                        preset_version=1,
                        explanation={},
                    )
                )
    variables = {"jobId": ids[0]}
    first = await _statements_per_page(
        gql, runtime, FOR_JOB_RANKED, "candidatesForJob", boss, variables
    )
    cursor = (await gql.ok(FOR_JOB_RANKED, {**variables, "first": 5}, token=boss))[
        "candidatesForJob"
    ]["pageInfo"]["endCursor"]
    later = await _statements_per_page(
        gql, runtime, FOR_JOB_RANKED, "candidatesForJob", boss, {**variables, "after": cursor}
    )
    assert (first, later) == (
        {10: RANKED_FIRST_STATEMENTS, 50: RANKED_FIRST_STATEMENTS},
        {10: RANKED_LATER_STATEMENTS, 50: RANKED_LATER_STATEMENTS},
    )


MATCH_RECORDS = """query($id: ID!, $first: Int) {
  matchesForCandidate(candidateId: $id, first: $first) {
    edges { cursor node { id score status explanation { score } job { id company { name } }
            candidate { id name } history { status actor { id } } } }
    pageInfo { hasNextPage endCursor }
} }"""
# Token check (1), the candidate's company check, the page, one batch each of jobs, companies,
# candidates and histories.
MATCH_RECORDS_STATEMENTS = 7


async def test_a_match_records_page_costs_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    from resolvers.matches import rematch
    from schema.ids import to_global_id

    boss = await recruiter(gql, "boss@acme.test", "Acme")
    company_id = await company_of(gql, boss)
    specs = [{"title": f"Python Engineer {n}", "skills": ["Python"]} for n in range(55)]
    await insert_jobs(runtime, company_id, specs)
    async with runtime.services.sessions() as session, session.begin():
        row = Candidate(company_id=company_id, name="Jane", skills=["Python"])
        session.add(row)
        await session.flush()
        await rematch(session, row, runtime.services.clock(), None)
    candidate_id = to_global_id("Candidate", row.id)

    counts = await _statements_per_page(
        gql, runtime, MATCH_RECORDS, "matchesForCandidate", boss, {"id": candidate_id}
    )

    assert counts == {10: MATCH_RECORDS_STATEMENTS, 50: MATCH_RECORDS_STATEMENTS}


INTERVIEWS = """query($first: Int, $after: String) {
  interviews(first: $first, after: $after) {
    edges { cursor node {
      id type status scheduledAt matchId match { id }
      application { id status job { id title company { name } } } candidate { id name }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""
# Token check (1), the page of interviews, then one batched load per related entity the page
# needs (applications, jobs, companies here), however many rows the page has.
INTERVIEWS_STATEMENTS = 5


async def test_an_interviews_page_costs_a_fixed_number_of_statements(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    from db.models import Interview

    world = await _applications_world(gql, runtime)
    company_id = await company_of(gql, world["boss"])
    ada_id = raw((await gql.ok("{ me { id } }", token=world["ada"]))["me"]["id"])
    start = datetime.now(UTC) + timedelta(days=1)
    async with runtime.services.sessions() as session, session.begin():
        mine = select(Application).where(Application.user_id == ada_id)
        for n, application in enumerate((await session.execute(mine)).scalars()):
            session.add(
                Interview(
                    company_id=company_id,
                    application_id=application.id,
                    candidate_user_id=ada_id,
                    type="VIDEO",
                    scheduled_at=start + timedelta(hours=2 * n),
                    duration_minutes=60,
                )
            )

    recruiter = await _statements_per_page(gql, runtime, INTERVIEWS, "interviews", world["boss"])
    candidate = await _statements_per_page(gql, runtime, INTERVIEWS, "interviews", world["ada"])

    assert recruiter == {10: INTERVIEWS_STATEMENTS, 50: INTERVIEWS_STATEMENTS}
    assert candidate == {10: INTERVIEWS_STATEMENTS, 50: INTERVIEWS_STATEMENTS}
