"""Jobs: the Job type, its connection and filter, and the recruiter mutations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.jobs import JobFilter as JobFilterValues
from db.models import Company as CompanyRow
from db.models import Job as JobRow
from domain import enums
from domain.skills import default_normalizer
from resolvers import jobs, matching
from schema.context import Info
from schema.enums import (
    EmploymentType,
    JobCloseReason,
    JobStatus,
    SalaryInterval,
    ScoringPreset,
    Seniority,
)
from schema.ids import expect_id, to_global_id
from schema.nodes import Node
from schema.pagination import PageInfo, decode_keyset, encode_keyset

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

    @strawberry.field(description="Opaque global id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Job", self.row.id))

    @strawberry.field(description="Job title.")
    def title(self) -> str:
        return self.row.title

    @strawberry.field(description="The hiring company.")
    async def company(self, info: Info) -> Annotated[Company, strawberry.lazy("schema.companies")]:
        from schema.companies import Company

        row = self.company_row or await info.context.loaders.company_by_id.load(self.row.company_id)
        assert row is not None
        return Company(row=row)

    @strawberry.field(description="Location as written in the posting.")
    def location(self) -> str | None:
        return self.row.location

    @strawberry.field(description="Normalized city.")
    def city(self) -> str | None:
        return self.row.city

    @strawberry.field(description="Normalized region (state, province).")
    def region(self) -> str | None:
        return self.row.region

    @strawberry.field(description="Normalized country.")
    def country(self) -> str | None:
        return self.row.country

    @strawberry.field(description="Whether the job can be done remotely.")
    def is_remote(self) -> bool:
        return self.row.is_remote

    @strawberry.field(description="Required skills, normalized.")
    def skills(self) -> list[str]:
        return list(self.row.skills or [])

    @strawberry.field(description="Keywords extracted from the title and description.")
    def keywords(self) -> list[str]:
        return list(self.row.keywords or [])

    @strawberry.field(description="Career level the job targets.")
    def seniority(self) -> Seniority | None:
        return enums.Seniority(self.row.seniority) if self.row.seniority else None

    @strawberry.field(description="Full description.")
    def description(self) -> str:
        return self.row.description

    @strawberry.field(description="Requirements, when given separately.")
    def requirements(self) -> str | None:
        return self.row.requirements

    @strawberry.field(description="Kind of employment.")
    def employment_type(self) -> EmploymentType | None:
        value = self.row.employment_type
        return enums.EmploymentType(value) if value else None

    @strawberry.field(description="ACTIVE jobs appear in feeds; the others do not.")
    def status(self) -> JobStatus:
        return enums.JobStatus(self.row.status)

    @strawberry.field(description="When the job was posted.")
    def posted_at(self) -> datetime:
        return self.row.posted_at

    @strawberry.field(description="When the job leaves the feed unless renewed.")
    def expires_at(self) -> datetime | None:
        return self.row.expires_at

    @strawberry.field(description="Salary as written in the posting.")
    def salary_raw(self) -> str | None:
        return self.row.salary_raw

    @strawberry.field(description="Lower salary bound per salaryInterval.")
    def salary_min(self) -> float | None:
        return self.row.salary_min

    @strawberry.field(description="Upper salary bound per salaryInterval.")
    def salary_max(self) -> float | None:
        return self.row.salary_max

    @strawberry.field(description="ISO 4217 currency of the salary.")
    def salary_currency(self) -> str | None:
        return self.row.salary_currency

    @strawberry.field(description="The period salaryMin/salaryMax cover.")
    def salary_interval(self) -> SalaryInterval | None:
        value = self.row.salary_interval
        return enums.SalaryInterval(value) if value else None

    @strawberry.field(description="Lower bound as a yearly amount.")
    def salary_annual_min(self) -> float | None:
        return self.row.salary_annual_min

    @strawberry.field(description="Upper bound as a yearly amount.")
    def salary_annual_max(self) -> float | None:
        return self.row.salary_annual_max

    @strawberry.field(description="Minimum years of experience asked for.")
    def experience_min(self) -> float | None:
        return self.row.experience_min

    @strawberry.field(description="Maximum years of experience, when stated.")
    def experience_max(self) -> float | None:
        return self.row.experience_max

    @strawberry.field(description="Origin of an imported job; null fields for jobs posted here.")
    def source(self) -> JobSource:
        return JobSource(
            platform=self.row.source_platform,
            external_id=self.row.external_id,
            url=self.row.source_url,
        )

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
class JobEdge:
    cursor: str = strawberry.field(description="Opaque position of this edge.")
    node: Job = strawberry.field(description="The job.")


@strawberry.type(description="A page of jobs, newest first.")
class JobConnection:
    edges: list[JobEdge] = strawberry.field(description="The jobs of this page.")
    page_info: PageInfo = strawberry.field(description="Paging state.")

    @classmethod
    def of(cls, rows: list[JobRow], has_next: bool) -> JobConnection:
        edges = [JobEdge(cursor=encode_keyset(r.posted_at, r.id), node=Job(row=r)) for r in rows]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None
            ),
        )


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
        normalize = default_normalizer().normalize_many
        return JobFilterValues(
            statuses=tuple(s.value for s in self.status) if self.status else ("ACTIVE",),
            company_id=expect_id(self.company_id, "Company") if self.company_id else None,
            remote=self.remote,
            skills_any=tuple(normalize(self.skills_any or [])),
            skills_all=tuple(normalize(self.skills_all or [])),
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

    def fields(self) -> jobs.JobFields:
        given = {k: v for k, v in vars(self).items() if v is not strawberry.UNSET}
        return jobs.JobFields(**given, given=frozenset(given))


@strawberry.type
class JobQuery:
    @strawberry.field(description="A job by id.")
    async def job(self, info: Info, id: strawberry.ID) -> Job:
        return Job(
            row=await jobs.job(
                info.context.services, info.context.require_viewer(), expect_id(id, "Job")
            )
        )

    @strawberry.field(description="Jobs, newest first, with keyset cursors; first is at most 100.")
    async def jobs(
        self, info: Info, first: int = 20, after: str | None = None, filter: JobFilter | None = None
    ) -> JobConnection:
        values = (filter or JobFilter()).values()
        rows, more = await jobs.list_jobs(
            info.context.services,
            info.context.require_viewer(),
            values,
            first,
            decode_keyset(after),
        )
        return JobConnection.of(rows, more)


@strawberry.type
class JobMutation:
    @strawberry.mutation(
        description="Post a job for your company; it is embedded and goes live at once."
    )
    async def create_job(self, info: Info, input: JobInput) -> Job:
        row = await jobs.create_job(
            info.context.services,
            info.context.require_viewer(),
            input.fields(),
            default_normalizer(),
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
            input.fields(),
            default_normalizer(),
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
