"""Feed quality on real seekers (issue 12): leave-last-out over dev job-view histories.

The pool jobs are imported through `importJobs`; each seeker signs up, types a profile
(positions of interest and past titles as headline, the cities worked and looked in as preferred
locations), replays the earlier views as recordJobView + RIGHT swipe, and pages `discover`
for the job viewed last (earlier views of that same job are not replayed: it would leave the feed).
Recall@10, Recall@50 and MRR (ranks past MAX_RANK count 0) with 95% bootstrap CIs, next to a
BM25 baseline (same-state jobs first) on the same seekers. Env: BENCH_SEEKERS (default all),
FEED_LABEL (names the result file), BENCH_RADIUS_KM (sets searchRadiusKm, if the API has it).
"""

from __future__ import annotations

import asyncio
import csv
import math
import os
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app import create_app
from bench.common import DATA, report, scratch_runtime
from db.models import Job
from domain.enums import Role
from resolvers import auth
from schema.ids import to_global_id
from tests.graphql_client import GraphQLClient, over_asgi

VIEWS = DATA / "views"
PAGE = 50
MAX_RANK = 200
IMPORT_BATCH = 500
CONCURRENCY = 4
RESAMPLES = 1_000
SEED = 12
HEADLINE_CAP = 300
LOCATIONS_CAP = 20
VIEW_MS_CAP = 24 * 3600 * 1000
PASSWORD = "feed-quality-pass-1"

IMPORT = """mutation($jobs: [JobImportInput!]) {
  importJobs(platform: "views", jobs: $jobs) { status created failed }
}"""
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"
REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }"
UPDATE_ME = "mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }"
VIEW = "mutation($j: ID!, $ms: Int!) { recordJobView(jobId: $j, durationMs: $ms) { durationMs } }"
SWIPE = "mutation($j: ID!) { swipeJob(jobId: $j, direction: RIGHT) { swipe { id } } }"
DISCOVER = """query($first: Int!, $after: String) {
  discover(first: $first, after: $after) {
    edges { node { id } } pageInfo { hasNextPage endCursor }
  }
}"""
PROFILE_FIELDS = '{ __type(name: "UpdateMeInput") { inputFields { name } } }'


@dataclass
class Seeker:
    id: str
    headline: str
    locations: list[str]
    states: set[str]
    history: list[tuple[str, int]]  # (job id, view duration ms), in time order
    target: str


@dataclass
class Ranks:
    product: list[int | None] = field(default_factory=list)
    bm25: list[int | None] = field(default_factory=list)


