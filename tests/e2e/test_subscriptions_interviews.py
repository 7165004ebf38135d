"""interviewChanged end to end over a real WebSocket (gql, graphql-transport-ws): the candidate
hears their interview scheduled and cancelled; another candidate hears none of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.e2e.conftest import GqlSubscription, call, sign_up
from tests.e2e.subscription_support import BACKEND_PROFILE, apply, recruiter_with_job

CHANGED = """subscription($after: ID) {
  interviewChanged(after: $after) {
    eventId change interview { id status cancelReason application { id } }
  }
}"""
SCHEDULE = "mutation($input: ScheduleInterviewInput!) { scheduleInterview(input: $input) { id } }"
CANCEL = "mutation($id: ID!, $reason: String) { cancelInterview(id: $id, reason: $reason) { id } }"


async def _schedule(url: str, token: str, application: str, days: int) -> str:
    # The server runs on the real clock: interviews must lie in the future.
    when = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0).isoformat()
    given = {"applicationId": application, "type": "VIDEO", "scheduledAt": when}
    data = await call(url, SCHEDULE, {"input": given}, token=token)
    return str(data["scheduleInterview"]["id"])


async def test_interview_changed_reaches_only_the_candidate_of_the_interview(
    graphql_url: str,
) -> None:
    recruiter, job = await recruiter_with_job(graphql_url)
    boss = recruiter["accessToken"]
    ada, bob = [await sign_up(graphql_url, profile=BACKEND_PROFILE) for _ in range(2)]
    ada_app, bob_app = await apply(graphql_url, ada, job), await apply(graphql_url, bob, job)
    async with (
        GqlSubscription(graphql_url, ada["accessToken"], CHANGED) as ada_sub,
        GqlSubscription(graphql_url, bob["accessToken"], CHANGED) as bob_sub,
    ):
        made = await _schedule(graphql_url, boss, ada_app, days=3)
        await call(graphql_url, CANCEL, {"id": made, "reason": "Moved"}, token=boss)
        # Bob's interview is the marker: events arrive in commit order, so once his has, any
        # of Ada's that leaked to him would have too.
        marker = await _schedule(graphql_url, boss, bob_app, days=4)
        await ada_sub.wait_for_events(2)
        await bob_sub.wait_for_events(1)
    assert ada_sub.failure is None and bob_sub.failure is None
    got: list[dict[str, Any]] = [data["interviewChanged"] for _, data in ada_sub.events]
    assert [(e["change"], e["interview"]["id"]) for e in got] == [
        ("SCHEDULED", made),
        ("CANCELLED", made),
    ]
    assert got[1]["interview"]["status"] == "CANCELLED"
    assert got[1]["interview"]["cancelReason"] == "Moved"
    assert got[0]["interview"]["application"] == {"id": ada_app}
    heard = [data["interviewChanged"]["interview"]["id"] for _, data in bob_sub.events]
    assert heard == [marker]
