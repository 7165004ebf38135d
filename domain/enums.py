"""Enumerations shared by the whole product (SPEC §1, §2, §4, §5)."""

from __future__ import annotations

from enum import Enum, StrEnum


class Role(str, Enum):
    CANDIDATE = "CANDIDATE"
    RECRUITER = "RECRUITER"
    COMPANY_ADMIN = "COMPANY_ADMIN"
    PLATFORM_ADMIN = "PLATFORM_ADMIN"


# The roles that act for a company: they post jobs and review its applications.
RECRUITER_ROLES: tuple[Role, ...] = (Role.RECRUITER, Role.COMPANY_ADMIN)


class Seniority(str, Enum):
    ENTRY = "ENTRY"
    JUNIOR = "JUNIOR"
    MID = "MID"
    SENIOR = "SENIOR"
    LEAD = "LEAD"
    PRINCIPAL = "PRINCIPAL"

    @property
    def rank(self) -> int:
        return list(Seniority).index(self)


class RemotePreference(str, Enum):
    REMOTE_ONLY = "REMOTE_ONLY"
    REMOTE_OK = "REMOTE_OK"
    ONSITE = "ONSITE"


class JobStatus(str, Enum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    FILLED = "FILLED"
    CLOSED = "CLOSED"


class JobCloseReason(str, Enum):
    FILLED = "FILLED"
    CLOSED = "CLOSED"


class EmploymentType(str, Enum):
    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    CONTRACT = "CONTRACT"
    INTERNSHIP = "INTERNSHIP"
    TEMPORARY = "TEMPORARY"


class SalaryInterval(str, Enum):
    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    YEAR = "YEAR"


class SwipeDirection(str, Enum):
    LEFT = "LEFT"
    RIGHT = "RIGHT"


class ApplicationStatus(str, Enum):
    SUBMITTED = "SUBMITTED"
    WAITING_FOR_REVIEW = "WAITING_FOR_REVIEW"
    HR_MEETING = "HR_MEETING"
    TECHNICAL_INTERVIEW = "TECHNICAL_INTERVIEW"
    FINAL_INTERVIEW = "FINAL_INTERVIEW"
    HIRED = "HIRED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class Grade(str, Enum):
    A_PLUS = "A_PLUS"
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    F = "F"


class CandidateStatus(str, Enum):
    PENDING_REVIEW = "PENDING_REVIEW"
    READY = "READY"
    PLACED = "PLACED"
    ARCHIVED = "ARCHIVED"


class CompanyKind(str, Enum):
    EMPLOYER = "EMPLOYER"
    AGENCY = "AGENCY"


class CandidateSource(str, Enum):
    """Where candidatesForJob finds people: the job's applicants, the company's pool, and
    signed-up candidates open to recruiters."""

    APPLICANTS = "APPLICANTS"
    POOL = "POOL"
    OPEN_TO_RECRUITERS = "OPEN_TO_RECRUITERS"


class MatchStatus(str, Enum):
    SUGGESTED = "SUGGESTED"
    VIEWED = "VIEWED"
    SHORTLISTED = "SHORTLISTED"
    CONTACTED = "CONTACTED"
    APPLIED = "APPLIED"
    REJECTED = "REJECTED"


class InterviewType(str, Enum):
    PHONE = "PHONE"
    VIDEO = "VIDEO"
    ONSITE = "ONSITE"
    TECHNICAL = "TECHNICAL"


class InterviewStatus(str, Enum):
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"


class ScoringPreset(str, Enum):
    SWIPE_HYBRID = "SWIPE_HYBRID"
    SEMANTIC_SKILLS = "SEMANTIC_SKILLS"
    RUBRIC = "RUBRIC"
    SKILLS_FIRST = "SKILLS_FIRST"
    FIVE_FACTOR = "FIVE_FACTOR"
    LAYERED = "LAYERED"


class EventKind(StrEnum):
    """Outbox rows (stored as the value) and the streams built on them; MATCH_FOUND is a stream
    fed by JOB_ACTIVATED rows, never stored."""

    JOB_ACTIVATED = "JOB_ACTIVATED"
    APPLICATION_RECEIVED = "APPLICATION_RECEIVED"
    APPLICATION_STATUS_CHANGED = "APPLICATION_STATUS_CHANGED"
    SESSION_REVOKED = "SESSION_REVOKED"
    MATCH_FOUND = "MATCH_FOUND"
    INTERVIEW_CHANGED = "INTERVIEW_CHANGED"
    CANDIDATE_MATCHED = "CANDIDATE_MATCHED"
    ALERT_RAISED = "ALERT_RAISED"  # for every platform admin: no recipient columns
    DIGEST_READY = "DIGEST_READY"  # a candidate's daily digest was stored (user_id)
