"""What a use case is given: the typed bundle of adapters the context carries, and the viewer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from adapters.embedder import Embedder
from adapters.mail import LogMailer, Mailer
from adapters.realtime import Subscriptions
from adapters.resumes import ResumeReader
from adapters.security import PasswordHasher, TokenClaims, TokenCodec
from adapters.taskqueue import TaskQueue
from db.engine import SessionFactory
from domain.config import Settings
from domain.enums import RECRUITER_ROLES, Role
from domain.errors import Forbidden, Unauthenticated


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Built once by app.py's Runtime; the same bundle serves every request."""

    settings: Settings
    sessions: SessionFactory
    embedder: Embedder
    tokens: TokenCodec
    passwords: PasswordHasher
    resumes: ResumeReader  # PDF/DOCX/text files, read in capped worker processes
    # Login and register limits are not here: their counters live in PostgreSQL
    # (db/ratelimits.py), shared by every instance.
    clock: Callable[[], datetime] = utc_now
    events: Subscriptions | None = None  # set by the app's lifespan while it serves
    mailer: Mailer = field(default_factory=LogMailer)  # SmtpMailer when JOBMATCH_SMTP_URL is set
    tasks: TaskQueue | None = None  # the procrastinate queue, set where a runtime opens it


@dataclass(frozen=True)
class Viewer:
    """The authenticated caller as the access token and the database describe it."""

    id: uuid.UUID
    role: Role
    company_id: uuid.UUID | None
    token: TokenClaims
    # A temporary password (addRecruiter, reset-password CLI) must be changed first.
    password_change_required: bool = False

    @property
    def is_recruiter(self) -> bool:
        return self.role in RECRUITER_ROLES


def require(viewer: Viewer | None, *roles: Role) -> Viewer:
    if viewer is None:
        raise Unauthenticated("sign in first")
    if roles and viewer.role not in roles:
        raise Forbidden(f"this operation needs the role {' or '.join(r.value for r in roles)}")
    return viewer
