"""uploadResume latency through a real server: the 48 real PDFs (multipart) and 50 pasted dev
texts, one at a time, with the 300 demo jobs ACTIVE for the preview; against raw model.encode of
the same resume's profile text in the same run.

The issue's promise: "it arrives in about a second for a typical 2-page resume". Latency is the
client's view (request sent to answer parsed): read in the worker, parse, profile fill, two
embeddings, the preview over the feed's pool. `BENCH_UPLOAD_TEXTS` sets the number of texts.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from adapters.resumes import extract
from bench.common import DATA, model, percentiles, report, scratch_runtime, start_server
from domain.resumes import parse_resume, resume_profile_text
from domain.skills import default_normalizer
from resolvers import demo
from tests.graphql_client import GraphQLClient, over_http

TEXTS = int(os.environ.get("BENCH_UPLOAD_TEXTS", "50"))
RESUMES = DATA / "resumes"
SECRET = "bench-upload-" + "x" * 40
REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }"
UPLOAD = """mutation($file: Upload, $text: String) {
  uploadResume(file: $file, text: $text) {
    resume { id headline skills }
    preview { totalMatches top { score job { id } } }
  }
}"""
_HEADERS = {"Apollo-Require-Preflight": "true"}


def _pdfs() -> list[Path]:
    return sorted((RESUMES / "pdf").glob("*.pdf"))


def _texts() -> list[str]:
    with gzip.open(RESUMES / "livecareer_dev.jsonl.gz", "rt") as handle:
        texts = [row["text"] for row in map(json.loads, handle) if row["text"].strip()]
    step = max(1, len(texts) // TEXTS)
    return texts[::step][:TEXTS]


def _pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


async def _upload(client: GraphQLClient, token: str, item: bytes | str) -> dict[str, Any]:
    headers = _HEADERS | {"Authorization": f"Bearer {token}"}
    if isinstance(item, str):
        body = {"query": UPLOAD, "variables": {"text": item}}
        response = await client.http.post(client.url, json=body, headers=headers)
    else:
        operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
        response = await client.http.post(
            client.url,
            data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
            files={"0": ("resume.pdf", item, "application/pdf")},
            headers=headers,
        )
    answer: dict[str, Any] = response.json()
    if answer.get("errors"):
        raise RuntimeError(answer["errors"])
    return answer


def _encode_seconds(text: str) -> float:
    started = time.perf_counter()
    model().encode([text], normalize_embeddings=True, show_progress_bar=False)
    return time.perf_counter() - started


async def _run(
    client: GraphQLClient, token: str, items: list[bytes | str], texts: list[str]
) -> dict[str, Any]:
    """Each upload, then raw model.encode of the profile text the server embeds for it."""
    normalizer, today = default_normalizer(), date.today()
    latencies, encodes, matches = [], [], []
    for item, text in zip(items, texts, strict=True):
        started = time.perf_counter()
        answer = await _upload(client, token, item)
        latencies.append(time.perf_counter() - started)
        matches.append(answer["data"]["uploadResume"]["preview"]["totalMatches"])
        profile = resume_profile_text(parse_resume(text, normalizer, today=today))
        encodes.append(_encode_seconds(profile))
    spread, raw = percentiles(latencies), percentiles(encodes)
    return {
        "uploads": len(items),
        "p50_ms": spread["p50"] * 1000,
        "p95_ms": spread["p95"] * 1000,
        "max_ms": spread["max"] * 1000,
        "raw_encode_p50_ms": raw["p50"] * 1000,
        "raw_encode_p95_ms": raw["p95"] * 1000,
        "p50_ratio_vs_raw_encode": spread["p50"] / raw["p50"],
        "median_per_resume_ratio": statistics.median(
            lat / enc for lat, enc in zip(latencies, encodes, strict=True)
        ),
        "preview_total_matches_median": statistics.median(matches),
        "latencies_ms": [round(s * 1000, 1) for s in latencies],
    }


async def main() -> None:
    pdfs = [path.read_bytes() for path in _pdfs()]
    pasted = _texts()
    async with scratch_runtime("upload_resume") as runtime:
        await demo.seed(runtime.services)
        url = runtime.url
    server, base = await start_server(url, SECRET)
    try:
        async with over_http(f"{base}/graphql") as client:
            token = (
                await client.ok(
                    REGISTER, {"i": {"email": "up@bench.test", "password": "bench-pass-1"}}
                )
            )["register"]["accessToken"]
            model().encode(["warm up"] * 8)
            await _upload(client, token, pdfs[0])  # starts the server's resume worker
            pdf_texts = [extract(data).text for data in pdfs]
            figures: dict[str, Any] = {}
            for kind, items, texts in (
                ("pdf", list[bytes | str](pdfs), pdf_texts),
                ("text", list[bytes | str](pasted), pasted),
            ):
                run = await _run(client, token, items, texts)
                latencies = run.pop("latencies_ms")
                figures |= {f"{kind}_{key}": value for key, value in run.items()}
                if kind == "pdf":
                    short = [
                        ms for ms, data in zip(latencies, pdfs, strict=True) if _pages(data) <= 2
                    ]
                    figures["pdf_1_2_pages"] = len(short)
                    figures["pdf_1_2_pages_p50_ms"] = statistics.median(short)
            figures["pdf_pages_median"] = statistics.median(_pages(data) for data in pdfs)
            figures["text_chars_median"] = statistics.median(len(text) for text in pasted)
    finally:
        server.terminate()
        await server.wait()
    report("upload_resume", figures)
