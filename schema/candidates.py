"""A company's candidate pool: the Candidate type, its connection, addCandidate and reads."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.file_uploads import Upload

from db.models import Candidate as CandidateRow
from db.paging import Page
from domain.enums import RECRUITER_ROLES
from resolvers import candidates, matches
from resolvers.services import require
from schema.columns import column, node_id
from schema.context import Info
from schema.cursors import Keyset, decode_keyset, decode_scored, encode
from schema.enums import CandidateStatus, MatchStatus, RemotePreference, Seniority
from schema.ids import expect_id
from schema.inputs import given
from schema.nodes import Node
from schema.pagination import Connection, Edge
from schema.resumes import Resume, read_upload

if TYPE_CHECKING:
    from schema.matches import MatchRecordConnection


@strawberry.type(
    description="A candidate in a company's private pool, made from a resume; visible only "
    "to that company's recruiters. Pool candidates never sign in."
)
class Candidate(Node):
    row: strawberry.Private[CandidateRow]

    id = node_id("Candidate")
    name = column(str | None, "Full name.")
    email = column(str | None, "Contact email.")
    phone = column(str | None, "Contact phone number.")
    status = column(CandidateStatus, "Where the candidate stands in the pool.")
    headline = column(str | None, "Current or most recent title.")
    summary = column(str | None, "The resume's profile paragraph.")
    skills = column(list[str], "Skills, normalized to canonical names.")
    years_of_experience = column(float | None, "Years of professional experience.")
    seniority = column(Seniority | None, "Career level.")
    location = column(str | None, "Where the candidate lives, from the resume.")
    preferred_locations = column(list[str], "Cities or regions the candidate would work in.")
    preferred_roles = column(list[str], "Roles the candidate is looking for.")
    remote_preference = column(RemotePreference | None, "Remote work preference.")
    salary_min = column(float | None, "Lowest acceptable annual salary.")
    salary_max = column(float | None, "Upper end of the expected annual salary.")
    salary_currency = column(str | None, "ISO 4217 currency of the salary expectation.")
    created_at = column(datetime, "When the candidate was added.")

    @strawberry.field(description="The parsed resume the candidate was made from.")
    async def resume(self, info: Info) -> Resume | None:
        row = await info.context.loaders.resume_by_candidate_id.load(self.row.id)
        return None if row is None else Resume(row=row)

    @strawberry.field(
        description="The candidate's match records of ACTIVE jobs, best first, as "
        "matchesForCandidate lists them; first is at most 100."
    )
    async def matches(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        status: list[MatchStatus] | None = None,
    ) -> Annotated[MatchRecordConnection, strawberry.lazy("schema.matches")]:
        from schema.matches import MatchRecordConnection

        ctx = info.context
        page = await matches.matches_for_candidate(
            ctx.services, ctx.require_viewer(), self.row.id, first, decode_scored(after), status
        )
        return MatchRecordConnection.from_page(page)


@strawberry.type(description="A candidate in a list.")
class CandidateEdge(Edge[Candidate]):
    node: Candidate = strawberry.field(description="The candidate.")


@strawberry.type(description="A page of pool candidates, newest first.")
class CandidateConnection(Connection[Candidate]):
    edges: list[CandidateEdge] = strawberry.field(description="The candidates of this page.")

    @classmethod
    def from_page(cls, page: Page[CandidateRow]) -> CandidateConnection:
        return cls.of(
            [
                CandidateEdge(cursor=encode(Keyset(r.created_at, r.id)), node=Candidate(row=r))
                for r in page.items
            ],
            page.has_next,
        )


@strawberry.input(description="A pool candidate's fields; each given one wins over the resume's.")
class CandidateInput:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    headline: str | None = None
    skills: list[str] | None = None
    preferred_locations: list[str] | None = None
    preferred_roles: list[str] | None = None
    remote_preference: RemotePreference | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    years_of_experience: float | None = None
    seniority: Seniority | None = None


@strawberry.input(description="Pool candidate fields to change; omitted fields stay, null clears.")
class UpdateCandidateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Full name.")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="Contact email.")
    phone: str | None = strawberry.field(default=strawberry.UNSET, description="Contact phone.")
    headline: str | None = strawberry.field(
        default=strawberry.UNSET, description="Current or most recent title."
    )
    skills: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Skills; normalized to canonical names."
    )
    preferred_locations: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Cities or regions the candidate would work in."
    )
    preferred_roles: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Roles the candidate is looking for."
    )
    remote_preference: RemotePreference | None = strawberry.field(
        default=strawberry.UNSET, description="Remote work preference."
    )
    salary_min: float | None = strawberry.field(
        default=strawberry.UNSET, description="Lowest acceptable annual salary."
    )
    salary_max: float | None = strawberry.field(
        default=strawberry.UNSET, description="Upper end of the expected annual salary."
    )
    salary_currency: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 4217 currency of the salary expectation."
    )
    years_of_experience: float | None = strawberry.field(
        default=strawberry.UNSET, description="Years of professional experience, 0 to 70."
    )
    seniority: Seniority | None = strawberry.field(
        default=strawberry.UNSET, description="Career level."
    )
    status: CandidateStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description="PLACED (from READY) or ARCHIVED; READY comes from generating matches.",
    )


@strawberry.input(description="Which pool candidates to list; every given condition must hold.")
class CandidateFilter:
    status: CandidateStatus | None = strawberry.field(
        default=None, description="Only this status; without it, every status but ARCHIVED."
    )
    skills_any: list[str] | None = strawberry.field(
        default=None, description="At least one of these skills (normalized like profiles)."
    )
    location: str | None = strawberry.field(
        default=None, description="Part of the candidate's location or a preferred location."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Words that must each appear in the name, email, headline, summary, "
        "location, skills or preferred roles (case-insensitive).",
    )


@strawberry.type
class CandidateQuery:
    @strawberry.field(description="A pool candidate of your company (platform admins: any).")
    async def candidate(self, info: Info, id: strawberry.ID) -> Candidate:
        row = await candidates.candidate(
            info.context.services, info.context.require_viewer(), expect_id(id, "Candidate")
        )
        return Candidate(row=row)

    @strawberry.field(
        description="Your company's candidate pool, newest first; first is at most 100. "
        "ARCHIVED candidates are listed only when the filter asks for that status."
    )
    async def candidates(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: CandidateFilter | None = None,
    ) -> CandidateConnection:
        page = await candidates.list_candidates(
            info.context.services,
            info.context.require_viewer(),
            first,
            decode_keyset(after),
            None if filter is None else vars(filter),
        )
        return CandidateConnection.from_page(page)


@strawberry.type
class CandidateMutation:
    @strawberry.mutation(
        description="Add a candidate to your company's pool from a resume (a multipart file or "
        "pasted text: exactly one); the input's fields win over the parsed ones. The candidate "
        "is embedded and starts PENDING_REVIEW."
    )
    async def add_candidate(
        self,
        info: Info,
        file: Upload | None = None,
        text: str | None = None,
        input: CandidateInput | None = None,
    ) -> Candidate:
        viewer = require(info.context.require_viewer(), *RECRUITER_ROLES)
        data, name = await read_upload(file)
        patch = {k: v for k, v in vars(input).items()} if input is not None else {}
        row = await candidates.add_candidate(info.context.services, viewer, data, name, text, patch)
        return Candidate(row=row)

    @strawberry.mutation(
        description="Edit a candidate of your company's pool; the candidate is re-embedded when "
        "the profile changes. An ARCHIVED candidate cannot be changed."
    )
    async def update_candidate(
        self, info: Info, id: strawberry.ID, input: UpdateCandidateInput
    ) -> Candidate:
        row = await candidates.update_candidate(
            info.context.services,
            info.context.require_viewer(),
            expect_id(id, "Candidate"),
            given(input),
        )
        return Candidate(row=row)

    @strawberry.mutation(
        description="Archive a candidate of your company's pool (final): the record and its "
        "history stay, but it leaves the pool's lists and matching."
    )
    async def archive_candidate(self, info: Info, id: strawberry.ID) -> Candidate:
        row = await candidates.archive_candidate(
            info.context.services, info.context.require_viewer(), expect_id(id, "Candidate")
        )
        return Candidate(row=row)
