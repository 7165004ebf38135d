"""Who may rank people for a job, which sources, and the ranked list's order (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.enums import CandidateSource, CompanyKind, ScoringPreset
from domain.errors import InvalidInput
from domain.recruiting import PoolPerson, check_sources, may_rank_for, rank_people, snapshot_key
from domain.skills import default_normalizer
from tests.unit.facts_support import candidate_facts, job_facts

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_a_company_ranks_for_its_own_jobs_and_an_agency_for_any_open_one() -> None:
    own = {"job_company_id": 1, "company_id": 1, "company_kind": CompanyKind.EMPLOYER}
    assert may_rank_for(job_open=False, **own)
    for kind, job_open, allowed in (
        (CompanyKind.EMPLOYER, True, False),
        (CompanyKind.AGENCY, True, True),
        (CompanyKind.AGENCY, False, False),
    ):
        rule = {"job_company_id": 1, "company_id": 2, "company_kind": kind}
        assert may_rank_for(job_open=job_open, **rule) is allowed


def test_sources_keep_one_order_and_may_not_be_empty() -> None:
    chosen = check_sources([CandidateSource.OPEN_TO_RECRUITERS, CandidateSource.POOL] * 2)
    assert chosen == (CandidateSource.POOL, CandidateSource.OPEN_TO_RECRUITERS)
    with pytest.raises(InvalidInput):
        check_sources([])
    key = snapshot_key("j", ScoringPreset.FIVE_FACTOR, chosen, 50.0)
    assert key != snapshot_key("j", ScoringPreset.FIVE_FACTOR, chosen, 50.5)


def test_people_rank_best_first_ties_by_id_and_min_score_cuts() -> None:
    job = job_facts(skills=("Python", "SQL"))
    strong = candidate_facts(skills=("Python", "SQL"))
    weak = candidate_facts(skills=())
    people = [
        PoolPerson("c", strong, 0.8),
        PoolPerson("a", weak, 0.2),
        PoolPerson("b", strong, 0.8),
    ]
    normalizer = default_normalizer()
    ranked = rank_people(ScoringPreset.FIVE_FACTOR, job, people, now=NOW, normalizer=normalizer)
    assert [r.person_id for r in ranked] == ["b", "c", "a"]
    cut = ranked[0].explanation.score
    above = rank_people(
        ScoringPreset.FIVE_FACTOR, job, people, now=NOW, normalizer=normalizer, min_score=cut
    )
    assert [r.person_id for r in above] == ["b", "c"]
