"""Company kinds and the pool's upkeep: companyKind at sign-up, updateCandidate (re-embedding,
clearing, checks against stored values), archiveCandidate and the status machine, the pool's
filters, and who may change what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from app import Runtime
from db.models import Candidate
from tests.api.conftest import REGISTER, GraphQLClient, register
from tests.api.feed_support import recruiter
from tests.api.resume_support import ADD_CANDIDATE, CANDIDATE, PASTED, upload

UPDATE = f"""mutation($id: ID!, $input: UpdateCandidateInput!) {{
  updateCandidate(id: $id, input: $input) {{ {CANDIDATE} }} }}"""
ARCHIVE = "mutation($id: ID!) { archiveCandidate(id: $id) { id status } }"
LIST = """query($first: Int!, $after: String, $filter: CandidateFilter) {
  candidates(first: $first, after: $after, filter: $filter) {
    edges { node { id name status } } pageInfo { hasNextPage endCursor } } }"""
KIND = "{ me { company { kind } } }"


async def _add(gql: GraphQLClient, token: str, text: str = PASTED, **given: Any) -> str:
    body = await upload(gql, token, ADD_CANDIDATE, {"text": text, "input": given})
    assert "errors" not in body, body
    cid: str = body["data"]["addCandidate"]["id"]
    return cid


async def _row(runtime: Runtime, name: str) -> Candidate:
    async with runtime.services.sessions() as session:
        query = select(Candidate).where(Candidate.name == name)
        return (await session.execute(query)).scalar_one()


async def _names(gql: GraphQLClient, token: str, **filter: Any) -> list[str]:
    data = await gql.ok(LIST, {"first": 50, "filter": filter or None}, token=token)
    return sorted(e["node"]["name"] for e in data["candidates"]["edges"])


async def test_a_recruiter_registers_an_agency_and_employer_is_the_default(
    gql: GraphQLClient,
) -> None:
    agency = await gql.ok(
        REGISTER,
        {
            "input": {
                "email": "boss@staffco.test",
                "password": "correct-horse-1",
                "role": "RECRUITER",
                "companyName": "StaffCo",
                "companyKind": "AGENCY",
            }
        },
    )
    token = agency["register"]["accessToken"]
    assert (await gql.ok(KIND, token=token))["me"]["company"]["kind"] == "AGENCY"
    employer = await recruiter(gql, "boss@acme.test", "Acme")
    assert (await gql.ok(KIND, token=employer))["me"]["company"]["kind"] == "EMPLOYER"
    company = "query($id: ID!) { company(id: $id) { kind } }"
    cid = agency["register"]["user"]["company"]["id"]
    assert (await gql.ok(company, {"id": cid}, token=employer))["company"]["kind"] == "AGENCY"
    refused = {
        "email": "ada@example.com",
        "password": "correct-horse-1",
        "role": "CANDIDATE",
        "companyKind": "AGENCY",
    }
    assert await gql.error_code(REGISTER, {"input": refused}) == "BAD_USER_INPUT"


async def test_update_candidate_changes_fields_reembeds_and_null_clears(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    cid = await _add(gql, boss, name="Jane", salaryMin=90000)
    before = await _row(runtime, "Jane")
    change = {"skills": ["excel", "Go"], "headline": "Data Engineer", "phone": None}
    updated = (await gql.ok(UPDATE, {"id": cid, "input": change}, token=boss))["updateCandidate"]
    assert updated["skills"] == ["Microsoft Excel", "Go"]
    assert updated["headline"] == "Data Engineer" and updated["phone"] is None
    assert updated["name"] == "Jane" and updated["salaryMin"] == 90000  # omitted: unchanged
    assert updated["status"] == "PENDING_REVIEW"
    after = await _row(runtime, "Jane")
    assert list(after.embedding) != list(before.embedding)
    renamed = await gql.ok(UPDATE, {"id": cid, "input": {"name": "Jane Roe"}}, token=boss)
    assert renamed["updateCandidate"]["name"] == "Jane Roe"
    unchanged_text = await _row(runtime, "Jane Roe")
    assert list(unchanged_text.embedding) == list(after.embedding)  # a name is not embedded


async def test_bad_updates_are_refused_and_nothing_changes(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    cid = await _add(gql, boss, name="Jane", salaryMin=90000)
    refused = [
        {"salaryMax": 50000},  # below the stored salaryMin
        {"name": "x" * 201},
        {"email": "not an email"},
        {"yearsOfExperience": 99},
        {"skills": ["s"] * 101},
        {"status": "READY"},  # only generating matches makes a candidate READY
        {"status": "PLACED"},  # PENDING_REVIEW does not lead to PLACED
    ]
    for change in refused:
        code = await gql.error_code(UPDATE, {"id": cid, "input": change}, token=boss)
        assert code == "BAD_USER_INPUT", change
    row = await _row(runtime, "Jane")
    assert row.salary_max is None and row.status == "PENDING_REVIEW" and row.email


async def test_a_ready_candidate_is_placed_then_archived_and_archived_is_final(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    cid = await _add(gql, boss, name="Jane")
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(update(Candidate).values(status="READY"))
    placed = await gql.ok(UPDATE, {"id": cid, "input": {"status": "PLACED"}}, token=boss)
    assert placed["updateCandidate"]["status"] == "PLACED"
    assert (await gql.ok(ARCHIVE, {"id": cid}, token=boss))["archiveCandidate"]["status"] == (
        "ARCHIVED"
    )
    assert await gql.error_code(ARCHIVE, {"id": cid}, token=boss) == "BAD_USER_INPUT"
    code = await gql.error_code(UPDATE, {"id": cid, "input": {"name": "New"}}, token=boss)
    assert code == "BAD_USER_INPUT"
    assert (await _row(runtime, "Jane")).status == "ARCHIVED"


async def test_archived_candidates_leave_the_pool_list_unless_asked_for(
    gql: GraphQLClient,
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    gone = await _add(gql, boss, name="Gone")
    await _add(gql, boss, name="Kept")
    await gql.ok(ARCHIVE, {"id": gone}, token=boss)
    assert await _names(gql, boss) == ["Kept"]
    assert await _names(gql, boss, status="ARCHIVED") == ["Gone"]
    assert await _names(gql, boss, status="PENDING_REVIEW") == ["Kept"]


ACCOUNTANT = """Ana Lopez
Senior Accountant
Madrid, Spain | ana@example.com

