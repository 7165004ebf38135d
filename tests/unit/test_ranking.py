"""Ranking scored jobs, reciprocal rank fusion and the dynamic profile vector."""

import math
from dataclasses import replace

import pytest

from domain.enums import Grade, ScoringPreset
from domain.errors import InvalidInput
from domain.scoring import MatchExplanation, rank, rrf
from domain.vectors import dynamic_profile

BASE = MatchExplanation(
    preset=ScoringPreset.SWIPE_HYBRID,
    preset_version="1",
    score=0.0,
    grade=Grade.F,
    recommended=False,
    factors=(),
    matched_skills=(),
    missing_skills=(),
    reasons=(),
    gaps=(),
    summary="",
)


def scored(value: float) -> MatchExplanation:
    return replace(BASE, score=value)


def test_rank_orders_by_score_descending() -> None:
    ranked = rank({"a": scored(40), "b": scored(90.5), "c": scored(70)})
    assert [job_id for job_id, _ in ranked] == ["b", "c", "a"]


def test_rank_breaks_ties_by_job_id_ascending() -> None:
    ranked = rank({"c": scored(80), "a": scored(80), "b": scored(80), "d": scored(81)})
    assert [job_id for job_id, _ in ranked] == ["d", "a", "b", "c"]


def test_rrf_sums_one_over_60_plus_zero_based_rank_plus_one() -> None:
    fused = dict(rrf([["x", "y"], ["y", "z"]]))
    assert fused["x"] == pytest.approx(1 / 61)
    assert fused["y"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["z"] == pytest.approx(1 / 62)


def test_rrf_orders_by_fused_score_then_id() -> None:
    fused = rrf([["b", "a", "c"], ["a", "b", "d"]])
    assert [item for item, _ in fused] == ["a", "b", "c", "d"]


def test_rrf_counts_a_repeated_id_once_per_list() -> None:
    assert dict(rrf([["a", "a", "b"]]))["a"] == pytest.approx(1 / 61)


def test_rrf_uses_the_given_k_and_rejects_negative_k() -> None:
    assert dict(rrf([["a"]], k=0))["a"] == 1.0
    with pytest.raises(InvalidInput):
        rrf([["a"]], k=-1)


def test_rrf_of_nothing_is_empty() -> None:
    assert rrf([]) == []


def test_dynamic_profile_needs_five_right_swipes() -> None:
    assert dynamic_profile([1.0, 0.0], [[0.0, 1.0]] * 4) is None
    assert dynamic_profile([1.0, 0.0], [[0.0, 1.0]] * 5) is not None


def test_dynamic_profile_blends_30_percent_base_with_70_percent_swiped_mean() -> None:
    swiped = [[0.0, 1.0, 0.0]] * 3 + [[0.0, 0.0, 1.0]] * 2
    profile = dynamic_profile([1.0, 0.0, 0.0], swiped)
    assert profile is not None
    raw = [0.30, 0.70 * 0.6, 0.70 * 0.4]
    norm = math.sqrt(sum(x * x for x in raw))
    assert profile == pytest.approx([x / norm for x in raw])
    assert math.hypot(*profile) == pytest.approx(1.0)


def test_dynamic_profile_rejects_mismatched_dimensions() -> None:
    with pytest.raises(InvalidInput):
        dynamic_profile([1.0, 0.0], [[1.0, 0.0, 0.0]] * 5)
    with pytest.raises(InvalidInput):
        dynamic_profile([1.0, 0.0], [[1.0, 0.0]] * 4 + [[1.0]])


def test_dynamic_profile_rejects_a_zero_vector() -> None:
    with pytest.raises(InvalidInput):
        dynamic_profile([0.7, 0.0], [[-0.3, 0.0]] * 5)
