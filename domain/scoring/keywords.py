"""Keyword similarity: cosine of TF-IDF term vectors, deterministic and dependency-free."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9]+)*")
_STOPWORDS = frozenset(
    " ".join(
        (
            "a an and are as at be by for from has have in is it its of on or our that the this to",
            "was we were will with you your they their about into over under than then there these",
            "those who what which while would should could can may must also not but all any",
        )
    ).split()
)


def terms(text: str) -> Counter[str]:
    """Lower-case word counts; tech tokens such as c++, c# and node.js stay whole."""
    words = _TOKEN.findall(text.lower())
    return Counter(w for w in words if (len(w) > 1 or w in {"c", "r"}) and w not in _STOPWORDS)


def _weights(counts: Counter[str], idf: Mapping[str, float] | None) -> dict[str, float]:
    return {t: (1.0 + math.log(n)) * (idf.get(t, 1.0) if idf else 1.0) for t, n in counts.items()}


def keyword_similarity(
    candidate_text: str, job_text: str, idf: Mapping[str, float] | None = None
) -> float:
    """Cosine x 100 of sublinear TF x IDF vectors (IDF 1 for unknown terms or without a corpus).

    Either text without keywords is unknown, scored neutral 50.
    """
    a = _weights(terms(candidate_text), idf)
    b = _weights(terms(job_text), idf)
    if not a or not b:
        return 50.0
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    if norm == 0.0:
        return 50.0
    return min(100.0, max(0.0, dot / norm * 100.0))