def _rows(name: str) -> list[dict[str, str]]:
    with (VIEWS / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


def _known(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value in ("NA", "N/A") else value


def _place(city: str | None, state: str | None) -> str | None:
    city, state = _known(city), _known(state)
    return f"{city}, {state}" if city and state else None


def _first_unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.lower() not in {s.lower() for s in seen}:
            seen[value] = None
    return list(seen)


def _headline(titles: list[str]) -> str:
    headline = ""
    for title in _first_unique([" ".join(t.split()) for t in titles]):
        candidate = f"{headline}; {title}" if headline else title
        if len(candidate) > HEADLINE_CAP:
            break
        headline = candidate
    return headline


def load_seekers() -> tuple[list[dict[str, str]], list[Seeker]]:
    """The pool and every seeker with >= 2 views: the last view is the target, the earlier views
    of other jobs (first view of each, in time order) the history."""
    pool = _rows("jobs_pool.csv")
    views: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows("Job_Views_dev.csv"):
        views[row["Applicant.ID"]].append(row)
    interests: dict[str, list[str]] = defaultdict(list)
    for row in _rows("Positions_Of_Interest_dev.csv"):
        interests[row["Applicant.ID"]].append(_known(row["Position.Of.Interest"]))
    jobs_held: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows("Experience_dev.csv"):
        jobs_held[row["Applicant.ID"]].append(row)
    seekers = []
    for applicant, seen in sorted(views.items(), key=lambda item: int(item[0])):
        if len(seen) < 2:
            continue
        ordered = sorted(seen, key=lambda r: r["View.Start"])  # stable: file order breaks ties
        target = ordered[-1]["Job.ID"]
        earlier: dict[str, dict[str, str]] = {}
        for row in ordered[:-1]:
            if row["Job.ID"] != target:
                earlier.setdefault(row["Job.ID"], row)
        worked = jobs_held[applicant]
        titles = interests[applicant] + [_known(r["Position.Name"]) for r in worked]
        places = [_place(r["City"], r["State.Code"]) for r in worked]
        places += [_place(r["City"], r["State.Code"]) for r in earlier.values()]
        states = {_known(r["State.Code"]) for r in [*worked, *earlier.values()]} - {""}
        history = [
            (job, min(max(int(float(_known(r["View.Duration"]) or 0) * 1000), 1), VIEW_MS_CAP))
            for job, r in earlier.items()
        ]
        seekers.append(
            Seeker(
                id=applicant,
                headline=_headline(titles),
                locations=_first_unique([p for p in places if p])[:LOCATIONS_CAP],
                states=states,
                history=history,
                target=target,
            )
        )
    return pool, seekers


# --- BM25 baseline ------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


class Bm25:
    def __init__(self, pool: list[dict[str, str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = [row["Job.ID"] for row in pool]
        self.states = [row["State.Code"] for row in pool]
        self.titles = {row["Job.ID"]: row["Title"] for row in pool}
        fields = ("Title", "Position", "Company", "Industry")
        docs = [Counter(_tokens(" ".join(_known(row[f]) for f in fields))) for row in pool]
        lengths = [sum(doc.values()) for doc in docs]
        average = sum(lengths) / len(lengths)
        frequency: Counter[str] = Counter(term for doc in docs for term in doc)
        n = len(docs)
        self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, (doc, length) in enumerate(zip(docs, lengths, strict=True)):
            norm = k1 * (1 - b + b * length / average)
            for term, tf in doc.items():
                self.postings[term].append((index, tf * (k1 + 1) / (tf + norm)))

    def rank(self, seeker: Seeker) -> int | None:
        """1-based rank of the target among jobs not yet swiped: known states first, then BM25
        of the headline and the titles of the jobs already viewed (what discover knows through
        the swipes), then job id; None past MAX_RANK."""
        query = " ".join([seeker.headline, *(self.titles[job] for job, _ in seeker.history)])
        scores: dict[int, float] = defaultdict(float)
        for term in set(_tokens(query)):
            for index, weight in self.postings.get(term, ()):
                scores[index] += self.idf[term] * weight
        swiped = {job for job, _ in seeker.history}
        order = sorted(
            (i for i, job in enumerate(self.ids) if job not in swiped),
            key=lambda i: (self.states[i] not in seeker.states, -scores[i], int(self.ids[i])),
        )
        for rank, index in enumerate(order[:MAX_RANK], start=1):
            if self.ids[index] == seeker.target:
                return rank
        return None


# --- the product, through GraphQL ---------------------------------------------------------


async def import_pool(gql: GraphQLClient, token: str, pool: list[dict[str, str]]) -> int:
    posted = datetime.now(UTC).date().isoformat()
    failed = 0
    for start in range(0, len(pool), IMPORT_BATCH):
        rows = [
            {
                "externalJobId": row["Job.ID"],
                "title": _known(row["Position"]) or row["Title"],
                "company": _known(row["Company"]) or None,
                "location": _place(row["City"], row["State.Code"]),
                "postedDate": posted,
            }
            for row in pool[start : start + IMPORT_BATCH]
        ]
        batch = (await gql.ok(IMPORT, {"jobs": rows}, token=token))["importJobs"]
        failed += batch["failed"]
        print(f"  imported {start + len(rows)}/{len(pool)} jobs", flush=True)
    return failed


async def product_rank(
    gql: GraphQLClient, seeker: Seeker, ids: dict[str, str], radius_km: int | None
) -> int | None:
    email = f"seeker{seeker.id}@views.bench.test"
    signed_up = await gql.ok(REGISTER, {"i": {"email": email, "password": PASSWORD}})
    token = signed_up["register"]["accessToken"]
    profile: dict[str, Any] = {"headline": seeker.headline, "preferredLocations": seeker.locations}
    profile = {name: value for name, value in profile.items() if value}
    if radius_km is not None:
        profile["searchRadiusKm"] = radius_km
    if profile:
        await gql.ok(UPDATE_ME, {"i": profile}, token=token)
    for job, duration_ms in seeker.history:
        await gql.ok(VIEW, {"j": ids[job], "ms": duration_ms}, token=token)
        await gql.ok(SWIPE, {"j": ids[job]}, token=token)
    target, after, seen = ids[seeker.target], None, 0
    while seen < MAX_RANK:
        page = (await gql.ok(DISCOVER, {"first": PAGE, "after": after}, token=token))["discover"]
        for offset, edge in enumerate(page["edges"], start=seen + 1):
            if edge["node"]["id"] == target:
                return offset
        seen += len(page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return None


# --- figures ------------------------------------------------------------------------------


def _metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "recall_at_10": sum(1 for r in ranks if r is not None and r <= 10) / n,
        "recall_at_50": sum(1 for r in ranks if r is not None and r <= 50) / n,
        "mrr": sum(1 / r for r in ranks if r is not None) / n,
    }


def with_intervals(ranks: list[int | None]) -> dict[str, dict[str, float]]:
    """Each metric with its 95% bootstrap interval (resampling seekers, fixed seed)."""
    rng = random.Random(SEED)
    samples = [_metrics(rng.choices(ranks, k=len(ranks))) for _ in range(RESAMPLES)]
    figures = {}
    for name, value in _metrics(ranks).items():
        ordered = sorted(s[name] for s in samples)
        figures[name] = {
            "value": round(value, 4),
            "ci95_low": round(ordered[int(0.025 * RESAMPLES)], 4),
            "ci95_high": round(ordered[int(0.975 * RESAMPLES) - 1], 4),
        }
    return figures


def _hit(rank: int | None) -> float:
    return 1.0 if rank is not None and rank <= 10 else 0.0


def paired_difference(a: list[int | None], b: list[int | None]) -> dict[str, float]:
    """Recall@10 of a minus b, with a paired 95% bootstrap interval."""
    rng = random.Random(SEED)
    pairs = list(zip(a, b, strict=True))
    diffs = []
    for _ in range(RESAMPLES):
        drawn = rng.choices(pairs, k=len(pairs))
        diffs.append(sum(_hit(x) - _hit(y) for x, y in drawn) / len(drawn))
    diffs.sort()
    return {
        "value": round(sum(_hit(x) - _hit(y) for x, y in pairs) / len(pairs), 4),
        "ci95_low": round(diffs[int(0.025 * RESAMPLES)], 4),
        "ci95_high": round(diffs[int(0.975 * RESAMPLES) - 1], 4),
    }


async def main() -> None:
    started = time.perf_counter()
    label = os.environ.get("FEED_LABEL", "").strip()
    limit = int(os.environ.get("BENCH_SEEKERS") or 0)
    radius = os.environ.get("BENCH_RADIUS_KM")
    pool, seekers = load_seekers()
    seekers = seekers[:limit] if limit else seekers
    print(f"feed_quality: {len(pool)} pool jobs, {len(seekers)} seekers", flush=True)
    bm25 = Bm25(pool)
    ranks = Ranks()
    async with scratch_runtime("feed_quality") as runtime:
        services = runtime.services
        async with over_asgi(create_app(services.settings, runtime)) as gql:
            fields = (await gql.ok(PROFILE_FIELDS))["__type"]["inputFields"]
            has_radius = any(f["name"] == "searchRadiusKm" for f in fields)
            await auth.create_user(services, "ops@views.bench.test", PASSWORD, Role.PLATFORM_ADMIN)
            login = {"i": {"email": "ops@views.bench.test", "password": PASSWORD}}
            admin = (await gql.ok(LOGIN, login))["login"]["accessToken"]
            import_started = time.perf_counter()
            failed = await import_pool(gql, admin, pool)
            import_s = time.perf_counter() - import_started
            async with services.sessions() as session:
                found = await session.execute(select(Job.external_id, Job.id))
                ids = {str(ext): to_global_id("Job", job) for ext, job in found}
            seekers = [
                s for s in seekers if s.target in ids and all(j in ids for j, _ in s.history)
            ]
            radius_km = int(radius) if radius and has_radius else None
            gate = asyncio.Semaphore(CONCURRENCY)
            done, errors = 0, []

            async def measure(seeker: Seeker) -> int | None:
                nonlocal done
                async with gate:
                    try:
                        rank = await product_rank(gql, seeker, ids, radius_km)
                    except AssertionError as failure:  # a refused operation counts as a miss
                        errors.append(f"seeker {seeker.id}: {str(failure)[:300]}")
                        rank = None
                done += 1
                if done % 50 == 0 or done == len(seekers):
                    print(f"  seekers {done}/{len(seekers)}", flush=True)
                return rank

            ranks.product = list(await asyncio.gather(*(measure(s) for s in seekers)))
    ranks.bm25 = [bm25.rank(s) for s in seekers]
    report(
        f"feed_quality_{label}" if label else "feed_quality",
        {
            "label": label or None,
            "seekers": len(seekers),
            "pool_jobs": len(pool),
            "import_failed_rows": failed,
            "search_radius_km_field": has_radius,
            "search_radius_km": radius_km,
            "max_rank": MAX_RANK,
            "api_errors": len(errors),
            "first_api_error": errors[0] if errors else None,
            "replayed_views_mean": sum(len(s.history) for s in seekers) / len(seekers),
            "product_discover": with_intervals(ranks.product),
            "bm25_same_state_first": with_intervals(ranks.bm25),
            "recall_at_10_product_minus_bm25": paired_difference(ranks.product, ranks.bm25),
            "import_s": round(import_s, 1),
            "run_s": round(time.perf_counter() - started, 1),
        },
    )
