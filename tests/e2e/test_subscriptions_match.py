"""matchFound end to end: graphql-ws, Apollo and gql clients, thresholds, import bursts."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, TEST_SECRET
from tests.e2e.conftest import (
    PASSWORD,
    GqlSubscription,
    NodeSubscribers,
    call,
    sign_up,
    unique_email,
)
from tests.e2e.subscription_support import (
    BACKEND_JOB,
    BACKEND_PROFILE,
    CLOSE_JOB,
    COMPANY_JOBS,
    CREATE_JOB,
    DELIVERY_S,
    IMPORT,
    LOGIN,
    MATCH_FOUND,
    NURSE_PROFILE,
    QUIET_S,
    REOPEN_JOB,
    company_name,
    score_for,
    spec,
)


async def test_match_found_reaches_graphql_ws_apollo_and_gql_within_2s_only_at_or_above_min_score(
    graphql_url: str,
) -> None:
    recruiter = await sign_up(graphql_url, role="RECRUITER", company=company_name())
    fan, picky, nurse = [
        await sign_up(graphql_url, profile=p)
        for p in (BACKEND_PROFILE, BACKEND_PROFILE, NURSE_PROFILE)
    ]
    specs = [
        spec("graphql-ws", "graphql-ws", fan, MATCH_FOUND, {"minScore": 60}),
        spec("apollo", "apollo", fan, MATCH_FOUND, {"minScore": 60}),
        # The same candidate on a second subscription with a bar the job does not reach.
        spec("fan at 95", "graphql-ws", fan, MATCH_FOUND, {"minScore": 95}),
        spec("picky", "graphql-ws", picky, MATCH_FOUND, {"minScore": 95}),
        spec("nurse", "apollo", nurse, MATCH_FOUND, {"minScore": 50}),
    ]
    async with (
        NodeSubscribers(graphql_url, specs) as node,
        GqlSubscription(graphql_url, fan["accessToken"], MATCH_FOUND, {"minScore": 60}) as gql,
    ):
        requested = time.time()
        job_id = (
            await call(
                graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=recruiter["accessToken"]
            )
        )["createJob"]["id"]
        committed = time.time()
        await node.wait_for_events("graphql-ws", 1)
        await node.wait_for_events("apollo", 1)
        await gql.wait_for_events(1)
        await asyncio.sleep(QUIET_S)
        await call(graphql_url, CLOSE_JOB, {"id": job_id}, token=recruiter["accessToken"])
        await asyncio.sleep(QUIET_S)
        after_close = [len(node.events("graphql-ws")), len(node.events("apollo")), len(gql.events)]
        await call(graphql_url, REOPEN_JOB, {"id": job_id}, token=recruiter["accessToken"])
        await node.wait_for_events("graphql-ws", 2)
        await node.wait_for_events("apollo", 2)
        await gql.wait_for_events(2)
        await asyncio.sleep(QUIET_S)

    fan_score = await score_for(graphql_url, fan, job_id)
    assert 60 <= fan_score < 95
    assert await score_for(graphql_url, nurse, job_id) < 50
    received = {
        "graphql-ws": [(e["at"], e["data"]["matchFound"]) for e in node.events("graphql-ws")],
        "apollo": [(e["at"], e["data"]["matchFound"]) for e in node.events("apollo")],
        "gql": [(at, data["matchFound"]) for at, data in gql.events],
    }
    assert after_close == [1, 1, 1], "closeJob must not announce the job"
    for client, events in received.items():
        assert len(events) == 2, client  # created, then reopened: never the close
        (first_at, first), (_, again) = events
        assert first["job"]["id"] == again["job"]["id"] == job_id
        assert first["job"]["title"] == BACKEND_JOB["title"]
        assert (
            abs(first["score"] - fan_score) <= 0.01
            and first["explanation"]["score"] == first["score"]
        )
        assert {f["name"] for f in first["explanation"]["factors"]} >= {"semantic", "skill_overlap"}
        assert int(again["eventId"]) > int(first["eventId"])
        assert first_at - committed < DELIVERY_S, (
            f"{client}: {first_at - committed:.2f}s after the commit"
        )
        assert first_at - requested < DELIVERY_S + 2.0, client
    for label in ("fan at 95", "picky", "nurse"):
        assert node.events(label) == [] and node.outcome(label) == [], label
    assert gql.failure is None


def create_admin(database_url: str) -> dict[str, str]:
    """A PLATFORM_ADMIN made the way operators make one: `jobmatch create-admin`."""
    email = unique_email("ops")
    env = {
        **os.environ,
        "JOBMATCH_DATABASE_URL": database_url,
        "JOBMATCH_JWT_SECRET": TEST_SECRET,
        "JOBMATCH_ENV": "test",
    }
    command = [
        str(Path(sys.executable).with_name("jobmatch")),
        "create-admin",
        email,
        "--password",
        PASSWORD,
    ]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {"email": email, "password": PASSWORD}


def burst_rows(company: str, count: int) -> list[dict[str, Any]]:
    """Postings of four kinds, two close to the backend profile and two far from it."""
    kinds = [
        ("Senior Python Backend Engineer", ["Python", "Django", "PostgreSQL", "AWS"], True),
        ("Python Data Engineer", ["Python", "Spark", "Airflow"], True),
        ("ICU Registered Nurse", ["Patient care"], False),
        ("Staff Accountant", ["Accounting", "Excel"], False),
    ]
    rows = []
    for index in range(count):
        title, skills, remote = kinds[index % len(kinds)]
        rows.append(
            {
                "externalJobId": f"{company}-{index}",
                "title": f"{title} {index}",
                "company": company,
                "location": "Remote" if remote else "Boston, MA",
                "isRemote": remote,
                "skills": skills,
                "description": f"{title}: {', '.join(skills)}.",
            }
        )
    return rows


async def test_an_import_burst_reaches_a_candidate_once_per_matching_job_and_loses_none(
    graphql_url: str, database_url: str
) -> None:
    admin = (await call(graphql_url, LOGIN, {"input": create_admin(database_url)}))["login"]
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    min_score = 70.0
    rows = burst_rows(company_name(), 100)
    async with GqlSubscription(
        graphql_url, candidate["accessToken"], MATCH_FOUND, {"minScore": min_score}
    ) as matches:
        batch = (await call(graphql_url, IMPORT, {"jobs": rows}, token=admin["accessToken"]))[
            "importJobs"
        ]
        imported = time.time()
        await matches.wait_for_events(1)
        company_id = matches.events[0][1]["matchFound"]["job"]["company"]["id"]
        listed = await call(
            graphql_url, COMPANY_JOBS, {"companyId": company_id}, token=candidate["accessToken"]
        )
        scores = {
            edge["node"]["id"]: edge["node"]["match"]["score"] for edge in listed["jobs"]["edges"]
        }
        expected = {job for job, score in scores.items() if score >= min_score}
        await matches.wait_for_events(len(expected))
        last_at = matches.events[-1][0]
        await asyncio.sleep(QUIET_S)

    assert batch == {"status": "COMPLETED", "total": 100, "created": 100, "failed": 0}
    assert len(scores) == 100 and 0 < len(expected) < 100
    delivered = [data["matchFound"] for _, data in matches.events]
    delivered_jobs = [d["job"]["id"] for d in delivered]
    assert len(delivered_jobs) == len(set(delivered_jobs)), "one message per job"
    assert set(delivered_jobs) == expected
    assert all(abs(d["score"] - scores[d["job"]["id"]]) <= 0.01 for d in delivered)
    ids = [int(d["eventId"]) for d in delivered]
    assert ids == sorted(ids)
    assert last_at - imported < 10.0
    assert matches.failure is None
