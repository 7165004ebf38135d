"""Alerts for platform operators: the Alert type, the list, and alertRaised."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import Alert as AlertRow
from db.paging import Page
from domain import scraping as rules
from resolvers import alerts
from schema.columns import column
from schema.context import Info
from schema.cursors import Keyset, decode_keyset
from schema.pagination import Connection, Edge

AlertKind = strawberry.enum(rules.AlertKind, description="What an alert is about.")


@strawberry.type(description="One detail of an alert, e.g. role = python_developer.")
class AlertDetail:
    name: str = strawberry.field(description="What the value is.")
    value: str = strawberry.field(description="The value, as text.")


@strawberry.type(description="Something a platform operator should look at (SPEC §14).")
class Alert:
    row: strawberry.Private[AlertRow]

    @strawberry.field(description="The alert's id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    kind = column(AlertKind, "What happened.")
    message = column(str, "What happened, in a sentence.")
    created_at = column(datetime, "When it was raised.")

    @strawberry.field(description="Facts about it (role, key prefix, upload...), by name.")
    def details(self) -> list[AlertDetail]:
        return [AlertDetail(name=k, value=str(v)) for k, v in sorted(self.row.details.items())]


@strawberry.type(description="An alert in a list.")
class AlertEdge(Edge[Alert]):
    node: Alert = strawberry.field(description="The alert.")


@strawberry.type(description="Alerts, newest first.")
class AlertConnection(Connection[Alert]):
    edges: list[AlertEdge] = strawberry.field(description="The alerts of this page.")

    @classmethod
    def from_page(cls, page: Page[AlertRow]) -> AlertConnection:
        return cls.of_rows(page, AlertEdge, Alert, lambda r: Keyset(r.created_at, r.id))


@strawberry.type(description="A newly raised alert.")
class AlertRaisedEvent:
    event_id: strawberry.ID = strawberry.field(description="Pass as `after` to resume from here.")
    alert: Alert = strawberry.field(description="The alert.")

    @classmethod
    def of(cls, raised: alerts.Raised) -> AlertRaisedEvent:
        return cls(event_id=strawberry.ID(str(raised.event_id)), alert=Alert(row=raised.alert))


@strawberry.type
class AlertQuery:
    @strawberry.field(description="Alerts, newest first (platform admins).")
    async def alerts(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> AlertConnection:
        ctx = info.context
        page = await alerts.page(ctx.services, ctx.require_viewer(), first, decode_keyset(after))
        return AlertConnection.from_page(page)
