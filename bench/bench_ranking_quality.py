"""nDCG@10 of candidatesForJob per preset (issue 11, quality): the 1,237 LiveCareer dev resumes
as one agency's pool, the 48 category postings of bench_resume_quality as jobs, relevant = the
resume's category is the posting's. Also the stage-one order alone (profile-embedding cosine)."""

from __future__ import annotations

import asyncio
import gzip
import json
import math
import uuid
from datetime import UTC, datetime
from typing import Any

from app import Runtime
from bench.bench_resume_quality import POSTINGS, RESUMES, TODAY
from bench.common import Timer, report, scratch_runtime
from db import recruiting as db_recruiting
from db.feed import AnnSettings
from db.loaders import Loaders
from db.models import Candidate, Company, Job, User
from domain.candidates import candidate_record
from domain.enums import CandidateSource, CompanyKind, Role, ScoringPreset
from domain.errors import InvalidInput
from domain.jobs import JobFields, draft_from_fields
from domain.resumes import parse_resume
from domain.skills import default_normalizer
from resolvers import recruiting
from resolvers.services import Viewer

NOW = datetime(2018, 6, 1, tzinfo=UTC)
K = 10


def ndcg(relevant: list[bool], available: int, k: int = K) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(relevant[:k]) if hit)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, available)))
    return dcg / ideal if ideal else 0.0


async def _pool(runtime: Runtime, company_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """The dev resumes parsed and embedded as pool candidates; returns id -> category."""
    normalizer = default_normalizer()
    with gzip.open(RESUMES, "rt") as handle:
        rows = [json.loads(line) for line in handle]
    records, categories = [], []
    for row in rows:
        try:
            parsed = parse_resume(row["text"], normalizer, today=TODAY)
        except InvalidInput:
            continue
        records.append(candidate_record(parsed, {}, normalizer))
        categories.append(row["category"])
    vectors = await runtime.services.embedder.embed([r.text for r in records])
    model, found = runtime.services.embedder.model_name, {}
    async with runtime.services.sessions() as session, session.begin():
        for record, category, vector in zip(records, categories, vectors, strict=True):
            row = Candidate(
                id=uuid.uuid4(),
                company_id=company_id,
                embedding=[float(x) for x in vector],
                embedding_model=model,
                **record.values,
            )
            session.add(row)
            found[row.id] = category
    return found


async def _jobs(runtime: Runtime, company_id: uuid.UUID) -> dict[uuid.UUID, str]:
    normalizer, drafts = default_normalizer(), []
    for category, texts in POSTINGS.items():
        for text in texts:
            title, _, body = text.partition(":")
            skills = normalizer.extract(text)
            fields = JobFields(title=title.strip(), description=body.strip(), skills=skills)
            drafts.append(
                (
                    category,
                    draft_from_fields(
                        fields, company="Bench", posted_at=NOW, normalizer=normalizer
                    ),
                )
            )
    vectors = await runtime.services.embedder.embed([d.text for _, d in drafts])
    found = {}
    async with runtime.services.sessions() as session, session.begin():
        for (category, draft), vector in zip(drafts, vectors, strict=True):
            job = Job(
                id=uuid.uuid4(),
                company_id=company_id,
                embedding=[float(x) for x in vector],
                embedding_model=runtime.services.embedder.model_name,
                **draft.columns(),
            )
            session.add(job)
            found[job.id] = category
    return found


async def _world(runtime: Runtime) -> tuple[Viewer, dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    async with runtime.services.sessions() as session, session.begin():
        company = Company(id=uuid.uuid4(), name="Bench Agency", kind=CompanyKind.AGENCY.value)
        session.add(company)
        await session.flush()
        user = User(
            id=uuid.uuid4(),
            email="agent@bench.test",
            password_hash="x",
            role=Role.RECRUITER.value,
            company_id=company.id,
        )
        session.add(user)
    viewer = Viewer(user.id, Role.RECRUITER, company.id, None)  # type: ignore[arg-type]
    return viewer, await _pool(runtime, company.id), await _jobs(runtime, company.id)


async def _cosine_only(
    runtime: Runtime,
    viewer: Viewer,
    people: dict[uuid.UUID, str],
    jobs: dict[uuid.UUID, str],
    per_category: dict[str, int],
) -> float:
    """Stage one alone: the pool's nearest by profile-embedding cosine, no preset."""
    scores = []
    async with runtime.services.sessions() as session:
        for job_id, category in jobs.items():
            job = await session.get(Job, job_id)
            assert job is not None and viewer.company_id is not None
            nearest = await db_recruiting.nearest_pool(
                session,
                [float(x) for x in job.embedding],
                company_id=viewer.company_id,
                model=runtime.services.embedder.model_name,
                k=K,
                ann=AnnSettings(400, 20_000),
            )
            hits = [people[f.row.id] == category for f in nearest]
            scores.append(ndcg(hits, per_category[category]))
    return sum(scores) / len(scores)


async def main() -> None:
    async with scratch_runtime("ranking_quality") as runtime:
        services = runtime.services
        services.clock = lambda: NOW
        with Timer() as setup:
            viewer, people, jobs = await _world(runtime)
        per_category: dict[str, int] = {}
        for category in people.values():
            per_category[category] = per_category.get(category, 0) + 1
        figures: dict[str, Any] = {
            "pool": len(people),
            "postings": len(jobs),
            "setup_s": setup.seconds,
        }
        for preset in ScoringPreset:
            question = recruiting.Question((CandidateSource.POOL,), preset, 0.0)
            scores = []
            for job_id, category in jobs.items():
                page = await recruiting.candidates_for_job(
                    services, Loaders.create(services.sessions), viewer, job_id, K, None, question
                )
                hits = [people[e.person.id] == category for e in page.edges]
                scores.append(ndcg(hits, per_category[category]))
            figures[f"ndcg@10_{preset.value}"] = sum(scores) / len(scores)
        figures["ndcg@10_cosine_only"] = await _cosine_only(
            runtime, viewer, people, jobs, per_category
        )
        report("ranking_quality", figures)


if __name__ == "__main__":
    asyncio.run(main())
