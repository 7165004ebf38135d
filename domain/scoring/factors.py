"""One pure function per scoring factor of SPEC §4; every value is in [0, 100]."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rapidfuzz import fuzz, process

from domain.enums import Seniority
from domain.scoring.keywords import keyword_similarity
from domain.scoring.location import location, location_match
from domain.skills import SkillNormalizer

__all__ = [
    "SkillMatch",
    "experience",
    "hours_since",
    "keyword_similarity",
    "location",
    "location_match",
    "recency_decay",
    "recency_steps",
    "salary",
    "salary_gap",
    "semantic",
    "seniority",
    "skill_overlap",
    "skills",
]

NEUTRAL = 50.0
FUZZY_CUTOFF = 85.0
# Float noise must not turn "exactly 2 years short" into 3.
_EPSILON = 1e-9


@dataclass(frozen=True)
class SkillMatch:
    """A skills factor value with the job's skills split into matched and missing (job order)."""

    value: float
    matched: tuple[str, ...]
    missing: tuple[str, ...]


def semantic(cosine: float | None) -> float:
    """Cosine x 100 clamped to [0, 100]; unknown (no embedding yet) is neutral 50."""
    if cosine is None or not math.isfinite(cosine):
        return NEUTRAL
    return min(100.0, max(0.0, cosine * 100.0))


def _key(name: str) -> str:
    return " ".join(name.strip().lower().split())


@functools.lru_cache(maxsize=65_536)
def _canonical(normalizer: SkillNormalizer, name: str) -> str:
    """Lower-case canonical name; memoized, as a feed ranks hundreds of jobs with the same skills."""
    return normalizer.canonical(name).lower()


def _required(job_skills: Iterable[str], normalizer: SkillNormalizer) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for name in job_skills:
        canonical = _canonical(normalizer, name)
        if name.strip() and canonical not in seen:
            seen.add(canonical)
            result.append(" ".join(name.strip().split()))
    return result


def _split(required: Sequence[str], matched: set[str]) -> SkillMatch:
    if not required:
        return SkillMatch(NEUTRAL, (), ())
    hits = tuple(s for s in required if s in matched)
    misses = tuple(s for s in required if s not in matched)
    return SkillMatch(len(hits) / len(required) * 100.0, hits, misses)


def skill_overlap(
    candidate_skills: Iterable[str], job_skills: Iterable[str], normalizer: SkillNormalizer
) -> SkillMatch:
    """|common| / |job skills| x 100 on canonical names; a job without skills is neutral 50."""
    required = _required(job_skills, normalizer)
    have = {_canonical(normalizer, s) for s in candidate_skills if s.strip()}
    return _split(required, {s for s in required if _canonical(normalizer, s) in have})


def skills(
    candidate_skills: Iterable[str], job_skills: Iterable[str], normalizer: SkillNormalizer
) -> SkillMatch:
    """Each job skill matched exact, then by synonym, then fuzzily (ratio >= 0.85)."""
    required = _required(job_skills, normalizer)
    have = [_key(s) for s in candidate_skills if s.strip()]
    exact = set(have)
    synonyms = {_canonical(normalizer, s) for s in have}
    matched: set[str] = set()
    for skill in required:
        if (
            _key(skill) in exact
            or _canonical(normalizer, skill) in synonyms
            or process.extractOne(_key(skill), have, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        ):
            matched.add(skill)
    return _split(required, matched)


def seniority(candidate: Seniority | None, job: Seniority | None) -> float:
    """Exact 100, one level apart 50, else 0; unknown on either side is neutral 50."""
    if candidate is None or job is None:
        return NEUTRAL
    return {0: 100.0, 1: 50.0}.get(abs(candidate.rank - job.rank), 0.0)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def hours_since(posted_at: datetime | None, now: datetime) -> float | None:
    """Hours from posting to `now` (naive datetimes are UTC); None when the posting is undated."""
    if posted_at is None:
        return None
    return (_aware(now) - _aware(posted_at)).total_seconds() / 3600.0


def recency_decay(hours: float | None) -> float:
    """100 x exp(-hours / 72); a future posting counts as new, an unknown one as neutral 50."""
    if hours is None:
        return NEUTRAL
    return 100.0 * math.exp(-max(hours, 0.0) / 72.0)


def recency_steps(days: float | None) -> float:
    """Whole days elapsed (3 days 23 hours is 3): <=3 100, <=7 90, <=14 75, <=21 60, else 40."""
    if days is None:
        return NEUTRAL
    whole = math.floor(max(days, 0.0))
    for limit, value in ((3, 100.0), (7, 90.0), (14, 75.0), (21, 60.0)):
        if whole <= limit:
            return value
    return 40.0


def _whole_years(gap: float) -> int:
    """A partial year counts as a whole one: half a year short is one year short."""
    return math.ceil(gap - _EPSILON)


def experience(years: float | None, job_min: float | None, job_max: float | None) -> float:
    """SPEC §4 experience table; unknown candidate years is neutral 50, no requirement is 100."""
    if years is None:
        return NEUTRAL
    low = job_min if job_min is not None else 0.0
    if job_max is not None and job_max < low:
        low, job_max = job_max, low
    below = _whole_years(low - years)
    if below > 0:
        return {1: 85.0, 2: 70.0, 3: 55.0}.get(below, 40.0)
    above = _whole_years(years - job_max) if job_max is not None else 0
    if above <= 0:
        return 100.0
    if above <= 2:
        return 95.0
    if above <= 5:
        return 85.0
    return 75.0 if above <= 10 else 60.0


def _same_currency(a: str | None, b: str | None) -> bool:
    """An unknown currency is assumed to be the other side's."""
    return a is None or b is None or a.strip().upper() == b.strip().upper()


def salary_gap(candidate_min: float | None, job_max: float | None) -> float | None:
    """How far the job's maximum falls below the candidate's minimum, as a fraction of it."""
    if candidate_min is None or job_max is None or candidate_min <= 0 or job_max >= candidate_min:
        return None
    return (candidate_min - job_max) / candidate_min


def salary(
    candidate_min: float | None,
    job_max: float | None,
    *,
    candidate_max: float | None = None,
    job_min: float | None = None,
    candidate_currency: str | None = None,
    job_currency: str | None = None,
) -> float:
    """Annual amounts. Overlap 100; gap below the candidate min <10% 75, <20% 60, <30% 45, else 30.

    No candidate expectation 80; no job salary or another currency 50.
    """
    if candidate_min is None and candidate_max is None:
        return 80.0
    top = job_max if job_max is not None else job_min
    if top is None or not _same_currency(candidate_currency, job_currency):
        return NEUTRAL
    gap = salary_gap(candidate_min, top)
    if gap is None:
        return 100.0
    for limit, value in ((0.10, 75.0), (0.20, 60.0), (0.30, 45.0)):
        if gap < limit - _EPSILON:
            return value
    return 30.0
