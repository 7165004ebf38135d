"""Skill normalization: one canonical spelling per skill, shared by jobs, candidates and scoring."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

Match = Literal["any", "exact", "list", "never"]
"""How `extract` finds a spelling in free text: in any case; only as written (case-sensitive);
as written and next to other skills in a list ("Python, R, SQL"); or never (normalization only)."""

_MATCHES: dict[str, Match] = {"any": "any", "exact": "exact", "list": "list", "never": "never"}
# "C++", "C#", ".NET", "Node.js" and "ASP.NET" stay single tokens; other punctuation is one token
# per character, so "CI/CD" is "ci / cd" in text and in the table alike. A hyphen joined to a word
# starts a token ("Go-to-market" is "Go", "-to", "-market"), which tells compounds from dashes.
_TOKEN = re.compile(r"\.?\w+(?:\.\w+)*(?:\+\+|#)?|(?<=\w)-\w+|\n|[^\w\s]")
_SENTENCE_END = frozenset((".", "!", "?", ";", "\n"))
# A case-sensitive word right after these starts a sentence or bullet, where capitals mean nothing.
_STARTERS = _SENTENCE_END | {":", "-", "•", "*", "·", "–", "—", "●", "▪", "|", '"', "“"}
_LIST_SEPARATORS = frozenset((",", "/", "(", ")", "or", "and"))
_SUPPORT_WINDOW = 6
_ITEM_ENDS = frozenset((",", "/", "(", "\n"))
_ABBREVIATIONS = frozenset(("e.g", "i.e", "eg", "ie", "etc", "incl", "vs"))
# Employers, customers and investors listed in a company blurb are not skills the job asks for.
_BLURB_WORDS = frozenset(
    ("customers", "clients", "organizations", "companies", "founders", "founded", "backed")
    + ("investors", "raised", "ex", "alumni", "ceo", "cto", "trusted", "brands", "partners")
)
_URL_STARTS = frozenset(("http", "https", "www"))
# Next to a short ambiguous name ("Go", "SAS"), these say it is the technology, not a word or a
# company ("Check 'n Go", "SAS Retail Services"); without one it needs a confirmed skill nearby.
_TECH_WORDS = frozenset(
    ("developer", "developers", "engineer", "engineers", "programming", "programmer")
    + ("programmers", "language", "code", "coding", "development", "backend", "scripting")
)
_SHORT_NAME = 3


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _key(name: str) -> str:
    return " ".join(_TOKEN.findall(name.strip().lower()))


@dataclass(frozen=True, slots=True)
class _Spelling:
    canonical: str
    match: Match
    written: frozenset[str]  # token-joined original spellings, for case-sensitive matches


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int  # exclusive, in tokens
    canonical: str
    needs_support: bool


class SkillNormalizer:
    """Maps any known spelling or synonym of a skill to its canonical name; finds skills in text.

    `synonyms` maps a spelling (any case) to the canonical name; canonical names map to themselves.
    Unknown skills keep the caller's spelling, trimmed. `matching` says how `extract` may find each
    spelling in free text (default "any"); spellings of canonical names not listed there use "any".
    """

    def __init__(
        self, synonyms: Mapping[str, str], matching: Mapping[str, Match] | None = None
    ) -> None:
        matching = matching or {}
        self._canonical: dict[str, str] = {}
        spellings: dict[str, str] = {}
        for spelling, canonical in synonyms.items():
            self._canonical[_key(spelling)] = canonical
            spellings[spelling] = canonical
        for canonical in dict.fromkeys(synonyms.values()):
            self._canonical.setdefault(_key(canonical), canonical)
            spellings.setdefault(canonical, self._canonical[_key(canonical)])
        self._extractable: dict[str, _Spelling] = {}
        self._prefixes: set[str] = set()
        self._heads: set[str] = set()  # first tokens of extractable spellings
        for spelling, canonical in spellings.items():
            self._add_extractable(spelling, canonical, matching.get(spelling, "any"))

    def _add_extractable(self, spelling: str, canonical: str, match: Match) -> None:
        key = _key(spelling)
        if match == "never" or not key:
            return
        written = frozenset((" ".join(_tokens(spelling.strip())),))
        known = self._extractable.get(key)
        if known is not None:
            # The most permissive way to match wins; case-sensitive spellings accumulate.
            order = ("any", "exact", "list")
            match = min(known.match, match, key=order.index)
            written = known.written | written
        self._extractable[key] = _Spelling(canonical, match, written)
        parts = key.split(" ")
        self._heads.add(parts[0])
        self._prefixes.update(" ".join(parts[:n]) for n in range(1, len(parts)))

    def canonical(self, name: str) -> str:
        key = _key(name)
        return self._canonical.get(key, " ".join(name.strip().split()))

    def is_known(self, name: str) -> bool:
        return _key(name) in self._canonical

    def normalize_many(self, names: Iterable[str]) -> list[str]:
        """Canonical names, deduplicated case-insensitively, first occurrence order kept."""
        seen: set[str] = set()
        result: list[str] = []
        for name in names:
            if not name or not name.strip():
                continue
            canonical = self.canonical(name)
            if canonical.lower() not in seen:
                seen.add(canonical.lower())
                result.append(canonical)
        return result

    def extract(self, text: str, limit: int = 30) -> list[str]:
        """Canonical skills mentioned in `text`, in order of first mention, at most `limit`."""
        if limit <= 0 or not text:
            return []
        tokens = _tokens(text)
        # Tokens never contain spaces, so one join/lower/split lower-cases them all at once.
        lowered = " ".join(tokens).lower().split(" ")
        found = self._scan(tokens, lowered)
        in_blurb = _after_blurb_word(tokens)
        found = [f for f in found if not in_blurb[f.start]]
        confirmed = [f for f in found if not f.needs_support]
        covered = {i for f in confirmed for i in range(f.start, f.end)}
        result: list[str] = []
        seen: set[str] = set()
        for f in found:
            if f.needs_support and not _supported(f, tokens, covered):
                continue
            if f.canonical not in seen:
                seen.add(f.canonical)
                result.append(f.canonical)
                if len(result) == limit:
                    break
        return result

    def _scan(self, tokens: list[str], lowered: list[str]) -> list[_Found]:
        """Longest known spelling at each token, left to right; spans never overlap."""
        found: list[_Found] = []
        extractable, prefixes, heads = self._extractable, self._prefixes, self._heads
        n = len(lowered)
        free = 0  # the first token not inside an earlier match
        for i in [i for i, token in enumerate(lowered) if token in heads]:
            if i < free:
                continue
            key, end, best = lowered[i], i + 1, None
            while True:
                spelling = extractable.get(key)
                if spelling is not None:
                    best = self._accept(spelling, tokens, i, end) or best
                if end >= n or key not in prefixes:
                    break
                key = f"{key} {lowered[end]}"
                end += 1
            if best is not None:
                found.append(best)
                free = best.end
        return found

    def _accept(
        self, spelling: _Spelling, tokens: list[str], start: int, end: int
    ) -> _Found | None:
        if end < len(tokens) and tokens[end] in _URL_STARTS:
            return None  # a company named next to its link ("Canva https://..."), not a skill
        if spelling.match == "any":
            return _Found(start, end, spelling.canonical, needs_support=False)
        if " ".join(tokens[start:end]) not in spelling.written:
            return None
        before = tokens[start - 1] if start > 0 else "\n"
        after = tokens[end] if end < len(tokens) else "\n"
        if after[0] == "-" and after != "-":
            return None  # a compound such as "Go-to-market" or "C-suite"
        if start > 1 and before in ("-", "."):
            ahead = tokens[start - 2]
            if ahead.lower() in _ABBREVIATIONS if before == "." else ahead not in _STARTERS:
                before = ","  # "(e.g. Asana)" and "Engineer - Go" go on; "\n - Go" is a bullet
        if spelling.match == "exact" and len(spelling.canonical) <= _SHORT_NAME:
            technical = before.lower() in _TECH_WORDS or after.lower() in _TECH_WORDS
            if technical or _in_name(before, after):
                return _Found(start, end, spelling.canonical, needs_support=not technical)
        if spelling.match == "list":
            if before not in _LIST_SEPARATORS and after not in _LIST_SEPARATORS:
                return None
            return _Found(start, end, spelling.canonical, needs_support=True)
        if spelling.match == "exact" and _is_acronym(tokens[start]):
            # Capitals by intent ("ML", "REST"), unless the whole line shouts ("THE REST OF").
            shouting = _is_acronym(before) or _is_acronym(after)
            return _Found(start, end, spelling.canonical, needs_support=shouting)
        if after in _ITEM_ENDS and (before in _STARTERS or after != "\n"):
            return _Found(start, end, spelling.canonical, needs_support=False)  # a list item
        # Capitals at a sentence start or inside Title Case ("Go To Market") say nothing.
        title_before = before.istitle() and start > 1 and tokens[start - 2] not in _STARTERS
        needs_support = before in _STARTERS or title_before or after.istitle()
        return _Found(start, end, spelling.canonical, needs_support=needs_support)


def _in_name(before: str, after: str) -> bool:
    """Whether the neighbours make a word part of a name ("SAS Retail", "Check 'n Go")."""
    return before in ("n", "'", "&") or any(
        word.isalpha() and word[:1].isupper() and word.lower() not in _TECH_WORDS
        for word in (before, after)
    )


def _is_acronym(token: str) -> bool:
    return len(token) > 1 and token.isupper()


def _after_blurb_word(tokens: list[str]) -> list[bool]:
    """Per token, whether a blurb word ("customers like ...", "founders of ...") precedes it in
    its sentence; one pass, as a walk back from every skill found is quadratic in a long
    sentence."""
    flags: list[bool] = []
    seen = False
    for token in tokens:
        flags.append(seen and token not in _SENTENCE_END)
        if token in _SENTENCE_END:
            seen = False
        elif token.lower() in _BLURB_WORDS:
            seen = True
    return flags


def _supported(found: _Found, tokens: list[str], covered: set[int]) -> bool:
    """A confirmed skill near an ambiguous word, in the same sentence, shows it names a skill."""
    for step, edge in ((-1, found.start - 1), (1, found.end)):
        i = edge
        while 0 <= i < len(tokens) and abs(i - edge) < _SUPPORT_WINDOW:
            if i in covered:
                return True
            if tokens[i] in _SENTENCE_END:
                break
            i += step
    return False


def load_table(lines: Iterable[str]) -> SkillNormalizer:
    """Reads the `spelling<TAB>canonical<TAB>match` table format of domain/data/skills.tsv."""
    synonyms: dict[str, str] = {}
    matching: dict[str, Match] = {}
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        spelling, canonical, match = line.rstrip("\n").split("\t")
        if match in _MATCHES:  # not the header row
            synonyms[spelling] = canonical
            matching[spelling] = _MATCHES[match]
    return SkillNormalizer(synonyms, matching)


@functools.cache
def default_normalizer() -> SkillNormalizer:
    """The normalizer built from the packaged O*NET/ESCO-derived table (built once, then shared)."""
    table = resources.files("domain.data").joinpath("skills.tsv")
    with table.open("r", encoding="utf-8") as f:
        return load_table(f)
