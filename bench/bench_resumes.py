"""Resume throughput: read (worker process) + parse + embed for the 48 real PDFs and 1,000 text
resumes, against raw model.encode on the same profile texts in the same run.

Each resume goes the way an upload does: bytes through ProcessResumeReader, parse_resume off the
event loop, the profile text through the batching SentenceEmbedder; `BENCH_RESUME_CONCURRENCY`
uploads are in flight at once (default 4). Also: plain vs layout PDF extraction, word agreement
with the dataset's own texts. `BENCH_RESUME_TEXTS` sets the number of text resumes (default 1000).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from adapters.embedder import SentenceEmbedder
from adapters.resumes import ProcessResumeReader
from bench.common import DATA, Timer, model, percentiles, report
from domain.resumes import normalize_resume_text, parse_resume, resume_profile_text
from domain.skills import default_normalizer

TEXTS = int(os.environ.get("BENCH_RESUME_TEXTS", "1000"))
CONCURRENCY = int(os.environ.get("BENCH_RESUME_CONCURRENCY", "4"))
RESUMES = DATA / "resumes"
_WORD = re.compile(r"\w+")


def _dataset() -> dict[str, str]:
    with gzip.open(RESUMES / "livecareer_dev.jsonl.gz", "rt") as handle:
        return {row["id"]: row["text"] for row in map(json.loads, handle)}


def _words(text: str) -> Counter[str]:
    return Counter(word.lower() for word in _WORD.findall(text))


def _pairs(text: str) -> Counter[tuple[str, str]]:
    words = [word.lower() for word in _WORD.findall(text)]
    return Counter(zip(words, words[1:], strict=False))


def _extraction_modes(pdfs: list[Path], dataset: dict[str, str]) -> dict[str, float]:
    """Word recall, precision and in-order word pairs of each pypdf mode against the dataset."""
    from pypdf import PdfReader

    figures: dict[str, float] = {}
    for mode in ("plain", "layout"):
        recall, precision, pairs = [], [], []
        for path in pdfs:
            reader = PdfReader(path)
            text = "\n".join(page.extract_text(extraction_mode=mode) for page in reader.pages)
            expected = dataset[path.stem.rsplit("-", 1)[1]]
            common = sum((_words(expected) & _words(text)).values())
            recall.append(common / sum(_words(expected).values()))
            precision.append(common / max(1, sum(_words(text).values())))
            ordered = _pairs(expected)
            pairs.append(sum((ordered & _pairs(text)).values()) / sum(ordered.values()))
        for name, values in (("recall", recall), ("precision", precision), ("pairs", pairs)):
            figures[f"{mode}_word_{name}_mean"] = sum(values) / len(values)
            figures[f"{mode}_word_{name}_min"] = min(values)
    return figures


async def _pipeline(
    files: list[bytes], reader: ProcessResumeReader, embedder: SentenceEmbedder
) -> tuple[dict[str, Any], list[str]]:
    normalizer, today = default_normalizer(), date.today()
    gate = asyncio.Semaphore(CONCURRENCY)
    latencies: list[float] = []
    stages = {"read": 0.0, "parse": 0.0, "embed": 0.0}
    profiles: list[str] = [""] * len(files)

    async def one(index: int, data: bytes) -> None:
        async with gate:
            started = time.perf_counter()
            found = await reader.read(data, None)
            read = time.perf_counter()
            parsed = await asyncio.to_thread(parse_resume, found.text, normalizer, today=today)
            profiles[index] = resume_profile_text(parsed)
            parse = time.perf_counter()
            await embedder.embed_one(profiles[index])
            done = time.perf_counter()
            stages["read"] += read - started
            stages["parse"] += parse - read
            stages["embed"] += done - parse
            latencies.append(done - started)

    with Timer() as timer:
        await asyncio.gather(*(one(i, data) for i, data in enumerate(files)))
    spread = percentiles(latencies)
    figures = {
        "resumes": len(files),
        "resumes_per_s": len(files) / timer.seconds,
        "p50_ms": spread["p50"] * 1000,
        "p95_ms": spread["p95"] * 1000,
        **{f"{stage}_share": spent / sum(stages.values()) for stage, spent in stages.items()},
    }
    return figures, profiles


def _raw_encode(texts: list[str]) -> float:
    encoder = model()
    with Timer() as timer:
        encoder.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    return len(texts) / timer.seconds


async def main() -> None:
    dataset = _dataset()
    pdfs = sorted((RESUMES / "pdf").glob("*.pdf"))
    corpus = {
        "pdf": [path.read_bytes() for path in pdfs],
        "text": [text.encode() for text in dataset.values() if text.strip()][:TEXTS],
    }
    figures: dict[str, Any] = _extraction_modes(pdfs, dataset)
    reader = ProcessResumeReader(workers=2)
    embedder = SentenceEmbedder(model())
    try:
        await reader.read(corpus["pdf"][0], None)  # starts a worker
        model().encode(["warm up"] * 64, batch_size=64)
        for kind, files in corpus.items():
            run, profiles = await _pipeline(files, reader, embedder)
            raw_rate = _raw_encode(profiles)
            figures |= {f"{kind}_{key}": value for key, value in run.items()}
            figures[f"{kind}_raw_encode_texts_per_s"] = raw_rate
            figures[f"{kind}_throughput_ratio_vs_raw_encode"] = run["resumes_per_s"] / raw_rate
        agreement = []
        for path, data in zip(pdfs, corpus["pdf"], strict=True):
            expected = _words(normalize_resume_text(dataset[path.stem.rsplit("-", 1)[1]]))
            got = _words((await reader.read(data, None)).text)
            agreement.append(sum((expected & got).values()) / sum(expected.values()))
        figures["reader_pdf_word_recall_mean"] = sum(agreement) / len(agreement)
        figures["reader_pdf_word_recall_min"] = min(agreement)
    finally:
        await reader.aclose()
        await embedder.aclose()
    report("resumes", figures)
