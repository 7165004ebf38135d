"""Match records (SPEC §13): the MatchRecord type, matchesForCandidate and its mutations."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from db.models import Match as MatchRow
from db.models import MatchHistory
from db.paging import Page
from domain.errors import NotFound
from domain.matches import from_json
from resolvers import matches
from schema.applications import Actor
from schema.candidates import Candidate
from schema.columns import column, node_id
from schema.context import Info
from schema.cursors import Scored, decode_scored, encode
from schema.enums import MatchStatus, ScoringPreset
from schema.ids import expect_id, from_global_id, to_global_id
from schema.jobs import Job, load_job
from schema.matching import MatchExplanation
from schema.nodes import Node
from schema.pagination import Connection, Edge


@strawberry.type(description="One status a match record went through.")
class MatchHistoryEntry:
    row: strawberry.Private[MatchHistory]

    status = column(MatchStatus, "The status it moved to.")
    at = column(datetime, "When.")

    @strawberry.field(description="The recruiter who moved it; null when the system did.")
    def actor(self) -> Actor | None:
        actor = self.row.actor_id
        return Actor(user_id=to_global_id("User", actor)) if actor else None

    note = column(str | None, "The note given with the change.")


@strawberry.type(
    name="Match",
    description="A company's stored match of one person (a pool candidate or a signed-up "
    "candidate) with one job: score, explanation and the recruiter's status, with history. "
    "Records of jobs no longer ACTIVE leave the lists but are kept.",
)
class MatchRecord(Node):
    row: strawberry.Private[MatchRow]

    id = node_id("Match")

    @strawberry.field(description="The job.")
    async def job(self, info: Info) -> Job:
        return await load_job(info, self.row.job_id)

    @strawberry.field(description="The pool candidate; null when the person is a signed-up user.")
    async def candidate(self, info: Info) -> Candidate | None:
        if self.row.candidate_id is None:
            return None
        row = await info.context.loaders.candidate_by_id.load(self.row.candidate_id)
        return None if row is None else Candidate(row=row)

    @strawberry.field(description="The signed-up candidate's global id; null for a pool record.")
    def user_id(self) -> strawberry.ID | None:
        user = self.row.user_id
        return strawberry.ID(to_global_id("User", user)) if user else None

    score = column(float, "The preset's score, 0-100 with 2 decimals.")
    preset = column(ScoringPreset, "The preset scored with (FIVE_FACTOR).")
    preset_version = column(int, "The preset's version.")

    @strawberry.field(description="Why it scores so, as of the last scoring.")
    def explanation(self) -> MatchExplanation:
        return MatchExplanation.of(from_json(self.row.explanation))

    status = column(MatchStatus, "Where the recruiter stands with this match.")

    @strawberry.field(description="Every status, oldest first, with time, actor and note.")
    async def history(self, info: Info) -> list[MatchHistoryEntry]:
        rows = await info.context.loaders.history_by_match_id.load(self.row.id)
        return [MatchHistoryEntry(row=row) for row in rows]

    created_at = column(datetime, "When the record was created.")
    updated_at = column(datetime, "When it was last re-scored or moved.")


@strawberry.type(name="MatchEdge", description="A match record in a list.")
class MatchRecordEdge(Edge[MatchRecord]):
    node: MatchRecord = strawberry.field(description="The match record.")


@strawberry.type(
    name="MatchConnection", description="A page of match records, best score first, ties by id."
)
class MatchRecordConnection(Connection[MatchRecord]):
    edges: list[MatchRecordEdge] = strawberry.field(description="The records of this page.")

    @classmethod
    def from_page(cls, page: Page[MatchRow]) -> MatchRecordConnection:
        return cls.of(
            [
                MatchRecordEdge(cursor=encode(Scored(r.score, r.id)), node=MatchRecord(row=r))
                for r in page.items
            ],
            page.has_next,
        )


@strawberry.type(description="What generateMatches kept.")
class GenerateMatchesPayload:
    candidate: Candidate = strawberry.field(description="The candidate, now READY.")
    matches: list[MatchRecord] = strawberry.field(
        description="The kept records: the top 50 scoring >= 50, best first."
    )


@strawberry.type
class MatchRecordQuery:
    @strawberry.field(
        description="A pool candidate's match records of ACTIVE jobs, best first; first is at "
        "most 100."
    )
    async def matches_for_candidate(
        self,
        info: Info,
        candidate_id: strawberry.ID,
        first: int = 20,
        after: str | None = None,
        status: list[MatchStatus] | None = None,
    ) -> MatchRecordConnection:
        ctx = info.context
        page = await matches.matches_for_candidate(
            ctx.services,
            ctx.require_viewer(),
            expect_id(candidate_id, "Candidate"),
            first,
            decode_scored(after),
            status,
        )
        return MatchRecordConnection.from_page(page)


@strawberry.type
class MatchRecordMutation:
    @strawberry.mutation(
        description="Score every ACTIVE job your pool candidate can reach (FIVE_FACTOR) and keep "
        "the top 50 scoring >= 50 as SUGGESTED records (records you acted on stay); the "
        "candidate becomes READY."
    )
    async def generate_matches(
        self, info: Info, candidate_id: strawberry.ID
    ) -> GenerateMatchesPayload:
        result = await matches.generate_matches(
            info.context.services,
            info.context.require_viewer(),
            expect_id(candidate_id, "Candidate"),
        )
        return GenerateMatchesPayload(
            candidate=Candidate(row=result.candidate),
            matches=[MatchRecord(row=row) for row in result.matches],
        )

    @strawberry.mutation(
        description="Move a match record: SUGGESTED -> VIEWED -> SHORTLISTED -> CONTACTED -> "
        "APPLIED (stages may be skipped), or REJECTED; APPLIED and REJECTED are final."
    )
    async def update_match_status(
        self, info: Info, id: strawberry.ID, status: MatchStatus, note: str | None = None
    ) -> MatchRecord:
        row = await matches.update_match_status(
            info.context.services,
            info.context.require_viewer(),
            expect_id(id, "Match"),
            status,
            note,
        )
        return MatchRecord(row=row)

    @strawberry.mutation(
        description="Shortlist a row of candidatesForJob: creates (or re-scores) the record for "
        "the job and the person (a Candidate or User id) and moves it to SHORTLISTED."
    )
    async def shortlist_candidate(
        self,
        info: Info,
        job_id: strawberry.ID,
        candidate_id: strawberry.ID,
        note: str | None = None,
    ) -> MatchRecord:
        row = await matches.shortlist_candidate(
            info.context.services,
            info.context.require_viewer(),
            expect_id(job_id, "Job"),
            _person(candidate_id),
            note,
        )
        return MatchRecord(row=row)


def _person(global_id: str) -> tuple[str, uuid.UUID]:
    kind, value = from_global_id(global_id)
    if kind not in ("Candidate", "User"):
        raise NotFound("no candidate has this id")
    return kind, value
