"""Embedding throughput on real postings: today's fp32 against the precision, threads and batch
size the embedder chooses at start-up, with the agreement of the vectors it makes.

Configurations are timed round-robin on the same chunks of texts (the machine is shared: a
ratio inside one run means more than a rate), each chunk's texts/s kept and the median reported.
Agreement: cosine of each text's vector against fp32 (mean, min), and how many of each text's 10
nearest neighbours among the texts stay the same (the feed and matching rank by those).
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import numpy as np
import torch

from adapters.embedder import (
    SentenceEmbedder,
    Vectors,
    choose_precision,
    choose_threads,
    usable_cores,
)
from bench.bench_import import _texts
from bench.common import model, postings, report

TEXTS = int(os.environ.get("BENCH_EMBED_TEXTS", "384"))
CHUNK = int(os.environ.get("BENCH_EMBED_CHUNK", "128"))
NEIGHBOURS = 10


def _neighbour_overlap(reference: Vectors, other: Vectors) -> float:
    """Mean share of each text's NEIGHBOURS nearest (by reference) that `other` also finds."""

    def nearest(vectors: Vectors) -> Any:
        similarity = vectors @ vectors.T
        np.fill_diagonal(similarity, -np.inf)
        return np.argsort(-similarity, axis=1)[:, :NEIGHBOURS]

    ours, theirs = nearest(reference), nearest(other)
    shared = [len(set(a) & set(b)) / NEIGHBOURS for a, b in zip(ours, theirs, strict=True)]
    return float(np.mean(shared))


def _timed(embedder: SentenceEmbedder, threads: int, texts: list[str]) -> tuple[float, Vectors]:
    torch.set_num_threads(threads)
    started = time.perf_counter()
    vectors = embedder.encode_sync(texts)
    return len(texts) / (time.perf_counter() - started), vectors


async def main() -> None:
    encoder = model()
    texts = _texts(postings()[: TEXTS * 2])[:TEXTS]
    chosen = choose_precision("auto")
    threads = choose_threads(0)
    today_threads = torch.get_num_threads()  # torch's own default: every core
    configs: dict[str, tuple[SentenceEmbedder, int]] = {
        "today_fp32_bs64": (
            SentenceEmbedder(encoder, precision="fp32", batch_size=64),
            today_threads,
        ),
        "fp32_bs64": (SentenceEmbedder(encoder, precision="fp32", batch_size=64), threads),
    }
    for batch in (32, 64, 128):
        configs[f"{chosen}_bs{batch}"] = (
            SentenceEmbedder(encoder, precision=chosen, batch_size=batch),
            threads,
        )
    if threads != today_threads:  # what the core left to the event loop costs
        configs[f"{chosen}_bs64_all_cores"] = (
            SentenceEmbedder(encoder, precision=chosen, batch_size=64),
            today_threads,
        )
    for embedder, count in configs.values():  # warm-up: first calls allocate and pick kernels
        _timed(embedder, count, texts[:16])
    rates: dict[str, list[float]] = {name: [] for name in configs}
    vectors: dict[str, list[Vectors]] = {name: [] for name in configs}
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        for name, (embedder, count) in configs.items():
            rate, made = _timed(embedder, count, chunk)
            rates[name].append(rate)
            vectors[name].append(made)
    torch.set_num_threads(threads)
    median = {name: statistics.median(values) for name, values in rates.items()}
    reference = np.concatenate(vectors["today_fp32_bs64"])
    default = SentenceEmbedder(encoder, precision=chosen).batch_size
    served = f"{chosen}_bs{default}"
    figures: dict[str, Any] = {
        "texts": len(texts),
        "chunks": len(rates[served]),
        "cores": usable_cores(),
        "bf16_supported": chosen == "bf16",
        "chosen_precision": chosen,
        "chosen_threads": threads,
        "chosen_batch_size": default,
        "today_threads": today_threads,
    }
    figures |= {f"{name}_texts_per_s": rate for name, rate in median.items()}
    figures["speedup_chosen_over_today (target >= 2.5)"] = (
        median[served] / median["today_fp32_bs64"]
    )
    figures["speedup_chosen_over_fp32_same_threads"] = median[served] / median["fp32_bs64"]
    for name in configs:
        if name.startswith(chosen) and chosen != "fp32":
            made = np.concatenate(vectors[name])
            cosine = np.sum(made * reference, axis=1)
            # Six decimals: agreement this close prints as 1.000 otherwise.
            figures[f"{name}_cosine_mean"] = f"{cosine.mean():.6f}"
            figures[f"{name}_cosine_min (target >= 0.99)"] = f"{cosine.min():.6f}"
            figures[f"{name}_top{NEIGHBOURS}_neighbour_overlap"] = _neighbour_overlap(
                reference, made
            )
    report("embedding", figures)
