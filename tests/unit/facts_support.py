"""Builders for the scoring tests: a candidate and a job with nothing set but what a test gives."""

from typing import Any

from domain.scoring.facts import CandidateFacts, JobFacts


def candidate_facts(**values: Any) -> CandidateFacts:
    """No skills, preferences or salary unless given."""
    blank: dict[str, Any] = {
        "skills": (),
        "seniority": None,
        "years_of_experience": None,
        "preferred_locations": (),
        "remote_preference": None,
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
    }
    return CandidateFacts(**(blank | values))


def job_facts(**values: Any) -> JobFacts:
    """An on-site engineering job in Austin, Texas, with nothing else stated unless given."""
    blank: dict[str, Any] = {
        "id": "job-1",
        "title": "Engineer",
        "skills": (),
        "seniority": None,
        "city": "Austin",
        "region": "Texas",
        "country": "United States",
        "location": "Austin, TX, United States",
        "is_remote": False,
        "experience_min": None,
        "experience_max": None,
        "salary_annual_min": None,
        "salary_annual_max": None,
        "salary_currency": None,
        "posted_at": None,
    }
    return JobFacts(**(blank | values))
