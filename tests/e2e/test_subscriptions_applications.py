"""Application events end to end: status changes, new applications, replay, refused changes."""

from __future__ import annotations

from gql.transport.exceptions import TransportQueryError

from tests.e2e.conftest import (
    GqlSubscription,
    NodeSubscribers,
    call,
    graphql,
    sign_up,
    unique_email,
)
from tests.e2e.subscription_support import (
    ADD_RECRUITER,
    BACKEND_JOB,
    BACKEND_PROFILE,
    CLOSE_JOB,
    CREATE_JOB,
    LOGIN,
    MOVE,
    RECEIVED,
    REOPEN_JOB,
    STATUS_CHANGED,
    SWIPE,
    WITHDRAW,
    apply,
    error_codes,
    post_job,
    recruiter_with_job,
    spec,
)


async def test_application_status_changed_reaches_only_the_applicant_with_previous_status_and_note(
    graphql_url: str,
) -> None:
    recruiter, job_id = await recruiter_with_job(graphql_url)
    ada, bob = [await sign_up(graphql_url, profile=BACKEND_PROFILE) for _ in range(2)]
    ada_application = await apply(graphql_url, ada, job_id)
    bob_application = await apply(graphql_url, bob, job_id)
    ada_later = await apply(graphql_url, ada, await post_job(graphql_url, recruiter, BACKEND_JOB))
    async with (
        GqlSubscription(graphql_url, ada["accessToken"], STATUS_CHANGED) as ada_events,
        NodeSubscribers(graphql_url, [spec("bob", "graphql-ws", bob, STATUS_CHANGED)]) as node,
    ):
        note = "Strong Django background"
        move = {"id": ada_application, "status": "WAITING_FOR_REVIEW", "note": note}
        token = recruiter["accessToken"]
        await call(graphql_url, MOVE, move, token=token)
        await ada_events.wait_for_events(1)
        await call(graphql_url, WITHDRAW, {"id": ada_application}, token=ada["accessToken"])
        # Markers: a change each must hear, committed after the ones under test.
        for marker in (ada_later, bob_application):
            await call(graphql_url, MOVE, {"id": marker, "status": "HR_MEETING"}, token=token)
        await ada_events.wait_for_events(3)
        await node.wait_for_events("bob", 1)

    *changes, ada_marker = [data["applicationStatusChanged"] for _, data in ada_events.events]
    assert ada_marker["application"]["id"] == ada_later
    assert [(c["previousStatus"], c["status"], c["note"]) for c in changes] == [
        ("SUBMITTED", "WAITING_FOR_REVIEW", note),
        ("WAITING_FOR_REVIEW", "WITHDRAWN", None),
    ]
    assert [c["application"] for c in changes] == [
        {"id": ada_application, "status": "WAITING_FOR_REVIEW"},
        {"id": ada_application, "status": "WITHDRAWN"},
    ]
    assert int(changes[1]["eventId"]) > int(changes[0]["eventId"])
    assert [
        e["data"]["applicationStatusChanged"]["application"]["id"] for e in node.events("bob")
    ] == [bob_application]
    assert node.outcome("bob") == []


async def test_application_received_reaches_the_jobs_company_only_and_a_foreign_job_id_is_not_found(
    graphql_url: str,
) -> None:
    admin, first_job = await recruiter_with_job(graphql_url)
    second_job = (
        await call(
            graphql_url,
            CREATE_JOB,
            {"input": BACKEND_JOB | {"title": "Django Developer"}},
            token=admin["accessToken"],
        )
    )["createJob"]["id"]
    colleague_email = unique_email("colleague")
    invite = await call(
        graphql_url, ADD_RECRUITER, {"email": colleague_email}, token=admin["accessToken"]
    )
    login = {"email": colleague_email, "password": invite["addRecruiter"]["temporaryPassword"]}
    colleague = (await call(graphql_url, LOGIN, {"input": login}))["login"]
    await call(  # a temporary password is changed before anything else
        graphql_url,
        "mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }",
        {"c": login["password"], "n": "recruiter-pass-2"},
        token=colleague["accessToken"],
    )
    outsider, outsiders_job = await recruiter_with_job(graphql_url)
    candidate, another = [await sign_up(graphql_url, profile=BACKEND_PROFILE) for _ in range(2)]
    specs = [
        spec("admin, every job", "graphql-ws", admin, RECEIVED),
        spec("colleague, first job", "apollo", colleague, RECEIVED, {"jobId": first_job}),
        spec("outsider, every job", "graphql-ws", outsider, RECEIVED),
    ]
    async with (
        NodeSubscribers(graphql_url, specs) as node,
        GqlSubscription(
            graphql_url, outsider["accessToken"], RECEIVED, {"jobId": first_job}
        ) as foreign,
    ):
        first_application = await apply(graphql_url, candidate, first_job)
        await node.wait_for_events("admin, every job", 1)
        await node.wait_for_events("colleague, first job", 1)
        second_application = await apply(graphql_url, candidate, second_job)
        # Markers, committed after the application each subscription must not hear of.
        marker = await apply(graphql_url, another, first_job)
        outsiders_marker = await apply(graphql_url, candidate, outsiders_job)
        await node.wait_for_events("admin, every job", 3)
        await node.wait_for_events("colleague, first job", 2)
        await node.wait_for_events("outsider, every job", 1)
        await foreign.wait_for_events(1)

    received = [
        e["data"]["applicationReceived"]["application"] for e in node.events("admin, every job")
    ]
    assert [(a["id"], a["job"]["id"], a["status"]) for a in received] == [
        (first_application, first_job, "SUBMITTED"),
        (second_application, second_job, "SUBMITTED"),
        (marker, first_job, "SUBMITTED"),
    ]
    assert received[0]["candidate"]["id"] == candidate["user"]["id"]
    assert [
        e["data"]["applicationReceived"]["application"]["id"]
        for e in node.events("colleague, first job")
    ] == [first_application, marker]
    assert [
        e["data"]["applicationReceived"]["application"]["id"]
        for e in node.events("outsider, every job")
    ] == [outsiders_marker]
    assert node.outcome("outsider, every job") == []
    assert isinstance(foreign.failure, TransportQueryError) and foreign.events == []
    assert [e["extensions"]["code"] for e in foreign.failure.errors or []] == ["NOT_FOUND"]


