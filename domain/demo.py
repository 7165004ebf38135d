"""Reproducible demo data as plain values: companies, recruiters, candidates, generated jobs."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.accounts import ProfileFacts
from domain.enums import EmploymentType, RemotePreference, SalaryInterval, Seniority
from domain.jobs import JobDraft, with_salary
from domain.locations import parse_location
from domain.postings import extract_keywords

SEED = 20261122
DEMO_JOBS = 300
MAX_AGE_DAYS = 25  # demo jobs are posted up to this many days before they are loaded
DEMO_PASSWORD = "demo-password-1"
DEMO_PLATFORM = "demo"
# Demo jobs get the same ids on every install (uuid5 of their external id), so the README's
# examples and GraphiQL's tour can name them.
DEMO_JOB_NAMESPACE = uuid.UUID("6f1c1f9e-2f44-5d1e-9a57-4a3c0d5e7b21")
# Each demo candidate swipes RIGHT on the top of their feed (applications) and LEFT on the next.
RIGHT_SWIPES = 2
LEFT_SWIPES = 1


@dataclass(frozen=True)
class DemoCompany:
    name: str
    description: str
    location: str
    size: str
    industry: str
    admin_email: str

    @property
    def website(self) -> str:
        return f"https://{self.name.split()[0].lower()}.example.com"


@dataclass(frozen=True)
class DemoCandidate:
    email: str
    headline: str
    skills: list[str]
    seniority: Seniority
    years: int
    locations: list[str]
    remote: RemotePreference
    salary_min: int
    salary_max: int

    @property
    def facts(self) -> ProfileFacts:
        return ProfileFacts(
            self.headline, self.seniority, self.years, self.skills, self.locations, self.remote
        )


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


COMPANIES = (
    DemoCompany(
        "Northwind Analytics",
        "Data platform for retail forecasting",
        "San Francisco, CA",
        "201-500",
        "Software",
        "recruiter1@demo.jobmatch.dev",
    ),
    DemoCompany(
        "Bluefin Health",
        "Clinical workflow software for hospitals",
        "Boston, MA",
        "501-1000",
        "Healthcare",
        "recruiter2@demo.jobmatch.dev",
    ),
    DemoCompany(
        "Cobalt Robotics Lab",
        "Warehouse robots and fleet software",
        "Austin, TX",
        "51-200",
        "Robotics",
        "recruiter3@demo.jobmatch.dev",
    ),
    DemoCompany(
        "Lumen Payments",
        "Payment APIs for marketplaces",
        "New York, NY",
        "1001-5000",
        "Fintech",
        "recruiter4@demo.jobmatch.dev",
    ),
    DemoCompany(
        "Tidewater Games",
        "Cross-platform multiplayer games",
        "Seattle, WA",
        "51-200",
        "Gaming",
        "recruiter5@demo.jobmatch.dev",
    ),
    DemoCompany(
        "Evergreen Energy Systems",
        "Grid analytics for utilities",
        "Denver, CO",
        "201-500",
        "Energy",
        "recruiter6@demo.jobmatch.dev",
    ),
)
CANDIDATES = (
    (
        "ada@demo.jobmatch.dev",
        "Backend engineer who loves distributed systems",
        ["Python", "PostgreSQL", "Kubernetes", "AWS"],
        Seniority.SENIOR,
        7,
        ["San Francisco, CA", "Remote"],
        RemotePreference.REMOTE_OK,
        160_000,
    ),
    (
        "grace@demo.jobmatch.dev",
        "Frontend developer focused on accessible design systems",
        ["TypeScript", "React", "CSS", "GraphQL"],
        Seniority.MID,
        4,
        ["New York, NY"],
        RemotePreference.REMOTE_OK,
        120_000,
    ),
    (
        "linus@demo.jobmatch.dev",
        "Machine learning engineer shipping NLP models",
        ["Python", "PyTorch", "Machine Learning", "Docker"],
        Seniority.SENIOR,
        6,
        ["Remote"],
        RemotePreference.REMOTE_ONLY,
        170_000,
    ),
    (
        "katherine@demo.jobmatch.dev",
        "Data analyst turning messy data into decisions",
        ["SQL", "Python", "Tableau", "Excel"],
        Seniority.JUNIOR,
        2,
        ["Boston, MA", "Austin, TX"],
        RemotePreference.ONSITE,
        80_000,
    ),
    (
        "margaret@demo.jobmatch.dev",
        "Site reliability engineer, on-call veteran",
        ["Go", "Kubernetes", "Terraform", "Prometheus"],
        Seniority.LEAD,
        10,
        ["Seattle, WA", "Remote"],
        RemotePreference.REMOTE_OK,
        190_000,
    ),
)
TOUR_CANDIDATE = CANDIDATES[0][0]  # GraphiQL's tour and the README follow this job seeker
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


def candidates(rng: random.Random) -> list[DemoCandidate]:
    """The demo candidates; each one's salary band is drawn from `rng`."""
    return [
        DemoCandidate(*row, salary_max=row[-1] + rng.choice([20_000, 30_000, 40_000]))
        for row in CANDIDATES
    ]


def generate(rng: random.Random, count: int, companies: int) -> list[DemoJob]:
    """`count` postings over roles x seniorities x places, spread over `companies` companies."""
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
                age_hours=rng.randint(1, 24 * MAX_AGE_DAYS),
            )
        )
    return jobs


def job_drafts(
    rng: random.Random, now: datetime, ttl: timedelta, count: int = DEMO_JOBS
) -> list[JobDraft]:
    """The demo jobs as drafts posted up to MAX_AGE_DAYS before `now`, each expiring `ttl`
    after its posting."""
    return [
        _draft(index, spec, now, ttl)
        for index, spec in enumerate(generate(rng, count, len(COMPANIES)))
    ]


def _draft(index: int, spec: DemoJob, now: datetime, ttl: timedelta) -> JobDraft:
    place = parse_location(spec.location)
    posted = now - timedelta(hours=spec.age_hours)
    draft = JobDraft(
        title=spec.title,
        company=COMPANIES[spec.company_index].name,
        description=spec.description,
        posted_at=posted,
        expires_at=posted + ttl,
        location=spec.location,
        city=place.city,
        region=place.region,
        country=place.country,
        is_remote=spec.is_remote,
        skills=tuple(spec.skills),
        keywords=tuple(extract_keywords(f"{spec.title} {spec.description}")),
        seniority=spec.seniority,
        employment_type=spec.employment_type,
        experience_min=spec.experience_min,
        experience_max=spec.experience_max,
        source_platform=DEMO_PLATFORM,
        external_id=f"demo-{index:04d}",
    )
    return with_salary(draft, spec.salary_min, spec.salary_max, spec.currency, SalaryInterval.YEAR)


def demo_job_id(external_id: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_JOB_NAMESPACE, external_id)


def summary(jobs_created: int) -> str:
    """What `seed-demo` prints: how to sign in, and how many jobs this run added."""
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  COMPANY_ADMIN {c.admin_email} ({c.name})" for c in COMPANIES]
    lines += [f"  CANDIDATE     {email}" for email, *_ in CANDIDATES]
    lines.append(f"{jobs_created} demo jobs created ({DEMO_JOBS} in the demo set)")
    return "\n".join(lines)
