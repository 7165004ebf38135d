"""Daily digests (SPEC §14): opt in with updateMe, the best new jobs since the last digest,
rising skills and titles, whatIf-style skill advice; nothing new, no digest; only yours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app import Runtime
from db.models import Digest
from domain.digests import unsubscribe_token
from resolvers import digests
from tests.api.conftest import GraphQLClient
from tests.api.feed_support import candidate, company_of, insert_jobs, raw, recruiter, set_job
from tests.conftest import Clock

OPT_IN = "mutation($v: Boolean) { updateMe(input: {digestOptIn: $v}) { digestOptIn } }"
DIGESTS = """query($first: Int, $after: String) {
  digests(first: $first, after: $after) {
    edges { cursor node {
      id createdAt since emailedAt
      jobs { job { id title } score reason }
      trends { skills { name thisWeek lastWeek } titles { name thisWeek lastWeek } }
      recommendations { skill jobsImproved averageGain }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""
NOW = datetime(2030, 5, 6, 7, 0, tzinfo=UTC)
NEW_JOBS = [
    {
        "title": "Senior Python Engineer",
        "skills": ["python", "postgresql", "kubernetes"],
        "description": "Python services on PostgreSQL, deployed on Kubernetes.",
    },
    {
        "title": "Python Backend Developer",
        "skills": ["python", "docker", "kubernetes"],
        "description": "Backend APIs in Python with Docker and Kubernetes.",
    },
    {
        "title": "Senior Python Engineer",
        "skills": ["python", "aws"],
        "description": "Python data services on AWS.",
    },
]


async def _world(gql: GraphQLClient, runtime: Runtime, clock: Clock) -> dict[str, Any]:
    """Ada (backend profile, opted in); Acme's jobs: one from last week, three new ones."""
    clock.now = NOW
    boss = await recruiter(gql, "boss@acme.test", "Acme")
    company = await company_of(gql, boss)
    [old] = await insert_jobs(
        runtime,
        company,
        [{"title": "Python Developer", "skills": ["python", "flask"], "description": "Python."}],
        now=NOW - timedelta(days=9),
    )
    await set_job(runtime, old, created_at=NOW - timedelta(days=9))
    new = await insert_jobs(runtime, company, NEW_JOBS, now=NOW - timedelta(hours=3))
    for job in new:
        await set_job(runtime, job, created_at=NOW - timedelta(hours=3))
    ada = await candidate(gql, "ada@example.com")
    assert (await gql.ok(OPT_IN, {"v": True}, token=ada))["updateMe"]["digestOptIn"] is True
    user = raw((await gql.ok("{ me { id } }", token=ada))["me"]["id"])
    return {"ada": ada, "user": user, "old": old, "new": new, "boss": boss}


async def _digests(gql: GraphQLClient, token: str, **variables: Any) -> dict[str, Any]:
    return dict((await gql.ok(DIGESTS, variables, token=token))["digests"])


async def test_a_digest_lists_the_best_new_jobs_trends_and_skill_advice(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    assert await digests.deliver(runtime.services, w["user"]) is True  # LogMailer: logged
    [edge] = (await _digests(gql, w["ada"]))["edges"]
    node = edge["node"]
    assert node["createdAt"] == NOW.isoformat()
    assert node["since"] == (NOW - timedelta(days=1)).isoformat()
    assert node["emailedAt"] == NOW.isoformat()
    listed = [j["job"]["id"] for j in node["jobs"]]
    assert set(listed) <= set(w["new"]) and listed and w["old"] not in listed
    scores = [j["score"] for j in node["jobs"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 100 for s in scores)
    assert all(j["reason"] for j in node["jobs"])
    skills = {t["name"]: (t["thisWeek"], t["lastWeek"]) for t in node["trends"]["skills"]}
    assert skills["python"] == (3, 1) and skills["kubernetes"] == (2, 0)
    assert "flask" not in skills  # only last week: falling, not rising
    titles = {t["name"]: (t["thisWeek"], t["lastWeek"]) for t in node["trends"]["titles"]}
    assert titles["senior python engineer"] == (2, 0)
    advice = node["recommendations"]
    assert advice and advice[0]["skill"] == "kubernetes"
    assert advice[0]["jobsImproved"] >= 2 and advice[0]["averageGain"] > 0


async def test_nothing_new_means_no_digest_and_one_digest_a_day_at_most(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    assert await digests.deliver(runtime.services, w["user"]) is True
    assert await digests.deliver(runtime.services, w["user"]) is False  # same day: not again
    company = await company_of(gql, w["boss"])
    clock.now = NOW + timedelta(days=1)
    assert await digests.deliver(runtime.services, w["user"]) is False  # nothing new since
    [fresh] = await insert_jobs(
        runtime,
        company,
        [{"title": "Python Platform Engineer", "skills": ["python", "docker"]}],
        now=NOW + timedelta(hours=20),
    )
    await set_job(runtime, fresh, created_at=NOW + timedelta(hours=20))
    assert await digests.deliver(runtime.services, w["user"]) is True
    clock.now = NOW  # the tokens were issued at NOW
    page = await _digests(gql, w["ada"], first=1)
    [latest] = page["edges"]
    assert [j["job"]["id"] for j in latest["node"]["jobs"]] == [fresh]
    assert latest["node"]["since"] == NOW.isoformat()
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await _digests(gql, w["ada"], first=5, after=page["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == 1 and rest["pageInfo"]["hasNextPage"] is False


async def test_no_digest_without_opting_in_and_the_unsubscribe_link_opts_out(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    assert await digests.unsubscribe(runtime.services, "not-a-token") is False
    forged = unsubscribe_token("another-secret", w["user"])
    assert await digests.unsubscribe(runtime.services, forged) is False
    secret = runtime.services.settings.jwt_secret or ""
    assert await digests.unsubscribe(runtime.services, unsubscribe_token(secret, w["user"]))
    assert (await gql.ok("{ me { digestOptIn } }", token=w["ada"]))["me"]["digestOptIn"] is False
    assert await digests.deliver(runtime.services, w["user"]) is False
    async with runtime.services.sessions() as session:
        assert (await session.execute(select(Digest))).first() is None


async def test_digest_opt_in_is_validated_and_digests_are_the_candidates_own(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    assert await gql.error_code(OPT_IN, {"v": None}, token=w["ada"]) == "BAD_USER_INPUT"
    assert await gql.error_code(OPT_IN, {"v": True}, token=w["boss"]) == "BAD_USER_INPUT"
    assert await gql.error_code(DIGESTS, {}, token=w["boss"]) == "FORBIDDEN"
    assert await gql.error_code(DIGESTS, {}) == "UNAUTHENTICATED"
    assert await gql.error_code(DIGESTS, {"first": 1000}, token=w["ada"]) == "BAD_USER_INPUT"
    assert await gql.error_code(DIGESTS, {"after": "garbage"}, token=w["ada"]) == "BAD_USER_INPUT"
    await digests.deliver(runtime.services, w["user"])
    [edge] = (await _digests(gql, w["ada"]))["edges"]
    grace = await candidate(gql, "grace@example.com")
    node = "query($id: ID!) { node(id: $id) { ... on Digest { id } } }"
    assert (await gql.ok(node, {"id": edge["node"]["id"]}, token=w["ada"]))["node"]["id"]
    assert await gql.error_code(node, {"id": edge["node"]["id"]}, token=grace) == "NOT_FOUND"
    assert (await _digests(gql, grace))["edges"] == []


async def test_the_emails_unsubscribe_link_asks_then_opts_out_on_post(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    w = await _world(gql, runtime, clock)
    secret = runtime.services.settings.jwt_secret or ""
    url = f"/digests/unsubscribe?token={unsubscribe_token(secret, w['user'])}"
    shown = await gql.http.get(url)
    assert shown.status_code == 200 and "<form" in shown.text
    opted = "{ me { digestOptIn } }"
    assert (await gql.ok(opted, token=w["ada"]))["me"]["digestOptIn"] is True  # GET changes nothing
    bad = await gql.http.post("/digests/unsubscribe?token=" + unsubscribe_token("x", w["user"]))
    assert bad.status_code == 400
    assert (await gql.http.post(url)).status_code == 200
    assert (await gql.ok(opted, token=w["ada"]))["me"]["digestOptIn"] is False