Summary
Accountant with 12 years in audit, GAAP reporting and SAP.

Skills
Excel, SAP, GAAP
"""


async def test_the_pool_filters_by_skills_location_and_words(gql: GraphQLClient) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    await _add(gql, boss, name="Jane")  # Austin, Python, PostgreSQL
    await _add(gql, boss, ACCOUNTANT, name="Ana", preferredLocations=["Lisbon"])
    await _add(gql, boss, name="Remy", skills=["Rust"], preferredRoles=["Platform lead"])
    assert await _names(gql, boss, skillsAny=["excel"]) == ["Ana"]  # normalized
    assert await _names(gql, boss, skillsAny=["python", "rust"]) == ["Jane", "Remy"]
    assert await _names(gql, boss, location="lisbon") == ["Ana"]  # a preferred location
    assert await _names(gql, boss, location="madrid") == ["Ana"]
    assert await _names(gql, boss, location="%") == []  # a wildcard is a literal
    assert await _names(gql, boss, search="platform LEAD") == ["Remy"]
    assert await _names(gql, boss, search="accountant ana@example") == ["Ana"]
    assert await _names(gql, boss, search="fintech") == ["Jane", "Remy"]
    assert await _names(gql, boss, search="fintech", skillsAny=["Rust"]) == ["Remy"]
    assert await _names(gql, boss, search="fintech", skillsAny=["Excel"]) == []
    page = await gql.ok(LIST, {"first": 1, "filter": {"skillsAny": ["Python", "Rust"]}}, token=boss)
    rest = await gql.ok(
        LIST,
        {
            "first": 5,
            "after": page["candidates"]["pageInfo"]["endCursor"],
            "filter": {"skillsAny": ["Python", "Rust"]},
        },
        token=boss,
    )
    names = [e["node"]["name"] for e in page["candidates"]["edges"] + rest["candidates"]["edges"]]
    assert names == ["Remy", "Jane"] and not rest["candidates"]["pageInfo"]["hasNextPage"]
    for bad in ({"search": "x " * 21}, {"location": "x" * 201}, {"skillsAny": ["s"] * 101}):
        assert await gql.error_code(LIST, {"first": 5, "filter": bad}, token=boss) == (
            "BAD_USER_INPUT"
        )


async def test_only_the_companys_recruiters_change_its_pool(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    other = await recruiter(gql, "boss@globex.test", "Globex")
    seeker = (await register(gql, "ada@example.com"))["accessToken"]
    cid = await _add(gql, boss, name="Jane")
    change = {"id": cid, "input": {"name": "Stolen"}}
    assert await gql.error_code(UPDATE, change, token=other) == "NOT_FOUND"
    assert await gql.error_code(ARCHIVE, {"id": cid}, token=other) == "NOT_FOUND"
    assert await _names(gql, other, search="Jane") == []
    assert await gql.error_code(UPDATE, change, token=seeker) == "FORBIDDEN"
    assert await gql.error_code(ARCHIVE, {"id": cid}, token=seeker) == "FORBIDDEN"
    assert await gql.error_code(UPDATE, change) == "UNAUTHENTICATED"
    assert await gql.error_code(ARCHIVE, {"id": cid}) == "UNAUTHENTICATED"
    job = "Sm9iOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA"  # a Job id, not a Candidate
    assert await gql.error_code(ARCHIVE, {"id": job}, token=boss) == "NOT_FOUND"
    row = await _row(runtime, "Jane")
    assert row.status == "PENDING_REVIEW"
