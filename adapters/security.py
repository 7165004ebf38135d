"""Passwords (argon2id) and JWTs (pinned algorithm, required claims, access/refresh types).

Time claims are checked here against the injected clock, not by pyjwt: `exp` and `iat` are
required, `nbf` is optional (tokens issued before it was added have none; new tokens carry
nbf = iat). Each present one must be a JSON number (not a boolean, not a string, finite);
`iat` and `nbf` may be at most CLOCK_LEEWAY_S ahead of the server's clock.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

import argon2
import jwt
from argon2.exceptions import InvalidHashError, VerificationError

from domain.config import Settings
from domain.errors import Unauthenticated

TokenType = Literal["access", "refresh"]
REQUIRED_CLAIMS = ["sub", "exp", "iat", "iss", "aud", "jti", "type"]
CLOCK_LEEWAY_S = 30


class PasswordHasher(Protocol):
    """Blocking (deliberately slow): call it off the event loop."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a wrong password; None (no such account) is checked just as slowly."""
        ...


class Argon2Passwords:
    """argon2id with the library's RFC 9106 low-memory profile."""

    def __init__(self) -> None:
        self._hasher = argon2.PasswordHasher()
        # Verifying against this keeps unknown-email logins as slow as wrong-password ones.
        self._dummy_hash = self._hasher.hash("not-a-real-password-0")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            valid = self._hasher.verify(password_hash or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        return valid and password_hash is not None


@dataclass(frozen=True)
class TokenClaims:
    user_id: uuid.UUID
    jti: uuid.UUID
    family_id: uuid.UUID
    type: TokenType
    issued_at: datetime
    expires_at: datetime


class TokenCodec(Protocol):
    def issue(
        self, user_id: uuid.UUID, family_id: uuid.UUID, kind: TokenType, now: datetime
    ) -> tuple[str, TokenClaims]: ...

    def decode(self, token: str, expected: TokenType, now: datetime) -> TokenClaims:
        """Raises Unauthenticated for anything but a valid, unexpired token of the expected type."""
        ...


class JwtCodec:
    def __init__(self, settings: Settings) -> None:
        if not settings.jwt_secret:
            raise ValueError("a JWT secret is required")
        self._settings = settings
        self._signing_key = settings.jwt_secret
        self._verify_key = settings.jwt_public_key or settings.jwt_secret

    def issue(
        self, user_id: uuid.UUID, family_id: uuid.UUID, kind: TokenType, now: datetime
    ) -> tuple[str, TokenClaims]:
        ttl = (
            self._settings.access_token_ttl_s
            if kind == "access"
            else self._settings.refresh_token_ttl_s
        )
        claims = TokenClaims(
            user_id, uuid.uuid4(), family_id, kind, now, now + timedelta(seconds=ttl)
        )
        payload = {
            "sub": str(user_id),
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
            "iss": self._settings.jwt_issuer,
            "aud": self._settings.jwt_audience,
            "jti": str(claims.jti),
            "fam": str(family_id),
            "type": kind,
        }
        token = jwt.encode(payload, self._signing_key, algorithm=self._settings.jwt_algorithm)
        return token, claims

    def decode(self, token: str, expected: TokenType, now: datetime) -> TokenClaims:
        """Raises Unauthenticated for anything but a valid, unexpired token of the expected type."""
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                self._verify_key,
                algorithms=[self._settings.jwt_algorithm],
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                options={
                    "require": REQUIRED_CLAIMS,
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"invalid {expected} token") from exc
        try:
            not_before = _numeric_date(payload, "nbf", now) if "nbf" in payload else None
            claims = TokenClaims(
                user_id=uuid.UUID(str(payload["sub"])),
                jti=uuid.UUID(str(payload["jti"])),
                family_id=uuid.UUID(str(payload.get("fam", payload["jti"]))),
                type=payload["type"],
                issued_at=_numeric_date(payload, "iat", now),
                expires_at=_numeric_date(payload, "exp", now),
            )
        except (ValueError, TypeError, OverflowError, OSError) as exc:
            raise Unauthenticated(f"invalid {expected} token") from exc
        if claims.type != expected:
            raise Unauthenticated(f"expected a {expected} token")
        # Time is checked against the injected clock so tests can move it.
        if claims.expires_at <= now:
            raise Unauthenticated(f"{expected} token expired")
        leeway = timedelta(seconds=CLOCK_LEEWAY_S)
        if claims.issued_at > now + leeway:
            raise Unauthenticated(f"{expected} token issued in the future")
        if not_before is not None and not_before > now + leeway:
            raise Unauthenticated(f"{expected} token not valid yet")
        return claims


def _numeric_date(payload: dict[str, Any], name: str, now: datetime) -> datetime:
    """RFC 7519 NumericDate: a JSON number. bool is an int in Python, so it is refused by name."""
    value = payload[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} is not a number")
    return datetime.fromtimestamp(value, tz=now.tzinfo)
