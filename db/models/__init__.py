"""SQLAlchemy models: the tables of SPEC §2 plus auth and outbox bookkeeping."""

from db.models.accounts import Company, RateLimit, RefreshToken, RevokedAccessToken, User
from db.models.base import EMBEDDING_DIM, Base
from db.models.digests import Digest
from db.models.events import Event
from db.models.feed import Application, ApplicationHistory, Interaction, RankedSnapshot, Swipe
from db.models.jobs import ImportBatch, Job
from db.models.recruiting import Candidate, Interview, Match, MatchHistory, Resume
from db.models.scraping import (
    Alert,
    JobFingerprint,
    JobSource,
    ScraperKey,
    ScrapeRole,
    ScrapeUpload,
)

__all__ = [
    "Alert",
    "Application",
    "ApplicationHistory",
    "Base",
    "Candidate",
    "Company",
    "Digest",
    "EMBEDDING_DIM",
    "Event",
    "ImportBatch",
    "Interaction",
    "Interview",
    "Job",
    "JobFingerprint",
    "JobSource",
    "Match",
    "MatchHistory",
    "RankedSnapshot",
    "RateLimit",
    "RefreshToken",
    "Resume",
    "RevokedAccessToken",
    "ScrapeRole",
    "ScrapeUpload",
    "ScraperKey",
    "Swipe",
    "User",
]
