"""Scores with explanations: worked examples, grades, LAYERED filtering, what-if, feed score."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.enums import Grade, RemotePreference, ScoringPreset, Seniority
from domain.errors import InvalidInput
from domain.scoring import PRESETS, CandidateFacts, JobFacts, Preset, feed_score, score, what_if
from domain.scoring.explain import MatchExplanation, grade_for
from domain.skills import SkillNormalizer

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
NORMALIZER = SkillNormalizer(
    {"reactjs": "React", "k8s": "Kubernetes", "amazon web services": "AWS"}
)
CANDIDATE = CandidateFacts(
    skills=("Python", "Amazon Web Services", "k8s", "ReactJS"),
    seniority=Seniority.SENIOR,
    years_of_experience=6,
    preferred_locations=("Austin, TX",),
    remote_preference=RemotePreference.ONSITE,
    salary_min=120_000,
    salary_max=150_000,
    salary_currency="USD",
    keywords_text="python aws kubernetes react",
)
JOB = JobFacts(
    id="job-1",
    title="Senior Full-Stack Engineer",
    skills=("Python", "AWS", "Kubernetes", "React", "PostgreSQL"),
    seniority=Seniority.SENIOR,
    city="Austin",
    region="TX",
    country="US",
    location="Austin, TX",
    is_remote=False,
    experience_min=5,
    experience_max=8,
    salary_annual_min=130_000,
    salary_annual_max=160_000,
    salary_currency="USD",
    posted_at=NOW - timedelta(days=2),
    keywords_text="python aws kubernetes react postgresql",
)


def run(
    preset: ScoringPreset | Preset, cosine: float | None = 0.82, **changes: object
) -> MatchExplanation:
    chosen = preset if isinstance(preset, Preset) else PRESETS[preset]
    job = replace(JOB, **changes)  # type: ignore[arg-type]
    return score(chosen, CANDIDATE, job, cosine=cosine, now=NOW, normalizer=NORMALIZER)


def test_five_factor_worked_example_scores_90_2_and_grades_a_plus() -> None:
    result = run(ScoringPreset.FIVE_FACTOR)
    values = {f.name: f.value for f in result.factors}
    assert values == {
        "skills": 80,
        "experience": 100,
        "location": 100,
        "salary": 100,
        "semantic": 82,
    }
    assert result.score == 90.2
    assert result.grade is Grade.A_PLUS
    assert result.recommended is True
    assert result.preset is ScoringPreset.FIVE_FACTOR
    assert result.preset_version == "1"


def test_explanation_lists_matched_and_missing_skills_in_sentences() -> None:
    result = run(ScoringPreset.FIVE_FACTOR)
    assert result.matched_skills == ("Python", "AWS", "Kubernetes", "React")
    assert result.missing_skills == ("PostgreSQL",)
    assert "You have 4 of 5 required skills: Python, AWS, Kubernetes, React." in result.reasons
    assert "Missing skills: PostgreSQL." in result.gaps
    assert result.summary.startswith("Excellent match (A+): You have 4 of 5 required skills")


def test_factor_records_weight_value_and_contribution() -> None:
    result = run(ScoringPreset.FIVE_FACTOR)
    skills = next(f for f in result.factors if f.name == "skills")
    assert (skills.weight, skills.value, skills.contribution) == (0.40, 80.0, 32.0)


def test_swipe_hybrid_uses_its_own_factors() -> None:
    result = run(ScoringPreset.SWIPE_HYBRID)
    assert [f.name for f in result.factors] == [
        "semantic",
        "skill_overlap",
        "seniority",
        "recency_decay",
        "location_match",
    ]
    assert result.matched_skills == ("Python", "AWS", "Kubernetes", "React")


def test_unknown_cosine_is_neutral_and_said_so() -> None:
    result = run(ScoringPreset.SEMANTIC_SKILLS, cosine=None)
    assert result.factors[0].value == 50.0
    assert any("No profile embedding yet" in gap for gap in result.gaps)


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (100, Grade.A_PLUS),
        (90, Grade.A_PLUS),
        (89.99, Grade.A),
        (80, Grade.A),
        (79.99, Grade.B),
        (70, Grade.B),
        (69.99, Grade.C),
        (60, Grade.C),
        (59.99, Grade.D),
        (50, Grade.D),
        (49.99, Grade.F),
        (0, Grade.F),
        (69.995, Grade.B),
    ],
)
def test_grade_boundaries_apply_to_the_two_decimal_score(value: float, grade: Grade) -> None:
    assert grade_for(value) is grade


def test_69_99_is_c_and_not_recommended_while_70_is_b_and_recommended() -> None:
    only_semantic = Preset(ScoringPreset.SEMANTIC_SKILLS, "test", {"semantic": 1.0})
    below = run(only_semantic, cosine=0.6999)
    at = run(only_semantic, cosine=0.70)
    assert (below.score, below.grade, below.recommended) == (69.99, Grade.C, False)
    assert (at.score, at.grade, at.recommended) == (70.0, Grade.B, True)


def test_layered_job_failing_a_hard_filter_scores_zero_with_the_filter_as_gap() -> None:
    result = run(ScoringPreset.LAYERED, salary_annual_max=90_000, salary_annual_min=None)
    assert result.failed_filters == ("salary",)
    assert (result.score, result.grade, result.recommended) == (0.0, Grade.F, False)
    assert all(f.contribution == 0 for f in result.factors)
    assert result.gaps[0].startswith("Filtered out: the salary tops out at USD 90,000")
    assert result.summary.startswith("Filtered out (F): the salary")


def test_layered_job_passing_the_filters_is_scored_by_weights() -> None:
    result = run(ScoringPreset.LAYERED)
    assert result.failed_filters == ()
    assert result.score == pytest.approx(0.35 * 80 + 0.25 * 82 + 0.15 * 100 + 0.15 * 100 + 10)


def test_other_presets_ignore_hard_filters() -> None:
    result = run(ScoringPreset.RUBRIC, salary_annual_max=90_000, salary_annual_min=None)
    assert result.failed_filters == ()
    assert result.score > 0


def _random_candidate(rng: random.Random) -> CandidateFacts:
    pool = ["Python", "Go", "React", "reactjs", "k8s", "Kubernetes", "SQL", "AWS", "Rust"]
    low = rng.choice([None, rng.uniform(20_000, 200_000)])
    return CandidateFacts(
        skills=tuple(rng.sample(pool, rng.randint(0, 5))),
        seniority=rng.choice([None, *Seniority]),
        years_of_experience=rng.choice([None, round(rng.uniform(0, 30), 1)]),
        preferred_locations=tuple(rng.sample(["Austin, TX", "Remote", "Berlin", "Texas"], 2)),
        remote_preference=rng.choice([None, *RemotePreference]),
        salary_min=low,
        salary_max=None if low is None else low * 1.3,
        salary_currency=rng.choice(["USD", "EUR", None]),
        keywords_text=rng.choice(["", "python go cloud", "react web frontend"]),
    )


def _random_job(rng: random.Random) -> JobFacts:
    low = rng.choice([None, rng.randint(0, 10)])
    return replace(
        JOB,
        skills=tuple(
            rng.sample(["Python", "React", "Kubernetes", "SQL", "Java"], rng.randint(0, 5))
        ),
        seniority=rng.choice([None, *Seniority]),
        city=rng.choice([None, "Austin", "Berlin", "Dallas"]),
        is_remote=rng.random() < 0.3,
        experience_min=low,
        experience_max=rng.choice([None, (low or 0) + rng.randint(0, 5)]),
        salary_annual_max=rng.choice([None, rng.uniform(20_000, 250_000)]),
        salary_currency=rng.choice(["USD", "EUR"]),
        posted_at=rng.choice([None, NOW - timedelta(hours=rng.uniform(0, 900))]),
    )


def test_contributions_add_up_to_the_displayed_score_for_random_inputs() -> None:
    rng = random.Random(20250601)
    for _ in range(3000):
        preset = rng.choice(list(PRESETS.values()))
        cosine = rng.choice([None, rng.uniform(-1, 1)])
        result = score(
            preset,
            _random_candidate(rng),
            _random_job(rng),
            cosine=cosine,
            now=NOW,
            normalizer=NORMALIZER,
        )
        total = sum(Decimal(str(f.contribution)) for f in result.factors)
        assert total == Decimal(str(result.score))
        assert 0 <= result.score <= 100
        assert all(0 <= f.value <= 100 for f in result.factors)
        assert result.grade is grade_for(result.score)
        assert result.recommended == (result.score >= 70)
        exact = sum(f.weight * f.value for f in result.factors) if not result.failed_filters else 0
        assert abs(result.score - exact) <= 0.005 * len(result.factors) + 1e-9


def test_what_if_adding_the_missing_skill_raises_the_score_by_its_weight() -> None:
    after, delta = what_if(
        PRESETS[ScoringPreset.FIVE_FACTOR],
        CANDIDATE,
        JOB,
        cosine=0.82,
        now=NOW,
        normalizer=NORMALIZER,
        add_skills=["PostgreSQL"],
    )
    assert after.missing_skills == ()
    assert after.score == 98.2
    assert delta == 8.0


def test_what_if_changing_years_reports_a_negative_delta() -> None:
    after, delta = what_if(
        PRESETS[ScoringPreset.FIVE_FACTOR],
        CANDIDATE,
        JOB,
        cosine=0.82,
        now=NOW,
        normalizer=NORMALIZER,
        years_of_experience=3,
    )
    assert next(f.value for f in after.factors if f.name == "experience") == 70.0
    assert delta == -7.5


def test_what_if_rejects_negative_years() -> None:
    with pytest.raises(InvalidInput):
        what_if(
            PRESETS[ScoringPreset.FIVE_FACTOR],
            CANDIDATE,
            JOB,
            cosine=0.82,
            now=NOW,
            normalizer=NORMALIZER,
            years_of_experience=-1,
        )


@pytest.mark.parametrize(
    ("value", "shown"), [(84.5, 85), (84.49, 84), (0.0, 0), (99.5, 100), (100.0, 100)]
)
def test_feed_score_rounds_the_swipe_hybrid_score_half_up(value: float, shown: int) -> None:
    result = replace(run(ScoringPreset.SWIPE_HYBRID), score=value)
    assert feed_score(result) == shown


def test_feed_score_is_only_for_swipe_hybrid() -> None:
    with pytest.raises(InvalidInput):
        feed_score(run(ScoringPreset.FIVE_FACTOR))
