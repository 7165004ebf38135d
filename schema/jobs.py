"""Jobs: the Job type, its connection and filter, and the recruiter mutations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.jobs import JobFilter as JobFilterValues
from db.models import Company as CompanyRow
from db.models import Job as JobRow
from db.paging import Page
from domain import enums
from resolvers import jobs, matching
from schema.columns import column, node_id
from schema.context import Info
from schema.cursors import Keyset, decode_keyset
from schema.enums import (
    EmploymentType,
    JobCloseReason,
    JobStatus,
    SalaryInterval,
    ScoringPreset,
    Seniority,
)
from schema.ids import expect_id
from schema.inputs import given
from schema.nodes import Node
from schema.pagination import Connection, Edge

if TYPE_CHECKING:
    from schema.companies import Company
    from schema.matching import MatchExplanation


@strawberry.type(description="Where an imported job came from.")
class JobSource:
    platform: str | None = strawberry.field(description="Source platform, e.g. ashby.")
    external_id: str | None = strawberry.field(description="The platform's id for the posting.")
    url: str | None = strawberry.field(description="The original posting.")


@strawberry.type(description="A job posting.")
class Job(Node):
    row: strawberry.Private[JobRow]
    # Set when the caller already holds the company (a pushed event shared by many subscribers).
    company_row: strawberry.Private[CompanyRow | None] = None

    id = node_id("Job")

    title = column(str, "Job title.")

    @strawberry.field(description="The hiring company.")
    async def company(self, info: Info) -> Annotated[Company, strawberry.lazy("schema.companies")]:
        from schema.companies import Company

        row = self.company_row or await info.context.loaders.company_by_id.load(self.row.company_id)
        assert row is not None
        return Company(row=row)

    location = column(str | None, "Location as written in the posting.")
    city = column(str | None, "Normalized city.")
    region = column(str | None, "Normalized region (state, province).")
    country = column(str | None, "Normalized country.")
    is_remote = column(bool, "Whether the job can be done remotely.")
    skills = column(list[str], "Required skills, normalized.")
    keywords = column(list[str], "Keywords extracted from the title and description.")
    seniority = column(Seniority | None, "Career level the job targets.")
    description = column(str, "Full description.")
    requirements = column(str | None, "Requirements, when given separately.")
    employment_type = column(EmploymentType | None, "Kind of employment.")
    status = column(JobStatus, "ACTIVE jobs appear in feeds; the others do not.")
    posted_at = column(datetime, "When the job was posted.")
    expires_at = column(datetime | None, "When the job leaves the feed unless renewed.")
    salary_raw = column(str | None, "Salary as written in the posting.")
    salary_min = column(float | None, "Lower salary bound per salaryInterval.")
    salary_max = column(float | None, "Upper salary bound per salaryInterval.")
    salary_currency = column(str | None, "ISO 4217 currency of the salary.")
    salary_interval = column(SalaryInterval | None, "The period salaryMin/salaryMax cover.")
    salary_annual_min = column(float | None, "Lower bound as a yearly amount.")
    salary_annual_max = column(float | None, "Upper bound as a yearly amount.")
    experience_min = column(float | None, "Minimum years of experience asked for.")
    experience_max = column(float | None, "Maximum years of experience, when stated.")

    @strawberry.field(description="Origin of an imported job; null fields for jobs posted here.")
    def source(self) -> JobSource:
        return JobSource(
            platform=self.row.source_platform,
            external_id=self.row.external_id,
            url=self.row.source_url,
        )

    @strawberry.field(
        description="Every platform this posting was found on: `source` first, then the same "
        "posting from other platforms (cross-source duplicates are one job)."
    )
    async def sources(self, info: Info) -> list[JobSource]:
        row = self.row
        more = await info.context.loaders.sources_by_job_id.load(row.id)
        first = [(row.source_platform, row.external_id, row.source_url)]
        found = first if row.source_platform is not None else []
        found += [(s.platform, s.external_id, s.url) for s in more]
        return [JobSource(platform=p, external_id=e, url=u) for p, e, u in found]

    @strawberry.field(
        description="How well this job fits the signed-in candidate, and why (candidates only)."
    )
    async def match(
        self, info: Info, preset: ScoringPreset = enums.ScoringPreset.SWIPE_HYBRID
    ) -> Annotated[MatchExplanation, strawberry.lazy("schema.matching")]:
        from schema.matching import MatchExplanation

        ctx = info.context
        value = await matching.match(
            ctx.services, ctx.loaders, ctx.require_viewer(), self.row, preset
        )
        return MatchExplanation.of(value)


@strawberry.type(description="A job in a list.")
class JobEdge(Edge[Job]):
    node: Job = strawberry.field(description="The job.")


@strawberry.type(description="A page of jobs, newest first.")
class JobConnection(Connection[Job]):
    edges: list[JobEdge] = strawberry.field(description="The jobs of this page.")

    @classmethod
    def from_page(cls, page: Page[JobRow]) -> JobConnection:
        return cls.of_rows(page, JobEdge, Job, lambda r: Keyset(r.posted_at, r.id))


async def load_job(info: Info, job_id: uuid.UUID) -> Job:
    """The job a row refers to, through the request's loader."""
    row = await info.context.loaders.job_by_id.load(job_id)
    assert row is not None
    return Job(row=row)


