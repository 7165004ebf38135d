"""DataLoaders, one per entity and key; each batch opens its own short read session."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from db import applications, candidates, imports, interviews, jobs, matches, resumes, users
from db.engine import SessionFactory
from db.models import (
    Application,
    ApplicationHistory,
    Candidate,
    Company,
    Interview,
    Job,
    JobSource,
    Match,
    MatchHistory,
    Resume,
    User,
)

T = TypeVar("T")


def _by_key(
    factory: SessionFactory,
    fetch: Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[Sequence[T]]],
    key: Callable[[T], uuid.UUID],
    cache: bool,
) -> DataLoader[uuid.UUID, T | None]:
    async def load(keys: list[uuid.UUID]) -> list[T | None]:
        async with factory() as session:
            rows = await fetch(session, keys)
        found = {key(row): row for row in rows}
        return [found.get(k) for k in keys]

    return DataLoader(load_fn=load, cache=cache)


def _by_id(
    factory: SessionFactory,
    fetch: Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[Sequence[T]]],
    cache: bool,
) -> DataLoader[uuid.UUID, T | None]:
    return _by_key(factory, fetch, attrgetter("id"), cache)


def _grouped_by(
    factory: SessionFactory,
    fetch: Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[Sequence[T]]],
    key: Callable[[T], uuid.UUID],
    cache: bool,
) -> DataLoader[uuid.UUID, list[T]]:
    async def load(keys: list[uuid.UUID]) -> list[list[T]]:
        async with factory() as session:
            rows = await fetch(session, keys)
        grouped: dict[uuid.UUID, list[T]] = {k: [] for k in keys}
        for row in rows:
            grouped[key(row)].append(row)
        return [grouped[k] for k in keys]

    return DataLoader(load_fn=load, cache=cache)


@dataclass
class Loaders:
    user_by_id: DataLoader[uuid.UUID, User | None]
    company_by_id: DataLoader[uuid.UUID, Company | None]
    job_by_id: DataLoader[uuid.UUID, Job | None]
    application_by_id: DataLoader[uuid.UUID, Application | None]
    history_by_application_id: DataLoader[uuid.UUID, list[ApplicationHistory]]
    candidate_by_id: DataLoader[uuid.UUID, Candidate | None]
    resume_by_candidate_id: DataLoader[uuid.UUID, Resume | None]
    match_by_id: DataLoader[uuid.UUID, Match | None]
    history_by_match_id: DataLoader[uuid.UUID, list[MatchHistory]]
    interview_by_id: DataLoader[uuid.UUID, Interview | None]
    sources_by_job_id: DataLoader[uuid.UUID, list[JobSource]]

    @classmethod
    def create(cls, factory: SessionFactory, *, cache: bool = True) -> Loaders:
        """Fresh per request; a WebSocket passes cache=False since its context outlives changes."""
        return cls(
            user_by_id=_by_id(factory, users.get_users, cache),
            company_by_id=_by_id(factory, users.get_companies, cache),
            job_by_id=_by_id(factory, jobs.get_jobs, cache),
            application_by_id=_by_id(factory, applications.get_applications, cache),
            history_by_application_id=_grouped_by(
                factory, applications.history_for, attrgetter("application_id"), cache
            ),
            candidate_by_id=_by_id(factory, candidates.get_candidates, cache),
            resume_by_candidate_id=_by_key(
                factory, resumes.for_candidates, attrgetter("candidate_id"), cache
            ),
            match_by_id=_by_id(factory, matches.get_matches, cache),
            history_by_match_id=_grouped_by(
                factory, matches.history_for, attrgetter("match_id"), cache
            ),
            interview_by_id=_by_id(factory, interviews.get_interviews, cache),
            sources_by_job_id=_grouped_by(factory, imports.sources_of, attrgetter("job_id"), cache),
        )
