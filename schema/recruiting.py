"""candidatesForJob: the people ranked for a job (pool candidates, applicants, candidates open to
recruiters), each with a score, an explanation and the company's match record if there is one."""

from __future__ import annotations

import strawberry

from db.models import Candidate as CandidateRow
from db.models import User as UserRow
from resolvers import recruiting
from schema.candidates import Candidate
from schema.context import Info
from schema.cursors import Ranked, decode_ranked, encode
from schema.enums import CandidateSource, RemotePreference, ScoringPreset, Seniority
from schema.ids import expect_id, to_global_id
from schema.matches import MatchRecord
from schema.matching import MatchExplanation
from schema.pagination import Connection, Edge, fields_in_order


@strawberry.type(
    description="Someone ranked for a job: a candidate of your company's pool, an applicant to "
    "the job, or a signed-up candidate open to recruiters. A signed-up candidate's email shows "
    "only once they have applied to the job."
)
class RankedPerson:
    row: strawberry.Private[CandidateRow | UserRow]
    applied: strawberry.Private[bool]

    @strawberry.field(description="The global id of the Candidate (pool) or the User.")
    def id(self) -> strawberry.ID:
        kind = "Candidate" if isinstance(self.row, CandidateRow) else "User"
        return strawberry.ID(to_global_id(kind, self.row.id))

    @strawberry.field(description="Where this person was found.")
    def source(self) -> CandidateSource:
        if isinstance(self.row, CandidateRow):
            return CandidateSource.POOL
        return CandidateSource.APPLICANTS if self.applied else CandidateSource.OPEN_TO_RECRUITERS

    @strawberry.field(description="Full name (pool candidates).")
    def name(self) -> str | None:
        return self.row.name if isinstance(self.row, CandidateRow) else None

    @strawberry.field(description="Contact email: a pool candidate's, or an applicant's.")
    def email(self) -> str | None:
        return self.row.email if isinstance(self.row, CandidateRow) or self.applied else None

    @strawberry.field(description="Contact phone (pool candidates).")
    def phone(self) -> str | None:
        return self.row.phone if isinstance(self.row, CandidateRow) else None

    @strawberry.field(description="Where a pool candidate lives, from the resume.")
    def location(self) -> str | None:
        return self.row.location if isinstance(self.row, CandidateRow) else None

    @strawberry.field(description="Current or most recent title, or the profile headline.")
    def headline(self) -> str | None:
        return self.row.headline

    @strawberry.field(description="Skills, normalized to canonical names.")
    def skills(self) -> list[str]:
        return list(self.row.skills or ())

    @strawberry.field(description="Years of professional experience.")
    def years_of_experience(self) -> float | None:
        return self.row.years_of_experience

    @strawberry.field(description="Career level.")
    def seniority(self) -> Seniority | None:
        return Seniority(self.row.seniority) if self.row.seniority else None

    @strawberry.field(description="Cities or regions the person would work in.")
    def preferred_locations(self) -> list[str]:
        return list(self.row.preferred_locations or ())

    @strawberry.field(description="Remote work preference.")
    def remote_preference(self) -> RemotePreference | None:
        value = self.row.remote_preference
        return RemotePreference(value) if value else None

    @strawberry.field(description="Lowest acceptable annual salary.")
    def salary_min(self) -> float | None:
        return self.row.salary_min

    @strawberry.field(description="Upper end of the expected annual salary.")
    def salary_max(self) -> float | None:
        return self.row.salary_max

    @strawberry.field(description="ISO 4217 currency of the salary expectation.")
    def salary_currency(self) -> str | None:
        return self.row.salary_currency

    @strawberry.field(description="The pool record, for a pool candidate.")
    def candidate(self) -> Candidate | None:
        return Candidate(row=self.row) if isinstance(self.row, CandidateRow) else None


@fields_in_order("cursor", "score", "node", "explanation", "match")
@strawberry.type(description="A person ranked for a job.")
class CandidateForJobEdge(Edge[RankedPerson]):
    cursor: str = strawberry.field(description="Opaque position in the ranked snapshot.")
    score: float = strawberry.field(description="The preset's score, 0-100 with 2 decimals.")
    node: RankedPerson = strawberry.field(description="The person.")
    explanation: MatchExplanation = strawberry.field(
        description="Why they score so: factors, matched and missing skills."
    )
    match: MatchRecord | None = strawberry.field(
        description="Your company's match record of this person for the job, if there is one."
    )


@strawberry.type(
    description="People ranked for a job, best first (ties by id), cut from one snapshot."
)
class CandidateForJobConnection(Connection[RankedPerson]):
    edges: list[CandidateForJobEdge] = strawberry.field(description="The people of this page.")

    @classmethod
    def from_page(cls, page: recruiting.PeoplePage) -> CandidateForJobConnection:
        edges = [
            CandidateForJobEdge(
                cursor=encode(Ranked(page.snapshot_id, e.position)),
                score=e.explanation.score,
                node=RankedPerson(row=e.person, applied=e.applied),
                explanation=MatchExplanation.of(e.explanation),
                match=None if e.match is None else MatchRecord(row=e.match),
            )
            for e in page.edges
        ]
        return cls.of(edges, page.has_next)


@strawberry.type
class RecruitingQuery:
    @strawberry.field(
        description="People ranked for a job of your company (an AGENCY: any ACTIVE job): the "
        "nearest 200 of each source by embedding, scored exactly by the preset, best first, ties "
        "by id. Applicants count only for your own jobs. Pages come from one snapshot (valid 30 "
        "minutes by default); first is at most 100."
    )
    async def candidates_for_job(
        self,
        info: Info,
        job_id: strawberry.ID,
        first: int = 20,
        after: str | None = None,
        sources: list[CandidateSource] | None = None,
        preset: ScoringPreset = ScoringPreset.FIVE_FACTOR,
        min_score: float = 0.0,
    ) -> CandidateForJobConnection:
        ctx, cursor = info.context, decode_ranked(after)
        chosen = tuple(sources) if sources is not None else tuple(CandidateSource)
        page = await recruiting.candidates_for_job(
            ctx.services,
            ctx.loaders,
            ctx.require_viewer(),
            expect_id(job_id, "Job"),
            first,
            cursor,
            recruiting.Question(chosen, preset, min_score),
        )
        return CandidateForJobConnection.from_page(page)
