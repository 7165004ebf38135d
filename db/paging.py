"""Pages of a list: fetch one row more than asked for to learn whether another page follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_next: bool


def cut(rows: Sequence[T], first: int) -> Page[T]:
    """`rows` came from a query limited to `first + 1`."""
    return Page(list(rows[:first]), len(rows) > first)


async def fetch(session: AsyncSession, query: Select[T], first: int) -> Page[T]:
    """Up to `first` entities of a one-entity query, in the query's order."""
    rows = (await session.execute(query.limit(first + 1))).scalars().all()
    return cut(rows, first)
