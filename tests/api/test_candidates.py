"""addCandidate, candidate(id), candidates and node(id) for a company's pool: real resumes,
input that wins over parsing, pages, refusals that write nothing, and who may see what."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app import Runtime
from db.models import Candidate, Resume
from domain.enums import Role
from resolvers import auth
from tests.api.conftest import GraphQLClient, register
from tests.api.feed_support import recruiter
from tests.api.resume_support import ADD_CANDIDATE, CANDIDATE, PASTED, code, pdf_bytes, upload

ONE = f"query($id: ID!) {{ candidate(id: $id) {{ {CANDIDATE} }} }}"
NODE = (
    "query($id: ID!) { node(id: $id) { id ... on Candidate { name } ... on Resume { headline } } }"
)
LIST = """query($first: Int!, $after: String) { candidates(first: $first, after: $after) {
  edges { cursor node { id name resume { id } } } pageInfo { hasNextPage endCursor }
} }"""


async def _count(runtime: Runtime, model: type[Candidate] | type[Resume]) -> int:
    async with runtime.services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_recruiter_adds_a_candidate_from_a_pdf_and_the_input_wins(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    given = {"name": "Ana Lopez", "skills": ["Excel", "SAP"], "preferredRoles": ["Controller"]}
    body = await upload(
        gql, boss, ADD_CANDIDATE, {"input": given}, ("ana.pdf", pdf_bytes(), "application/pdf")
    )
    assert "errors" not in body, body
    added = body["data"]["addCandidate"]
    assert added["status"] == "PENDING_REVIEW" and added["name"] == "Ana Lopez"
    assert added["skills"] == ["Microsoft Excel", "SAP"] and added["preferredRoles"] == [
        "Controller"
    ]
    assert added["headline"] == "Accountant" and added["yearsOfExperience"] > 10
    assert added["resume"]["format"] == "pdf" and "GAAP" in added["resume"]["skills"]
    again = (await gql.ok(ONE, {"id": added["id"]}, token=boss))["candidate"]
    assert again == added
    async with runtime.services.sessions() as session:
        row = (await session.execute(select(Candidate))).scalar_one()
    assert row.embedding is not None and row.embedding_model == runtime.services.embedder.model_name


async def test_pool_pages_newest_first(gql: GraphQLClient, runtime: Runtime) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    ids = []
    for name in ("One", "Two", "Three"):
        body = await upload(gql, boss, ADD_CANDIDATE, {"text": PASTED, "input": {"name": name}})
        ids.append(body["data"]["addCandidate"]["id"])
    first = (await gql.ok(LIST, {"first": 2}, token=boss))["candidates"]
    rest = (await gql.ok(LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=boss))[
        "candidates"
    ]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert [e["node"]["id"] for e in first["edges"] + rest["edges"]] == ids[::-1]
    assert all(e["node"]["resume"] for e in first["edges"] + rest["edges"])


async def test_bad_input_is_refused_and_nothing_is_written(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    refused = [
        {"text": PASTED, "input": {"name": "x" * 201}},
        {"text": PASTED, "input": {"email": "not an email"}},
        {"text": PASTED, "input": {"skills": ["s"] * 101}},
        {"text": PASTED, "input": {"salaryMin": 90000, "salaryMax": 50000}},
        {"input": {"name": "Nobody"}},
        {"text": ""},
    ]
    for variables in refused:
        assert code(await upload(gql, boss, ADD_CANDIDATE, variables)) == "BAD_USER_INPUT", (
            variables
        )
    exe = ("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    assert code(await upload(gql, boss, ADD_CANDIDATE, {}, exe)) == "BAD_USER_INPUT"
    assert await _count(runtime, Candidate) == 0 and await _count(runtime, Resume) == 0


async def test_only_the_companys_recruiters_see_its_pool(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    other = await recruiter(gql, "boss@globex.test", "Globex")
    seeker = (await register(gql, "ada@example.com"))["accessToken"]
    added = (await upload(gql, boss, ADD_CANDIDATE, {"text": PASTED}))["data"]["addCandidate"]
    cid, rid = added["id"], added["resume"]["id"]
    for token in (other, seeker):
        assert await gql.error_code(ONE, {"id": cid}, token=token) == "NOT_FOUND"
        assert await gql.error_code(NODE, {"id": cid}, token=token) == "NOT_FOUND"
        assert await gql.error_code(NODE, {"id": rid}, token=token) == "NOT_FOUND"
    assert (await gql.ok(LIST, {"first": 10}, token=other))["candidates"]["edges"] == []
    assert await gql.error_code(LIST, {"first": 10}, token=seeker) == "NOT_FOUND"
    for query, variables in ((ONE, {"id": cid}), (NODE, {"id": cid}), (LIST, {"first": 1})):
        assert await gql.error_code(query, variables) == "UNAUTHENTICATED"
    assert code(await upload(gql, seeker, ADD_CANDIDATE, {"text": PASTED})) == "FORBIDDEN"
    assert code(await upload(gql, None, ADD_CANDIDATE, {"text": PASTED})) == "UNAUTHENTICATED"
    assert (await gql.ok(NODE, {"id": cid}, token=boss))["node"]["id"] == cid
    assert (await gql.ok(NODE, {"id": rid}, token=boss))["node"]["headline"]
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", "operator-pass-1", Role.PLATFORM_ADMIN
    )
    admin = (
        await gql.ok(
            'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
        )
    )["login"]["accessToken"]
    assert (await gql.ok(ONE, {"id": cid}, token=admin))["candidate"]["id"] == cid
    assert len((await gql.ok(LIST, {"first": 10}, token=admin))["candidates"]["edges"]) == 1
    assert code(await upload(gql, admin, ADD_CANDIDATE, {"text": PASTED})) == "FORBIDDEN"
    assert await _count(runtime, Candidate) == 1


async def test_the_resume_text_is_deleted_with_the_candidate(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    await upload(gql, boss, ADD_CANDIDATE, {"text": PASTED})
    assert await _count(runtime, Resume) == 1
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(delete(Candidate))
    assert await _count(runtime, Resume) == 0
