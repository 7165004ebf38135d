"""Cross-source duplicates: one posting scraped from two platforms is one job with two sources.

Two postings are the same when their normalized company, title and place agree (`posting_key`)
and their descriptions are near-identical: the Hamming distance of their 64-bit simhashes over
word 3-shingles is at most `MAX_DISTANCE`. Chosen on the 8,396 real postings
(bench/bench_duplicates.py): every same-key pair within 7 is a near-identical text (character
similarity >= 0.93 by hand check); of the pairs beyond it only one (at 10, a short text) is
near-identical, the rest are other teams' texts or translations. 7 catches 96.5% of lightly edited
copies (a board's line added, a sentence dropped, the text reflowed).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from domain.imports import Write
from domain.jobs import JobDraft

BITS = 64
MAX_DISTANCE = 7
SHINGLE = 3
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SIGN = 1 << (BITS - 1)


def _normal(text: str | None) -> str:
    return " ".join(_WORD.findall((text or "").lower()))


def place(
    city: str | None, region: str | None, country: str | None, raw: str | None, remote: bool
) -> str:
    """The parsed place when there is one, else the words of the raw location."""
    if city or region or country:
        return _normal(" ".join(p for p in (city, region, country) if p))
    words = _normal(raw)
    return words or ("remote" if remote else "")


def posting_key(company: str, title: str, where: str) -> str:
    """What must agree exactly: normalized company, title and place, as a 32-hex digest."""
    text = f"{_normal(company)}\x1f{_normal(title)}\x1f{where}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def simhash(text: str) -> int:
    """A signed 64-bit simhash (it fits PostgreSQL's bigint) of the text's word 3-shingles."""
    words = _WORD.findall(text.lower())
    shingles = (
        {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
        if len(words) >= SHINGLE
        else {" ".join(words)}
    )
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in shingles)
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(len(shingles), BITS)
    votes = 2 * bits.sum(axis=0, dtype=np.int64) > len(shingles)  # most significant bit first
    unsigned = int.from_bytes(np.packbits(votes).tobytes(), "big")
    return unsigned - (1 << BITS) if unsigned & _SIGN else unsigned


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()


@dataclass(frozen=True)
class Fingerprint:
    key: str
    simhash: int


@dataclass(frozen=True)
class Known:
    """A stored job's fingerprint and the platform it came from."""

    job_id: str
    platform: str | None
    simhash: int


def same_posting(
    fingerprint: Fingerprint,
    platform: str,
    known: Iterable[Known],
    max_distance: int = MAX_DISTANCE,
) -> str | None:
    """The id of a job from another platform that is this posting, closest first; None if none.
    Postings of one platform are never merged: their ids say they are different postings."""
    best: tuple[int, str] | None = None
    for other in known:
        if other.platform == platform:
            continue
        gap = distance(fingerprint.simhash, other.simhash)
        if gap <= max_distance and (best is None or (gap, other.job_id) < best):
            best = (gap, other.job_id)
    return None if best is None else best[1]


def pairs_within(
    groups: Mapping[str, Sequence[int]], max_distance: int
) -> list[tuple[str, int, int]]:
    """(key, i, j) for every pair of one key's simhashes within `max_distance` (measurement)."""
    found = []
    for key, hashes in groups.items():
        for i in range(len(hashes)):
            for j in range(i + 1, len(hashes)):
                if distance(hashes[i], hashes[j]) <= max_distance:
                    found.append((key, i, j))
    return found


def fingerprint(draft: JobDraft) -> Fingerprint:
    where = place(draft.city, draft.region, draft.country, draft.location, draft.is_remote)
    return Fingerprint(posting_key(draft.company, draft.title, where), simhash(draft.description))


@dataclass(frozen=True)
class Link:
    """A posting that is already a job from another platform: recorded as a further source."""

    job_id: str
    platform: str
    external_id: str
    url: str | None


def split_cross_source(
    writes: Sequence[Write],
    platform: str,
    fingerprints: Mapping[str, Fingerprint],
    known: Mapping[str, Sequence[Known]],
) -> tuple[list[Write], list[Link]]:
    """New postings that another platform's job already is become links; the rest stay writes.
    `fingerprints` and the links are keyed by external id."""
    kept: list[Write] = []
    links: list[Link] = []
    for write in writes:
        external_id = write.draft.external_id or ""
        mine = fingerprints.get(external_id)
        same = (
            same_posting(mine, platform, known.get(mine.key, ()))
            if write.job_id is None and mine is not None
            else None
        )
        if same is None:
            kept.append(write)
        else:
            links.append(Link(same, platform, external_id, write.draft.source_url))
    return kept, links
