"""Helpers for the resume and pool-candidate tests: multipart uploads, real files, DOCX files."""

from __future__ import annotations

import io
import json
from typing import Any

import docx

from tests.api.conftest import GraphQLClient
from tests.conftest import SHARED

PDF_DIR = SHARED / "data" / "resumes" / "pdf"
ACCOUNTANT_PDF = "accountant-25462793.pdf"
RESUME = (
    "id fileName format parsedAt headline summary skills yearsOfExperience seniority "
    "education { degree field institution year } location email phone "
    "sections { name text } sources { field source }"
)
EXPLANATION = "preset score grade factors { name weight value contribution } matchedSkills summary"
UPLOAD_RESUME = f"""mutation($file: Upload, $text: String) {{
  uploadResume(file: $file, text: $text) {{
    resume {{ {RESUME} }}
    preview {{ totalMatches top {{ score job {{ id title }} explanation {{ {EXPLANATION} }} }} }}
  }}
}}"""
CANDIDATE = (
    "id name email phone status headline skills yearsOfExperience seniority location "
    "preferredLocations preferredRoles remotePreference salaryMin salaryMax createdAt "
    "resume { id format headline skills }"
)
ADD_CANDIDATE = f"""mutation($file: Upload, $text: String, $input: CandidateInput) {{
  addCandidate(file: $file, text: $text, input: $input) {{ {CANDIDATE} }}
}}"""
PASTED = """Jane Doe
Senior Backend Engineer
Austin, TX | jane.doe@example.com | (512) 555-0147

Summary
Backend engineer with 8 years of experience building Python APIs, PostgreSQL data services
and Docker-based deployments for fintech teams.

Experience
Senior Backend Engineer, Ledgerly — Jan 2019 - Present
- Built Python and FastAPI services on PostgreSQL; ran them on Docker and Kubernetes.
Backend Developer, Paybright — 03/2016 to 12/2018
- Django REST APIs, Redis caching, PostgreSQL tuning.

Education
B.S. Computer Science, University of Texas at Austin, 2015

Skills
Python, PostgreSQL, Docker, Kubernetes, Django, Redis
"""


def pdf_bytes(name: str = ACCOUNTANT_PDF) -> bytes:
    return (PDF_DIR / name).read_bytes()


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A real DOCX, written with python-docx."""
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def upload(
    gql: GraphQLClient,
    token: str | None,
    query: str,
    variables: dict[str, Any],
    file: tuple[str, bytes, str] | None = None,
) -> dict[str, Any]:
    """A GraphQL multipart request (the file goes to `variables.file`), or plain JSON without one."""
    headers = {"Apollo-Require-Preflight": "true"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if file is None:
        response = await gql.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        return dict(response.json())
    operations = json.dumps({"query": query, "variables": {**variables, "file": None}})
    response = await gql.http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
        files={"0": file},
        headers=headers,
    )
    return dict(response.json())


def code(body: dict[str, Any]) -> str:
    assert body.get("errors"), body
    return str(body["errors"][0]["extensions"]["code"])
