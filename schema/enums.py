"""GraphQL enums: the domain's Python enums, registered with strawberry and their descriptions."""

from __future__ import annotations

import strawberry

from domain import enums

_DESCRIPTIONS = {
    enums.Role: "What a user may do (SPEC §1).",
    enums.Seniority: "ENTRY < JUNIOR < MID < SENIOR < LEAD < PRINCIPAL.",
    enums.RemotePreference: "Where a candidate wants to work.",
    enums.JobStatus: "Only ACTIVE jobs appear in feeds and matching.",
    enums.EmploymentType: "Kind of employment.",
    enums.SalaryInterval: "The period a salary figure covers.",
    enums.SwipeDirection: "RIGHT applies, LEFT passes.",
    enums.ApplicationStatus: "Application pipeline stage.",
    enums.Grade: "A_PLUS >= 90, A >= 80, B >= 70, C >= 60, D >= 50, F.",
    enums.ScoringPreset: "Named, versioned scoring weights.",
    enums.JobCloseReason: "Why a job is taken down.",
    enums.CandidateStatus: "Where a company's pool candidate stands (SPEC §13).",
    enums.MatchStatus: "Where a recruiter stands with a match record; APPLIED, REJECTED final.",
    enums.CandidateSource: "Where candidatesForJob finds people.",
    enums.InterviewType: "How an interview is held.",
    enums.InterviewStatus: "SCHEDULED until cancelled or completed.",
    enums.CompanyKind: "EMPLOYER posts its own jobs; AGENCY places its candidate pool anywhere.",
}
for _enum, _description in _DESCRIPTIONS.items():
    strawberry.enum(_enum, description=_description)

# Aliases, so schema modules annotate with the very classes strawberry registered.
Role = enums.Role
Seniority = enums.Seniority
RemotePreference = enums.RemotePreference
JobStatus = enums.JobStatus
EmploymentType = enums.EmploymentType
SalaryInterval = enums.SalaryInterval
SwipeDirection = enums.SwipeDirection
ApplicationStatus = enums.ApplicationStatus
Grade = enums.Grade
ScoringPreset = enums.ScoringPreset
JobCloseReason = enums.JobCloseReason
CandidateStatus = enums.CandidateStatus
MatchStatus = enums.MatchStatus
CandidateSource = enums.CandidateSource
InterviewType = enums.InterviewType
InterviewStatus = enums.InterviewStatus
CompanyKind = enums.CompanyKind
