"""GraphiQL's page and its guided tour: in development the tabs open with demo tokens and ids of
this database; everywhere else with placeholders to replace (the page never carries a token)."""

from __future__ import annotations

import re
from pathlib import Path

from domain.demo import COMPANIES, TOUR_CANDIDATE, demo_job_id
from resolvers import demo
from resolvers.demo import Tour
from resolvers.services import Services
from schema.ids import to_global_id

PAGE = (Path(__file__).parent / "graphiql.html").read_text(encoding="utf-8")
# Values go into JSON attributes and script text unescaped: nothing that could end either.
_SAFE = re.compile(r"^[A-Za-z0-9 _.@:,;()/=+-]*$")
PLACEHOLDERS = {
    "candidateEmail": TOUR_CANDIDATE,
    "recruiterEmail": COMPANIES[0].admin_email,
    "candidateToken": "PASTE_THE_CANDIDATE_ACCESS_TOKEN",
    "recruiterToken": "PASTE_A_RECRUITER_ACCESS_TOKEN",
    "jobId": to_global_id("Job", demo_job_id("demo-0000")),
    "swipeJobId": to_global_id("Job", demo_job_id("demo-0001")),
    "applicationId": "PASTE_AN_APPLICATION_ID",
    "nextStatus": "WAITING_FOR_REVIEW",
    "tourNote": "Sign in here, then paste accessToken into the Headers of the others.",
    "tour": "false",
}


def tour_values(tour: Tour | None) -> dict[str, str]:
    if tour is None:
        return dict(PLACEHOLDERS)
    return {
        "candidateEmail": tour.candidate_email,
        "recruiterEmail": tour.recruiter_email,
        "candidateToken": tour.candidate_token,
        "recruiterToken": tour.recruiter_token,
        "jobId": to_global_id("Job", tour.job_id),
        "swipeJobId": to_global_id("Job", tour.swipe_job_id),
        "applicationId": to_global_id("Application", tour.application_id),
        "nextStatus": tour.next_status.value,
        "tourNote": "Every tab is already signed in (demo tokens, 15 minutes; reload for more).",
        "tour": "true",
    }


def render(tour: Tour | None) -> str:
    html = PAGE
    for name, value in tour_values(tour).items():
        if not _SAFE.match(value):
            raise ValueError(f"unsafe value for {name}")
        html = html.replace("{{" + name + "}}", value)
    return html


async def graphiql_page(services: Services) -> str:
    """Development: the tour signed in as the demo candidate and recruiter (none before the
    demo data is loaded). Test and production: placeholders only."""
    is_development = services.settings.environment == "development"
    return render(await demo.tour(services) if is_development else None)
