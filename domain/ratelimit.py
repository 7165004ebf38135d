"""Rate-limit policy: fixed windows per client address, exponential back-off per account.

Counters live in PostgreSQL (db/ratelimits.py) so every server instance shares them; this
module only decides, from the stored numbers and a `now` the caller passes in.

- `register`: at most `register_limit` calls per client address per `register_window_s`
  (default 10 per 10 minutes); each call costs an argon2id hash.
- `login`, per client address: at most `login_address_limit` attempts per
  `login_address_window_s` (default 30 per minute), successful or not.
- `login`, per account: failed attempts count within `login_failure_window_s` (15 minutes,
  from the first failure). The first `login_free_failures - 1` failures cost nothing; after
  failure number `login_free_failures + k` the account is refused for 2^k seconds, capped at
  `login_backoff_cap_s` (15 minutes). Attempts refused during a back-off are not failures, so
  nobody can extend it: an attacker can keep an account closed at most one cap at a time, and
  the owner signs in as soon as it ends. A successful sign-in clears the account's failures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Window:
    """A fixed-window counter as stored: when the window began and the hits in it so far."""

    start: datetime
    hits: int


def retry_after_s(until: datetime, now: datetime) -> int:
    """Whole seconds until `until`, at least 1 (a client that retries at once is refused)."""
    return max(1, math.ceil((until - now).total_seconds()))


def window_retry_after(window: Window, limit: int, window_s: int, now: datetime) -> int | None:
    """None while the window still has room (this hit included), else seconds until it ends."""
    if window.hits <= limit:
        return None
    return retry_after_s(window.start + timedelta(seconds=window_s), now)


def backoff_s(failures: int, free_failures: int, cap_s: int) -> int:
    """Seconds the account is closed after its `failures`-th failure in the window."""
    if failures < free_failures:
        return 0
    exponent = failures - free_failures
    if exponent >= cap_s.bit_length():
        return cap_s
    return min(cap_s, 1 << exponent)
