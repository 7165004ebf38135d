"""updateMe re-embeds the candidate; companies are edited by their admins only; node(id) hides others."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from app import Runtime
from db.models import Company, User
from tests.api.conftest import GraphQLClient, register

UPDATE_ME = """
mutation($input: UpdateMeInput!) {
  updateMe(input: $input) { headline skills seniority yearsOfExperience remotePreference preferredLocations
                            salaryMin salaryMax salaryCurrency hasProfileEmbedding }
}
"""


async def _user(runtime: Runtime, email: str) -> User:
    async with runtime.services.sessions() as session:
        return (await session.execute(select(User).where(User.email == email))).scalar_one()


async def test_update_me_normalizes_skills_and_embeds_the_profile(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    data = await gql.ok(
        UPDATE_ME,
        {
            "input": {
                "headline": "Backend engineer",
                "skills": ["python", "k8s", "Python"],
                "seniority": "SENIOR",
                "yearsOfExperience": 7,
                "remotePreference": "REMOTE_OK",
                "preferredLocations": ["Austin, TX"],
                "salaryMin": 150000,
                "salaryMax": 180000,
                "salaryCurrency": "usd",
            }
        },
        token=token,
    )
    me = data["updateMe"]
    assert me["skills"] == ["Python", "Kubernetes"]
    assert me["hasProfileEmbedding"] is True
    assert me["salaryCurrency"] == "USD"
    user = await _user(runtime, "ada@example.com")
    base = np.asarray(user.base_embedding)
    assert base.shape == (384,)
    assert abs(float(np.linalg.norm(base)) - 1.0) < 1e-4
    assert np.allclose(base, np.asarray(user.current_embedding))
    assert user.embedding_model == "all-MiniLM-L6-v2"
    # The vector is the model's embedding of this profile: closer to a backend posting than a bakery one.
    backend, bakery = await runtime.services.embedder.embed(
        ["Senior Python backend engineer, Kubernetes", "Pastry chef for a bakery"]
    )
    assert float(base @ backend) > float(base @ bakery) + 0.1


async def test_update_me_changes_the_embedding_only_when_content_changes(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    await gql.ok(UPDATE_ME, {"input": {"headline": "Data analyst", "skills": ["SQL"]}}, token=token)
    first = np.asarray((await _user(runtime, "ada@example.com")).base_embedding)
    await gql.ok(UPDATE_ME, {"input": {"headline": "Pastry chef"}}, token=token)
    second = np.asarray((await _user(runtime, "ada@example.com")).base_embedding)
    assert not np.allclose(first, second)


async def test_invalid_profile_update_writes_nothing(gql: GraphQLClient, runtime: Runtime) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    await gql.ok(UPDATE_ME, {"input": {"headline": "Kept", "salaryMin": 100000}}, token=token)
    for bad in (
        {"headline": "Lost", "salaryMin": 200000, "salaryMax": 100000},
        {"headline": "Lost", "yearsOfExperience": -1},
        {"headline": "Lost", "salaryCurrency": "dollars"},
        {"headline": "Lost", "skills": ["x" * 300]},
    ):
        assert await gql.error_code(UPDATE_ME, {"input": bad}, token=token) == "BAD_USER_INPUT", bad
    user = await _user(runtime, "ada@example.com")
    assert user.headline == "Kept"
    assert user.salary_min == 100000


async def test_company_admin_edits_company_and_adds_recruiters(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    admin = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    company_id = admin["user"]["company"]["id"]
    updated = await gql.ok(
        'mutation { updateCompany(input: {description: "Rockets", website: "https://acme.test", size: "11-50"}) { id name description website size } }',
        token=admin["accessToken"],
    )
    assert updated["updateCompany"] == {
        "id": company_id,
        "name": "Acme",
        "description": "Rockets",
        "website": "https://acme.test",
        "size": "11-50",
    }
    added = (
        await gql.ok(
            'mutation { addRecruiter(email: "hire@acme.test") { user { email role company { id } } temporaryPassword } }',
            token=admin["accessToken"],
        )
    )["addRecruiter"]
    assert added["user"]["role"] == "RECRUITER"
    assert added["user"]["company"]["id"] == company_id
    login = await gql.ok(
        'mutation($p: String!) { login(input: {email: "hire@acme.test", password: $p}) { accessToken } }',
        {"p": added["temporaryPassword"]},
    )
    recruiter_token = login["login"]["accessToken"]
    # A temporary password is changed before anything else (PASSWORD_CHANGE_REQUIRED until then).
    await gql.ok(
        "mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }",
        {"c": added["temporaryPassword"], "n": "recruiter-pass-2"},
        token=recruiter_token,
    )
    # A plain recruiter may not edit the company or add people.
    assert (
        await gql.error_code(
            'mutation { updateCompany(input: {name: "Mine"}) { id } }', token=recruiter_token
        )
        == "FORBIDDEN"
    )
    assert (
        await gql.error_code(
            'mutation { addRecruiter(email: "x@acme.test") { temporaryPassword } }',
            token=recruiter_token,
        )
        == "FORBIDDEN"
    )
    seen = await gql.ok(
        "query($id: ID!) { company(id: $id) { name description } }",
        {"id": company_id},
        token=recruiter_token,
    )
    assert seen["company"]["description"] == "Rockets"


async def test_company_name_conflicts_and_bad_website_write_nothing(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    first = await register(gql, "a@one.test", role="RECRUITER", company="One")
    await register(gql, "b@two.test", role="RECRUITER", company="Two")
    assert (
        await gql.error_code(
            'mutation { updateCompany(input: {name: "two", description: "x"}) { id } }',
            token=first["accessToken"],
        )
        == "CONFLICT"
    )
    assert (
        await gql.error_code(
            'mutation { updateCompany(input: {website: "javascript:alert(1)", description: "x"}) { id } }',
            token=first["accessToken"],
        )
        == "BAD_USER_INPUT"
    )
    async with runtime.services.sessions() as session:
        one = (await session.execute(select(Company).where(Company.name == "One"))).scalar_one()
    assert one.description is None


async def test_node_returns_own_user_and_hides_other_users(gql: GraphQLClient) -> None:
    ada = await register(gql, "ada@example.com")
    bob = await register(gql, "bob@example.com")
    query = "query($id: ID!) { node(id: $id) { id ... on User { email } ... on Company { name } } }"
    own = await gql.ok(query, {"id": ada["user"]["id"]}, token=ada["accessToken"])
    assert own["node"]["email"] == "ada@example.com"
    assert (
        await gql.error_code(query, {"id": bob["user"]["id"]}, token=ada["accessToken"])
        == "NOT_FOUND"
    )
    assert await gql.error_code(query, {"id": "not-an-id"}, token=ada["accessToken"]) == "NOT_FOUND"
    boss = await register(gql, "boss@acme.test", role="RECRUITER", company="Acme")
    company = await gql.ok(query, {"id": boss["user"]["company"]["id"]}, token=ada["accessToken"])
    assert company["node"]["name"] == "Acme"
    assert (
        await gql.error_code(
            "query($id: ID!) { company(id: $id) { name } }",
            {"id": ada["user"]["id"]},
            token=ada["accessToken"],
        )
        == "NOT_FOUND"
    )
