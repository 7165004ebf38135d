"""matchFound end to end: graphql-ws, Apollo and gql clients, thresholds, import bursts."""

from __future__ import annotations

import os
import subprocess
import sys
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
    IMPORT,
    LOGIN,
    MARKER_JOB,
    MATCH_FOUND,
    NURSE_JOB,
    NURSE_PROFILE,
    REOPEN_JOB,
    company_name,
    matched_jobs,
    post_job,
    score_for,
    spec,
)


async def test_match_found_reaches_graphql_ws_apollo_and_gql_only_at_or_above_min_score(
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
    fans = ("graphql-ws", "apollo")

    def heard(label: str) -> list[str]:
        if label == "gql":
            return matched_jobs([data for _, data in gql.events])
        return matched_jobs([event["data"] for event in node.events(label)])

    async def until_heard(job: str, *labels: str) -> None:
        for label in labels:
            if label == "gql":
                await gql.wait_until(lambda: job in heard("gql"))
            else:
                await node.wait_until(
                    lambda label=label: job in heard(label) or bool(node.outcome(label)),
                    f"{job} on {label}",
                )

    async with (
        NodeSubscribers(graphql_url, specs) as node,
        GqlSubscription(graphql_url, fan["accessToken"], MATCH_FOUND, {"minScore": 60}) as gql,
    ):
        job_id = await post_job(graphql_url, recruiter, BACKEND_JOB)
        await until_heard(job_id, *fans, "gql")
        await call(graphql_url, CLOSE_JOB, {"id": job_id}, token=recruiter["accessToken"])
        marker = await post_job(graphql_url, recruiter, MARKER_JOB)
        await until_heard(marker, *fans, "gql")
        after_close = [heard(label).count(job_id) for label in (*fans, "gql")]
        await call(graphql_url, REOPEN_JOB, {"id": job_id}, token=recruiter["accessToken"])
        last_marker = await post_job(graphql_url, recruiter, MARKER_JOB)
        nurse_marker = await post_job(graphql_url, recruiter, NURSE_JOB)
        await until_heard(last_marker, *fans, "gql", "fan at 95", "picky")
        await until_heard(nurse_marker, "nurse")

    fan_score = await score_for(graphql_url, fan, job_id)
    assert 60 <= fan_score < 95
    assert await score_for(graphql_url, nurse, job_id) < 50
    received = {
        "graphql-ws": [e["data"]["matchFound"] for e in node.events("graphql-ws")],
        "apollo": [e["data"]["matchFound"] for e in node.events("apollo")],
        "gql": [data["matchFound"] for _, data in gql.events],
    }
    assert after_close == [1, 1, 1], "closeJob must not announce the job"
    for client, events in received.items():
        announced = [e for e in events if e["job"]["id"] == job_id]
        assert len(announced) == 2, client  # created, then reopened: never the close
        first, again = announced
        assert first["job"]["title"] == BACKEND_JOB["title"]
        assert (
            abs(first["score"] - fan_score) <= 0.01
            and first["explanation"]["score"] == first["score"]
        )
        assert {f["name"] for f in first["explanation"]["factors"]} >= {"semantic", "skill_overlap"}
        assert int(again["eventId"]) > int(first["eventId"])
        assert [e["job"]["id"] for e in events] == [job_id, marker, job_id, last_marker], client
    for label in ("fan at 95", "picky", "nurse"):
        assert job_id not in heard(label) and node.outcome(label) == [], label
    assert heard("nurse") == [nurse_marker]
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
    recruiter = await sign_up(graphql_url, role="RECRUITER", company=company_name())
    min_score = 70.0
    rows = burst_rows(company_name(), 100)
    async with GqlSubscription(
        graphql_url, candidate["accessToken"], MATCH_FOUND, {"minScore": min_score}
    ) as matches:
        batch = (await call(graphql_url, IMPORT, {"jobs": rows}, token=admin["accessToken"]))[
            "importJobs"
        ]
        await matches.wait_for_events(1)
        company_id = matches.events[0][1]["matchFound"]["job"]["company"]["id"]
        listed = await call(
            graphql_url, COMPANY_JOBS, {"companyId": company_id}, token=candidate["accessToken"]
        )
        scores = {
            edge["node"]["id"]: edge["node"]["match"]["score"] for edge in listed["jobs"]["edges"]
        }
        expected = {job for job, score in scores.items() if score >= min_score}
        # Committed after the whole burst: once it has arrived, every burst event has too.
        marker = await post_job(graphql_url, recruiter, MARKER_JOB)
        await matches.wait_until(lambda: marker in matched_jobs([d for _, d in matches.events]))

    assert batch == {"status": "COMPLETED", "total": 100, "created": 100, "failed": 0}
    assert len(scores) == 100 and 0 < len(expected) < 100
    *delivered, last = [data["matchFound"] for _, data in matches.events]
    assert last["job"]["id"] == marker
    delivered_jobs = [d["job"]["id"] for d in delivered]
    assert len(delivered_jobs) == len(set(delivered_jobs)), "one message per job"
    assert set(delivered_jobs) == expected
    assert all(abs(d["score"] - scores[d["job"]["id"]]) <= 0.01 for d in delivered)
    ids = [int(d["eventId"]) for d in delivered]
    assert ids == sorted(ids)
    assert matches.failure is None
