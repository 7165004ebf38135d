"""Housekeeping: expiring jobs past their date, purging dead tokens; run by CLI or a periodic task."""

from __future__ import annotations

import logging

from db import feed, jobs, ratelimits, tokens
from db.engine import transaction
from resolvers.services import Services

log = logging.getLogger("jobmatch.maintenance")


async def expire(services: Services) -> int:
    now = services.clock()
    async with transaction(services.sessions) as session:
        count = await jobs.expire_due(session, now)
        await tokens.purge_expired(session, now)
        await ratelimits.purge(session, now, older_than_s=_longest_window(services))
        await feed.drop_expired_snapshots(session, now)
    return count


def _longest_window(services: Services) -> int:
    settings = services.settings
    return max(
        settings.register_window_s, settings.login_address_window_s, settings.login_failure_window_s
    )