async def job_connection(
    info: Info, values: JobFilterValues, first: int, after: str | None
) -> JobConnection:
    """A page of the jobs the viewer may see among those matching `values` (anonymous
    callers: ACTIVE ones)."""
    ctx = info.context
    page = await jobs.list_jobs(
        ctx.services, await ctx.reader(), values, first, decode_keyset(after), public=True
    )
    return JobConnection.from_page(page)


@strawberry.input(description="Narrow a job list; all given conditions must hold.")
class JobFilter:
    status: list[JobStatus] | None = strawberry.field(
        default=None, description="Default [ACTIVE]; others only for your own company."
    )
    remote: bool | None = None
    company_id: strawberry.ID | None = None
    skills_any: list[str] | None = strawberry.field(
        default=None, description="At least one of these skills."
    )
    skills_all: list[str] | None = strawberry.field(
        default=None, description="Every one of these skills."
    )
    location: str | None = strawberry.field(
        default=None, description="Matches city, region, country or raw location."
    )
    min_annual_salary: float | None = strawberry.field(
        default=None, description="Annual salary reaching at least this."
    )
    posted_since: datetime | None = None

    def values(self) -> JobFilterValues:
        return JobFilterValues(
            statuses=tuple(s.value for s in self.status) if self.status else ("ACTIVE",),
            company_id=expect_id(self.company_id, "Company") if self.company_id else None,
            remote=self.remote,
            skills_any=tuple(self.skills_any or []),
            skills_all=tuple(self.skills_all or []),
            location=self.location.strip() if self.location and self.location.strip() else None,
            min_annual_salary=self.min_annual_salary,
            posted_since=self.posted_since,
        )


@strawberry.input(description="A job's fields; on updateJob omitted fields stay as they are.")
class JobInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    requirements: str | None = strawberry.UNSET
    location: str | None = strawberry.UNSET
    is_remote: bool | None = strawberry.UNSET
    skills: list[str] | None = strawberry.UNSET
    seniority: Seniority | None = strawberry.UNSET
    employment_type: EmploymentType | None = strawberry.UNSET
    salary_min: float | None = strawberry.UNSET
    salary_max: float | None = strawberry.UNSET
    salary_currency: str | None = strawberry.UNSET
    salary_interval: SalaryInterval | None = strawberry.UNSET
    experience_min: float | None = strawberry.UNSET
    experience_max: float | None = strawberry.UNSET


@strawberry.type
class JobQuery:
    @strawberry.field(
        description="A job by id. Without signing in: ACTIVE jobs only (others are NOT_FOUND), "
        "and `match` answers UNAUTHENTICATED."
    )
    async def job(self, info: Info, id: strawberry.ID) -> Job:
        ctx = info.context
        row = await jobs.job(ctx.services, await ctx.reader(), expect_id(id, "Job"), public=True)
        return Job(row=row)

    @strawberry.field(
        description="Jobs, newest first, with keyset cursors; first is at most 100. Without "
        "signing in: ACTIVE jobs only, rate limited per client address."
    )
    async def jobs(
        self, info: Info, first: int = 20, after: str | None = None, filter: JobFilter | None = None
    ) -> JobConnection:
        return await job_connection(info, (filter or JobFilter()).values(), first, after)


@strawberry.type
class JobMutation:
    @strawberry.mutation(
        description="Post a job for your company; it is embedded and goes live at once."
    )
    async def create_job(self, info: Info, input: JobInput) -> Job:
        row = await jobs.create_job(
            info.context.services,
            info.context.require_viewer(),
            given(input),
        )
        return Job(row=row)

    @strawberry.mutation(
        description="Edit your company's job; re-embedded only when title, skills or description change."
    )
    async def update_job(self, info: Info, id: strawberry.ID, input: JobInput) -> Job:
        row = await jobs.update_job(
            info.context.services,
            info.context.require_viewer(),
            expect_id(id, "Job"),
            given(input),
        )
        return Job(row=row)

    @strawberry.mutation(description="Take an ACTIVE job down as FILLED or CLOSED.")
    async def close_job(self, info: Info, id: strawberry.ID, reason: JobCloseReason) -> Job:
        status = enums.JobStatus(reason.value)
        row = await jobs.close_job(
            info.context.services, info.context.require_viewer(), expect_id(id, "Job"), status
        )
        return Job(row=row)

    @strawberry.mutation(description="Make a closed, filled or expired job ACTIVE again.")
    async def reopen_job(self, info: Info, id: strawberry.ID) -> Job:
        row = await jobs.reopen_job(
            info.context.services, info.context.require_viewer(), expect_id(id, "Job")
        )
        return Job(row=row)
