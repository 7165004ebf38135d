"""Expected failures, raised by domain and resolvers and mapped to GraphQL codes once in schema/."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure; `code` is the SPEC §7 extensions.code."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    code = "BAD_USER_INPUT"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class PasswordChangeRequired(Forbidden):
    """Signed in with a temporary password (addRecruiter, reset-password): only me,
    changePassword and logout answer until the password is changed."""

    code = "PASSWORD_CHANGE_REQUIRED"


class PersistedQueryNotFound(DomainError):
    """A hash-only request for a document this server has not stored (Apollo's automatic
    persisted queries): the client retries with the document's text."""

    code = "PERSISTED_QUERY_NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(f"{message}; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class BadRequest(DomainError):
    """The request itself is unusable: not JSON, a broken multipart map, a subscription over
    plain HTTP, a form post without a CSRF-preventing header."""

    code = "BAD_REQUEST"


class ServiceUnavailable(DomainError):
    code = "SERVICE_UNAVAILABLE"
