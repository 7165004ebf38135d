"""Cross-source duplicates on the real postings: how many there are, and how the simhash
threshold was chosen.

The file holds one platform, so cross-platform copies are estimated from what it has:
- same-key pairs: postings with equal normalized company + title + place under different ids
  (re-posts and copies); their description distances give "pairs found" per threshold;
- edited copies (recall): each description lightly changed as another board would show it
  (a boilerplate line added, a sentence dropped, whitespace/case changed);
- other postings of one company (false positives): pairs of different titles, whose
  descriptions share the company's boilerplate.
"""

from __future__ import annotations

import os
import random
import re
from collections import defaultdict
from typing import Any

from bench.common import Timer, postings, report
from domain.duplicates import distance, fingerprint, simhash
from domain.imports import draft_from_posting
from domain.jobs import JobDraft
from domain.skills import default_normalizer
from resolvers.services import utc_now

THRESHOLDS = (0, 1, 2, 3, 4, 6, 7, 8, 10, 12, 16)
SAMPLE = int(os.environ.get("BENCH_DUPLICATE_ROWS", "0"))
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _drafts(rows: list[dict[str, Any]]) -> list[JobDraft]:
    now, normalizer = utc_now(), default_normalizer()
    drafts = []
    for row in rows:
        try:
            drafts.append(
                draft_from_posting(
                    row, platform="ashby", now=now, ttl_days=3650, normalizer=normalizer
                )
            )
        except ValueError:
            continue
    return drafts


def _edited(text: str, rng: random.Random) -> str:
    """What another board does to a posting: adds its own line, drops one, reflows."""
    sentences = _SENTENCE.split(text)
    choice = rng.randrange(3)
    if choice == 0:
        return text + "\n\nApply through our careers page. Equal opportunity employer."
    if choice == 1 and len(sentences) > 4:
        sentences.pop(rng.randrange(1, len(sentences)))
        return " ".join(sentences)
    return " ".join(text.split()).upper()


def _share(counts: list[int], threshold: int) -> float:
    return sum(1 for d in counts if d <= threshold) / max(1, len(counts))


async def main() -> None:
    rows = postings()
    rows = rows[:SAMPLE] if SAMPLE else rows
    with Timer() as parse:
        drafts = _drafts(rows)
    with Timer() as hashing:
        prints = [fingerprint(d) for d in drafts]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(prints):
        groups[found.key].append(index)
    same_key = [
        (i, j, distance(prints[i].simhash, prints[j].simhash))
        for members in groups.values()
        for a, i in enumerate(members)
        for j in members[a + 1 :]
    ]
    rng = random.Random(7)
    edited = [
        distance(prints[i].simhash, simhash(_edited(drafts[i].description, rng)))
        for i in rng.sample(range(len(drafts)), min(1000, len(drafts)))
        if len(drafts[i].description.split()) >= 50
    ]
    by_company: dict[str, list[int]] = defaultdict(list)
    for index, draft in enumerate(drafts):
        by_company[draft.company.lower()].append(index)
    others = []
    for members in by_company.values():
        for _ in range(min(20, len(members))):
            i, j = rng.sample(members, 2) if len(members) > 1 else (0, 0)
            if i != j and drafts[i].title.lower() != drafts[j].title.lower():
                others.append(distance(prints[i].simhash, prints[j].simhash))
    figures: dict[str, Any] = {
        "postings": len(drafts),
        "parse_seconds": parse.seconds,
        "fingerprint_ms_per_posting": 1000 * hashing.seconds / max(1, len(drafts)),
        "same_key_groups": sum(1 for m in groups.values() if len(m) > 1),
        "same_key_pairs": len(same_key),
        "edited_copies": len(edited),
        "other_titles_same_company_pairs": len(others),
    }
    for threshold in THRESHOLDS:
        pairs = sum(1 for *_, d in same_key if d <= threshold)
        merged = {j for i, j, d in same_key if d <= threshold}
        figures[f"t<={threshold}: same-key pairs found"] = pairs
        figures[f"t<={threshold}: duplicate rate"] = len(merged) / max(1, len(drafts))
        figures[f"t<={threshold}: edited copies caught"] = _share(edited, threshold)
        figures[f"t<={threshold}: other titles within"] = _share(others, threshold)
    for i, j, gap in sorted(same_key, key=lambda p: p[2])[:: max(1, len(same_key) // 12)]:
        a, b = drafts[i], drafts[j]
        print(f"  d={gap:2d} {a.company} | {a.title} | {a.location} :: {b.external_id}")
        print(f"       {a.description[:110]!r}\n       {b.description[:110]!r}")
    report("duplicates", figures)
