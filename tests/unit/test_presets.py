"""The six scoring presets of SPEC §4 are validated, versioned data."""

from datetime import UTC, datetime

import pytest

from domain.enums import ScoringPreset
from domain.errors import InvalidInput
from domain.scoring import PRESETS, Preset, get_preset
from domain.scoring.context import ScoringContext
from domain.scoring.facts import CandidateFacts, JobFacts
from domain.scoring.registry import FACTOR_NAMES, FACTORS
from domain.skills import SkillNormalizer

EXPECTED = {
    ScoringPreset.SWIPE_HYBRID: {
        "semantic": 0.55,
        "skill_overlap": 0.20,
        "seniority": 0.10,
        "recency_decay": 0.10,
        "location_match": 0.05,
    },
    ScoringPreset.SEMANTIC_SKILLS: {"semantic": 0.60, "skills": 0.40},
    ScoringPreset.RUBRIC: {"skills": 0.40, "experience": 0.30, "location": 0.20, "salary": 0.10},
    ScoringPreset.SKILLS_FIRST: {"skills": 0.50, "experience": 0.30, "keyword_similarity": 0.20},
    ScoringPreset.FIVE_FACTOR: {
        "skills": 0.40,
        "experience": 0.25,
        "location": 0.15,
        "salary": 0.10,
        "semantic": 0.10,
    },
    ScoringPreset.LAYERED: {
        "skills": 0.35,
        "semantic": 0.25,
        "location": 0.15,
        "salary": 0.15,
        "recency_steps": 0.10,
    },
}


def test_all_six_presets_exist_with_the_weights_of_the_spec() -> None:
    assert set(PRESETS) == set(ScoringPreset)
    for name, weights in EXPECTED.items():
        assert dict(PRESETS[name].weights) == weights
        assert PRESETS[name].name is name
        assert PRESETS[name].version


def test_every_preset_weights_sum_to_one() -> None:
    for preset in PRESETS.values():
        assert sum(preset.weights.values()) == pytest.approx(1.0, abs=1e-9)


def test_only_layered_applies_hard_filters() -> None:
    assert [p.name for p in PRESETS.values() if p.hard_filters] == [ScoringPreset.LAYERED]


def test_get_preset_accepts_the_enum_or_its_name() -> None:
    assert get_preset("FIVE_FACTOR") is PRESETS[ScoringPreset.FIVE_FACTOR]
    assert get_preset(ScoringPreset.LAYERED) is PRESETS[ScoringPreset.LAYERED]
    with pytest.raises(InvalidInput):
        get_preset("BEST_GUESS")


def test_weights_not_summing_to_one_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="sum to 1"):
        Preset(ScoringPreset.RUBRIC, "2", {"skills": 0.5, "experience": 0.4})
    with pytest.raises(InvalidInput, match="sum to 1"):
        Preset(ScoringPreset.RUBRIC, "2", {"skills": 0.5, "experience": 0.5 + 1e-8})


def test_weights_within_tolerance_of_one_are_accepted() -> None:
    preset = Preset(ScoringPreset.RUBRIC, "2", {"skills": 0.1 + 0.2, "experience": 0.7})
    assert preset.weights["skills"] == pytest.approx(0.3)


def test_unknown_factor_names_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="charisma"):
        Preset(ScoringPreset.RUBRIC, "2", {"skills": 0.5, "charisma": 0.5})


def test_negative_or_missing_weights_are_rejected() -> None:
    with pytest.raises(InvalidInput):
        Preset(ScoringPreset.RUBRIC, "2", {"skills": 1.5, "experience": -0.5})
    with pytest.raises(InvalidInput):
        Preset(ScoringPreset.RUBRIC, "2", {})


def test_preset_weights_cannot_be_changed_after_construction() -> None:
    weights = {"skills": 0.5, "experience": 0.5}
    preset = Preset(ScoringPreset.RUBRIC, "2", weights)
    weights["skills"] = 0.9
    assert preset.weights["skills"] == 0.5
    with pytest.raises(TypeError):
        preset.weights["skills"] = 0.9  # type: ignore[index]


def test_every_factor_name_has_a_value_and_sentences() -> None:
    candidate = CandidateFacts(("Python",), None, 3.0, ("Austin, TX",), None, None, None, None)
    job = JobFacts(
        "job-1", "Engineer", ("Python",), None, "Austin", "Texas", "United States",
        "Austin, TX", False, 2.0, None, None, None, None, None,
    )  # fmt: skip
    ctx = ScoringContext(candidate, job, 0.5, datetime(2025, 6, 1, tzinfo=UTC), SkillNormalizer({}))
    assert {name for preset in PRESETS.values() for name in preset.weights} <= FACTOR_NAMES
    for name in FACTOR_NAMES:
        value = FACTORS[name].value(ctx)
        assert 0.0 <= value <= 100.0
        assert len(FACTORS[name].describe(ctx, value)) == 2
