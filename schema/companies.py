"""Companies: the Company type, `company(id)`, `updateCompany` and `addRecruiter`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.jobs import JobFilter as JobFilterValues
from db.models import Company as CompanyRow
from resolvers import companies
from schema.columns import column, node_id
from schema.context import Info
from schema.enums import CompanyKind
from schema.ids import expect_id
from schema.inputs import given
from schema.nodes import Node
from schema.users import User

if TYPE_CHECKING:
    from schema.jobs import JobConnection


@strawberry.type(
    description="An employer or a staffing agency; its recruiters post jobs and keep a private "
    "candidate pool."
)
class Company(Node):
    row: strawberry.Private[CompanyRow]

    id = node_id("Company")

    name = column(str, "Display name, unique case-insensitively.")
    description = column(str | None, "About the company.")
    website = column(str | None, "Company website URL.")
    location = column(str | None, "Headquarters location.")
    size = column(str | None, "Head count band, e.g. 51-200.")
    industry = column(str | None, "Industry.")
    kind = column(
        CompanyKind, "EMPLOYER (hires for its own jobs) or AGENCY (places its pool anywhere)."
    )
    created_at = column(datetime, "When the company was created.")

    @strawberry.field(description="The company's ACTIVE jobs, newest first.")
    async def jobs(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Annotated[JobConnection, strawberry.lazy("schema.jobs")]:
        from schema.jobs import job_connection

        return await job_connection(info, JobFilterValues(company_id=self.row.id), first, after)


@strawberry.input(description="Company fields to change; omitted fields stay as they are.")
class UpdateCompanyInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    location: str | None = strawberry.UNSET
    size: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET


@strawberry.type(description="The recruiter account added to the company.")
class AddRecruiterPayload:
    user: User = strawberry.field(description="The recruiter.")
    temporary_password: str | None = strawberry.field(
        description="Shown once for a new account; null when the recruiter already belonged."
    )


@strawberry.type
class CompanyQuery:
    @strawberry.field(
        description="A company by id; works without signing in (rate limited per address)."
    )
    async def company(self, info: Info, id: strawberry.ID) -> Company:
        ctx = info.context
        row = await companies.company(
            ctx.services, await ctx.reader(), expect_id(id, "Company"), public=True
        )
        return Company(row=row)


@strawberry.type
class CompanyMutation:
    @strawberry.mutation(description="Edit the admin's own company.")
    async def update_company(self, info: Info, input: UpdateCompanyInput) -> Company:
        row = await companies.update_company(
            info.context.services, info.context.require_viewer(), given(input)
        )
        return Company(row=row)

    @strawberry.mutation(description="Create a recruiter account in the admin's company.")
    async def add_recruiter(self, info: Info, email: str) -> AddRecruiterPayload:
        invite = await companies.add_recruiter(
            info.context.services, info.context.require_viewer(), email
        )
        return AddRecruiterPayload(
            user=User(row=invite.user), temporary_password=invite.temporary_password
        )
