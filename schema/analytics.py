"""Recruiting analytics: jobAnalytics and companyAnalytics, and their figure types."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from domain.analytics import Tally
from resolvers import analytics
from schema.context import Info
from schema.enums import ApplicationStatus
from schema.ids import expect_id
from schema.jobs import Job, load_job


@strawberry.type(description="Feed views and RIGHT swipes of one score decile.")
class DecileCtr:
    decile: int = strawberry.field(
        description="1 holds feed scores 0-9, 2 holds 10-19, ... 10 holds 90-100."
    )
    impressions: int = strawberry.field(description="Feed views of the job at such a score.")
    right_swipes: int = strawberry.field(description="Those views followed by a RIGHT swipe.")
    ctr: float | None = strawberry.field(
        description="rightSwipes / impressions; null without impressions."
    )


@strawberry.type(description="How many applications are in one status.")
class ApplicationStatusCount:
    status: ApplicationStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="Applications in it.")


@strawberry.type(description="Recruiting figures of one job or of a whole company.")
class AnalyticsFigures:
    tally: strawberry.Private[Tally]

    @strawberry.field(description="Feed impressions: each time the job was shown in a feed.")
    def impressions(self) -> int:
        return self.tally.impressions

    @strawberry.field(description="RIGHT swipes (applications from the feed).")
    def swipes_right(self) -> int:
        return self.tally.swipes.get("RIGHT", 0)

    @strawberry.field(description="LEFT swipes (passes).")
    def swipes_left(self) -> int:
        return self.tally.swipes.get("LEFT", 0)

    @strawberry.field(
        description="Click-through (RIGHT swipes per view) by feed score decile, all ten."
    )
    def ctr_by_score_decile(self) -> list[DecileCtr]:
        return [
            DecileCtr(
                decile=d.decile, impressions=d.impressions, right_swipes=d.right_swipes, ctr=d.ctr
            )
            for d in self.tally.ctr_by_decile()
        ]

    @strawberry.field(description="Applications received.")
    def applications(self) -> int:
        return self.tally.total_applications

    @strawberry.field(description="Applications per current status, pipeline order, none empty.")
    def applications_by_status(self) -> list[ApplicationStatusCount]:
        return [
            ApplicationStatusCount(status=status, count=count)
            for status, count in self.tally.applications_by_status()
        ]

    @strawberry.field(description="Your company's match records for the job(s).")
    def matches(self) -> int:
        return self.tally.matches

    @strawberry.field(
        description="Share of match records that ended in an application (status APPLIED, or "
        "the matched user applied); null without matches."
    )
    def match_to_apply_rate(self) -> float | None:
        return self.tally.match_to_apply_rate

    @strawberry.field(description="Median hours from applying to HIRED; null without hires.")
    def median_time_to_hire_hours(self) -> float | None:
        return self.tally.median_hours_to_hire

    @strawberry.field(
        description="Of each job's top 10 match records by score (ties by id), the share that "
        "recruiters SHORTLISTED, CONTACTED or saw APPLIED, or whose application was HIRED; "
        "pooled over jobs in totals; null without matches."
    )
    def precision_at_10(self) -> float | None:
        return self.tally.precision_at_10


@strawberry.type(description="Recruiting figures of one job.")
class JobAnalytics(AnalyticsFigures):
    job_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="The job.")
    async def job(self, info: Info) -> Job:
        return await load_job(info, self.job_id)


@strawberry.type(description="A company's recruiting figures over a time window.")
class CompanyAnalytics:
    start: datetime | None = strawberry.field(name="from", description="Window start; null: ever.")
    end: datetime | None = strawberry.field(
        name="to", description="Window end, excluded; null: now."
    )
    totals: AnalyticsFigures = strawberry.field(description="All the company's jobs together.")
    jobs_with_activity: int = strawberry.field(
        description="Jobs with any view, swipe, application, hire or match in the window."
    )
    per_job: list[JobAnalytics] = strawberry.field(
        description="Those jobs, busiest first (ties by id), at most 100."
    )


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="Figures of one of your company's jobs, all time: impressions, swipes, CTR by "
        "score decile, applications by status, match-to-apply rate, time to hire, precision@10."
    )
    async def job_analytics(self, info: Info, job_id: strawberry.ID) -> JobAnalytics:
        found = await analytics.job_analytics(
            info.context.services, info.context.require_viewer(), expect_id(job_id, "Job")
        )
        return JobAnalytics(tally=found.tally, job_id=found.job_id)

    @strawberry.field(
        description="Your company's figures for what happened in [from, to): totals and per job."
    )
    async def company_analytics(
        self,
        info: Info,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> CompanyAnalytics:
        found = await analytics.company_analytics(
            info.context.services, info.context.require_viewer(), from_, to
        )
        return CompanyAnalytics(
            start=found.start,
            end=found.end,
            totals=AnalyticsFigures(tally=found.totals),
            jobs_with_activity=found.jobs_with_activity,
            per_job=[JobAnalytics(tally=j.tally, job_id=j.job_id) for j in found.per_job],
        )
