"""uploadResume and myResume through the real app: real PDFs, DOCX built here, pasted text; the
profile it fills, manual fields that win, the preview, and refusals that write nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from app import Runtime
from db.models import Resume, User
from domain.resumes import MAX_RESUME_CHARS
from tests.api.conftest import GraphQLClient, register
from tests.api.feed_support import DISCOVER, UPDATE_ME, company_of, insert_jobs, recruiter
from tests.api.resume_support import (
    PASTED,
    RESUME,
    UPLOAD_RESUME,
    code,
    docx_bytes,
    pdf_bytes,
    upload,
)

ME = "{ me { headline skills yearsOfExperience seniority preferredLocations fieldsFromResume hasProfileEmbedding } }"
MY_RESUME = f"{{ myResume {{ {RESUME} }} }}"
MATCHES = "{ matches(minScore: 50, first: 100, preset: FIVE_FACTOR) { score job { id } } }"
JOBS = [
    {
        "title": "Staff Accountant",
        "skills": ["GAAP", "accounting", "bookkeeping", "Accounts Receivable"],
        "description": "Month-end close, reconciliations, general ledger and accruals under GAAP.",
    },
    {
        "title": "Line Cook",
        "skills": ["food preparation"],
        "description": "Prepare dishes on the line in a busy restaurant kitchen.",
    },
    {
        "title": "Backend Python Engineer",
        "skills": ["Python", "PostgreSQL", "Docker"],
        "description": "Build Python APIs on PostgreSQL, deployed with Docker.",
    },
    {
        "title": "Registered Nurse",
        "skills": ["patient care"],
        "description": "Care for patients on a hospital ward.",
    },
]


async def _world(gql: GraphQLClient, runtime: Runtime) -> dict[str, str]:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    ids = await insert_jobs(runtime, await company_of(gql, boss), JOBS)
    return {spec["title"]: job_id for spec, job_id in zip(JOBS, ids, strict=True)}


async def _rows(runtime: Runtime) -> int:
    async with runtime.services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(Resume))).scalar_one())


async def test_a_pdf_fills_an_empty_profile_and_the_feed_and_preview_follow_it(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    jobs = await _world(gql, runtime)
    token = (await register(gql, "ada@example.com"))["accessToken"]
    before = (await gql.ok(ME, token=token))["me"]
    assert before["skills"] == [] and not before["hasProfileEmbedding"]
    body = await upload(
        gql, token, UPLOAD_RESUME, {}, ("resume.pdf", pdf_bytes(), "application/pdf")
    )
    assert "errors" not in body, body
    payload = body["data"]["uploadResume"]
    resume = payload["resume"]
    assert resume["format"] == "pdf" and resume["fileName"] == "resume.pdf"
    assert resume["headline"] == "Accountant"
    assert {"GAAP", "bookkeeping"} <= set(resume["skills"])
    assert resume["yearsOfExperience"] > 10
    assert {s["name"] for s in resume["sections"]} >= {"experience", "skills"}
    assert {s["field"] for s in resume["sources"]} >= {"headline", "skills", "yearsOfExperience"}
    me = (await gql.ok(ME, token=token))["me"]
    assert me["headline"] == "Accountant" and me["skills"] == resume["skills"][: len(me["skills"])]
    assert me["hasProfileEmbedding"]
    assert set(me["fieldsFromResume"]) >= {"headline", "skills", "yearsOfExperience", "seniority"}
    feed = (await gql.ok(DISCOVER, {"first": 4}, token=token))["discover"]["edges"]
    assert feed[0]["node"]["id"] == jobs["Staff Accountant"]
    preview = payload["preview"]
    matched = (await gql.ok(MATCHES, token=token))["matches"]
    assert preview["totalMatches"] == len(matched) >= 1
    assert preview["top"][0]["job"]["id"] == jobs["Staff Accountant"]
    scores = [m["score"] for m in preview["top"]]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 50
    explanation = preview["top"][0]["explanation"]
    assert explanation["preset"] == "FIVE_FACTOR" and "GAAP" in explanation["matchedSkills"]
    assert explanation["score"] == preview["top"][0]["score"]


async def test_fields_set_by_hand_win_and_fields_from_resume_says_which_came_from_it(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    await gql.ok(
        UPDATE_ME,
        {"input": {"headline": "Platform tinkerer", "preferredLocations": ["Denver, CO"]}},
        token=token,
    )
    data = await upload(gql, token, UPLOAD_RESUME, {"text": PASTED})
    resume = data["data"]["uploadResume"]["resume"]
    assert resume["headline"] == "Senior Backend Engineer" and resume["format"] == "text"
    assert resume["email"] == "jane.doe@example.com" and resume["fileName"] is None
    me = (await gql.ok(ME, token=token))["me"]
    assert me["headline"] == "Platform tinkerer"
    assert me["preferredLocations"] == ["Denver, CO"]
    assert {"Python", "PostgreSQL", "Docker"} <= set(me["skills"])
    assert "headline" not in me["fieldsFromResume"] and "skills" in me["fieldsFromResume"]
    assert "preferredLocations" not in me["fieldsFromResume"]
    await gql.ok(UPDATE_ME, {"input": {"skills": ["Rust"]}}, token=token)
    me = (await gql.ok(ME, token=token))["me"]
    assert me["skills"] == ["Rust"] and "skills" not in me["fieldsFromResume"]
    await upload(gql, token, UPLOAD_RESUME, {"text": PASTED})  # a hand edit survives uploads
    assert (await gql.ok(ME, token=token))["me"]["skills"] == ["Rust"]


async def test_a_docx_upload_then_a_second_upload_replaces_my_resume(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    assert (await gql.ok(MY_RESUME, token=token))["myResume"] is None
    document = docx_bytes(
        [
            "Sam Rivera",
            "Head Chef",
            "Chicago, IL",
            "Summary",
            "Chef running busy kitchens.",
            "Skills",
            "Knife skills\tPlating",
        ],
        table=[["Menu planning", "Food safety"], ["Inventory, ordering", "Catering, events"]],
    )
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    first = await upload(gql, token, UPLOAD_RESUME, {}, ("cv.docx", document, mime))
    assert "errors" not in first, first
    mine = (await gql.ok(MY_RESUME, token=token))["myResume"]
    assert mine["id"] == first["data"]["uploadResume"]["resume"]["id"]
    assert mine["format"] == "docx" and mine["headline"] == "Head Chef"
    assert mine["skills"][:7] == [  # tab-separated columns and table cells are items apart
        "Knife skills",
        "Plating",
        "Menu planning",
        "Food safety",
        "Inventory",
        "ordering",
        "Catering",
    ]
    second = await upload(gql, token, UPLOAD_RESUME, {"text": PASTED})
    mine = (await gql.ok(MY_RESUME, token=token))["myResume"]
    assert (
        mine["id"]
        == second["data"]["uploadResume"]["resume"]["id"]
        != first["data"]["uploadResume"]["resume"]["id"]
    )
    assert mine["format"] == "text" and mine["headline"] == "Senior Backend Engineer"
    assert (await gql.ok(ME, token=token))["me"]["headline"] == "Senior Backend Engineer"
    assert await _rows(runtime) == 1


async def _profile(runtime: Runtime, email: str) -> dict[str, Any]:
    async with runtime.services.sessions() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
    return {"skills": user.skills, "sources": user.profile_sources, "base": user.base_embedding}


async def test_bad_files_and_texts_are_refused_and_nothing_is_written(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    refused = [
        ({}, None),
        ({"text": PASTED}, ("cv.txt", PASTED.encode(), "text/plain")),
        ({"text": "x" * (MAX_RESUME_CHARS + 1)}, None),
        ({"text": "   \n\t "}, None),
        ({}, ("cv.pdf", exe, "application/pdf")),
        ({}, ("cv.pdf", b"%PDF-1.7\n garbage that is no PDF", "application/pdf")),
        ({}, ("cv.docx", b"PK\x03\x04 not really a zip", "application/octet-stream")),
        ({}, ("cv.txt", b"", "text/plain")),
    ]
    for variables, file in refused:
        body = await upload(gql, token, UPLOAD_RESUME, variables, file)
        assert code(body) == "BAD_USER_INPUT", (variables.keys(), file and file[0], body)
        assert body["data"] is None
    assert await _rows(runtime) == 0
    assert await _profile(runtime, "ada@example.com") == {"skills": [], "sources": {}, "base": None}


async def test_only_candidates_upload_and_read_resumes(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    assert code(await upload(gql, boss, UPLOAD_RESUME, {"text": PASTED})) == "FORBIDDEN"
    assert code(await upload(gql, None, UPLOAD_RESUME, {"text": PASTED})) == "UNAUTHENTICATED"
    assert code(await gql.post(MY_RESUME)) == "UNAUTHENTICATED"
    ada = (await register(gql, "ada@example.com"))["accessToken"]
    resume_id = (await upload(gql, ada, UPLOAD_RESUME, {"text": PASTED}))["data"]["uploadResume"][
        "resume"
    ]["id"]
    node = "query($id: ID!) { node(id: $id) { id ... on Resume { headline } } }"
    own = await gql.ok(node, {"id": resume_id}, token=ada)
    assert own["node"]["headline"] == "Senior Backend Engineer"
    bob = (await register(gql, "bob@example.com"))["accessToken"]
    for token in (bob, boss):
        assert await gql.error_code(node, {"id": resume_id}, token=token) == "NOT_FOUND"
    assert await _rows(runtime) == 1


async def test_the_resume_text_is_deleted_with_the_user(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    token = (await register(gql, "ada@example.com"))["accessToken"]
    await upload(gql, token, UPLOAD_RESUME, {"text": PASTED})
    assert await _rows(runtime) == 1
    async with runtime.services.sessions() as session, session.begin():
        await session.execute(delete(User).where(User.email == "ada@example.com"))
    assert await _rows(runtime) == 0
