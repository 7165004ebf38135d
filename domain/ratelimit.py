"""A sliding-window counter per key; the caller passes the time in."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_s: float, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = timedelta(seconds=window_s)
        self.max_keys = max_keys
        self._hits: dict[str, deque[datetime]] = {}

    def hit(self, key: str, now: datetime) -> bool:
        """Records an attempt; False when the key is over its limit (the attempt is not counted)."""
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._evict(now)
            hits = self._hits[key] = deque()
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def reset(self, key: str) -> None:
        self._hits.pop(key, None)

    def _evict(self, now: datetime) -> None:
        stale = [k for k, v in self._hits.items() if not v or now - v[-1] >= self.window]
        for key in stale:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:
            self._hits.clear()
