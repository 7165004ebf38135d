"""SQLAlchemy models: the tables of SPEC §2 plus auth and outbox bookkeeping."""

from db.models.accounts import Company, RateLimit, RefreshToken, RevokedAccessToken, User
from db.models.base import EMBEDDING_DIM, Base
from db.models.events import Event
from db.models.feed import Application, ApplicationHistory, Interaction, RankedSnapshot, Swipe
from db.models.jobs import ImportBatch, Job
from db.models.recruiting import Candidate, Interview, Match, MatchHistory, Resume

__all__ = [
    "Application",
    "ApplicationHistory",
    "Base",
    "Candidate",
    "Company",
    "EMBEDDING_DIM",
    "Event",
    "ImportBatch",
    "Interaction",
    "Interview",
    "Job",
    "Match",
    "MatchHistory",
    "RankedSnapshot",
    "RateLimit",
    "RefreshToken",
    "Resume",
    "RevokedAccessToken",
    "Swipe",
    "User",
]