async def test_after_replays_exactly_the_missed_events_in_order_then_goes_live_without_duplicates(
    graphql_url: str,
) -> None:
    recruiter, job_id = await recruiter_with_job(graphql_url)
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    application = await apply(graphql_url, candidate, job_id)

    async def move(status: str) -> None:
        await call(
            graphql_url, MOVE, {"id": application, "status": status}, token=recruiter["accessToken"]
        )

    async with GqlSubscription(graphql_url, candidate["accessToken"], STATUS_CHANGED) as before:
        await move("WAITING_FOR_REVIEW")
        ((_, seen),) = await before.wait_for_events(1)
    last_seen = seen["applicationStatusChanged"]["eventId"]
    await move("HR_MEETING")
    await move("TECHNICAL_INTERVIEW")
    resumed = spec("resumed", "graphql-ws", candidate, STATUS_CHANGED, {"after": last_seen})
    async with NodeSubscribers(graphql_url, [resumed]) as node:
        await node.wait_for_events("resumed", 2)
        await move("FINAL_INTERVIEW")
        await move("HIRED")  # the marker: once it is here, a duplicate before it would be too
        await node.wait_for_events("resumed", 4)

    changes = [e["data"]["applicationStatusChanged"] for e in node.events("resumed")]
    assert [(c["previousStatus"], c["status"]) for c in changes] == [
        ("WAITING_FOR_REVIEW", "HR_MEETING"),
        ("HR_MEETING", "TECHNICAL_INTERVIEW"),
        ("TECHNICAL_INTERVIEW", "FINAL_INTERVIEW"),
        ("FINAL_INTERVIEW", "HIRED"),
    ]
    ids = [int(c["eventId"]) for c in changes]
    assert ids == sorted(set(ids)) and ids[0] > int(last_seen)
    assert node.outcome("resumed") == []


async def test_a_refused_change_emits_nothing_and_the_next_event_id_follows_the_last(
    graphql_url: str,
) -> None:
    recruiter, job_id = await recruiter_with_job(graphql_url)
    closed_job = (
        await call(graphql_url, CREATE_JOB, {"input": BACKEND_JOB}, token=recruiter["accessToken"])
    )["createJob"]["id"]
    await call(graphql_url, CLOSE_JOB, {"id": closed_job}, token=recruiter["accessToken"])
    candidate = await sign_up(graphql_url, profile=BACKEND_PROFILE)
    application = await apply(graphql_url, candidate, job_id)
    token = recruiter["accessToken"]
    async with (
        GqlSubscription(graphql_url, candidate["accessToken"], STATUS_CHANGED) as changes,
        GqlSubscription(graphql_url, token, RECEIVED, {"jobId": closed_job}) as received,
    ):
        await call(graphql_url, MOVE, {"id": application, "status": "HR_MEETING"}, token=token)
        await changes.wait_for_events(1)
        backwards = await graphql(
            graphql_url, MOVE, {"id": application, "status": "WAITING_FOR_REVIEW"}, token=token
        )
        on_closed_job = await graphql(
            graphql_url,
            SWIPE,
            {"jobId": closed_job, "direction": "RIGHT"},
            token=candidate["accessToken"],
        )
        await call(
            graphql_url, MOVE, {"id": application, "status": "TECHNICAL_INTERVIEW"}, token=token
        )
        # Markers for both subscriptions, committed after everything under test.
        await call(graphql_url, MOVE, {"id": application, "status": "FINAL_INTERVIEW"}, token=token)
        await call(graphql_url, REOPEN_JOB, {"id": closed_job}, token=token)
        marker = await apply(graphql_url, candidate, closed_job)
        await changes.wait_for_events(3)
        await received.wait_for_events(1)

    # A CLOSED job is its company's alone (SPEC §1): a candidate's swipe on it is NOT_FOUND.
    assert error_codes(backwards) == ["BAD_USER_INPUT"]
    assert error_codes(on_closed_job) == ["NOT_FOUND"]
    (_, first), (_, second), (_, third) = changes.events
    assert third["applicationStatusChanged"]["status"] == "FINAL_INTERVIEW"
    assert [
        first["applicationStatusChanged"]["status"],
        second["applicationStatusChanged"]["status"],
    ] == ["HR_MEETING", "TECHNICAL_INTERVIEW"]
    # Nothing else writes events meanwhile (the suite runs one test at a time): no row, not even a
    # rolled-back one, was written between the two legitimate changes.
    assert (
        int(second["applicationStatusChanged"]["eventId"])
        == int(first["applicationStatusChanged"]["eventId"]) + 1
    )
    assert [data["applicationReceived"]["application"]["id"] for _, data in received.events] == [
        marker
    ]
    assert received.failure is None
