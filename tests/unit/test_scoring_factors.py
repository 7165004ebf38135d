"""Factor functions of SPEC §4, row by row: semantic, skills, seniority, recency, experience."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.enums import Seniority
from domain.scoring import factors as f
from domain.skills import SkillNormalizer

NORMALIZER = SkillNormalizer(
    {
        "reactjs": "React",
        "react.js": "React",
        "k8s": "Kubernetes",
        "amazon web services": "AWS",
        "postgres": "PostgreSQL",
    }
)


@pytest.mark.parametrize(
    ("cosine", "value"),
    [(0.82, 82.0), (1.0, 100.0), (0.0, 0.0), (-0.4, 0.0), (1.2, 100.0), (None, 50.0)],
)
def test_semantic_is_cosine_times_100_clamped_and_unknown_is_neutral(
    cosine: float | None, value: float
) -> None:
    assert f.semantic(cosine) == pytest.approx(value)


def test_semantic_treats_nan_as_unknown() -> None:
    assert f.semantic(float("nan")) == 50.0


def test_four_of_five_skills_matched_scores_80_with_matched_and_missing_lists() -> None:
    job = ["Python", "AWS", "Kubernetes", "React", "PostgreSQL"]
    have = ["python", "Amazon Web Services", "k8s", "ReactJS"]
    match = f.skills(have, job, NORMALIZER)
    assert match.value == 80.0
    assert match.matched == ("Python", "AWS", "Kubernetes", "React")
    assert match.missing == ("PostgreSQL",)


def test_reactjs_matches_react_by_synonym_not_fuzzily() -> None:
    assert f.skills(["ReactJS"], ["React"], NORMALIZER).value == 100.0
    assert f.skills(["ReactJS"], ["React"], SkillNormalizer({})).value == 0.0


def test_skill_exact_match_ignores_case_and_spacing() -> None:
    assert f.skills(["  machine   LEARNING "], ["Machine Learning"], NORMALIZER).value == 100.0


@pytest.mark.parametrize(
    ("have", "required", "value"),
    [
        ("PostgreSQLL", "PostgreSQL", 100.0),  # ratio 0.95
        ("Javascript ES6", "JavaScript", 0.0),  # ratio 0.83
        ("Java", "JavaScript", 0.0),
        ("Terraform", "Terraforms", 100.0),  # ratio 0.947
    ],
)
def test_fuzzy_skill_match_needs_ratio_of_at_least_085(
    have: str, required: str, value: float
) -> None:
    assert f.skills([have], [required], NORMALIZER).value == value


def test_job_without_skills_scores_neutral_50() -> None:
    assert f.skills(["Python"], [], NORMALIZER).value == 50.0
    assert f.skill_overlap(["Python"], [], NORMALIZER).value == 50.0


def test_duplicate_job_skills_count_once() -> None:
    assert f.skills(["React"], ["React", "ReactJS", "Go"], NORMALIZER).value == 50.0


def test_skill_overlap_uses_normalization_but_no_fuzzy_matching() -> None:
    job = ["Python", "Kubernetes", "PostgreSQLL", "Go"]
    match = f.skill_overlap(["python", "k8s", "PostgreSQL"], job, NORMALIZER)
    assert match.value == 50.0
    assert match.matched == ("Python", "Kubernetes")
    assert match.missing == ("PostgreSQLL", "Go")


@pytest.mark.parametrize(
    ("candidate", "job", "value"),
    [
        (Seniority.SENIOR, Seniority.SENIOR, 100.0),
        (Seniority.SENIOR, Seniority.LEAD, 50.0),
        (Seniority.ENTRY, Seniority.JUNIOR, 50.0),
        (Seniority.MID, Seniority.LEAD, 0.0),
        (Seniority.ENTRY, Seniority.PRINCIPAL, 0.0),
        (None, Seniority.MID, 50.0),
        (Seniority.MID, None, 50.0),
    ],
)
def test_seniority_exact_100_adjacent_50_else_0(
    candidate: Seniority | None, job: Seniority | None, value: float
) -> None:
    assert f.seniority(candidate, job) == value


@pytest.mark.parametrize(
    ("hours", "value"),
    [(0, 100.0), (72, 36.787944), (144, 13.533528), (-5, 100.0), (None, 50.0)],
)
def test_recency_decay_is_exp_of_minus_hours_over_72(hours: float | None, value: float) -> None:
    assert f.recency_decay(hours) == pytest.approx(value)


@pytest.mark.parametrize(
    ("days", "value"),
    [
        (0, 100.0),
        (3, 100.0),
        (3.99, 100.0),
        (4, 90.0),
        (7, 90.0),
        (8, 75.0),
        (14, 75.0),
        (15, 60.0),
        (21, 60.0),
        (22, 40.0),
        (400, 40.0),
        (None, 50.0),
    ],
)
def test_recency_steps_table(days: float | None, value: float) -> None:
    assert f.recency_steps(days) == value


def test_hours_since_treats_naive_datetimes_as_utc() -> None:
    now = datetime(2025, 3, 10, 12, tzinfo=UTC)
    assert f.hours_since(datetime(2025, 3, 9, 12), now) == 24.0
    assert f.hours_since(now - timedelta(minutes=90), now) == 1.5
    assert f.hours_since(None, now) is None


@pytest.mark.parametrize(
    ("years", "low", "high", "value"),
    [
        (5, 3, 7, 100.0),
        (3, 3, 7, 100.0),
        (7, 3, 7, 100.0),
        (4, 5, 8, 85.0),
        (3, 5, 8, 70.0),
        (2, 5, 8, 55.0),
        (1, 5, 8, 40.0),
        (0, 10, None, 40.0),
        (8, 3, 5, 85.0),
        (7, 3, 5, 95.0),
        (6, 3, 5, 95.0),
        (8, 3, 4, 85.0),
        (10, 3, 5, 85.0),
        (11, 3, 5, 75.0),
        (15, 3, 5, 75.0),
        (16, 3, 5, 60.0),
        (30, 3, 5, 60.0),
        (25, 5, None, 100.0),
        (5, 5, None, 100.0),
        (12, None, None, 100.0),
        (12, None, 10, 95.0),
        (None, 3, 5, 50.0),
    ],
)
def test_experience_table(
    years: float | None, low: float | None, high: float | None, value: float
) -> None:
    assert f.experience(years, low, high) == value


@pytest.mark.parametrize(
    ("years", "low", "high", "value"),
    [
        (4.5, 5, 8, 85.0),
        (2.5, 5, 8, 55.0),
        (8.5, 3, 8, 95.0),
        (10.5, 3, 8, 85.0),
        (5.5, 5, 8, 100.0),
    ],
)
def test_experience_counts_a_partial_year_as_a_whole_one(
    years: float, low: float, high: float, value: float
) -> None:
    assert f.experience(years, low, high) == value


def test_experience_swaps_an_inverted_job_range() -> None:
    assert f.experience(4, 5, 3) == 100.0


@pytest.mark.parametrize(
    ("job_max", "value"),
    [
        (120_000, 100.0),
        (100_000, 100.0),
        (90_001, 75.0),
        (90_000, 60.0),
        (80_001, 60.0),
        (80_000, 45.0),
        (70_001, 45.0),
        (70_000, 30.0),
        (10_000, 30.0),
    ],
)
def test_salary_gap_below_candidate_min_table(job_max: float, value: float) -> None:
    assert f.salary(100_000, job_max, candidate_currency="USD", job_currency="USD") == value


def test_salary_job_paying_above_candidate_range_counts_as_overlap() -> None:
    assert f.salary(100_000, 250_000, candidate_max=120_000, job_min=200_000) == 100.0


def test_salary_without_candidate_expectation_scores_80() -> None:
    assert f.salary(None, 50_000) == 80.0
    assert f.salary(None, None) == 80.0


def test_salary_without_job_salary_or_in_another_currency_scores_50() -> None:
    assert f.salary(100_000, None) == 50.0
    assert f.salary(100_000, 150_000, candidate_currency="USD", job_currency="EUR") == 50.0


def test_salary_currency_comparison_ignores_case_and_unknown_currency_is_compatible() -> None:
    assert f.salary(100_000, 95_000, candidate_currency="usd", job_currency="USD") == 75.0
    assert f.salary(100_000, 95_000, candidate_currency=None, job_currency="USD") == 75.0


def test_salary_job_with_only_a_minimum_uses_it_as_its_top() -> None:
    assert f.salary(100_000, None, job_min=85_000) == 60.0


def test_keyword_similarity_of_identical_texts_is_100_and_disjoint_is_0() -> None:
    text = "Python Django PostgreSQL REST APIs"
    assert f.keyword_similarity(text, text) == pytest.approx(100.0)
    assert f.keyword_similarity("Python Django", "Photoshop Illustrator") == 0.0


def test_keyword_similarity_grows_with_shared_terms_and_is_symmetric() -> None:
    job = "Senior Python engineer: Django, PostgreSQL, AWS, Docker"
    some = f.keyword_similarity("Python Java Spring", job)
    more = f.keyword_similarity("Python Django PostgreSQL Docker", job)
    assert 0.0 < some < more < 100.0
    assert f.keyword_similarity(job, "Python Java Spring") == pytest.approx(some)


def test_keyword_similarity_keeps_tech_tokens_and_ignores_stopwords() -> None:
    assert f.keyword_similarity("C++ and the C#", "c++ c#") == pytest.approx(100.0)


def test_keyword_similarity_without_text_is_neutral_50() -> None:
    assert f.keyword_similarity("", "Python") == 50.0
    assert f.keyword_similarity("the and of", "Python") == 50.0


def test_keyword_similarity_uses_idf_weights_when_given() -> None:
    plain = f.keyword_similarity("python rare", "python common")
    weighted = f.keyword_similarity("python rare", "python common", idf={"python": 0.1})
    assert weighted < plain
