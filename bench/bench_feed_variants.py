"""Feed-order variants on real seekers, to choose among (issue 12): the same seekers and set-up as
`feed_quality` (import, sign up, profile, replayed views and RIGHT swipes through the API), then
each seeker's pool is loaded once, larger than the product's, and ordered several ways in process.
Reports Recall@10/50 and MRR with bootstrap CIs per variant, `product` being today's discover
order on today's pool. Env: BENCH_SEEKERS (default all).
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import os
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app import create_app
from bench.bench_feed_quality import (
    LOGIN,
    PASSWORD,
    PROFILE_FIELDS,
    REGISTER,
    SWIPE,
    UPDATE_ME,
    VIEW,
    Seeker,
    import_pool,
    load_seekers,
    with_intervals,
)
from bench.common import report, scratch_runtime
from db.facts import candidate_facts
from db.models import Job, User
from domain.enums import Role, ScoringPreset
from domain.matching import feed_order, in_reach, spread
from domain.scoring import get_preset
from domain.scoring.explain import score_value
from domain.scoring.location import nearest_preferred
from domain.skills import default_normalizer
from resolvers import auth
from resolvers.matching import load_pool
from schema.ids import to_global_id
from tests.graphql_client import over_asgi

BIG_POOL = 1000
CONCURRENCY = 4


@dataclasses.dataclass(frozen=True)
class Item:
    job_id: str
    score: float
    km: float | None
    reach: bool
    group: str
    cosine: float


Order = Callable[[list[Item]], list[Item]]


def _bands(edges: tuple[float, ...]) -> Order:
    def order(items: list[Item]) -> list[Item]:
        def band(item: Item) -> int:
            return len(edges) + 1 if item.km is None else sum(item.km > e for e in edges)

        return sorted(
            items, key=lambda i: (not i.reach, band(i) if i.reach else 0, -i.score, i.job_id)
        )

    return order


def _blend(per_km: float) -> Order:
    def order(items: list[Item]) -> list[Item]:
        def value(item: Item) -> float:
            return item.score - per_km * (item.km if item.km is not None else 30.0)

        return sorted(items, key=lambda i: (not i.reach, -value(i) if i.reach else -i.score))

    return order


def _cosine_bands(edges: tuple[float, ...]) -> Order:
    def order(items: list[Item]) -> list[Item]:
        def band(item: Item) -> int:
            return len(edges) + 1 if item.km is None else sum(item.km > e for e in edges)

        return sorted(items, key=lambda i: (not i.reach, band(i) if i.reach else 0, -i.cosine))

    return order


VARIANTS: dict[str, Order] = {
    "bands_5_15": _bands((5.0, 15.0)),
    "bands_2_5_10_15": _bands((2.0, 5.0, 10.0, 15.0)),
    "bands_1_3_5_10_15_20": _bands((1.0, 3.0, 5.0, 10.0, 15.0, 20.0)),
    "distance_only": _bands(tuple(float(k) for k in range(1, 26))),
    "blend_0.5_per_km": _blend(0.5),
    "blend_1_per_km": _blend(1.0),
    "blend_2_per_km": _blend(2.0),
    "cosine_in_bands_5_15": _cosine_bands((5.0, 15.0)),
}


async def set_up(gql: Any, seeker: Seeker, ids: dict[str, str], radius: int | None) -> str:
    email = f"seeker{seeker.id}@views.bench.test"
    token = (await gql.ok(REGISTER, {"i": {"email": email, "password": PASSWORD}}))["register"][
        "accessToken"
    ]
    profile: dict[str, Any] = {"headline": seeker.headline, "preferredLocations": seeker.locations}
    profile = {name: value for name, value in profile.items() if value}
    if radius is not None:
        profile["searchRadiusKm"] = radius
    if profile:
        await gql.ok(UPDATE_ME, {"i": profile}, token=token)
    for job, duration_ms in seeker.history:
        await gql.ok(VIEW, {"j": ids[job], "ms": duration_ms}, token=token)
        await gql.ok(SWIPE, {"j": ids[job]}, token=token)
    return email


def _rank(order: list[str], target: str) -> int | None:
    return next((n for n, job in enumerate(order, start=1) if job == target), None)


async def main() -> None:
    started = time.perf_counter()
    limit = int(os.environ.get("BENCH_SEEKERS") or 0)
    pool_rows, seekers = load_seekers()
    seekers = seekers[:limit] if limit else seekers
    ranks: dict[str, list[int | None]] = {"product": [], **{name: [] for name in VARIANTS}}
    async with scratch_runtime("feed_variants") as runtime:
        services = runtime.services
        async with over_asgi(create_app(services.settings, runtime)) as gql:
            fields = (await gql.ok(PROFILE_FIELDS))["__type"]["inputFields"]
            radius = 25 if any(f["name"] == "searchRadiusKm" for f in fields) else None
            await auth.create_user(services, "ops@views.bench.test", PASSWORD, Role.PLATFORM_ADMIN)
            login = {"i": {"email": "ops@views.bench.test", "password": PASSWORD}}
            admin = (await gql.ok(LOGIN, login))["login"]["accessToken"]
            await import_pool(gql, admin, pool_rows)
            async with services.sessions() as session:
                found = await session.execute(select(Job.external_id, Job.id))
                by_external = {str(ext): job for ext, job in found}
            ids = {ext: to_global_id("Job", job) for ext, job in by_external.items()}
            seekers = [
                s for s in seekers if s.target in ids and all(j in ids for j, _ in s.history)
            ]
            gate = asyncio.Semaphore(CONCURRENCY)

            async def one(seeker: Seeker) -> str:
                async with gate:
                    return await set_up(gql, seeker, ids, radius)

            emails = await asyncio.gather(*(one(s) for s in seekers))
            print(f"  {len(seekers)} seekers set up", flush=True)
        big = dataclasses.replace(
            services, settings=dataclasses.replace(services.settings, feed_pool_size=BIG_POOL)
        )
        preset, normalizer = get_preset(ScoringPreset.SWIPE_HYBRID), default_normalizer()
        for seeker, email in zip(seekers, emails, strict=True):
            target = str(by_external[seeker.target])
            async with services.sessions() as session:
                user = (await session.execute(select(User).where(User.email == email))).scalar_one()
                now = services.clock()
                small = await load_pool(session, services, user, now)
                pool = await load_pool(session, big, user, now)
            facts = candidate_facts(user)
            product = feed_order(
                ScoringPreset.SWIPE_HYBRID, facts, small, now=now, normalizer=normalizer
            )
            ranks["product"].append(_rank([s.job_id for s in product], target))
            items = []
            for job in pool:
                near = nearest_preferred(facts, job.facts)
                value = score_value(
                    preset, facts, job.facts, cosine=job.cosine, now=now, normalizer=normalizer
                )
                items.append(
                    Item(
                        job.facts.id,
                        value,
                        near[1] if near else None,
                        in_reach(facts, job.facts),
                        job.group,
                        job.cosine if job.cosine is not None else -math.inf,
                    )
                )
            for name, order in VARIANTS.items():
                ordered = spread(order(items), lambda i: i.group)
                ranks[name].append(_rank([i.job_id for i in ordered], target))
    figures: dict[str, Any] = {
        "seekers": len(seekers),
        "big_pool": BIG_POOL,
    }
    for name, found_ranks in ranks.items():
        figures[name] = with_intervals(found_ranks)
    figures["run_s"] = round(time.perf_counter() - started, 1)
    report("feed_variants", figures)
