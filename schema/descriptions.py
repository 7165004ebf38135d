"""Descriptions said once for what many places share, applied to the built schema where a type,
field, argument or enum value has none of its own: pagination arguments, ids, the fields of
inputs that mirror an output type, the posting format, enum values. A test walks the
introspection and fails on anything left without a description."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)
from strawberry.utils.str_converters import to_snake_case

from domain.posting_format import POSTING_FIELDS

ROOTS = {
    "Query": "Everything to read. jobs, job, searchJobs and company also answer without "
    "signing in (ACTIVE jobs only); the rest needs `Authorization: Bearer <accessToken>`.",
    "Mutation": "Everything that changes data; each runs in one transaction.",
    "Subscription": "Pushes over WebSocket (graphql-transport-ws or graphql-ws), SSE or "
    "multipart HTTP; the access token goes in connection_init.",
}
ARGUMENTS = {
    "first": "How many to return (at most 100).",
    "after": "Continue after this cursor (pageInfo.endCursor of the previous page).",
    "id": "The object's global id.",
    "jobId": "Global id of the job.",
    "candidateId": "Global id of the pool candidate (or of the candidate's User).",
    "roleId": "Global id of the scrape role.",
    "input": "The fields to set; see the input type.",
    "filter": "Conditions every result must meet.",
    "status": "Only these statuses (all when omitted).",
    "preset": "The scoring preset (weights) to score with.",
    "minScore": "Only scores at least this (0-100).",
    "note": "Optional note kept in the history.",
    "reason": "Why (kept in the history).",
    "file": "A file sent as a multipart upload (GraphQL multipart request spec).",
    "text": "Pasted text instead of a file.",
    "refreshToken": "The refreshToken of a sign-in.",
    "from": "From this time (inclusive).",
    "to": "Until this time (exclusive).",
    "platform": "Source platform, e.g. ashby (a-z, 0-9, '.', '_', '-').",
    "jobs": "The postings, in the import file format.",
    "query": "Free text, e.g. a title, skills or a place.",
    "email": "An e-mail address.",
    "name": "A name to recognize it by.",
    "direction": "RIGHT applies, LEFT passes.",
    "durationMs": "Milliseconds spent on the job's card.",
    "addSkills": "Skills to pretend the candidate has.",
    "yearsOfExperience": "Years of experience to pretend the candidate has.",
    "sources": "Where to look (all three when omitted).",
    "feedback": "The interviewers' notes.",
    "rating": "An overall rating, 1-5.",
    "error": "What went wrong.",
    "retry": "Whether the role should be scraped again later.",
}
# Inputs whose fields mean what the output type's fields of the same name mean.
INPUT_TWINS = {
    "UpdateMeInput": "User",
    "JobInput": "Job",
    "CandidateInput": "Candidate",
    "UpdateCompanyInput": "Company",
}
POSTING_INPUTS = ("JobImportInput", "ScrapedJobInput")
INPUT_FIELDS = {
    ("RegisterInput", "email"): "Sign-in e-mail address.",
    ("RegisterInput", "role"): "CANDIDATE (default) or RECRUITER.",
    ("LoginInput", "email"): "The account's e-mail address.",
    ("LoginInput", "password"): "The account's password.",
    ("JobFilter", "remote"): "Only remote (true) or only on-site (false) jobs.",
    ("JobFilter", "companyId"): "Only this company's jobs.",
    ("JobFilter", "postedSince"): "Only jobs posted at or after this time.",
}
ENUM_VALUES = {
    "Role": {
        "CANDIDATE": "A job seeker.",
        "RECRUITER": "A member of one company.",
        "COMPANY_ADMIN": "A recruiter who also administers the company and its recruiters.",
        "PLATFORM_ADMIN": "An operator: imports, scraper keys, read access to everything.",
    },
    "RemotePreference": {
        "REMOTE_ONLY": "Remote jobs only.",
        "REMOTE_OK": "Remote or on-site.",
        "ONSITE": "On-site jobs only.",
    },
    "Seniority": {
        "ENTRY": "Entry level.",
        "JUNIOR": "Junior.",
        "MID": "Mid level.",
        "SENIOR": "Senior.",
        "LEAD": "Lead.",
        "PRINCIPAL": "Principal.",
    },
    "CompanyKind": {
        "EMPLOYER": "Hires for its own jobs.",
        "AGENCY": "A staffing firm placing its candidate pool into jobs posted anywhere.",
    },
    "EmploymentType": {
        "FULL_TIME": "Full-time.",
        "PART_TIME": "Part-time.",
        "CONTRACT": "Contract.",
        "INTERNSHIP": "Internship.",
        "TEMPORARY": "Temporary.",
    },
    "JobStatus": {
        "ACTIVE": "Open: in feeds, search and matching.",
        "EXPIRED": "Past its expiry date; reopenJob renews it.",
        "FILLED": "Taken down because someone was hired.",
        "CLOSED": "Taken down for another reason.",
    },
    "JobCloseReason": {"FILLED": "Someone was hired.", "CLOSED": "Any other reason."},
    "SalaryInterval": {
        "HOUR": "Per hour.",
        "DAY": "Per day.",
        "WEEK": "Per week.",
        "MONTH": "Per month.",
        "YEAR": "Per year.",
    },
    "ScoringPreset": {
        "SWIPE_HYBRID": "The feed's: semantic .55, skill overlap .20, seniority .10, recency "
        ".10, location .05.",
        "SEMANTIC_SKILLS": "Semantic .60, skills .40.",
        "RUBRIC": "Skills .40, experience .30, location .20, salary .10.",
        "SKILLS_FIRST": "Skills .50, experience .30, keyword similarity .20.",
        "FIVE_FACTOR": "Recruiters': skills .40, experience .25, location .15, salary .10, "
        "semantic .10.",
        "LAYERED": "Hard filters first, then skills .35, semantic .25, location .15, salary "
        ".15, recency .10.",
    },
    "Grade": {
        "A_PLUS": "90 and above.",
        "A": "80 to 90.",
        "B": "70 to 80 (recommended).",
        "C": "60 to 70.",
        "D": "50 to 60.",
        "F": "Below 50.",
    },
    "ApplicationStatus": {
        "SUBMITTED": "Just applied (a RIGHT swipe).",
        "WAITING_FOR_REVIEW": "Waiting for a recruiter's review.",
        "HR_MEETING": "Meeting HR.",
        "TECHNICAL_INTERVIEW": "In technical interviews.",
        "FINAL_INTERVIEW": "In the final interview.",
        "HIRED": "Hired (final).",
        "REJECTED": "Rejected by the company (final).",
        "WITHDRAWN": "Withdrawn by the candidate (final).",
    },
    "CandidateStatus": {
        "PENDING_REVIEW": "Added; matches not generated yet.",
        "READY": "Matches generated.",
        "PLACED": "Placed in a job.",
        "ARCHIVED": "Archived; out of lists and matching.",
    },
    "MatchStatus": {
        "SUGGESTED": "Found by matching.",
        "VIEWED": "A recruiter looked at it.",
        "SHORTLISTED": "Shortlisted.",
        "CONTACTED": "The candidate was contacted.",
        "APPLIED": "The candidate applied (final).",
        "REJECTED": "Rejected (final).",
    },
    "InterviewType": {
        "PHONE": "By phone.",
        "VIDEO": "By video call (link).",
        "ONSITE": "In person (location).",
        "TECHNICAL": "A technical interview.",
    },
    "InterviewStatus": {
        "SCHEDULED": "Planned.",
        "CANCELLED": "Called off.",
        "COMPLETED": "Held, with feedback.",
    },
    "CandidateSource": {
        "APPLICANTS": "People who applied to the job.",
        "POOL": "The company's private candidate pool.",
        "OPEN_TO_RECRUITERS": "Signed-up candidates open to recruiters (no contact details "
        "until they apply).",
    },
    "SwipeDirection": {"LEFT": "Pass.", "RIGHT": "Apply."},
    "RoleStatus": {"QUEUED": "Waiting to be scraped.", "SCRAPING": "Claimed by a scraper."},
    "AlertKind": {
        "EMPTY_SCRAPE": "A scrape found no jobs.",
        "REVOKED_KEY_USED": "A revoked scraper key was used.",
        "UNKNOWN_KEY_USED": "An unknown scraper key was used.",
        "BACKLOG": "The processing backlog is over 100.",
        "ROLE_STUCK": "A role has been scraping for over an hour.",
        "EMBEDDING_FAILED": "Embedding failed after 3 retries.",
    },
}


def _posting_field(name: str) -> str | None:
    return POSTING_FIELDS.get(to_snake_case(name))


def _describe_input(schema: GraphQLSchema, kind: GraphQLInputObjectType) -> None:
    twin = schema.type_map.get(INPUT_TWINS.get(kind.name, ""))
    for name, field in kind.fields.items():
        if field.description:
            continue
        if (kind.name, name) in INPUT_FIELDS:
            field.description = INPUT_FIELDS[kind.name, name]
        elif kind.name in POSTING_INPUTS:
            field.description = _posting_field(name)
        elif isinstance(twin, GraphQLObjectType) and name in twin.fields:
            field.description = twin.fields[name].description


def describe(schema: GraphQLSchema) -> None:
    """Fills what has no description of its own; never overwrites one."""
    for name, kind in schema.type_map.items():
        if name.startswith("__"):
            continue
        if not kind.description and name in ROOTS:
            kind.description = ROOTS[name]
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            for field in kind.fields.values():
                for arg_name, arg in field.args.items():
                    if not arg.description:
                        arg.description = ARGUMENTS.get(arg_name)
        elif isinstance(kind, GraphQLInputObjectType):
            _describe_input(schema, kind)
        elif isinstance(kind, GraphQLEnumType):
            for value_name, value in kind.values.items():
                if not value.description:
                    value.description = ENUM_VALUES.get(name, {}).get(value_name)
