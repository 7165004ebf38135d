"""Analytics SQL: one grouped statement per fact table, per job and in total (GROUPING SETS)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Application, ApplicationHistory, Interaction, Job, Match, Swipe
from domain.analytics import DECILES, RELEVANT_MATCH_STATUSES, TOP_K, Tally
from domain.enums import ApplicationStatus, MatchStatus

Tallies = dict[uuid.UUID | None, Tally]


def _const(value: int) -> ColumnElement[int]:
    return literal_column(str(int(value)), Integer)


@dataclass(frozen=True)
class Scope:
    """A company's jobs (or one of them), and facts recorded in [start, end)."""

    company_id: uuid.UUID
    job_id: uuid.UUID | None = None
    start: datetime | None = None
    end: datetime | None = None

    def jobs(self) -> list[ColumnElement[bool]]:
        where = [Job.company_id == self.company_id]
        if self.job_id is not None:
            where.append(Job.id == self.job_id)
        return where

    def window(self, moment: Any) -> list[ColumnElement[bool]]:
        where = []
        if self.start is not None:
            where.append(moment >= self.start)
        if self.end is not None:
            where.append(moment < self.end)
        return where


async def tallies(session: AsyncSession, scope: Scope) -> Tallies:
    """Five statements whatever the number of jobs; the key None holds the company's totals."""
    found: Tallies = defaultdict(Tally)
    await _views(session, scope, found)
    await _swipes(session, scope, found)
    await _applications(session, scope, found)
    await _hires(session, scope, found)
    await _matches(session, scope, found)
    return dict(found)


async def _views(session: AsyncSession, scope: Scope, found: Tallies) -> None:
    # Constants inline, not bound: GROUP BY must repeat the select's expression exactly.
    bucket = func.width_bucket(Interaction.score_at_view, _const(0), _const(100), _const(DECILES))
    decile = func.least(func.greatest(bucket, _const(1)), _const(DECILES)).label("decile")
    rights = func.count().filter(Interaction.action == "RIGHT")
    statement = (
        select(Interaction.job_id, decile, func.count(), rights)
        .join(Job, Job.id == Interaction.job_id)
        .where(*scope.jobs(), *scope.window(Interaction.created_at))
        .group_by(func.grouping_sets(tuple_(Interaction.job_id, decile), tuple_(decile)))
    )
    for job_id, bucket_no, views, right in await session.execute(statement):
        found[job_id].views[bucket_no] = (views, right)


async def _swipes(session: AsyncSession, scope: Scope, found: Tallies) -> None:
    statement = (
        select(Swipe.job_id, Swipe.direction, func.count())
        .join(Job, Job.id == Swipe.job_id)
        .where(*scope.jobs(), *scope.window(Swipe.created_at))
        .group_by(
            func.grouping_sets(tuple_(Swipe.job_id, Swipe.direction), tuple_(Swipe.direction))
        )
    )
    for job_id, direction, count in await session.execute(statement):
        found[job_id].swipes[direction] = count


async def _applications(session: AsyncSession, scope: Scope, found: Tallies) -> None:
    statement = (
        select(Application.job_id, Application.status, func.count())
        .join(Job, Job.id == Application.job_id)
        .where(*scope.jobs(), *scope.window(Application.created_at))
        .group_by(
            func.grouping_sets(
                tuple_(Application.job_id, Application.status), tuple_(Application.status)
            )
        )
    )
    for job_id, status, count in await session.execute(statement):
        found[job_id].applications[status] = count


async def _hires(session: AsyncSession, scope: Scope, found: Tallies) -> None:
    """Median hours from applying to HIRED, over the hires made in the window."""
    hired = aliased(ApplicationHistory)
    hours = func.extract("epoch", hired.at - Application.created_at) / 3600.0
    statement = (
        select(Application.job_id, func.percentile_cont(0.5).within_group(hours))
        .join(Job, Job.id == Application.job_id)
        .join(
            hired,
            and_(
                hired.application_id == Application.id,
                hired.status == ApplicationStatus.HIRED.value,
            ),
        )
        .where(*scope.jobs(), *scope.window(hired.at))
        .group_by(func.grouping_sets(tuple_(Application.job_id), tuple_()))
    )
    for job_id, median in await session.execute(statement):
        if median is not None:
            found[job_id].median_hours_to_hire = float(median)


async def _matches(session: AsyncSession, scope: Scope, found: Tallies) -> None:
    """The company's match records of each job, ranked by score (ties by id) as recruiters see
    them; an applicant's record counts as applied (and as relevant once HIRED)."""
    applied = or_(Match.status == MatchStatus.APPLIED.value, Application.id.is_not(None))
    relevant = or_(
        Match.status.in_([s.value for s in RELEVANT_MATCH_STATUSES]),
        Application.status == ApplicationStatus.HIRED.value,
    )
    rank = func.row_number().over(
        partition_by=Match.job_id, order_by=(Match.score.desc(), Match.id)
    )
    ranked = (
        select(
            Match.job_id,
            rank.label("rank"),
            cast(case((applied, 1), else_=0), Integer).label("applied"),
            cast(case((relevant, 1), else_=0), Integer).label("relevant"),
        )
        .join(Job, Job.id == Match.job_id)
        .outerjoin(
            Application,
            and_(Application.job_id == Match.job_id, Application.user_id == Match.user_id),
        )
        .where(*scope.jobs(), Match.company_id == scope.company_id, *scope.window(Match.created_at))
        .cte("ranked")
    )
    top = ranked.c.rank <= TOP_K
    statement = select(
        ranked.c.job_id,
        func.count(),
        func.sum(ranked.c.applied),
        func.count().filter(top),
        func.coalesce(func.sum(ranked.c.relevant).filter(top), literal(0)),
    ).group_by(func.grouping_sets(tuple_(ranked.c.job_id), tuple_()))
    for job_id, count, applied_count, top_count, relevant_count in await session.execute(statement):
        tally = found[job_id]
        tally.matches, tally.applied_matches = count, int(applied_count or 0)
        tally.top_matches, tally.relevant_top_matches = top_count, int(relevant_count)
