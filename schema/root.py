"""Query, Mutation and Subscription roots, merged from one class per aggregate, and `node(id)`."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from domain.errors import NotFound
from resolvers import (
    applications,
    candidates,
    companies,
    digests,
    imports,
    interviews,
    jobs,
    matches,
    nodes,
    resumes,
    swipes,
)
from schema.alerts import AlertQuery
from schema.analytics import AnalyticsQuery
from schema.applications import Application, ApplicationMutation, ApplicationQuery, Swipe
from schema.candidates import Candidate, CandidateMutation, CandidateQuery
from schema.companies import Company, CompanyMutation, CompanyQuery
from schema.context import Info
from schema.digests import Digest, DigestQuery
from schema.feed import FeedMutation, FeedQuery
from schema.ids import from_global_id
from schema.imports import ImportBatch, ImportMutation, ImportQuery
from schema.interviews import Interview, InterviewMutation, InterviewQuery
from schema.jobs import Job, JobMutation, JobQuery
from schema.matches import MatchRecord, MatchRecordMutation, MatchRecordQuery
from schema.matching import MatchMutation, MatchQuery
from schema.nodes import Node
from schema.recruiting import RecruitingQuery
from schema.resumes import Resume, ResumeMutation, ResumeQuery
from schema.scraping import ScrapingMutation, ScrapingQuery
from schema.users import User, UserMutation, UserQuery


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; NOT_FOUND when you may not see it.")
    async def node(self, info: Info, id: strawberry.ID) -> Node:
        kind, value = from_global_id(id)
        services, viewer = info.context.services, info.context.require_viewer()
        if kind == "User":
            return User(row=await nodes.user_node(services, viewer, value))
        if kind == "Job":
            return Job(row=await jobs.job(services, viewer, value))
        if kind == "ImportBatch":
            return ImportBatch(row=await imports.batch(services, viewer, value))
        if kind == "Company":
            return Company(row=await companies.company(services, viewer, value))
        if kind == "Application":
            return Application(row=await applications.application(services, viewer, value))
        if kind == "Swipe":
            return Swipe(row=await swipes.swipe(services, viewer, value))
        if kind == "Candidate":
            return Candidate(row=await candidates.candidate(services, viewer, value))
        if kind == "Resume":
            return Resume(row=await resumes.resume_node(services, viewer, value))
        if kind == "Interview":
            return Interview(row=await interviews.interview(services, viewer, value))
        if kind == "Match":
            return MatchRecord(row=await matches.match(services, viewer, value))
        if kind == "Digest":
            return Digest(row=await digests.digest(services, viewer, value))
        raise NotFound("no object has this id")


QUERIES = (NodeQuery, UserQuery, CompanyQuery, JobQuery, ImportQuery)
MUTATIONS = (UserMutation, CompanyMutation, JobMutation, ImportMutation)
Query = merge_types(
    "Query",
    (
        *QUERIES,
        FeedQuery,
        MatchQuery,
        ApplicationQuery,
        ResumeQuery,
        CandidateQuery,
        InterviewQuery,
        MatchRecordQuery,
        AnalyticsQuery,
        RecruitingQuery,
        DigestQuery,
        ScrapingQuery,
        AlertQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        *MUTATIONS,
        FeedMutation,
        MatchMutation,
        ApplicationMutation,
        ResumeMutation,
        CandidateMutation,
        InterviewMutation,
        MatchRecordMutation,
        ScrapingMutation,
    ),
)
