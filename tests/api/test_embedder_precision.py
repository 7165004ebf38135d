"""The embedding precision chosen at start-up: bf16 where the CPU runs it natively, and vectors
that agree with fp32 on real postings (stored fp32 vectors and new bf16 ones are mixed)."""

from __future__ import annotations

import gzip
import json
from typing import Any

import numpy as np
import pytest

from adapters.embedder import SentenceEmbedder, bf16_supported, embedder_for
from app import Runtime
from domain.config import Settings, settings_from_env
from domain.errors import InvalidInput
from domain.imports import draft_from_posting
from domain.skills import default_normalizer
from resolvers.services import utc_now
from tests.conftest import SHARED

POSTINGS = SHARED / "data" / "jobs" / "ashby_jobs.json.gz"
TEXTS = 48


def _real_job_texts(count: int) -> list[str]:
    with gzip.open(POSTINGS) as handle:
        rows: list[dict[str, Any]] = json.load(handle)
    now, normalizer = utc_now(), default_normalizer()
    texts: list[str] = []
    for row in rows[::97]:  # spread over the file: many companies and kinds of job
        try:
            draft = draft_from_posting(
                row, platform="ashby", now=now, ttl_days=3650, normalizer=normalizer
            )
        except ValueError:
            continue
        texts.append(draft.text)
        if len(texts) == count:
            break
    return texts


def test_the_runtime_embeds_in_bf16_where_the_cpu_has_it_and_fp32_elsewhere(
    runtime: Runtime,
) -> None:
    chosen = runtime.services.embedder.precision
    assert chosen == ("bf16" if bf16_supported() else "fp32")


def test_the_precision_setting_is_honoured_and_checked(model: Any) -> None:
    fp32 = settings_from_env({"JOBMATCH_EMBED_PRECISION": "FP32"})
    assert embedder_for(model, fp32).precision == "fp32"
    assert embedder_for(model, Settings(embed_precision="bf16")).precision == "bf16"
    with pytest.raises(InvalidInput, match="JOBMATCH_EMBED_PRECISION"):
        settings_from_env({"JOBMATCH_EMBED_PRECISION": "int8"})


def test_bf16_vectors_agree_with_fp32_on_real_postings(model: Any) -> None:
    texts = _real_job_texts(TEXTS)
    assert len(texts) == TEXTS
    reference = SentenceEmbedder(model, precision="fp32").encode_sync(texts)
    fast = SentenceEmbedder(model, precision="bf16").encode_sync(texts)
    assert fast.dtype == np.float32 and fast.shape == reference.shape
    assert not np.array_equal(fast, reference)  # bf16 did run: its rounding shows
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    cosine = np.sum(fast * reference, axis=1)
    assert cosine.min() >= 0.99, cosine.min()
    # The ranking the feed sees: each text's nearest other text is the same in both precisions.
    nearest = [np.argsort(-(v @ v.T - 2 * np.eye(TEXTS)), axis=1)[:, 0] for v in (reference, fast)]
    assert np.mean(nearest[0] == nearest[1]) >= 0.95
