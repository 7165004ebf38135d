"""Ranking people for a job (candidatesForJob): who may rank, the ranked list, its cursor key."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.enums import CandidateSource, CompanyKind, ScoringPreset
from domain.errors import InvalidInput
from domain.scoring import CandidateFacts, JobFacts, MatchExplanation, get_preset, rank, score
from domain.skills import SkillNormalizer

ALL_SOURCES = (CandidateSource.APPLICANTS, CandidateSource.POOL, CandidateSource.OPEN_TO_RECRUITERS)


@dataclass(frozen=True)
class PoolPerson:
    """One person of the retrieval pool with their embedding cosine to the job (None: unknown)."""

    id: str
    facts: CandidateFacts
    cosine: float | None


@dataclass(frozen=True)
class RankedPerson:
    """A person's place in a job's ranked list."""

    person_id: str
    explanation: MatchExplanation


def may_rank_for(
    *,
    job_company_id: object,
    job_open: bool,
    company_id: object,
    company_kind: CompanyKind,
) -> bool:
    """A company ranks people for its own jobs; an AGENCY also for any open (ACTIVE) job."""
    if job_company_id == company_id:
        return True
    return company_kind == CompanyKind.AGENCY and job_open


def check_sources(sources: Iterable[CandidateSource]) -> tuple[CandidateSource, ...]:
    chosen = tuple(s for s in ALL_SOURCES if s in set(sources))
    if not chosen:
        raise InvalidInput("sources must name at least one source", field="sources")
    return chosen


def snapshot_key(
    job_id: object, preset: ScoringPreset, sources: Sequence[CandidateSource], min_score: float
) -> str:
    """What a cursor was cut for: a later page must ask the same question."""
    return f"{job_id}|{preset.value}|{','.join(s.value for s in sources)}|{min_score!r}"


def rank_people(
    preset: ScoringPreset,
    job: JobFacts,
    people: Sequence[PoolPerson],
    *,
    now: datetime,
    normalizer: SkillNormalizer,
    min_score: float = 0.0,
) -> list[RankedPerson]:
    """Every person scored for the job under `preset`, best first, ties by id ascending; those
    below min_score left out."""
    chosen = get_preset(preset)
    explained = {
        p.id: score(chosen, p.facts, job, cosine=p.cosine, now=now, normalizer=normalizer)
        for p in people
    }
    return [RankedPerson(pid, e) for pid, e in rank(explained) if e.score >= min_score]
