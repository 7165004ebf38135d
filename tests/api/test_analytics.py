"""Recruiting analytics through the API: exact figures from views, swipes, applications, hires
and match records; company scoping; a statement count that does not grow with the jobs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from app import Runtime
from db.models import Candidate, Match
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import (
    BACKEND_JOBS,
    DISCOVER,
    SWIPE,
    candidate,
    company_of,
    gid,
    insert_jobs,
    raw,
    recruiter,
)
from tests.conftest import Clock
from tests.db.test_query_counts import statements

FIGURES = (
    "impressions swipesRight swipesLeft applications matches matchToApplyRate "
    "medianTimeToHireHours precisionAt10 "
    "ctrByScoreDecile { decile impressions rightSwipes ctr } "
    "applicationsByStatus { status count }"
)
JOB = f"query($jobId: ID!) {{ jobAnalytics(jobId: $jobId) {{ job {{ id }} {FIGURES} }} }}"
COMPANY = f"""
query($from: DateTime, $to: DateTime) {{
  companyAnalytics(from: $from, to: $to) {{
    from to jobsWithActivity totals {{ {FIGURES} }} perJob {{ job {{ id title }} {FIGURES} }}
  }}
}}
"""
MOVE = """
mutation($id: ID!, $status: ApplicationStatus!) {
  updateApplicationStatus(id: $id, status: $status) { id status }
}
"""
LOGIN = "mutation($input: LoginInput!) { login(input: $input) { accessToken } }"
FRONTEND = {
    "headline": "Frontend developer building React user interfaces",
    "skills": ["React", "TypeScript"],
    "seniority": "JUNIOR",
    "yearsOfExperience": 2,
}


def _id(n: int) -> uuid.UUID:
    """Ids in a known order, so ties by id are predictable."""
    return uuid.UUID(int=n)


async def _pool(runtime: Runtime, company_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    async with runtime.services.sessions() as session, session.begin():
        session.add_all(
            Candidate(id=i, company_id=company_id, name=f"c{n}") for n, i in enumerate(ids)
        )
    return ids


async def _matches(runtime: Runtime, rows: list[dict[str, Any]], at: datetime) -> None:
    async with runtime.services.sessions() as session, session.begin():
        for row in rows:
            session.add(
                Match(
                    id=row.get("id", uuid.uuid4()),
                    preset="FIVE_FACTOR",
                    preset_version=1,
                    explanation={},
                    created_at=at,
                    updated_at=at,
                    **{k: v for k, v in row.items() if k != "id"},
                )
            )


async def _login(gql: GraphQLClient, email: str) -> str:
    variables = {"input": {"email": email, "password": "correct-horse-1"}}
    data = await gql.ok(LOGIN, variables)
    token: str = data["login"]["accessToken"]
    return token


def _decile(score: int) -> int:
    return min(score // 10 + 1, 10)


async def _world(gql: GraphQLClient, runtime: Runtime, clock: Clock) -> dict[str, Any]:
    """Acme's two jobs seen by three candidates, swiped, applied to, hired at +24h and +72h."""
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    other = await recruiter(gql, "boss@globex.test", "Globex")
    acme, globex = await company_of(gql, boss), await company_of(gql, other)
    j1, j2 = await insert_jobs(runtime, acme, BACKEND_JOBS[:2])
    (j3,) = await insert_jobs(runtime, globex, BACKEND_JOBS[2:3])
    t0 = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    clock.now = t0
    people = {
        "ada": await candidate(gql, "ada@example.com"),
        "grace": await candidate(gql, "grace@example.com"),
        "linus": await candidate(gql, "linus@example.com", FRONTEND),
    }
    shown: dict[str, dict[str, int]] = {}
    for name, token in people.items():
        edges = (await gql.ok(DISCOVER, {"first": 10}, token=token))["discover"]["edges"]
        shown[name] = {e["node"]["id"]: int(e["score"]) for e in edges}
        assert {j1, j2, j3} <= set(shown[name])
    swipe = {"jobId": j1, "direction": "RIGHT"}
    ada_j1 = (await gql.ok(SWIPE, swipe, token=people["ada"]))["swipeJob"]["application"]["id"]
    linus_j1 = (await gql.ok(SWIPE, swipe, token=people["linus"]))["swipeJob"]["application"]
    await gql.ok(SWIPE, {"jobId": j1, "direction": "LEFT"}, token=people["grace"])
    ada_j2 = await gql.ok(SWIPE, {"jobId": j2, "direction": "RIGHT"}, token=people["ada"])
    await gql.ok(SWIPE, {"jobId": j3, "direction": "RIGHT"}, token=people["grace"])
    clock.now = t0 + timedelta(hours=24)
    boss = await _login(gql, "boss@acme.test")  # access tokens expire as the clock moves
    await gql.ok(MOVE, {"id": ada_j1, "status": "HIRED"}, token=boss)
    await gql.ok(MOVE, {"id": linus_j1["id"], "status": "REJECTED"}, token=boss)
    clock.now = t0 + timedelta(hours=72)
    boss = await _login(gql, "boss@acme.test")
    await gql.ok(
        MOVE, {"id": ada_j2["swipeJob"]["application"]["id"], "status": "HIRED"}, token=boss
    )
    other = await _login(gql, "boss@globex.test")
    users = {}
    for name in people:
        people[name] = await _login(gql, f"{name}@example.com")
        users[name] = raw((await gql.ok("{ me { id } }", token=people[name]))["me"]["id"])
    return {
        "boss": boss, "other": other, "acme": acme, "globex": globex, "jobs": (j1, j2, j3),
        "people": people, "users": users, "shown": shown, "t0": t0,
    }  # fmt: skip


