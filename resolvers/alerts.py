"""Alerts: raised by the scrape queue and its checks, listed, pushed and e-mailed to operators."""

from __future__ import annotations

import html
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.mail import Email
from adapters.realtime import Listener
from db import alerts, ratelimits
from db.engine import read, transaction
from db.models import Alert
from db.paging import Page
from domain.enums import EventKind, Role
from domain.matching import check_page_size
from domain.scraping import AlertKind
from resolvers.services import Services, Viewer, require
from resolvers.subscriptions import _hub, parse_event_id, subscriber

log = logging.getLogger("jobmatch.alerts")
EMAIL_TASK = "email_alert"
_DEDUPE_SCOPE = "alert"


@dataclass(frozen=True)
class Raised:
    event_id: int
    alert: Alert


async def raise_alert(
    services: Services,
    kind: AlertKind,
    message: str,
    details: dict[str, Any],
    *,
    once_per: tuple[str, int] | None = None,
) -> Alert | None:
    """Stores the alert with its event and e-mails the operators. `once_per` = (key, seconds):
    at most one alert of this kind per key in that window (None when this one was dropped)."""
    now = services.clock()
    async with transaction(services.sessions) as session:
        if once_per is not None:
            key, window_s = once_per
            window = await ratelimits.hit(session, _DEDUPE_SCOPE, f"{kind}:{key}", window_s, now)
            if window.hits > 1:
                return None
        row = await alerts.add(session, kind.value, message, details, now)
    await _email_later(services, row.id)
    return row


async def _email_later(services: Services, alert_id: uuid.UUID) -> None:
    """Through the task queue (retried when SMTP is down); inline when no queue runs."""
    if services.tasks is not None:
        await services.tasks.defer(EMAIL_TASK, alert_id=str(alert_id))
        return
    try:
        await email_alert(services, alert_id)
    except Exception:
        log.exception("alert %s could not be e-mailed", alert_id)


def alert_email(row: Alert, to: str) -> Email:
    lines = [f"{key}: {value}" for key, value in sorted(row.details.items())]
    text = "\n".join([row.message, "", *lines, "", f"kind: {row.kind}", f"at: {row.created_at}"])
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    body = (
        f"<p><strong>{html.escape(row.kind)}</strong>: {html.escape(row.message)}</p>"
        f"<ul>{items}</ul><p>{html.escape(str(row.created_at))}</p>"
    )
    return Email(
        to=to, subject=f"[jobmatch alert] {row.kind}: {row.message[:120]}", text=text, html=body
    )


async def email_alert(services: Services, alert_id: uuid.UUID) -> int:
    """Sends the alert to every active platform admin; returns how many were sent."""
    async with read(services.sessions) as session:
        row = await alerts.get(session, alert_id)
        recipients = await alerts.admin_emails(session) if row is not None else []
    if row is None:
        return 0
    for to in recipients:
        await services.mailer.send(alert_email(row, to))
    return len(recipients)


async def page(
    services: Services, viewer: Viewer | None, first: int, after: tuple[datetime, uuid.UUID] | None
) -> Page[Alert]:
    require(viewer, Role.PLATFORM_ADMIN)
    check_page_size(first)
    async with read(services.sessions) as session:
        return await alerts.page(session, first, after)


async def alert_raised(
    services: Services, viewer: Viewer | None, after: str | None, *, over_http: bool
) -> AsyncIterator[Raised]:
    """New alerts as they are raised (platform admins), replayable from an eventId."""
    viewer = require(viewer, Role.PLATFORM_ADMIN)
    hub = _hub(services)
    listener = Listener(subscriber(viewer), EventKind.ALERT_RAISED, ends_with_sign_in=over_http)
    async for delivery in hub.stream(listener, parse_event_id(after)):
        async with read(services.sessions) as session:
            row = await alerts.get(session, uuid.UUID(str(delivery.event.payload["alert_id"])))
        if row is not None:
            yield Raised(delivery.event_id, row)
