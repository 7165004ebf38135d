"""Relay connections: one generic Connection[T] and Edge[T], specialised per list by subclassing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, Self, TypeVar

import strawberry

from db.paging import Page
from schema.cursors import Keyset, encode

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")
E = TypeVar("E")


@strawberry.type(description="Where a page ends and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when another page follows.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this edge.")
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: Sequence[Edge[NodeT]]
    page_info: PageInfo = strawberry.field(description="Paging state.")

    @classmethod
    def of(cls, edges: Sequence[Edge[NodeT]], has_next: bool) -> Self:
        end = edges[-1].cursor if edges else None
        return cls(edges=list(edges), page_info=PageInfo(has_next_page=has_next, end_cursor=end))

    @classmethod
    def of_rows(
        cls,
        page: Page[RowT],
        edge: Callable[..., Edge[NodeT]],
        node: Callable[..., NodeT],
        key: Callable[[RowT], Keyset],
    ) -> Self:
        """A newest-first page of rows: each row as `node(row=...)`, its cursor its keyset."""
        edges = [edge(cursor=encode(key(row)), node=node(row=row)) for row in page.items]
        return cls.of(edges, page.has_next)


def fields_in_order(*names: str) -> Callable[[type[E]], type[E]]:
    """Strawberry lists inherited fields first; some committed edges put their own fields
    (a score) between `cursor` and `node`."""

    def reorder(cls: type[E]) -> type[E]:
        fields = cls.__strawberry_definition__.fields  # type: ignore[attr-defined]
        fields.sort(key=lambda field: names.index(field.python_name))
        return cls

    return reorder