async def _ranked_matches(runtime: Runtime, w: dict[str, Any]) -> None:
    """J1: 13 Acme records (5 relevant in the top 10, a tie at 10/11 broken by id) and one of
    Globex's that Acme must not see; J2: one SHORTLISTED record."""
    acme, j1, j2 = w["acme"], raw(w["jobs"][0]), raw(w["jobs"][1])
    c = await _pool(runtime, acme, 11)
    (theirs,) = await _pool(runtime, w["globex"], 1)
    ranked = [
        (c[0], None, 99, "SHORTLISTED"),
        (c[1], None, 98, "CONTACTED"),
        (None, w["users"]["ada"], 97, "SUGGESTED"),  # her application was HIRED
        (c[2], None, 96, "REJECTED"),
        (c[3], None, 95, "APPLIED"),
        (c[4], None, 94, "VIEWED"),
        (c[5], None, 93, "SUGGESTED"),
        (c[6], None, 92, "SUGGESTED"),
        (c[7], None, 91, "SUGGESTED"),
        (c[8], None, 80, "SHORTLISTED"),  # tie at 80: the lower id ranks 10th
        (c[9], None, 80, "SUGGESTED"),
        (c[10], None, 70, "SHORTLISTED"),  # 12th: outside the top 10
        (None, w["users"]["linus"], 60, "SUGGESTED"),  # applied, then REJECTED
    ]
    rows: list[dict[str, Any]] = [
        {"id": _id(n + 1), "company_id": acme, "job_id": j1, "candidate_id": cand, "user_id": user,
         "score": score, "status": status}
        for n, (cand, user, score, status) in enumerate(ranked)
    ]  # fmt: skip
    rows.append(
        {"company_id": w["globex"], "job_id": j1, "candidate_id": theirs, "score": 100.0,
         "status": "SHORTLISTED"}
    )  # fmt: skip
    rows.append(
        {"company_id": acme, "job_id": j2, "candidate_id": c[0], "score": 85.0,
         "status": "SHORTLISTED"}
    )  # fmt: skip
    await _matches(runtime, rows, w["t0"])


