"""Who may touch what, table-driven: for every object with an id and every operation taking one,
a recruiter of another company (an employer and an agency) and a candidate who does not own it
get NOT_FOUND (FORBIDDEN where their role may not call the operation at all), anonymous callers
get UNAUTHENTICATED (NOT_FOUND for the publicly browsable job(id): only ACTIVE ones answer),
and a refused mutation changes nothing in the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from app import Runtime
from domain.enums import Role
from resolvers import auth
from tests.api.conftest import GraphQLClient, register
from tests.api.feed_support import BACKEND_JOBS, SWIPE, candidate, company_of, insert_jobs
from tests.api.resume_support import ADD_CANDIDATE, PASTED
from tests.conftest import Clock

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
# Counters and token bookkeeping move with every request, refused or not.
BOOKKEEPING = {"rate_limits", "refresh_tokens", "revoked_access_tokens", "alembic_version"}
W = dict[str, str]
NODE = "query($id: ID!) { node(id: $id) { id } }"
OWNERS = {
    "boss": ("closedJob", "filledJob", "Application", "Candidate", "PoolResume", "Match")
    + ("Interview", "MatchInterview"),
    "ada": ("Application", "Swipe", "User", "Resume", "Interview", "Digest"),
    "admin": ("ImportBatch",),
}


def at(hours: float) -> str:
    return (NOW + timedelta(hours=hours)).isoformat()


@dataclass(frozen=True)
class Case:
    """One operation on one object: `recruiter`/`candidate` are the codes foreign callers get."""

    name: str
    query: str
    variables: Callable[[W], dict[str, Any]]
    candidate: str = "NOT_FOUND"
    recruiter: str = "NOT_FOUND"
    anonymous: str = "UNAUTHENTICATED"

    @property
    def mutation(self) -> bool:
        return self.query.lstrip().startswith("mutation")


def _node(kind: str) -> Case:
    return Case(f"node({kind})", NODE, lambda w: {"id": w[kind]})


def _one(field: str, key: str, arg: str = "id", **codes: str) -> Case:
    return Case(
        f"{field}({key})",
        f"query($id: ID!) {{ {field}({arg}: $id) {{ __typename }} }}",
        lambda w: {"id": w[key]},
        **codes,
    )


RECRUITING = {"candidate": "FORBIDDEN"}  # a candidate may not call a recruiter operation
SEEKING = {"recruiter": "FORBIDDEN"}  # nor a recruiter a candidate's
OPERATING = {"candidate": "FORBIDDEN", "recruiter": "FORBIDDEN"}  # platform admins only
BOTS = OPERATING  # scraper keys only: no signed-in person calls the scrape-queue operations
CASES = [
    *[
        _node(kind)
        for kind in (
            "closedJob",
            "filledJob",
            "Application",
            "Swipe",
            "ImportBatch",
            "User",
            "Candidate",
            "PoolResume",
            "Resume",
            "Match",
            "Interview",
            "MatchInterview",
            "Digest",
        )
    ],
    # Public browsing: anyone reads ACTIVE jobs, so other jobs are NOT_FOUND to strangers too.
    _one("job", "closedJob", anonymous="NOT_FOUND"),
    _one("job", "filledJob", anonymous="NOT_FOUND"),
    _one("application", "Application"),
    _one("importBatch", "ImportBatch"),
    _one("candidate", "Candidate"),
    _one("interview", "Interview"),
    _one("interview", "MatchInterview"),
    Case(
        "matchesForCandidate",
        "query($id: ID!) { matchesForCandidate(candidateId: $id) { edges { cursor } } }",
        lambda w: {"id": w["Candidate"]},
        **RECRUITING,
    ),
    _one("jobAnalytics", "activeJob", arg="jobId", **RECRUITING),
    _one("jobAnalytics", "closedJob", arg="jobId", **RECRUITING),
    Case(
        "candidatesForJob(closed)",
        "query($id: ID!) { candidatesForJob(jobId: $id) { edges { cursor } } }",
        lambda w: {"id": w["closedJob"]},
        **RECRUITING,
    ),
    Case(
        "applicationsForJob",
        "query($id: ID!) { applicationsForJob(jobId: $id) { edges { cursor } } }",
        lambda w: {"id": w["activeJob"]},
        **RECRUITING,
    ),
    Case(
        "updateJob",
        'mutation($id: ID!) { updateJob(id: $id, input: {title: "Taken"}) { id } }',
        lambda w: {"id": w["activeJob"]},
        **RECRUITING,
    ),
    Case(
        "closeJob",
        "mutation($id: ID!) { closeJob(id: $id, reason: FILLED) { id } }",
        lambda w: {"id": w["activeJob"]},
        **RECRUITING,
    ),
    Case(
        "reopenJob",
        "mutation($id: ID!) { reopenJob(id: $id) { id } }",
        lambda w: {"id": w["closedJob"]},
        **RECRUITING,
    ),
    Case(
        "updateApplicationStatus",
        "mutation($id: ID!) { updateApplicationStatus(id: $id, status: REJECTED) { id } }",
        lambda w: {"id": w["Application"]},
    ),
    Case(
        "withdrawApplication",
        "mutation($id: ID!) { withdrawApplication(id: $id) { id } }",
        lambda w: {"id": w["Application"]},
        **SEEKING,
    ),
    Case(
        "updateCandidate",
        'mutation($id: ID!) { updateCandidate(id: $id, input: {name: "Taken"}) { id } }',
        lambda w: {"id": w["Candidate"]},
        **RECRUITING,
    ),
    Case(
        "archiveCandidate",
        "mutation($id: ID!) { archiveCandidate(id: $id) { id } }",
        lambda w: {"id": w["Candidate"]},
        **RECRUITING,
    ),
    Case(
        "generateMatches",
        "mutation($id: ID!) { generateMatches(candidateId: $id) { candidate { id } } }",
        lambda w: {"id": w["Candidate"]},
        **RECRUITING,
    ),
    Case(
        "updateMatchStatus",
        "mutation($id: ID!) { updateMatchStatus(id: $id, status: REJECTED) { id } }",
        lambda w: {"id": w["Match"]},
        **RECRUITING,
    ),
    Case(
        "shortlistCandidate(own job, foreign candidate)",
        "mutation($j: ID!, $c: ID!) { shortlistCandidate(jobId: $j, candidateId: $c) { id } }",
        lambda w: {"j": w["ownActiveJob"], "c": w["Candidate"]},
        **RECRUITING,
    ),
    Case(
        "shortlistCandidate(closed job)",
        "mutation($j: ID!, $c: ID!) { shortlistCandidate(jobId: $j, candidateId: $c) { id } }",
        lambda w: {"j": w["closedJob"], "c": w["ownCandidate"]},
        **RECRUITING,
    ),
    Case(
        "scheduleInterview(applicationId)",
        "mutation($i: ScheduleInterviewInput!) { scheduleInterview(input: $i) { id } }",
        lambda w: {
            "i": {"applicationId": w["Application"], "type": "VIDEO", "scheduledAt": at(72)}
        },
        **RECRUITING,
    ),
    Case(
        "scheduleInterview(matchId)",
        "mutation($i: ScheduleInterviewInput!) { scheduleInterview(input: $i) { id } }",
        lambda w: {"i": {"matchId": w["Match"], "type": "PHONE", "scheduledAt": at(96)}},
        **RECRUITING,
    ),
    Case(
        "rescheduleInterview",
        "mutation($id: ID!, $i: RescheduleInterviewInput!) { rescheduleInterview(id: $id, input: $i) { id } }",
        lambda w: {"id": w["Interview"], "i": {"scheduledAt": at(120)}},
        **RECRUITING,
    ),
    Case(
        "cancelInterview",
        "mutation($id: ID!) { cancelInterview(id: $id) { id } }",
        lambda w: {"id": w["MatchInterview"]},
        **RECRUITING,
    ),
    Case(
        "completeInterview",
        "mutation($id: ID!) { completeInterview(id: $id, rating: 5) { id } }",
        lambda w: {"id": w["Interview"]},
        **RECRUITING,
    ),
    Case(
        "whatIf(closed)",
        "mutation($id: ID!) { whatIf(jobId: $id) { __typename } }",
        lambda w: {"id": w["closedJob"]},
        **SEEKING,
    ),
    Case(
        "swipeJob(closed)",
        "mutation($id: ID!) { swipeJob(jobId: $id, direction: RIGHT) { swipe { id } } }",
        lambda w: {"id": w["closedJob"]},
        **SEEKING,
    ),
    Case(
        "recordJobView(closed)",
        "mutation($id: ID!) { recordJobView(jobId: $id, durationMs: 5000) { job { title } } }",
        lambda w: {"id": w["closedJob"]},
        **SEEKING,
    ),
    Case("scraperKeys", "query { scraperKeys { id } }", lambda w: {}, **OPERATING),
    Case("scrapeQueue", "query { scrapeQueue { edges { cursor } } }", lambda w: {}, **OPERATING),
    Case("alerts", "query { alerts { edges { cursor } } }", lambda w: {}, **OPERATING),
    Case(
        "createScraperKey",
        'mutation { createScraperKey(name: "mine") { apiKey } }',
        lambda w: {},
        **OPERATING,
    ),
    Case(
        "revokeScraperKey",
        "mutation($id: ID!) { revokeScraperKey(id: $id) { id } }",
        lambda w: {"id": w["ScraperKey"]},
        **OPERATING,
    ),
    Case("claimScrapeRole", "mutation { claimScrapeRole { id } }", lambda w: {}, **BOTS),
    Case(
        "submitScrapedJobs",
        'mutation($id: ID!) { submitScrapedJobs(roleId: $id, platform: "x", jobs: []) { received } }',
        lambda w: {"id": w["ScrapeRole"]},
        **BOTS,
    ),
    Case(
        "completeScrapeRole",
        "mutation($id: ID!) { completeScrapeRole(roleId: $id) { id } }",
        lambda w: {"id": w["ScrapeRole"]},
        **BOTS,
    ),
    Case(
        "failScrapeRole",
        'mutation($id: ID!) { failScrapeRole(roleId: $id, error: "x", retry: true) { id } }',
        lambda w: {"id": w["ScrapeRole"]},
        **BOTS,
    ),
]


async def _world(gql: GraphQLClient, runtime: Runtime, clock: Clock) -> tuple[W, W]:
    """Acme owns every object; returns the ids and the callers' tokens."""
    clock.now = NOW
    # The import runs before the pool exists: no pool candidate is matched against its job.
    await auth.create_user(
        runtime.services, "ops@jobmatch.test", "operator-pass-1", Role.PLATFORM_ADMIN
    )
    login = 'mutation { login(input: {email: "ops@jobmatch.test", password: "operator-pass-1"}) { accessToken } }'
    admin = (await gql.ok(login))["login"]["accessToken"]
    batch = 'mutation { importJobs(platform: "ashby", jobs: [{externalJobId: "x1", title: "Imported"}]) { id } }'
    batch_id = (await gql.ok(batch, token=admin))["importJobs"]["id"]
    boss = (await register(gql, "boss@acme.test", role="RECRUITER", company="Acme"))["accessToken"]
    jobs = await insert_jobs(runtime, await company_of(gql, boss), BACKEND_JOBS, now=NOW)
    for job, reason in ((jobs[2], "CLOSED"), (jobs[3], "FILLED")):
        close = "mutation($id: ID!, $r: JobCloseReason!) { closeJob(id: $id, reason: $r) { id } }"
        await gql.ok(close, {"id": job, "r": reason}, token=boss)
    ada = await candidate(gql, "ada@example.com")
    swiped = (await gql.ok(SWIPE, {"jobId": jobs[0], "direction": "RIGHT"}, token=ada))["swipeJob"]
    upload = "mutation($t: String) { uploadResume(text: $t) { resume { id } } }"
    resume = (await gql.ok(upload, {"t": PASTED}, token=ada))["uploadResume"]["resume"]["id"]
    jane = (await gql.ok(ADD_CANDIDATE, {"text": PASTED, "input": {"name": "Jane"}}, token=boss))[
        "addCandidate"
    ]
    shortlist = (
        "mutation($j: ID!, $c: ID!) { shortlistCandidate(jobId: $j, candidateId: $c) { id } }"
    )
    match = (await gql.ok(shortlist, {"j": jobs[0], "c": jane["id"]}, token=boss))[
        "shortlistCandidate"
    ]["id"]
    schedule = "mutation($i: ScheduleInterviewInput!) { scheduleInterview(input: $i) { id } }"
    interviews = [
        (
            await gql.ok(
                schedule, {"i": subject | {"type": "VIDEO", "scheduledAt": when}}, token=boss
            )
        )["scheduleInterview"]["id"]
        for subject, when in (
            ({"applicationId": swiped["application"]["id"]}, at(24)),
            ({"matchId": match}, at(48)),
        )
    ]
    other = (await register(gql, "boss@globex.test", role="RECRUITER", company="Globex"))[
        "accessToken"
    ]
    agency = (
        await gql.ok(
            "mutation($input: RegisterInput!) { register(input: $input) { accessToken } }",
            {
                "input": {
                    "email": "boss@staffco.test",
                    "password": "correct-horse-1",
                    "role": "RECRUITER",
                    "companyName": "StaffCo",
                    "companyKind": "AGENCY",
                }
            },
        )
    )["register"]["accessToken"]
    own_job = (
        await gql.ok(
            'mutation { createJob(input: {title: "Globex Python Engineer", description: "Python"}) { id } }',
            token=other,
        )
    )["createJob"]["id"]
    own_candidate = (
        await gql.ok(ADD_CANDIDATE, {"text": PASTED, "input": {"name": "Jo"}}, token=other)
    )["addCandidate"]["id"]
    me = "{ me { id } }"
    ids = {
        "activeJob": jobs[0],
        "closedJob": jobs[2],
        "filledJob": jobs[3],
        "Application": swiped["application"]["id"],
        "Swipe": swiped["swipe"]["id"],
        "ImportBatch": batch_id,
        "User": (await gql.ok(me, token=ada))["me"]["id"],
        "Candidate": jane["id"],
        "PoolResume": jane["resume"]["id"],
        "Resume": resume,
        "Match": match,
        "Interview": interviews[0],
        "MatchInterview": interviews[1],
        "ownActiveJob": own_job,
        "ownCandidate": own_candidate,
    }
    ids["Digest"] = await _digest_of(runtime, ids["User"])
    ids |= await _scraping_of(gql, admin, ada)
    grace = await candidate(gql, "grace@example.com")
    return ids, {
        "boss": boss,
        "ada": ada,
        "admin": admin,
        "other": other,
        "agency": agency,
        "grace": grace,
    }


