"""digestReady end to end: a digest stored by a task (here, in this process) is pushed by a real
server over a real WebSocket to its candidate, and to no one else."""

from __future__ import annotations

from app import Runtime
from resolvers import digests
from schema.ids import from_global_id
from tests.e2e.conftest import GqlSubscription, call, sign_up
from tests.e2e.subscription_support import BACKEND_PROFILE, recruiter_with_job

READY = """subscription($after: ID) {
  digestReady(after: $after) { eventId digest { id jobs { job { id } score reason } } }
}"""
STORED = "{ digests(first: 1) { edges { node { id jobs { job { id } score reason } } } } }"
OPT_IN = "mutation { updateMe(input: {digestOptIn: true}) { digestOptIn } }"


async def test_digest_ready_reaches_only_its_candidate(graphql_url: str, runtime: Runtime) -> None:
    await recruiter_with_job(graphql_url)  # a new job, so digests have something new
    ada, bob = [await sign_up(graphql_url, profile=BACKEND_PROFILE) for _ in range(2)]
    for person in (ada, bob):
        await call(graphql_url, OPT_IN, token=person["accessToken"])
    users = [from_global_id(p["user"]["id"])[1] for p in (ada, bob)]
    async with (
        GqlSubscription(graphql_url, ada["accessToken"], READY) as ada_sub,
        GqlSubscription(graphql_url, bob["accessToken"], READY) as bob_sub,
    ):
        assert await digests.deliver(runtime.services, users[0])
        # Bob's digest is the marker: events arrive in commit order.
        assert await digests.deliver(runtime.services, users[1])
        await ada_sub.wait_for_events(1)
        await bob_sub.wait_for_events(1)
    assert ada_sub.failure is None and bob_sub.failure is None
    [(_, data)] = ada_sub.events
    pushed = data["digestReady"]["digest"]
    assert from_global_id(pushed["id"])[0] == "Digest"
    # What was pushed is the digest stored for Ada (other tests' jobs share this database, so
    # which jobs make her top few is theirs to decide; the job posted here is among the new).
    stored = await call(graphql_url, STORED, token=ada["accessToken"])
    [edge] = stored["digests"]["edges"]
    assert edge["node"] == {"id": pushed["id"], "jobs": pushed["jobs"]}
    assert pushed["jobs"]  # new jobs exist: not empty
    [(_, other)] = bob_sub.events
    assert other["digestReady"]["digest"]["id"] != pushed["id"]
