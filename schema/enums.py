"""GraphQL enums, exposed from the domain's Python enums."""

from __future__ import annotations

import strawberry

from domain import enums

Role = strawberry.enum(enums.Role, description="What a user may do (SPEC §1).")
Seniority = strawberry.enum(
    enums.Seniority, description="ENTRY < JUNIOR < MID < SENIOR < LEAD < PRINCIPAL."
)
RemotePreference = strawberry.enum(
    enums.RemotePreference, description="Where a candidate wants to work."
)
JobStatus = strawberry.enum(
    enums.JobStatus, description="Only ACTIVE jobs appear in feeds and matching."
)
EmploymentType = strawberry.enum(enums.EmploymentType, description="Kind of employment.")
SalaryInterval = strawberry.enum(
    enums.SalaryInterval, description="The period a salary figure covers."
)
SwipeDirection = strawberry.enum(enums.SwipeDirection, description="RIGHT applies, LEFT passes.")
ApplicationStatus = strawberry.enum(
    enums.ApplicationStatus, description="Application pipeline stage."
)
Grade = strawberry.enum(
    enums.Grade, description="A_PLUS >= 90, A >= 80, B >= 70, C >= 60, D >= 50, F."
)
ScoringPreset = strawberry.enum(
    enums.ScoringPreset, description="Named, versioned scoring weights."
)
JobCloseReason = strawberry.enum(enums.JobCloseReason, description="Why a job is taken down.")
