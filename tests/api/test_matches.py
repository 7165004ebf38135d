"""Match records through the API: generateMatches, the candidate's list, the status pipeline,
shortlisting, the refreshes that keep records current, and who may see what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app import Runtime
from db.models import Event, Match
from resolvers.matches import refresh_for_jobs
from tests.api.conftest import GraphQLClient, register
from tests.api.feed_support import (
    BACKEND_JOBS,
    OTHER_JOBS,
    candidate,
    company_of,
    insert_jobs,
    raw,
    recruiter,
    set_job,
)
from tests.api.resume_support import ADD_CANDIDATE, PASTED

RECORD = (
    "id score preset presetVersion status createdAt userId job { id title } candidate { id } "
    "explanation { preset score matchedSkills factors { name contribution } } "
    "history { status actor { id } note }"
)
GENERATE = f"""mutation($id: ID!) {{
  generateMatches(candidateId: $id) {{ candidate {{ id status }} matches {{ {RECORD} }} }}
}}"""
LIST = f"""query($id: ID!, $first: Int, $after: String, $status: [MatchStatus!]) {{
  matchesForCandidate(candidateId: $id, first: $first, after: $after, status: $status) {{
    edges {{ cursor node {{ {RECORD} }} }} pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
MOVE = f"""mutation($id: ID!, $status: MatchStatus!, $note: String) {{
  updateMatchStatus(id: $id, status: $status, note: $note) {{ {RECORD} }}
}}"""
SHORTLIST = f"""mutation($job: ID!, $who: ID!, $note: String) {{
  shortlistCandidate(jobId: $job, candidateId: $who, note: $note) {{ {RECORD} }}
}}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Match { status score } } }"
UPDATE = "mutation($id: ID!, $input: UpdateCandidateInput!) { updateCandidate(id: $id, input: $input) { id } }"


async def _agency(gql: GraphQLClient, email: str, name: str) -> str:
    data = await gql.ok(
        "mutation($input: RegisterInput!) { register(input: $input) { accessToken } }",
        {
            "input": {
                "email": email,
                "password": "correct-horse-1",
                "role": "RECRUITER",
                "companyName": name,
                "companyKind": "AGENCY",
            }
        },
    )
    token: str = data["register"]["accessToken"]
    return token


async def _add(gql: GraphQLClient, token: str, text: str = PASTED, **fields: Any) -> str:
    data = await gql.ok(ADD_CANDIDATE, {"text": text, "input": fields or None}, token=token)
    candidate_id: str = data["addCandidate"]["id"]
    return candidate_id


async def _world(gql: GraphQLClient, runtime: Runtime) -> dict[str, Any]:
    """An employer (Acme) with backend and unrelated jobs; an agency (StaffCo) with Jane."""
    acme = await recruiter(gql, "boss@acme.test", "Acme")
    jobs = await insert_jobs(runtime, await company_of(gql, acme), BACKEND_JOBS + OTHER_JOBS)
    staff = await _agency(gql, "boss@staffco.test", "StaffCo")
    jane = await _add(gql, staff, name="Jane", preferredLocations=["Austin, TX"])
    return {"acme": acme, "staff": staff, "jobs": jobs, "jane": jane}


async def _generated(gql: GraphQLClient, token: str, candidate_id: str) -> dict[str, Any]:
    data = await gql.ok(GENERATE, {"id": candidate_id}, token=token)
    result: dict[str, Any] = data["generateMatches"]
    return result


async def test_generate_matches_keeps_scores_of_50_up_best_first_and_makes_the_candidate_ready(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    result = await _generated(gql, w["staff"], w["jane"])
    assert result["candidate"]["status"] == "READY"
    kept = result["matches"]
    scores = [m["score"] for m in kept]
    assert kept and all(s >= 50 for s in scores)
    assert scores == sorted(scores, reverse=True)
    titles = {m["job"]["title"] for m in kept}
    assert "Senior Python Backend Engineer" in titles  # an agency reaches another company's job
    assert "Registered Nurse" not in titles
    first = kept[0]
    assert first["status"] == "SUGGESTED" and first["preset"] == "FIVE_FACTOR"
    assert first["explanation"]["score"] == first["score"]
    assert [h["status"] for h in first["history"]] == ["SUGGESTED"]
    assert first["candidate"]["id"] == w["jane"] and first["userId"] is None
    # Generating again re-scores the same records: one per (candidate, job), no duplicates.
    again = await _generated(gql, w["staff"], w["jane"])
    assert [m["id"] for m in again["matches"]] == [m["id"] for m in kept]


async def test_generate_matches_keeps_at_most_50(gql: GraphQLClient, runtime: Runtime) -> None:
    acme = await recruiter(gql, "boss@acme.test", "Acme")
    many = [
        {
            "title": f"Python Backend Engineer {n}",
            "skills": ["Python", "PostgreSQL", "Docker"],
            "description": "Python APIs on PostgreSQL in Docker.",
        }
        for n in range(55)
    ]
    company = await company_of(gql, acme)
    await insert_jobs(runtime, company, many)
    jane = await _add(gql, acme, name="Jane")
    kept = (await _generated(gql, acme, jane))["matches"]
    assert len(kept) == 50
    async with runtime.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Match)) == 50
    # A new job no better than the 50th stays out; a better one enters and pushes it out.
    [same, better] = await insert_jobs(runtime, company, [many[0], many[0]])
    await set_job(runtime, better, city="Austin", region="TX", location="Austin, TX")
    assert await refresh_for_jobs(runtime.services, [raw(same)]) == 0
    assert await refresh_for_jobs(runtime.services, [raw(better)]) == 1
    listed = (await gql.ok(LIST, {"id": jane, "first": 100}, token=acme))["matchesForCandidate"]
    nodes = [e["node"] for e in listed["edges"]]
    assert len(nodes) == 50 and nodes[0]["job"]["id"] == better
    assert kept[-1]["id"] not in {n["id"] for n in nodes}


async def test_an_employer_pool_is_matched_only_with_its_own_jobs(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    globex = await recruiter(gql, "boss@globex.test", "Globex")
    own = await insert_jobs(runtime, await company_of(gql, globex), BACKEND_JOBS[:1])
    bob = await _add(gql, globex, name="Bob")
    kept = (await _generated(gql, globex, bob))["matches"]
    assert [m["job"]["id"] for m in kept] == own
    assert w["jobs"][0] not in {m["job"]["id"] for m in kept}


async def test_update_match_status_moves_forward_with_history_and_rejected_is_final(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    record = (await _generated(gql, w["staff"], w["jane"]))["matches"][0]
    viewed = (await gql.ok(MOVE, {"id": record["id"], "status": "VIEWED"}, token=w["staff"]))[
        "updateMatchStatus"
    ]
    assert viewed["status"] == "VIEWED"
    moved = await gql.ok(
        MOVE, {"id": record["id"], "status": "CONTACTED", "note": "called"}, token=w["staff"]
    )
    history = moved["updateMatchStatus"]["history"]
    assert [h["status"] for h in history] == ["SUGGESTED", "VIEWED", "CONTACTED"]
    assert history[-1]["note"] == "called" and history[-1]["actor"]["id"]
    back = {"id": record["id"], "status": "VIEWED"}
    assert await gql.error_code(MOVE, back, token=w["staff"]) == "BAD_USER_INPUT"
    await gql.ok(MOVE, {"id": record["id"], "status": "REJECTED"}, token=w["staff"])
    forward = {"id": record["id"], "status": "APPLIED"}
    assert await gql.error_code(MOVE, forward, token=w["staff"]) == "BAD_USER_INPUT"


async def test_matches_for_candidate_pages_best_first_and_closed_jobs_leave_the_list(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    kept = (await _generated(gql, w["staff"], w["jane"]))["matches"]
    assert len(kept) >= 3
    seen: list[str] = []
    after = None
    while True:
        page = (
            await gql.ok(LIST, {"id": w["jane"], "first": 2, "after": after}, token=w["staff"])
        )["matchesForCandidate"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [m["id"] for m in kept]
    best = kept[0]
    await set_job(runtime, best["job"]["id"], status="CLOSED")
    listed = (await gql.ok(LIST, {"id": w["jane"], "first": 50}, token=w["staff"]))[
        "matchesForCandidate"
    ]
    assert best["id"] not in [e["node"]["id"] for e in listed["edges"]]
    assert len(listed["edges"]) == len(kept) - 1
    async with runtime.services.sessions() as session:
        assert await session.get(Match, raw(best["id"])) is not None  # kept for history
    only = {"id": w["jane"], "first": 50, "status": ["VIEWED"]}
    assert (await gql.ok(LIST, only, token=w["staff"]))["matchesForCandidate"]["edges"] == []


async def test_shortlisting_a_pool_candidate_or_an_open_user_creates_one_record(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    job = w["jobs"][0]
    first = (
        await gql.ok(SHORTLIST, {"job": job, "who": w["jane"], "note": "strong"}, token=w["staff"])
    )["shortlistCandidate"]
    assert first["status"] == "SHORTLISTED" and first["job"]["id"] == job
    assert [h["status"] for h in first["history"]] == ["SUGGESTED", "SHORTLISTED"]
    again = (await gql.ok(SHORTLIST, {"job": job, "who": w["jane"]}, token=w["staff"]))[
        "shortlistCandidate"
    ]
    assert again["id"] == first["id"] and len(again["history"]) == 2
    ada = await candidate(gql, "ada@example.com")
    ada_id = (await gql.ok("{ me { id } }", token=ada))["me"]["id"]
    user_record = (await gql.ok(SHORTLIST, {"job": job, "who": ada_id}, token=w["acme"]))[
        "shortlistCandidate"
    ]
    assert user_record["userId"] == ada_id and user_record["candidate"] is None
    assert user_record["explanation"]["score"] > 0
    # generateMatches later finds the shortlisted record and leaves its status alone.
    kept = (await _generated(gql, w["staff"], w["jane"]))["matches"]
    assert {m["id"]: m["status"] for m in kept}.get(first["id"]) == "SHORTLISTED"


async def test_a_user_closed_to_recruiters_cannot_be_shortlisted(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    token = (await register(gql, "hidden@example.com"))["accessToken"]
    await gql.ok("mutation { updateMe(input: {openToRecruiters: false}) { id } }", token=token)
    hidden = (await gql.ok("{ me { id } }", token=token))["me"]["id"]
    variables = {"job": w["jobs"][0], "who": hidden}
    assert await gql.error_code(SHORTLIST, variables, token=w["acme"]) == "NOT_FOUND"


async def test_a_new_active_job_is_matched_against_the_pools_it_reaches(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    w = await _world(gql, runtime)
    await _generated(gql, w["staff"], w["jane"])
    globex = await recruiter(gql, "boss@globex.test", "Globex")
    bob = await _add(gql, globex, name="Bob")  # an employer's pool: Acme's job is out of reach
    await _generated(gql, globex, bob)
    new = await insert_jobs(
        runtime,
        await company_of(gql, w["acme"]),
        [
            {
                "title": "Senior Python Backend Engineer, Payments",
                "skills": ["Python", "PostgreSQL", "Docker"],
                "description": "Python APIs on PostgreSQL for fintech payments.",
            }
        ],
    )
    async with runtime.services.sessions() as session:
        before = await session.scalar(select(func.max(Event.id))) or 0
    assert await refresh_for_jobs(runtime.services, [raw(new[0])]) == 1
    listed = (await gql.ok(LIST, {"id": w["jane"], "first": 50}, token=w["staff"]))[
        "matchesForCandidate"
    ]
    record = next(e["node"] for e in listed["edges"] if e["node"]["job"]["id"] == new[0])
    assert record["status"] == "SUGGESTED" and record["score"] >= 50
    async with runtime.services.sessions() as session:
        events = (await session.execute(select(Event).where(Event.id > before))).scalars().all()
    assert [(e.kind, e.payload["match_id"]) for e in events] == [
        ("CANDIDATE_MATCHED", str(raw(record["id"])))
    ]
    assert events[0].company_id == await company_of(gql, w["staff"])


async def test_a_changed_ready_candidate_is_rematched(gql: GraphQLClient, runtime: Runtime) -> None:
    w = await _world(gql, runtime)
    kept = (await _generated(gql, w["staff"], w["jane"]))["matches"]
    platform = next(m for m in kept if m["job"]["title"] == "Platform Engineer")
    before = platform["explanation"]["matchedSkills"]
    assert "Kubernetes" in before
    await gql.ok(UPDATE, {"id": w["jane"], "input": {"skills": ["Python"]}}, token=w["staff"])
    listed = (await gql.ok(LIST, {"id": w["jane"], "first": 50}, token=w["staff"]))[
        "matchesForCandidate"
    ]
    now = {e["node"]["job"]["id"]: e["node"] for e in listed["edges"]}
    changed = now.get(platform["job"]["id"])
    assert changed is None or "Kubernetes" not in changed["explanation"]["matchedSkills"]
    assert changed is None or changed["score"] < platform["score"]


async def test_another_company_finds_no_match_records(gql: GraphQLClient, runtime: Runtime) -> None:
    w = await _world(gql, runtime)
    record = (await _generated(gql, w["staff"], w["jane"]))["matches"][0]
    rival = await _agency(gql, "boss@rival.test", "Rival")
    ada = await candidate(gql, "ada@example.com")
    for token in (rival, w["acme"]):
        assert await gql.error_code(NODE, {"id": record["id"]}, token=token) == "NOT_FOUND"
        assert await gql.error_code(LIST, {"id": w["jane"]}, token=token) == "NOT_FOUND"
        assert await gql.error_code(GENERATE, {"id": w["jane"]}, token=token) == "NOT_FOUND"
        move = {"id": record["id"], "status": "VIEWED"}
        assert await gql.error_code(MOVE, move, token=token) == "NOT_FOUND"
        pick = {"job": w["jobs"][0], "who": w["jane"]}
        assert await gql.error_code(SHORTLIST, pick, token=token) == "NOT_FOUND"
    assert await gql.error_code(LIST, {"id": w["jane"]}, token=ada) == "FORBIDDEN"
    assert await gql.error_code(NODE, {"id": record["id"]}, token=ada) == "NOT_FOUND"
    assert (await gql.ok(NODE, {"id": record["id"]}, token=w["staff"]))["node"]["status"] == (
        "SUGGESTED"
    )
