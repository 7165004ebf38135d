"""Resumes: the Resume type, uploadResume with its instant match preview, and myResume."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.utils.str_converters import to_camel_case

from adapters.resumes import MAX_RESUME_BYTES
from db.models import Resume as ResumeRow
from domain import enums
from domain.errors import InvalidInput
from resolvers import resumes
from resolvers.services import require
from schema.columns import column, node_id
from schema.context import Info
from schema.enums import Seniority
from schema.jobs import Job
from schema.matching import MatchExplanation
from schema.nodes import Node


@strawberry.type(description="One education entry of a resume.")
class Education:
    degree: str | None = strawberry.field(description="Degree, e.g. Bachelor of Science.")
    field: str | None = strawberry.field(description="Field of study.")
    institution: str | None = strawberry.field(description="School or university.")
    year: int | None = strawberry.field(description="Year of graduation (or the last year).")


@strawberry.type(description="One section of a resume under its canonical name.")
class ResumeSection:
    name: str = strawberry.field(
        description="summary, experience, education, skills, certifications, projects, other..."
    )
    text: str = strawberry.field(description="The section's text.")


@strawberry.type(description="Where one extracted field came from.")
class FieldSource:
    field: str = strawberry.field(description="The Resume field, e.g. yearsOfExperience.")
    source: str = strawberry.field(description="Where in the resume it was found.")


def _parsed(root: Any, info: strawberry.Info[Any, Any]) -> Any:
    return root.row.parsed.get(info.python_name)


def parsed(graphql_type: object, description: str) -> Any:
    """A field of the stored parse (the JSONB column), read by its Python name."""
    return strawberry.field(resolver=_parsed, graphql_type=graphql_type, description=description)


@strawberry.type(description="The last parse of a resume; the file itself is never stored.")
class Resume(Node):
    row: strawberry.Private[ResumeRow]

    id = node_id("Resume")
    file_name = column(str | None, "Name of the uploaded file; null for pasted text.")
    format = column(str, "pdf, docx or text.")
    parsed_at = column(datetime, "When it was parsed.")
    headline = parsed(str | None, "The current or most recent title.")
    summary = parsed(str | None, "The profile paragraph.")
    skills = parsed(list[str], "Skills, normalized like job skills, strongest evidence first.")
    years_of_experience = parsed(float | None, "From the experience dates, else as stated.")
    name = parsed(str | None, "The person's name, from the header.")
    location = parsed(str | None, "Location from the header.")
    email = parsed(str | None, "Email from the header.")
    phone = parsed(str | None, "Phone number from the header.")
    recent_titles = parsed(list[str], "Job titles of the experience section, newest first.")

    @strawberry.field(description="Career level from titles and years.")
    def seniority(self) -> Seniority | None:
        value = self.row.parsed.get("seniority")
        return Seniority(value) if value else None

    @strawberry.field(description="Degrees, fields, institutions and years.")
    def education(self) -> list[Education]:
        return [Education(**entry) for entry in self.row.parsed.get("education") or []]

    @strawberry.field(description="The resume's sections in reading order.")
    def sections(self) -> list[ResumeSection]:
        return [ResumeSection(**entry) for entry in self.row.parsed.get("sections") or []]

    @strawberry.field(description="Where each extracted field came from.")
    def sources(self) -> list[FieldSource]:
        found = self.row.parsed.get("sources") or {}
        return [FieldSource(field=to_camel_case(k), source=v) for k, v in found.items()]


@strawberry.type(description="One job of an upload's preview, with its explanation.")
class PreviewMatch:
    job: Job = strawberry.field(description="The job.")
    score: float = strawberry.field(description="FIVE_FACTOR score, 0-100.")
    explanation: MatchExplanation = strawberry.field(description="Why it scores so.")


@strawberry.type(
    description="Matches the new profile brings at once: counted over the retrieval pool (the "
    "feed's nearest ACTIVE, unexpired, unswiped jobs), FIVE_FACTOR, score >= 50."
)
class ResumePreview:
    total_matches: int = strawberry.field(
        description="How many jobs of the retrieval pool score at least 50."
    )
    top: list[PreviewMatch] = strawberry.field(description="The 10 best of them, best first.")

    @classmethod
    def of(cls, value: resumes.Preview) -> ResumePreview:
        return cls(
            total_matches=value.total_matches,
            top=[
                PreviewMatch(job=Job(row=job), score=e.score, explanation=MatchExplanation.of(e))
                for job, e in value.top
            ],
        )


@strawberry.type(description="The parsed resume and the matches it brings.")
class UploadResumePayload:
    resume: Resume = strawberry.field(description="The new parse, now the candidate's resume.")
    preview: ResumePreview = strawberry.field(description="The instant match preview.")


async def read_upload(file: Upload | None) -> tuple[bytes | None, str | None]:
    """The file's bytes (at most one more than allowed, to tell) and its name."""
    if file is None:
        return None, None
    data: bytes = await file.read(MAX_RESUME_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_RESUME_BYTES:
        raise InvalidInput("the file is over 10 MB", field="file")
    return data, getattr(file, "filename", None)


@strawberry.type
class ResumeQuery:
    @strawberry.field(description="The signed-in candidate's last parsed resume; null if none.")
    async def my_resume(self, info: Info) -> Resume | None:
        row = await resumes.my_resume(info.context.services, info.context.require_viewer())
        return None if row is None else Resume(row=row)


@strawberry.type
class ResumeMutation:
    @strawberry.mutation(
        description="Upload a resume (PDF, DOCX, TXT/MD as a multipart file, or pasted text: "
        "exactly one). Fills the profile fields not set with updateMe, re-embeds the profile "
        "and answers with a match preview. Candidates only."
    )
    async def upload_resume(
        self, info: Info, file: Upload | None = None, text: str | None = None
    ) -> UploadResumePayload:
        viewer = require(info.context.require_viewer(), enums.Role.CANDIDATE)
        data, name = await read_upload(file)
        row, preview = await resumes.upload_resume(info.context.services, viewer, data, name, text)
        return UploadResumePayload(resume=Resume(row=row), preview=ResumePreview.of(preview))
