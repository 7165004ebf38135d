"""Generated demo postings: roles x seniorities x places, reproducible from a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from domain.enums import EmploymentType, Seniority

ROLES = [
    (
        "Backend Engineer",
        ["Python", "PostgreSQL", "Docker", "AWS", "Kubernetes", "Go", "Redis", "GraphQL"],
        "design and operate the APIs and data pipelines behind our product",
    ),
    (
        "Frontend Engineer",
        ["TypeScript", "React", "CSS", "GraphQL", "Next.js", "Jest", "HTML"],
        "build fast, accessible interfaces our customers use every day",
    ),
    (
        "Machine Learning Engineer",
        ["Python", "PyTorch", "Machine Learning", "SQL", "Docker", "TensorFlow", "Kubernetes"],
        "train, evaluate and ship models into production",
    ),
    (
        "Data Analyst",
        ["SQL", "Python", "Tableau", "Excel", "dbt", "Looker"],
        "turn product and sales data into decisions",
    ),
    (
        "Site Reliability Engineer",
        ["Kubernetes", "Terraform", "Go", "Prometheus", "AWS", "Linux"],
        "keep our platform fast, observable and available",
    ),
    (
        "Mobile Engineer",
        ["Swift", "Kotlin", "React Native", "iOS", "Android", "GraphQL"],
        "ship our iOS and Android apps",
    ),
    (
        "Data Engineer",
        ["Python", "Apache Spark", "SQL", "Airflow", "Kafka", "AWS"],
        "build reliable batch and streaming pipelines",
    ),
    (
        "Product Designer",
        ["Figma", "User Research", "Prototyping", "Design Systems"],
        "shape the product from research to polished screens",
    ),
    (
        "Security Engineer",
        ["Python", "AWS", "Kubernetes", "Linux", "Terraform"],
        "harden our infrastructure and review our code",
    ),
    (
        "Full Stack Developer",
        ["TypeScript", "Node.js", "React", "PostgreSQL", "Docker"],
        "own features end to end, from database to UI",
    ),
]
PLACES = [
    ("San Francisco, CA", False),
    ("New York, NY", False),
    ("Austin, TX", False),
    ("Seattle, WA", False),
    ("Boston, MA", False),
    ("Denver, CO", False),
    ("Chicago, IL", False),
    ("Remote", True),
    ("Remote (United States | Canada)", True),
    ("London, United Kingdom", False),
    ("Berlin, Germany", False),
    ("Toronto, ON", False),
]
LEVELS = [
    (Seniority.ENTRY, "Associate", 0, 1, 70_000),
    (Seniority.JUNIOR, "Junior", 1, 3, 90_000),
    (Seniority.MID, "", 3, 5, 120_000),
    (Seniority.SENIOR, "Senior", 5, 8, 155_000),
    (Seniority.LEAD, "Lead", 8, None, 185_000),
    (Seniority.PRINCIPAL, "Principal", 10, None, 220_000),
]
CURRENCY = {
    "London, United Kingdom": ("GBP", 0.75),
    "Berlin, Germany": ("EUR", 0.85),
    "Toronto, ON": ("CAD", 1.3),
}


@dataclass(frozen=True)
class DemoJob:
    title: str
    company_index: int
    description: str
    location: str
    is_remote: bool
    skills: list[str]
    seniority: Seniority
    employment_type: EmploymentType
    salary_min: float
    salary_max: float
    currency: str
    experience_min: float
    experience_max: float | None
    age_hours: int


def generate(count: int, companies: int, seed: int) -> list[DemoJob]:
    rng = random.Random(seed)
    jobs = []
    for _ in range(count):
        role, pool, mission = rng.choice(ROLES)
        level, prefix, years_min, years_max, base = rng.choice(LEVELS)
        location, remote = rng.choice(PLACES)
        currency, factor = CURRENCY.get(location, ("USD", 1.0))
        skills = rng.sample(pool, k=min(len(pool), rng.randint(3, 5)))
        low = round(base * factor * rng.uniform(0.9, 1.1), -3)
        title = f"{prefix} {role}".strip()
        description = (
            f"As a {title.lower()} you will {mission}. You will work with {', '.join(skills[:-1])} and {skills[-1]}. "
            f"We are looking for {years_min}+ years of experience"
            + (f" (up to {years_max})" if years_max else "")
            + f". This role is {'fully remote' if remote else 'based in ' + location}."
        )
        jobs.append(
            DemoJob(
                title=title,
                company_index=rng.randrange(companies),
                description=description,
                location=location,
                is_remote=remote,
                skills=skills,
                seniority=level,
                employment_type=EmploymentType.CONTRACT
                if rng.random() < 0.08
                else EmploymentType.FULL_TIME,
                salary_min=low,
                salary_max=round(low * rng.uniform(1.15, 1.35), -3),
                currency=currency,
                experience_min=years_min,
                experience_max=years_max,
                age_hours=rng.randint(1, 24 * 25),
            )
        )
    return jobs
