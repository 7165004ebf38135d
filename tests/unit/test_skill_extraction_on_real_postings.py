"""Skill extraction on real Ashby postings from shared/data/jobs (read in place, never copied)."""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from domain.skills import default_normalizer

POSTINGS = Path(__file__).resolve().parents[3] / "shared" / "data" / "jobs" / "ashby_jobs.json.gz"
ENGINEERING_TITLE = re.compile(r"(?i)software engineer|back-?end|front-?end|full[- ]?stack")
NON_TECH_TITLE = re.compile(r"(?i)therapist|behavior technician|nurse|paralegal|counsel\b|attorney")


@functools.cache
def postings() -> list[dict[str, Any]]:
    # A missing file must fail the run: a skipped check would hide the lost coverage.
    assert POSTINGS.is_file(), f"real postings not found at {POSTINGS}"
    with gzip.open(POSTINGS, "rt", encoding="utf-8") as f:
        loaded: list[dict[str, Any]] = json.load(f)
    return loaded


def sample() -> list[dict[str, Any]]:
    return postings()[::20]


def skills_of(posting: dict[str, Any]) -> list[str]:
    return default_normalizer().extract(f"{posting['title']}\n{posting['description'] or ''}")


def posting(external_id: str) -> dict[str, Any]:
    return next(p for p in postings() if p["external_job_id"] == external_id)


def test_a_few_hundred_real_postings_are_sampled() -> None:
    assert len(postings()) > 8000
    assert 300 <= len(sample()) <= 500


@pytest.mark.parametrize(
    ("title_word", "accepted"),
    [
        ("Python", {"Python"}),
        ("Rust", {"Rust"}),
        ("Golang", {"Go"}),
        ("TypeScript", {"TypeScript"}),
        ("React", {"React", "React Native"}),
        ("Kubernetes", {"Kubernetes"}),
        ("Java", {"Java"}),
        ("iOS", {"iOS"}),
        ("Salesforce", {"Salesforce"}),
    ],
)
def test_a_skill_named_in_the_title_is_extracted(title_word: str, accepted: set[str]) -> None:
    titled = [p for p in postings() if re.search(rf"\b{title_word}\b", p["title"])]
    assert len(titled) >= 3
    missed = [p["title"] for p in titled if not accepted & set(skills_of(p))]
    assert missed == []


def test_go_to_market_is_not_the_go_language() -> None:
    titled = [p for p in postings() if re.search(r"(?i)\bgo[- ]to[- ]market\b", p["title"])]
    assert len(titled) >= 5
    assert [p["title"] for p in titled if "Go" in skills_of(p)] == []


def test_software_engineering_postings_mostly_get_skills() -> None:
    engineering = [p for p in sample() if ENGINEERING_TITLE.search(p["title"])]
    counts = [len(skills_of(p)) for p in engineering]
    assert len(engineering) >= 50
    assert sum(c >= 1 for c in counts) >= 0.95 * len(counts)
    assert sum(c >= 3 for c in counts) >= 0.8 * len(counts)


def test_non_tech_postings_get_no_flood_of_skills() -> None:
    non_tech = [
        p
        for p in postings()
        if p.get("department") in ("Clinical", "Legal") or NON_TECH_TITLE.search(p["title"])
    ]
    counts = [len(skills_of(p)) for p in non_tech]
    assert len(non_tech) >= 100
    assert sum(counts) / len(counts) < 1.0
    assert sum(c == 0 for c in counts) >= 0.5 * len(counts)
    assert max(counts) <= 6


def test_extracted_skills_are_canonical_unique_and_bounded() -> None:
    normalizer = default_normalizer()
    for p in sample():
        skills = skills_of(p)
        assert len(skills) <= 30
        assert len(set(skills)) == len(skills)
        assert all(normalizer.canonical(s) == s for s in skills)


# Each list was checked by hand against the posting's raw text: every skill is asked for there,
# and the company blurbs ("companies like Cursor", "Zoom calls") add nothing.
@pytest.mark.parametrize(
    ("external_id", "expected"),
    [
        (  # Tabs, Senior Site Reliability Engineer
            "9ddca4d0-d274-4c67-9a58-0f33ad35a468",
            ["AWS", "Vercel", "Datadog", "OpenTelemetry", "CI/CD", "GitHub Actions", "Terraform"]
            + ["DevOps", "Distributed systems", "Amazon EC2", "Amazon S3"]
            + ["Infrastructure as Code"],
        ),
        (  # Ellipsis Labs, Senior Backend Engineer: "Rust, C++, C, or Golang"
            "a6322c32-9142-4146-9429-bcf5cb52b3b7",
            ["Blockchain", "Rust", "C++", "C", "Go", "Unix", "AWS"],
        ),
        (  # Gimlet Labs, Software Engineer (AI Performance)
            "99e711fc-0da7-46e0-bee9-e0d02cad9f4b",
            ["Generative AI", "PyTorch", "LangChain", "Distributed systems", "TensorFlow", "vLLM"]
            + ["ONNX", "Python", "C++", "CUDA"],
        ),
        (  # Scale robotics via Silver: "ROS/ROS2", "Node.js http://node.js"
            "b5399b6d-5fd3-482f-94ea-ce46712ff6a0",
            ["Computer Vision", "Machine Learning", "Python", "Node.js", "C++", "React"]
            + ["TypeScript", "ROS", "Distributed systems", "AWS", "Kubernetes", "Docker"]
            + ["MongoDB", "PostgreSQL", "Airflow"],
        ),
        (  # DailyPay, Senior Accountant: "US GAAP", "SQL and Power Query"
            "d7a96350-78ca-4d8b-92a0-9df0f343c6dd",
            ["GAAP", "SQL", "Power Query"],
        ),
        (  # Bjak, Telesales: "YOU'LL EXCEL IN THIS ROLE", "go-to point", "sales CRM tools"
            "56fa209e-758a-4514-b810-54c9f1f43cab",
            ["CRM"],
        ),
        (  # Padlet, SDR: "inbound leads via Zoom calls", "social media outreach"
            "c179728c-4270-414e-bfc9-3280419dc2a3",
            [],
        ),
    ],
)
def test_hand_checked_postings_extract_exactly_their_skills(
    external_id: str, expected: list[str]
) -> None:
    assert skills_of(posting(external_id)) == expected
