"""Import throughput against raw model.encode on the same texts, and the full real file end to end."""

from __future__ import annotations

import os
import time
from typing import Any

from bench.common import Timer, model, peak_rss_mb, postings, report, scratch_runtime
from domain.imports import draft_from_posting
from domain.skills import default_normalizer
from resolvers.imports import run_import
from resolvers.services import utc_now

RATIO_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "2000"))


def _texts(rows: list[dict[str, Any]]) -> list[str]:
    now, normalizer = utc_now(), default_normalizer()
    texts = []
    for row in rows:
        try:
            texts.append(
                draft_from_posting(
                    row, platform="ashby", now=now, ttl_days=3650, normalizer=normalizer
                ).text
            )
        except ValueError:
            continue
    return texts


async def _import(rows: list[dict[str, Any]], name: str) -> dict[str, float]:
    async with scratch_runtime(name) as runtime:
        embedder = runtime.services.embedder
        spent = {"encode": 0.0}
        original = embedder.encode_sync

        def timed(texts: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(texts)
            finally:
                spent["encode"] += time.perf_counter() - started

        embedder.encode_sync = timed  # type: ignore[method-assign]
        with Timer() as timer:
            batch = await run_import(runtime.services, "ashby", rows, created_by=None)
        return {
            "seconds": timer.seconds,
            "created": batch.created,
            "failed": batch.failed,
            "encode_seconds": spent["encode"],
        }


async def main() -> None:
    rows = postings()
    sample = rows[:RATIO_ROWS]
    texts = _texts(sample)
    encoder = model()
    encoder.encode(texts[:64], batch_size=64, normalize_embeddings=True)  # warm-up
    with Timer() as raw:
        encoder.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    small = await _import(sample, "import_ratio")
    raw_rate = len(texts) / raw.seconds
    import_rate = len(sample) / small["seconds"]
    full = await _import(rows, "import_full")
    report(
        "import",
        {
            "ratio_rows": len(sample),
            "raw_encode_texts_per_s": raw_rate,
            "import_rows_per_s": import_rate,
            "throughput_ratio_vs_raw_encode (target >= 0.8)": import_rate / raw_rate,
            "full_rows": len(rows),
            "full_created": full["created"],
            "full_failed": full["failed"],
            "full_seconds": full["seconds"],
            "full_jobs_per_s": len(rows) / full["seconds"],
            "full_embedding_share": full["encode_seconds"] / full["seconds"],
            "peak_rss_mb": peak_rss_mb(),
        },
    )