async def _digest_of(runtime: Runtime, user: str) -> str:
    """A stored daily digest of the candidate (their own, readable by node(id) only to them)."""
    from db import digests
    from schema.ids import from_global_id, to_global_id

    async with runtime.services.sessions() as session, session.begin():
        row = await digests.add(
            session, from_global_id(user)[1], since=NOW, now=NOW, content={"jobs": []}
        )
    return to_global_id("Digest", row.id)


async def _scraping_of(gql: GraphQLClient, admin: str, ada: str) -> W:
    """A scraper key and a role a bot is scraping (ada wants it)."""
    from tests.api.scraping_support import CLAIM, bot_ok, new_key

    await gql.ok(
        'mutation { updateMe(input: {preferredRoles: ["Python Developer"]}) { id } }', token=ada
    )
    made = await new_key(gql, admin)
    role = (await bot_ok(gql, made["apiKey"], CLAIM))["claimScrapeRole"]
    return {"ScraperKey": made["key"]["id"], "ScrapeRole": role["id"]}


async def _fingerprint(runtime: Runtime) -> dict[str, str]:
    """A digest of every row of every table but the request bookkeeping."""
    async with runtime.services.sessions() as session:
        names = (
            await session.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            )
        ).scalars()
        digests = {}
        for name in names:
            if name in BOOKKEEPING:
                continue
            digest = (
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {name} t"
            )
            digests[name] = str((await session.execute(text(digest))).scalar_one())
        return digests


async def test_every_foreign_caller_is_refused_and_changes_nothing(
    gql: GraphQLClient, runtime: Runtime, clock: Clock
) -> None:
    ids, tokens = await _world(gql, runtime, clock)
    # The owners see every object: the refusals below are about who asks, not about bad ids.
    for owner, kinds in OWNERS.items():
        for kind in kinds:
            await gql.ok(NODE, {"id": ids[kind]}, token=tokens[owner])
    failures = []
    before = await _fingerprint(runtime)
    for case in CASES:
        callers = {
            "other": case.recruiter,
            "agency": case.recruiter,
            "grace": case.candidate,
            "anonymous": case.anonymous,
        }
        for caller, expected in callers.items():
            body = await gql.post(case.query, case.variables(ids), token=tokens.get(caller))
            errors = body.get("errors") or [{}]
            got = errors[0].get("extensions", {}).get("code", body.get("data"))
            if got != expected:
                failures.append(f"{case.name} as {caller}: {got!r}, expected {expected}")
            if case.mutation and (after := await _fingerprint(runtime)) != before:
                changed = sorted(k for k in after if after[k] != before[k])
                failures.append(f"{case.name} as {caller} changed {changed}")
                before = after
    assert not failures, "\n".join(failures)