def _expected_deciles(w: dict[str, Any], job: str, rights: set[str]) -> list[dict[str, Any]]:
    views = {d: [0, 0] for d in range(1, 11)}
    for name, scores in w["shown"].items():
        views[_decile(scores[job])][0] += 1
        views[_decile(scores[job])][1] += name in rights
    return [
        {"decile": d, "impressions": v, "rightSwipes": r, "ctr": r / v if v else None}
        for d, (v, r) in views.items()
    ]


async def test_job_analytics_counts_views_swipes_applications_hires_and_matches_exactly(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    await _ranked_matches(runtime, w)
    j1, j2, _ = w["jobs"]
    first = (await gql.ok(JOB, {"jobId": j1}, token=w["boss"]))["jobAnalytics"]
    assert first["job"]["id"] == j1
    assert (first["impressions"], first["swipesRight"], first["swipesLeft"]) == (3, 2, 1)
    assert first["ctrByScoreDecile"] == _expected_deciles(w, j1, {"ada", "linus"})
    assert first["applications"] == 2
    assert first["applicationsByStatus"] == [
        {"status": "HIRED", "count": 1},
        {"status": "REJECTED", "count": 1},
    ]
    assert first["medianTimeToHireHours"] == 24.0
    assert first["matches"] == 13
    assert first["matchToApplyRate"] == 3 / 13  # c[3] APPLIED, ada and linus applied
    assert first["precisionAt10"] == 0.5  # c0, c1, ada (HIRED), c3, c8
    second = (await gql.ok(JOB, {"jobId": j2}, token=w["boss"]))["jobAnalytics"]
    assert (second["impressions"], second["swipesRight"], second["swipesLeft"]) == (3, 1, 0)
    assert second["ctrByScoreDecile"] == _expected_deciles(w, j2, {"ada"})
    assert second["applicationsByStatus"] == [{"status": "HIRED", "count": 1}]
    assert second["medianTimeToHireHours"] == 72.0
    assert (second["matchToApplyRate"], second["precisionAt10"]) == (0.0, 1.0)


async def test_a_job_without_activity_has_zero_counts_and_null_rates(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    (job,) = await insert_jobs(runtime, await company_of(gql, boss), BACKEND_JOBS[:1])
    figures = (await gql.ok(JOB, {"jobId": job}, token=boss))["jobAnalytics"]
    assert (figures["impressions"], figures["applications"], figures["matches"]) == (0, 0, 0)
    assert figures["applicationsByStatus"] == []
    assert [d["decile"] for d in figures["ctrByScoreDecile"]] == list(range(1, 11))
    assert all(d["ctr"] is None for d in figures["ctrByScoreDecile"])
    assert figures["matchToApplyRate"] is None
    assert figures["medianTimeToHireHours"] is None
    assert figures["precisionAt10"] is None


async def test_company_analytics_rolls_up_its_own_jobs_only_and_honours_the_window(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    await _ranked_matches(runtime, w)
    j1, j2, _ = w["jobs"]
    data = (await gql.ok(COMPANY, {}, token=w["boss"]))["companyAnalytics"]
    totals = data["totals"]
    assert (totals["impressions"], totals["swipesRight"], totals["swipesLeft"]) == (6, 3, 1)
    assert totals["applicationsByStatus"] == [
        {"status": "HIRED", "count": 2},
        {"status": "REJECTED", "count": 1},
    ]
    assert totals["medianTimeToHireHours"] == 48.0  # of 24h and 72h
    assert totals["matches"] == 14
    assert totals["matchToApplyRate"] == 3 / 14
    assert totals["precisionAt10"] == 6 / 11  # pooled: 5 of J1's 10, 1 of J2's 1
    assert sum(d["impressions"] for d in totals["ctrByScoreDecile"]) == 6
    assert data["jobsWithActivity"] == 2
    assert [j["job"]["id"] for j in data["perJob"]] == [j1, j2]  # J1 is busier
    alone = (await gql.ok(JOB, {"jobId": j1}, token=w["boss"]))["jobAnalytics"]
    assert {k: v for k, v in data["perJob"][0].items() if k != "job"} == {
        k: v for k, v in alone.items() if k != "job"
    }
    # After the hires at +72h: nothing happened, not even the real-time feed views.
    t0 = w["t0"]
    later = {"from": (t0 + timedelta(hours=73)).isoformat()}
    empty = (await gql.ok(COMPANY, later, token=w["boss"]))["companyAnalytics"]
    assert empty["jobsWithActivity"] == 0 and empty["perJob"] == []
    assert (empty["totals"]["impressions"], empty["totals"]["matches"]) == (0, 0)
    # [t0+1h, t0+25h): the first hire only; swipes, applications and matches came at t0.
    window = {
        "from": (t0 + timedelta(hours=1)).isoformat(),
        "to": (t0 + timedelta(hours=25)).isoformat(),
    }
    hires = (await gql.ok(COMPANY, window, token=w["boss"]))["companyAnalytics"]
    assert hires["totals"]["medianTimeToHireHours"] == 24.0
    assert (hires["totals"]["swipesRight"], hires["totals"]["applications"]) == (0, 0)
    assert [j["job"]["id"] for j in hires["perJob"]] == [j1]


async def test_analytics_are_the_companys_own(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    j1, _, j3 = w["jobs"]
    assert await gql.error_code(JOB, {"jobId": j1}, token=w["other"]) == "NOT_FOUND"
    assert await gql.error_code(JOB, {"jobId": j3}, token=w["boss"]) == "NOT_FOUND"
    theirs = (await gql.ok(COMPANY, {}, token=w["other"]))["companyAnalytics"]
    assert [j["job"]["id"] for j in theirs["perJob"]] == [j3]
    assert theirs["totals"]["impressions"] == 3 and theirs["totals"]["swipesRight"] == 1
    ada = w["people"]["ada"]
    assert await gql.error_code(JOB, {"jobId": j1}, token=ada) == "FORBIDDEN"
    assert await gql.error_code(COMPANY, {}, token=ada) == "FORBIDDEN"
    assert await gql.error_code(COMPANY, {}) == "UNAUTHENTICATED"
    not_a_job = {"jobId": gid("User", w["users"]["ada"])}
    assert await gql.error_code(JOB, not_a_job, token=w["boss"]) == "NOT_FOUND"


async def test_a_window_that_ends_before_it_starts_is_bad_user_input(gql: GraphQLClient) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    backwards = {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
    assert await gql.error_code(COMPANY, backwards, token=boss) == "BAD_USER_INPUT"
    assert await gql.error_code(COMPANY, {"from": "2026-13-45"}, token=boss) == "BAD_USER_INPUT"


async def test_company_analytics_costs_the_same_statements_for_two_jobs_or_six(
    gql: GraphQLClient, runtime: Runtime
) -> None:
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    acme = await company_of(gql, boss)
    jobs = [raw(j) for j in await insert_jobs(runtime, acme, BACKEND_JOBS[:3] * 2)]
    (person,) = await _pool(runtime, acme, 1)
    counts = []
    for chosen in (jobs[:2], jobs[2:]):
        rows = [
            {"company_id": acme, "job_id": j, "candidate_id": person, "score": 70.0} for j in chosen
        ]
        await _matches(runtime, rows, datetime.now(UTC))
        with statements(runtime) as seen:
            data = (await gql.ok(COMPANY, {}, token=boss))["companyAnalytics"]
        counts.append(len(seen))
        assert data["jobsWithActivity"] == len(data["perJob"]) == (2 if len(counts) == 1 else 6)
    # The access token check (1), one grouped statement per fact table (5), one batch of jobs.
    assert counts == [7, 7]
