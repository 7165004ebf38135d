"""The Relay Node interface: every refetchable object has an opaque global id."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An object with an opaque global id, refetchable with node(id).")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id.")
