"""Reproducible demo data, generated from a fixed seed: companies, recruiters, candidates, jobs."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from db import jobs, users
from db.engine import transaction
from domain.accounts import ProfileFacts, profile_text
from domain.enums import RemotePreference, Role, SalaryInterval, Seniority
from domain.jobs import JobDraft, with_salary
from domain.locations import parse_location
from domain.postings import extract_keywords
from resolvers.demo_jobs import generate
from resolvers.security import hash_password
from resolvers.services import Services

SEED = 20261122
DEMO_JOBS = 300
DEMO_PASSWORD = "demo-password-1"
COMPANIES = [
    (
        "Northwind Analytics",
        "Data platform for retail forecasting",
        "San Francisco, CA",
        "201-500",
        "Software",
    ),
    (
        "Bluefin Health",
        "Clinical workflow software for hospitals",
        "Boston, MA",
        "501-1000",
        "Healthcare",
    ),
    (
        "Cobalt Robotics Lab",
        "Warehouse robots and fleet software",
        "Austin, TX",
        "51-200",
        "Robotics",
    ),
    ("Lumen Payments", "Payment APIs for marketplaces", "New York, NY", "1001-5000", "Fintech"),
    ("Tidewater Games", "Cross-platform multiplayer games", "Seattle, WA", "51-200", "Gaming"),
    ("Evergreen Energy Systems", "Grid analytics for utilities", "Denver, CO", "201-500", "Energy"),
]
CANDIDATES = [
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
]


async def seed(services: Services) -> str:
    """Creates the demo accounts (idempotent by email) and returns the sign-in summary."""
    rng = random.Random(SEED)
    password_hash = hash_password(DEMO_PASSWORD)
    texts = [
        profile_text(ProfileFacts(headline, seniority, years, skills, locations, remote))
        for _, headline, skills, seniority, years, locations, remote, _ in CANDIDATES
    ]
    vectors = await services.embedder.embed(texts)
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    async with transaction(services.sessions) as session:
        for index, (name, description, location, size, industry) in enumerate(COMPANIES):
            company = await users.get_company_by_name(session, name)
            if company is None:
                company = await users.add_company(
                    session,
                    name=name,
                    description=description,
                    location=location,
                    size=size,
                    industry=industry,
                    website=f"https://{name.split()[0].lower()}.example.com",
                )
            email = f"recruiter{index + 1}@demo.jobmatch.dev"
            if not await users.email_taken(session, email):
                await users.add_user(
                    session,
                    email=email,
                    password_hash=password_hash,
                    role=Role.COMPANY_ADMIN.value,
                    company_id=company.id,
                )
            lines.append(f"  COMPANY_ADMIN {email} ({name})")
        for (email, headline, skills, seniority, years, locations, remote, salary), vector in zip(
            CANDIDATES, vectors, strict=True
        ):
            if not await users.email_taken(session, email):
                embedding = [float(x) for x in vector]
                await users.add_user(
                    session,
                    email=email,
                    password_hash=password_hash,
                    role=Role.CANDIDATE.value,
                    headline=headline,
                    skills=skills,
                    seniority=seniority.value,
                    years_of_experience=years,
                    preferred_locations=locations,
                    remote_preference=remote.value,
                    salary_min=salary,
                    salary_max=salary + rng.choice([20_000, 30_000, 40_000]),
                    salary_currency="USD",
                    base_embedding=embedding,
                    current_embedding=embedding,
                    embedding_model=services.embedder.model_name,
                )
            lines.append(f"  CANDIDATE     {email}")
    created = await _seed_jobs(services)
    lines.append(f"{created} demo jobs created ({DEMO_JOBS} in the demo set)")
    return "\n".join(lines)


async def _seed_jobs(services: Services) -> int:
    now = services.clock()
    ttl = timedelta(days=services.settings.job_ttl_days)
    drafts = []
    for index, spec in enumerate(generate(DEMO_JOBS, len(COMPANIES), SEED)):
        place = parse_location(spec.location)
        posted = now - timedelta(hours=spec.age_hours)
        draft = JobDraft(
            title=spec.title,
            company=COMPANIES[spec.company_index][0],
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
            source_platform="demo",
            external_id=f"demo-{index:04d}",
        )
        drafts.append(
            with_salary(draft, spec.salary_min, spec.salary_max, spec.currency, SalaryInterval.YEAR)
        )
    async with transaction(services.sessions) as session:
        existing = await jobs.existing_by_source(
            session, "demo", [d.external_id or "" for d in drafts]
        )
        companies = await jobs.companies_by_name(session, [name for name, *_ in COMPANIES])
    fresh = [d for d in drafts if d.external_id not in existing]
    vectors = await services.embedder.embed([d.text for d in fresh])
    rows = [
        d.columns()
        | {
            "id": uuid.uuid4(),
            "company_id": companies[d.company.lower()],
            "embedding": [float(x) for x in v],
            "embedding_model": services.embedder.model_name,
        }
        for d, v in zip(fresh, vectors, strict=True)
    ]
    async with transaction(services.sessions) as session:
        await jobs.insert_many(session, rows)
    return len(rows)
