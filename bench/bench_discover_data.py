"""Bench data for discover: the real postings parsed and embedded once (cached), then replicated.

`python -m bench discover_data` builds the cache (~15 min of CPU on 2 cores); later runs load it.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from bench.common import BENCH_DIR, model, postings
from domain.errors import DomainError
from domain.imports import draft_from_posting
from domain.jobs import JobDraft
from domain.skills import default_normalizer

VECTORS = BENCH_DIR / "vectors.npy"
DRAFTS = BENCH_DIR / "drafts.pkl"
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
NOISE = 0.02  # per component: a replica keeps cosine ~0.93 to its original


def drafts_and_vectors() -> tuple[list[JobDraft], np.ndarray]:
    """The 8,396 postings as drafts and their embeddings, computed on first use only."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if DRAFTS.exists() and VECTORS.exists():
        with DRAFTS.open("rb") as handle:
            drafts: list[JobDraft] = pickle.load(handle)
        return drafts, np.load(VECTORS)
    normalizer = default_normalizer()
    drafts = []
    for row in postings():
        try:
            drafts.append(
                draft_from_posting(
                    row, platform="ashby", now=NOW, ttl_days=30, normalizer=normalizer
                )
            )
        except DomainError:
            continue
    vectors = np.asarray(
        model().encode(
            [d.text for d in drafts],
            batch_size=64,
            normalize_embeddings=True,
            show_progress_bar=False,
        ),
        dtype=np.float32,
    )
    with DRAFTS.open("wb") as handle:
        pickle.dump(drafts, handle)
    np.save(VECTORS, vectors)
    return drafts, vectors


def replicas(vectors: np.ndarray, start: int, count: int, seed: int = 7) -> np.ndarray:
    """Rows start..start+count: the originals first, then perturbed, re-normalized copies."""
    rng = np.random.default_rng(seed + start)
    index = np.arange(start, start + count) % len(vectors)
    out = vectors[index].astype(np.float32).copy()
    copies = np.arange(start, start + count) >= len(vectors)
    noise = rng.normal(0.0, NOISE, size=(int(copies.sum()), vectors.shape[1])).astype(np.float32)
    out[copies] += noise
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def records(
    drafts: list[JobDraft],
    vectors: np.ndarray,
    start: int,
    company_id: Any,
    rng: np.random.Generator,
) -> list[tuple[Any, ...]]:
    """COPY rows for jobs start..: 90% ACTIVE, posted over the last 30 days, description cut."""
    import uuid

    rows = []
    for offset, vector in enumerate(vectors):
        d = drafts[(start + offset) % len(drafts)]
        status = "ACTIVE" if rng.random() < 0.9 else "CLOSED"
        posted = NOW - timedelta(hours=float(rng.uniform(0, 30 * 24)))
        rows.append(
            (
                uuid.uuid4(),
                company_id,
                d.title[:300],
                d.location,
                d.city,
                d.region,
                d.country,
                d.is_remote,
                d.lat,
                d.lon,
                list(d.skills),
                list(d.keywords),
                d.seniority.value if d.seniority else None,
                d.description[:2000],
                d.salary_annual_min,
                d.salary_annual_max,
                d.salary_currency,
                d.experience_min,
                d.experience_max,
                status,
                posted,
                NOW + timedelta(days=30),
                vector,
                "all-MiniLM-L6-v2",
            )
        )
    return rows


COLUMNS = [
    "id",
    "company_id",
    "title",
    "location",
    "city",
    "region",
    "country",
    "is_remote",
    "lat",
    "lon",
    "skills",
    "keywords",
    "seniority",
    "description",
    "salary_annual_min",
    "salary_annual_max",
    "salary_currency",
    "experience_min",
    "experience_max",
    "status",
    "posted_at",
    "expires_at",
    "embedding",
    "embedding_model",
]


async def main() -> None:
    import asyncio
    import time

    started = time.perf_counter()
    found, embedded = await asyncio.to_thread(drafts_and_vectors)
    print(
        f"discover_data: {len(found)} postings, vectors {embedded.shape}, {time.perf_counter() - started:.1f}s"
    )
