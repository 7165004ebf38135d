"""DataLoaders, one per entity and key; each batch opens its own short read session."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from db import applications, candidates, interviews, jobs, matches, resumes, users
from db.engine import SessionFactory
from db.models import (
    Application,
    ApplicationHistory,
    Candidate,
    Company,
    Interview,
    Job,
    Match,
    MatchHistory,
    Resume,
    User,
)

T = TypeVar("T")


def _by_id(
    factory: SessionFactory,
    fetch: Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[Sequence[T]]],
    cache: bool,
) -> DataLoader[uuid.UUID, T | None]:
    async def load(keys: list[uuid.UUID]) -> list[T | None]:
        async with factory() as session:
            rows = await fetch(session, keys)
        found: dict[Any, T] = {row.id: row for row in rows}  # type: ignore[attr-defined]
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


def _history_by_application_id(
    factory: SessionFactory, cache: bool
) -> DataLoader[uuid.UUID, list[ApplicationHistory]]:
    async def load(keys: list[uuid.UUID]) -> list[list[ApplicationHistory]]:
        async with factory() as session:
            rows = await applications.history_for(session, keys)
        grouped: dict[uuid.UUID, list[ApplicationHistory]] = {key: [] for key in keys}
        for row in rows:
            grouped[row.application_id].append(row)
        return [grouped[key] for key in keys]

    return DataLoader(load_fn=load, cache=cache)


def _resume_by_candidate_id(
    factory: SessionFactory, cache: bool
) -> DataLoader[uuid.UUID, Resume | None]:
    async def load(keys: list[uuid.UUID]) -> list[Resume | None]:
        async with factory() as session:
            rows = await resumes.for_candidates(session, keys)
        found = {row.candidate_id: row for row in rows}
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


def _history_by_match_id(
    factory: SessionFactory, cache: bool
) -> DataLoader[uuid.UUID, list[MatchHistory]]:
    async def load(keys: list[uuid.UUID]) -> list[list[MatchHistory]]:
        async with factory() as session:
            rows = await matches.history_for(session, keys)
        grouped: dict[uuid.UUID, list[MatchHistory]] = {key: [] for key in keys}
        for row in rows:
            grouped[row.match_id].append(row)
        return [grouped[key] for key in keys]

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

    @classmethod
    def create(cls, factory: SessionFactory, *, cache: bool = True) -> Loaders:
        """Fresh per request; a WebSocket passes cache=False since its context outlives changes."""
        return cls(
            user_by_id=_by_id(factory, users.get_users, cache),
            company_by_id=_by_id(factory, users.get_companies, cache),
            job_by_id=_by_id(factory, jobs.get_jobs, cache),
            application_by_id=_by_id(factory, applications.get_applications, cache),
            history_by_application_id=_history_by_application_id(factory, cache),
            candidate_by_id=_by_id(factory, candidates.get_candidates, cache),
            resume_by_candidate_id=_resume_by_candidate_id(factory, cache),
            match_by_id=_by_id(factory, matches.get_matches, cache),
            history_by_match_id=_history_by_match_id(factory, cache),
            interview_by_id=_by_id(factory, interviews.get_interviews, cache),
        )
