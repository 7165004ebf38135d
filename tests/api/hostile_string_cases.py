"""The string arguments every NUL/lone-surrogate case is sent through, with a "{bad}" placeholder."""

from __future__ import annotations

from typing import Any

# (operation, variables with a "{bad}" placeholder, which token)
STRING_ARGUMENTS: list[tuple[str, dict[str, Any], str | None]] = [
    ("query($v: ID!) { jobAnalytics(jobId: $v) { impressions } }", {"v": "Sm9i{bad}"}, "recruiter"),
    (
        "mutation($v: String!) { login(input: {email: $v, password: $v}) { accessToken } }",
        {"v": "x{bad}@example.com"},
        None,
    ),
    (
        "mutation($v: String!) { refreshToken(refreshToken: $v) { accessToken } }",
        {"v": "a{bad}"},
        None,
    ),
    ("mutation($v: String!) { logout(refreshToken: $v) }", {"v": "a{bad}"}, "candidate"),
    (
        "query($v: String!) { searchJobs(query: $v) { edges { cursor } } }",
        {"v": "py{bad}"},
        "candidate",
    ),
    (
        "mutation($v: String!) { updateMe(input: {headline: $v}) { id } }",
        {"v": "dev{bad}"},
        "candidate",
    ),
    (
        "mutation($v: [String!]) { updateMe(input: {preferredLocations: $v}) { id } }",
        {"v": ["Austin{bad}"]},
        "candidate",
    ),
    (
        'mutation($v: String!) { createJob(input: {title: $v, description: "d"}) { id } }',
        {"v": "Engineer{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: String!) { updateCompany(input: {description: $v}) { id } }",
        {"v": "x{bad}"},
        "recruiter",
    ),
    (
        "query($v: String!) { jobs(filter: {location: $v}) { edges { cursor } } }",
        {"v": "Austin{bad}"},
        "candidate",
    ),
    (
        "mutation($v: String!) { uploadResume(text: $v) { resume { id } } }",
        {"v": "Backend engineer{bad}"},
        "candidate",
    ),
    (
        'mutation($v: String!) { addCandidate(text: "Engineer", input: {name: $v}) { id } }',
        {"v": "Ana{bad}"},
        "recruiter",
    ),
    (
        'query($v: String!) { candidatesForJob(jobId: "Sm9iOjA", after: $v) { edges { cursor } } }',
        {"v": "cjE{bad}"},
        "recruiter",
    ),
    (
        "query($v: String!) { candidates(filter: {search: $v, location: $v}) { edges { cursor } } }",
        {"v": "Ana{bad}"},
        "recruiter",
    ),
    (
        "query($v: [String!]) { candidates(filter: {skillsAny: $v}) { edges { cursor } } }",
        {"v": ["Python{bad}"]},
        "recruiter",
    ),
    (
        'mutation($v: String!) { updateCandidate(id: "Q", input: {name: $v}) { id } }',
        {"v": "Ana{bad}"},
        "recruiter",
    ),
    ("mutation($v: ID!) { archiveCandidate(id: $v) { id } }", {"v": "Q{bad}"}, "recruiter"),
    (
        "mutation($v: ID!) { generateMatches(candidateId: $v) { matches { id } } }",
        {"v": "Q{bad}"},
        "recruiter",
    ),
    (
        'query($v: String!) { matchesForCandidate(candidateId: "Q", after: $v) { edges { cursor } } }',
        {"v": "czE{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { updateMatchStatus(id: "TWF0", status: VIEWED, note: $v) { id } }',
        {"v": "ok{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { shortlistCandidate(jobId: "Sm9i", candidateId: "Q", note: $v) { id } }',
        {"v": "ok{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { scheduleInterview(input: {applicationId: "QXBw", type: VIDEO, '
        'scheduledAt: "2099-01-01T09:00:00Z", location: $v, link: $v}) { id } }',
        {"v": "HQ{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { rescheduleInterview(id: "SW50", input: '
        '{scheduledAt: "2099-01-01T09:00:00Z", location: $v}) { id } }',
        {"v": "HQ{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { cancelInterview(id: "SW50", reason: $v) { id } }',
        {"v": "ill{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { completeInterview(id: "SW50", feedback: $v, rating: 3) { id } }',
        {"v": "good{bad}"},
        "recruiter",
    ),
    (
        "query($v: String!) { interviews(after: $v) { edges { cursor } } }",
        {"v": "azE{bad}"},
        "candidate",
    ),
    ("query($v: ID!) { candidate(id: $v) { id } }", {"v": "Q{bad}"}, "recruiter"),
    ("query($v: ID!) { interview(id: $v) { id } }", {"v": "SW50{bad}"}, "candidate"),
    ("query($v: ID!) { node(id: $v) { id } }", {"v": "SW50{bad}"}, "candidate"),
    (
        "query($v: ID!) { candidatesForJob(jobId: $v) { edges { cursor } } }",
        {"v": "Sm9i{bad}"},
        "recruiter",
    ),
    (
        "query($v: ID!) { matchesForCandidate(candidateId: $v) { edges { cursor } } }",
        {"v": "Q{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: ID!) { updateMatchStatus(id: $v, status: VIEWED) { id } }",
        {"v": "TWF0{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: ID!) { shortlistCandidate(jobId: $v, candidateId: $v) { id } }",
        {"v": "Sm9i{bad}"},
        "recruiter",
    ),
    (
        "mutation($v: ID!) { scheduleInterview(input: {applicationId: $v, matchId: $v, "
        'type: VIDEO, scheduledAt: "2099-01-01T09:00:00Z"}) { id } }',
        {"v": "QXBw{bad}"},
        "recruiter",
    ),
    (
        'mutation($v: String!) { rescheduleInterview(id: "SW50", input: '
        '{scheduledAt: "2099-01-01T09:00:00Z", link: $v}) { id } }',
        {"v": "https://meet.example.com/{bad}"},
        "recruiter",
    ),
    ("mutation($v: ID!) { cancelInterview(id: $v) { id } }", {"v": "SW50{bad}"}, "recruiter"),
    (
        'mutation($v: String!, $l: [String!]) { updateCandidate(id: "Q", input: {email: $v, '
        "phone: $v, headline: $v, salaryCurrency: $v, skills: $l, preferredLocations: $l, "
        "preferredRoles: $l}) { id } }",
        {"v": "x{bad}", "l": ["x{bad}"]},
        "recruiter",
    ),
    (
        "mutation($v: String!, $l: [String!]) { addCandidate(text: $v, input: {email: $v, "
        "phone: $v, headline: $v, salaryCurrency: $v, skills: $l, preferredRoles: $l}) { id } }",
        {"v": "Engineer{bad}", "l": ["Python{bad}"]},
        "recruiter",
    ),
    (
        'mutation($v: [JobImportInput!]) { importJobs(platform: "ashby", jobs: $v) { id failed } }',
        {"v": [{"externalJobId": "1", "title": "Engineer{bad}"}]},
        "admin",
    ),
]
