"""Fields that show a column of the row behind a type as it is, read only when a query asks."""

from __future__ import annotations

from typing import Any

import strawberry

from schema.ids import to_global_id


def _read(root: Any, info: strawberry.Info[Any, Any]) -> Any:
    return getattr(root.row, info.python_name)


def column(graphql_type: object, description: str) -> Any:
    """`title = column(str, "Job title.")` resolves to `row.title`. The type is given here, not
    as an annotation, so that these fields keep their place among the resolver methods."""
    return strawberry.field(resolver=_read, graphql_type=graphql_type, description=description)


def node_id(type_name: str) -> Any:
    """`id = node_id("Job")`: the Node interface's opaque global id of `row.id`."""

    def resolve(root: Any) -> strawberry.ID:
        return strawberry.ID(to_global_id(type_name, root.row.id))

    return strawberry.field(
        resolver=resolve, graphql_type=strawberry.ID, description="Opaque global id."
    )
