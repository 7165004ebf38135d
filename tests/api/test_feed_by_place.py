"""The feed by place: jobs inside the search radius and remote jobs first, then the rest."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from adapters.matches import score_matches
from app import Runtime
from db.models import Event, Job
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND,
    UPDATE_ME,
    candidate,
    company_of,
    discover_all,
    insert_jobs,
    post,
    raw,
    recruiter,
)

BEST = {
    "title": "Senior Python Backend Engineer",
    "skills": ["Python", "PostgreSQL", "Docker"],
    "description": "Build Python APIs and PostgreSQL data services.",
}
# Poor matches for a backend engineer, so only their place can put them before BEST.
NURSE = {"title": "Registered Nurse", "description": "Care for patients in the ICU."}
CHEF = {"title": "Pastry Chef", "description": "Bake croissants and cakes every morning."}
DRIVER = {"title": "Truck Driver", "description": "Long-haul deliveries across the state."}
ME = "{ me { searchRadiusKm } }"
MATCHES = "query { matches(minScore: 0, first: 50, preset: SWIPE_HYBRID) { job { id } } }"


async def _acme(gql: GraphQLClient) -> str:
    return await recruiter(gql, "boss@acme.test", "Acme")


async def _ids(gql: GraphQLClient, token: str) -> list[str]:
    return [e["node"]["id"] for e in await discover_all(gql, token, 50)]


async def _places(gql: GraphQLClient, boss: str | None = None) -> dict[str, str]:
    """Jobs posted through createJob (so geocoded on write): poor matches nearby, the best
    match 2,800 km away in Seattle."""
    boss = boss or await _acme(gql)
    return {
        "austin": await post(gql, boss, location="Austin, TX", **NURSE),
        "pflugerville": await post(gql, boss, location="Pflugerville, TX", **CHEF),
        "round_rock": await post(gql, boss, location="Round Rock, TX", **DRIVER),
        "remote": await post(gql, boss, location="Remote", **CHEF | {"title": "Pastry Writer"}),
        "seattle": await post(gql, boss, location="Seattle, WA", **BEST),
    }


async def test_create_job_stores_the_coordinates_of_its_city(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    jobs = await _places(gql)
    async with runtime.services.sessions() as session:
        rows = {
            row.id: row for row in (await session.execute(select(Job.id, Job.lat, Job.lon))).all()
        }
    austin, remote = rows[raw(jobs["austin"])], rows[raw(jobs["remote"])]
    assert round(austin.lat, 1) == 30.3 and round(austin.lon, 1) == -97.7
    assert remote.lat is None and remote.lon is None


async def test_jobs_within_the_radius_and_remote_come_before_a_better_match_far_away(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    jobs = await _places(gql)
    ada = await candidate(gql, "ada@example.com")  # Austin, TX; REMOTE_OK; default radius 25
    assert (await gql.ok(ME, token=ada))["me"]["searchRadiusKm"] == 25
    ids = await _ids(gql, ada)
    first_tier = {jobs["austin"], jobs["pflugerville"], jobs["remote"]}
    assert set(ids[:3]) == first_tier  # Pflugerville is 22 km away
    assert set(ids[3:]) == {jobs["seattle"], jobs["round_rock"]}  # Round Rock is 27.5 km away
    assert ids[3] == jobs["seattle"]  # the second tier by score again


async def test_a_wider_radius_takes_in_the_next_town(gql: GraphQLClient, runtime: Runtime) -> None:
    jobs = await _places(gql)
    ada = await candidate(gql, "ada@example.com", BACKEND | {"searchRadiusKm": 30})
    ids = await _ids(gql, ada)
    assert jobs["round_rock"] in ids[:4] and ids[4] == jobs["seattle"]


async def test_radius_zero_keeps_only_the_named_places_first(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    jobs = await _places(gql)
    ada = await candidate(gql, "ada@example.com", BACKEND | {"searchRadiusKm": 0})
    ids = await _ids(gql, ada)
    assert set(ids[:2]) == {jobs["austin"], jobs["remote"]}
    assert ids[2] == jobs["seattle"]


async def test_onsite_only_candidates_get_no_remote_jobs_first(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    jobs = await _places(gql)
    ada = await candidate(gql, "ada@example.com", BACKEND | {"remotePreference": "ONSITE"})
    ids = await _ids(gql, ada)
    assert set(ids[:2]) == {jobs["austin"], jobs["pflugerville"]}
    assert jobs["remote"] in ids[2:]


async def test_without_preferred_places_the_feed_is_one_tier(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    jobs = await _places(gql)
    ada = await candidate(gql, "ada@example.com", BACKEND | {"preferredLocations": []})
    assert (await _ids(gql, ada))[0] == jobs["seattle"]


async def test_explanations_say_how_far_the_job_is(gql: GraphQLClient, runtime: Runtime) -> None:
    jobs = await _places(gql)
    ada = await candidate(gql, "ada@example.com")
    edges = await discover_all(gql, ada, 50)
    reasons = {e["node"]["id"]: " ".join(e["explanation"]["reasons"]) for e in edges}
    assert "within 22 km of Austin, TX" in reasons[jobs["pflugerville"]]
    assert "within 22 km" not in reasons[jobs["seattle"]]


async def test_matches_rank_in_the_same_tiers(gql: GraphQLClient, runtime: Runtime) -> None:
    jobs = await _places(gql)
    ada = await candidate(gql, "ada@example.com")
    ids = [m["job"]["id"] for m in (await gql.ok(MATCHES, token=ada))["matches"]]
    assert set(ids[:3]) == {jobs["austin"], jobs["pflugerville"], jobs["remote"]}


async def test_the_feed_never_runs_dry_and_pages_never_repeat(
    gql: GraphQLClient, runtime: Runtime, tune: Any
) -> None:
    tune(feed_pool_size=4)
    boss = await _acme(gql)
    jobs = await _places(gql, boss)
    far = await insert_jobs(
        runtime,
        await company_of(gql, boss),
        [BEST | {"title": f"Python Engineer {n}"} for n in range(6)],
    )
    ada = await candidate(gql, "ada@example.com")
    ids = await _ids(gql, ada)
    assert len(ids) == len(set(ids))
    assert set(ids[:3]) == {jobs["austin"], jobs["pflugerville"], jobs["remote"]}
    assert len(ids) == 4 and ids[3] in set(far) | {jobs["seattle"]}  # the pool is full
    paged = [e["node"]["id"] for e in await discover_all(gql, ada, 2)]
    assert len(paged) == len(set(paged)) and set(paged) == set(ids)


async def test_near_duplicates_are_spread_out_and_none_is_lost(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await _acme(gql)
    company = await company_of(gql, boss)
    copies = await insert_jobs(runtime, company, [BEST] * 6)
    others = await insert_jobs(
        runtime, company, [NURSE, CHEF, DRIVER] + [{"title": f"Clerk {n}"} for n in range(24)]
    )
    ada = await candidate(gql, "ada@example.com", BACKEND | {"preferredLocations": []})
    ids = await _ids(gql, ada)
    assert sorted(ids) == sorted(copies + others)
    assert set(ids[:2]) <= set(copies)  # the best two still lead
    for start in range(len(ids) - 9):
        assert len(set(ids[start : start + 10]) & set(copies)) <= 2


async def test_update_me_bounds_the_search_radius(gql: GraphQLClient, runtime: Runtime) -> None:
    ada = await candidate(gql, "ada@example.com")
    for bad in (-1, 3001):
        code = await gql.error_code(UPDATE_ME, {"input": {"searchRadiusKm": bad}}, token=ada)
        assert code == "BAD_USER_INPUT"
    await gql.ok(UPDATE_ME, {"input": {"searchRadiusKm": 3000}}, token=ada)
    assert (await gql.ok(ME, token=ada))["me"]["searchRadiusKm"] == 3000
    await gql.ok(UPDATE_ME, {"input": {"searchRadiusKm": None}}, token=ada)
    assert (await gql.ok(ME, token=ada))["me"]["searchRadiusKm"] == 25


async def test_match_found_goes_only_to_candidates_the_job_is_in_reach_of(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    jobs = await _places(gql)
    austin = await candidate(gql, "ada@example.com")
    seattle = await candidate(gql, "sam@example.com", BACKEND | {"preferredLocations": ["Seattle"]})
    anywhere = await candidate(gql, "any@example.com", BACKEND | {"preferredLocations": []})
    users = {}
    for name, token in (("austin", austin), ("seattle", seattle), ("anywhere", anywhere)):
        users[name] = raw((await gql.ok("{ me { id } }", token=token))["me"]["id"])
    events = [
        Event(id=n, kind="JOB_CREATED", job_id=raw(jobs[place]))
        for n, place in enumerate(("seattle", "pflugerville", "remote"), start=1)
    ]
    found = await score_matches(
        runtime.services.sessions,
        events,
        [(user_id, 0.0) for user_id in users.values()],
        now=datetime.now(UTC),
    )
    reached: dict[int, set[uuid.UUID]] = {}
    for event_id, user_id in found:
        reached.setdefault(event_id, set()).add(user_id)
    assert reached[1] == {users["seattle"], users["anywhere"]}
    assert reached[2] == {users["austin"], users["anywhere"]}
    assert reached[3] == set(users.values())
