"""Seeding the demo data set that domain/demo.py generates: accounts, then embedded jobs."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from db import demo as stored
from db.engine import transaction
from domain import demo
from domain.accounts import profile_text
from resolvers.services import Services


async def seed(services: Services) -> str:
    """Adds what is missing (accounts by email, jobs by external id); returns the sign-in summary."""
    password_hash = await asyncio.to_thread(services.passwords.hash, demo.DEMO_PASSWORD)
    candidates = demo.candidates(random.Random(demo.SEED))
    profiles = await services.embedder.embed([profile_text(c.facts) for c in candidates])
    model = services.embedder.model_name
    async with transaction(services.sessions) as session:
        await stored.add_companies(session, demo.COMPANIES, password_hash)
        await stored.add_candidates(session, candidates, profiles, model, password_hash)
    ttl = timedelta(days=services.settings.job_ttl_days)
    drafts = demo.job_drafts(random.Random(demo.SEED), services.clock(), ttl)
    async with transaction(services.sessions) as session:
        fresh = await stored.missing_jobs(session, drafts)
    vectors = await services.embedder.embed([d.text for d in fresh])
    async with transaction(services.sessions) as session:
        await stored.add_jobs(session, fresh, vectors, model)
    return demo.summary(len(fresh))
