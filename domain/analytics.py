"""Recruiting analytics (SPEC §13): tallies of aggregated rows, and the rates derived from them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from domain.enums import ApplicationStatus, MatchStatus
from domain.errors import InvalidInput

DECILES = 10
TOP_K = 10
# A ranked candidate counts as relevant for precision@10 when recruiters moved it this far
# (or its application was HIRED).
RELEVANT_MATCH_STATUSES = (MatchStatus.SHORTLISTED, MatchStatus.CONTACTED, MatchStatus.APPLIED)


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (no data is not a zero rate)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class DecileCtr:
    """Feed views of one score decile (1: scores 0-9, ..., 10: scores 90-100)."""

    decile: int
    impressions: int
    right_swipes: int

    @property
    def ctr(self) -> float | None:
        return ratio(self.right_swipes, self.impressions)


@dataclass
class Tally:
    """What the database counted for one job (or, under the key None, for all of them)."""

    views: dict[int, tuple[int, int]] = field(default_factory=dict)  # decile -> (views, rights)
    swipes: dict[str, int] = field(default_factory=dict)  # direction -> count
    applications: dict[str, int] = field(default_factory=dict)  # status -> count
    median_hours_to_hire: float | None = None
    matches: int = 0
    applied_matches: int = 0
    top_matches: int = 0
    relevant_top_matches: int = 0

    @property
    def impressions(self) -> int:
        return sum(views for views, _ in self.views.values())

    @property
    def activity(self) -> int:
        return self.impressions + sum(self.swipes.values()) + self.total_applications + self.matches

    @property
    def total_applications(self) -> int:
        return sum(self.applications.values())

    def ctr_by_decile(self) -> list[DecileCtr]:
        """All ten deciles, empty ones included, so charts line up across jobs."""
        return [DecileCtr(d, *self.views.get(d, (0, 0))) for d in range(1, DECILES + 1)]

    def applications_by_status(self) -> list[tuple[ApplicationStatus, int]]:
        """Statuses that have applications, in pipeline order."""
        return [
            (s, self.applications[s.value])
            for s in ApplicationStatus
            if s.value in self.applications
        ]

    @property
    def match_to_apply_rate(self) -> float | None:
        return ratio(self.applied_matches, self.matches)

    @property
    def precision_at_10(self) -> float | None:
        """Share of the top-ranked match records (at most 10 per job) recruiters judged relevant."""
        return ratio(self.relevant_top_matches, self.top_matches)


def check_window(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and start >= end:
        raise InvalidInput("from must be before to", field="from")


def busiest(tallies: dict[uuid.UUID | None, Tally], limit: int) -> list[uuid.UUID]:
    """The jobs with the most activity first (ties by id), at most `limit` of them."""
    jobs = [(key, tally) for key, tally in tallies.items() if key is not None]
    jobs.sort(key=lambda pair: (-pair[1].activity, str(pair[0])))
    return [key for key, _ in jobs[:limit]]
