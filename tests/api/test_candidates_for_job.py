"""candidatesForJob: a company's pool, the job's applicants and candidates open to recruiters,
ranked for a job by two-stage retrieval with explanations; pages, sources, agencies, refusals."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import update

from app import Runtime
from db import recruiting as db_recruiting
from db.models import Candidate, Company, Match
from domain.enums import CompanyKind
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    SWIPE,
    candidate,
    company_of,
    gid,
    post,
    raw,
    recruiter,
    set_job,
)
from tests.api.resume_support import ADD_CANDIDATE, PASTED, code, pdf_bytes, upload

PERSON = (
    "id source name email phone headline skills yearsOfExperience seniority location "
    "preferredLocations remotePreference salaryMin salaryMax candidate { id status }"
)
RANKED = f"""query($jobId: ID!, $first: Int, $after: String, $sources: [CandidateSource!],
                  $preset: ScoringPreset, $minScore: Float) {{
  candidatesForJob(jobId: $jobId, first: $first, after: $after, sources: $sources,
                   preset: $preset, minScore: $minScore) {{
    edges {{ cursor score node {{ {PERSON} }}
            explanation {{ preset score matchedSkills missingSkills factors {{ name value }} }}
            match {{ id status score }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
BACKEND_JOB = {
    "skills": ["Python", "PostgreSQL", "Docker"],
    "description": "Build Python APIs and PostgreSQL data services; deploy with Docker.",
    "experienceMin": 3,
}


async def _ranked(gql: GraphQLClient, token: str, **variables: Any) -> dict[str, Any]:
    data = await gql.ok(RANKED, variables, token=token)
    return dict(data["candidatesForJob"])


async def _everything(gql: GraphQLClient, token: str, first: int, **variables: Any) -> list[Any]:
    edges: list[Any] = []
    after = None
    while True:
        page = await _ranked(gql, token, first=first, after=after, **variables)
        edges += page["edges"]
        if not page["pageInfo"]["hasNextPage"]:
            return edges
        after = page["pageInfo"]["endCursor"]


async def _pool(runtime: Runtime, company_id: uuid.UUID, people: list[dict[str, Any]]) -> list[str]:
    """Pool candidates written directly, embedded by the real model in one batch."""
    texts = [f"{p['headline']}. {', '.join(p.get('skills', []))}" for p in people]
    vectors = await runtime.services.embedder.embed(texts)
    rows = [
        Candidate(
            id=uuid.uuid4(),
            company_id=company_id,
            embedding=[float(x) for x in vector],
            embedding_model=runtime.services.embedder.model_name,
            **person,
        )
        for person, vector in zip(people, vectors, strict=True)
    ]
    async with runtime.services.sessions() as session, session.begin():
        session.add_all(rows)
    return [gid("Candidate", row.id) for row in rows]


async def _colleague(gql: GraphQLClient, admin: str, email: str) -> str:
    """Another recruiter of the admin's company (addRecruiter, then login)."""
    added = await gql.ok(
        "mutation($e: String!) { addRecruiter(email: $e) { temporaryPassword } }",
        {"e": email},
        token=admin,
    )
    login = await gql.ok(
        "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) "
        "{ accessToken } }",
        {"e": email, "p": added["addRecruiter"]["temporaryPassword"]},
    )
    token: str = login["login"]["accessToken"]
    await gql.ok(  # a temporary password is changed before anything else
        "mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }",
        {"c": added["addRecruiter"]["temporaryPassword"], "n": "recruiter-pass-2"},
        token=token,
    )
    return token


async def _agency(runtime: Runtime, company_id: uuid.UUID) -> None:
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(
            update(Company).where(Company.id == company_id).values(kind=CompanyKind.AGENCY.value)
        )


async def test_pool_candidates_from_real_resumes_rank_by_fit_with_explanations(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Python Backend Engineer", **BACKEND_JOB)
    jane = await upload(gql, boss, ADD_CANDIDATE, {"text": PASTED})
    accountant = await upload(
        gql, boss, ADD_CANDIDATE, {}, ("cpa.pdf", pdf_bytes(), "application/pdf")
    )
    page = await _ranked(gql, boss, jobId=job, sources=["POOL"])
    nodes = [e["node"] for e in page["edges"]]
    assert [n["id"] for n in nodes] == [
        jane["data"]["addCandidate"]["id"],
        accountant["data"]["addCandidate"]["id"],
    ]
    best, worst = page["edges"]
    assert best["score"] > worst["score"] + 20
    assert best["node"]["source"] == "POOL" and best["node"]["email"] == "jane.doe@example.com"
    assert best["node"]["candidate"]["status"] == "PENDING_REVIEW"
    explanation = best["explanation"]
    assert explanation["preset"] == "FIVE_FACTOR" and explanation["score"] == best["score"]
    assert set(explanation["matchedSkills"]) == {"Python", "PostgreSQL", "Docker"}
    assert {f["name"] for f in explanation["factors"]} == {
        "skills", "experience", "location", "salary", "semantic"
    }  # fmt: skip
    assert worst["explanation"]["missingSkills"] == ["Python", "PostgreSQL", "Docker"]
    assert best["match"] is None and page["pageInfo"]["hasNextPage"] is False


async def test_applicants_and_open_candidates_rank_with_contact_hidden_until_they_apply(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Python Backend Engineer", **BACKEND_JOB)
    ada = await candidate(gql, "ada@example.com")
    await candidate(gql, "bob@example.com")
    hidden = await candidate(gql, "cy@example.com")
    await gql.ok("mutation { updateMe(input: {openToRecruiters: false}) { id } }", token=hidden)
    await gql.ok(SWIPE, {"jobId": job, "direction": "RIGHT"}, token=ada)
    page = await _ranked(gql, boss, jobId=job, sources=["APPLICANTS", "OPEN_TO_RECRUITERS"])
    seen = {e["node"]["source"]: e["node"] for e in page["edges"]}
    assert len(page["edges"]) == 2 and set(seen) == {"APPLICANTS", "OPEN_TO_RECRUITERS"}
    assert seen["APPLICANTS"]["email"] == "ada@example.com"
    assert seen["OPEN_TO_RECRUITERS"]["email"] is None
    assert seen["OPEN_TO_RECRUITERS"]["skills"] == ["Python", "PostgreSQL", "Docker"]
    only_applicants = await _ranked(gql, boss, jobId=job, sources=["APPLICANTS"])
    assert [e["node"]["email"] for e in only_applicants["edges"]] == ["ada@example.com"]
    # Same profiles, same scores: the tie breaks by id.
    ids = [raw(e["node"]["id"]) for e in page["edges"]]
    assert page["edges"][0]["score"] == page["edges"][1]["score"] and ids == sorted(ids)


async def test_pages_come_from_one_snapshot_in_order_ties_by_id(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Python Backend Engineer", **BACKEND_JOB)
    people = [
        {"headline": "Python backend engineer", "skills": ["Python", "PostgreSQL"]},
        {"headline": "Python backend engineer", "skills": ["Python", "PostgreSQL"]},
        {"headline": "Python backend engineer", "skills": ["Python", "PostgreSQL"]},
        {"headline": "Data engineer", "skills": ["Python", "Docker"], "years_of_experience": 5},
        {"headline": "Pastry chef", "skills": ["Baking"]},
    ]
    await _pool(runtime, await company_of(gql, boss), people)
    whole = (await _ranked(gql, boss, jobId=job, first=10))["edges"]
    paged = await _everything(gql, boss, 2, jobId=job)
    assert [(e["node"]["id"], e["score"], e["explanation"]) for e in paged] == [
        (e["node"]["id"], e["score"], e["explanation"]) for e in whole
    ]
    assert len(whole) == 5 and whole[-1]["node"]["headline"] == "Pastry chef"
    keys = [(-e["score"], raw(e["node"]["id"])) for e in whole]
    assert keys == sorted(keys)
    chef = whole[-1]["score"]
    assert chef < whole[-2]["score"]
    strong = await _ranked(gql, boss, jobId=job, minScore=chef + 0.01)
    assert [e["node"]["id"] for e in strong["edges"]] == [e["node"]["id"] for e in whole[:4]]


async def test_a_cursor_is_good_only_for_its_owner_and_its_question(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Python Backend Engineer", **BACKEND_JOB)
    await _pool(runtime, await company_of(gql, boss), [{"headline": "Engineer"}] * 3)
    cursor = (await _ranked(gql, boss, jobId=job, first=1))["pageInfo"]["endCursor"]
    colleague = await _colleague(gql, boss, "pat@acme.test")
    variables = {"jobId": job, "first": 1, "after": cursor}
    assert code(await gql.post(RANKED, variables, token=colleague)) == "BAD_USER_INPUT"
    other = {**variables, "preset": "SKILLS_FIRST"}
    assert code(await gql.post(RANKED, other, token=boss)) == "BAD_USER_INPUT"
    assert len((await _ranked(gql, boss, **variables))["edges"]) == 1
    for bad in ({"first": 101}, {"minScore": 101.0}, {"sources": []}):
        assert code(await gql.post(RANKED, {"jobId": job, **bad}, token=boss)) == "BAD_USER_INPUT"


async def test_an_agency_ranks_its_pool_for_any_active_job_but_never_sees_its_applicants(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    globex = await recruiter(gql, "boss@globex.test", "Globex")
    job = await post(gql, globex, "Senior Python Backend Engineer", **BACKEND_JOB)
    ada = await candidate(gql, "ada@example.com")
    await gql.ok(SWIPE, {"jobId": job, "direction": "RIGHT"}, token=ada)
    await _pool(runtime, await company_of(gql, globex), [{"headline": "Globex's own"}])
    agent = await recruiter(gql, "agent@hireco.test", "HireCo")
    await _agency(runtime, await company_of(gql, agent))
    (bench,) = await _pool(runtime, await company_of(gql, agent), [{"headline": "Python engineer"}])
    page = await _ranked(gql, agent, jobId=job)
    by_source = {e["node"]["source"]: e["node"] for e in page["edges"]}
    assert len(page["edges"]) == 2 and by_source["POOL"]["id"] == bench
    # Ada applied to Globex, not to the agency: she shows as open to recruiters, without email.
    assert by_source["OPEN_TO_RECRUITERS"]["email"] is None
    employer = await recruiter(gql, "boss@initech.test", "Initech")
    assert code(await gql.post(RANKED, {"jobId": job}, token=employer)) == "NOT_FOUND"
    assert code(await gql.post(RANKED, {"jobId": job}, token=ada)) == "FORBIDDEN"
    await set_job(runtime, job, status="CLOSED")
    assert code(await gql.post(RANKED, {"jobId": job}, token=agent)) == "NOT_FOUND"
    assert len((await _ranked(gql, globex, jobId=job))["edges"]) == 2  # its own job: still


async def test_an_edge_carries_the_companys_match_record(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Python Backend Engineer", **BACKEND_JOB)
    company = await company_of(gql, boss)
    first, second = await _pool(runtime, company, [{"headline": "Engineer"}] * 2)
    other = await company_of(gql, await recruiter(gql, "boss@globex.test", "Globex"))
    records = [(company, second, "SHORTLISTED"), (other, first, "CONTACTED")]
    async with runtime.services.sessions() as session, session.begin():
        for owner, person, status in records:
            session.add(
                Match(
                    company_id=owner,
                    job_id=raw(job),
                    candidate_id=raw(person),
                    score=61.5,
                    preset="FIVE_FACTOR",
                    preset_version=1,
                    explanation={},
                    status=status,
                )
            )
    edges = (await _ranked(gql, boss, jobId=job))["edges"]
    shown = {e["node"]["id"]: e["match"] for e in edges}
    assert shown[first] is None  # another company's record of the same person stays unseen
    assert shown[second]["status"] == "SHORTLISTED" and shown[second]["score"] == 61.5


async def test_archived_and_placed_pool_candidates_are_not_ranked(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Python Backend Engineer", **BACKEND_JOB)
    people = [
        {"headline": "Python engineer", "status": status}
        for status in ("PENDING_REVIEW", "READY", "PLACED", "ARCHIVED")
    ]
    ready = (await _pool(runtime, await company_of(gql, boss), people))[:2]
    edges = (await _ranked(gql, boss, jobId=job, sources=["POOL"]))["edges"]
    assert sorted(e["node"]["id"] for e in edges) == sorted(ready)


async def test_a_large_pool_goes_through_the_hnsw_index_with_the_same_nearest(
    gql: GraphQLClient, runtime: Runtime, tune: Any, monkeypatch: Any
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    job = await post(gql, boss, "Senior Python Backend Engineer", **BACKEND_JOB)
    headlines = ["Python backend engineer", "Pastry chef", "PostgreSQL DBA", "Nurse",
                 "Docker platform engineer", "Truck driver", "Data engineer"]  # fmt: skip
    await _pool(runtime, await company_of(gql, boss), [{"headline": h} for h in headlines])
    tune(recruiter_pool_size=3)
    exact = (await _ranked(gql, boss, jobId=job, sources=["POOL"]))["edges"]
    monkeypatch.setattr(db_recruiting, "EXACT_POOL_LIMIT", 0)  # 7 > 3: the index path
    approximate = (await _ranked(gql, boss, jobId=job, sources=["POOL"]))["edges"]
    assert len(exact) == 3
    assert [e["node"]["id"] for e in approximate] == [e["node"]["id"] for e in exact]
    assert "Pastry chef" not in {e["node"]["headline"] for e in exact}
