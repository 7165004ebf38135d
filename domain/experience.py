"""Years of experience a posting asks for, from a short field or from free description text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from domain.errors import InvalidInput

YearsRange = tuple[float | None, float | None]

MAX_YEARS = 50
_WORDS_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_WORDS = _WORDS_TEXT.split()
_NUMBER_WORDS = {word: index for index, word in enumerate(_WORDS)}
# `(?<!\d)`: a number starts where its digits start, never again at each digit of a long run.
_NUM = rf"(?:(?<!\d)\d+(?:\.\d+)?|\b(?:{'|'.join(_WORDS)})\b)(?:\s*\(\d+(?:\.\d+)?\))?"
_PHRASE = re.compile(
    rf"(?P<pre>\b(?:at\s+least|a\s+minimum\s+of|minimum(?:\s+of)?|min\.?|no\s+less\s+than|"
    rf"not\s+less\s+than|over|more\s+than|up\s+to|less\s+than|under|fewer\s+than|"
    rf"max(?:imum)?(?:\s+of)?)\s+)?"
    rf"(?P<low>{_NUM})\s*(?P<low_plus>\+)?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<high>{_NUM})\s*(?P<high_plus>\+)?)?"
    rf"(?P<or_more>\s+or\s+more)?\s*"
    rf"(?P<unit>years?|yrs?|months?|mos?)\b\.?['’]?s?"
    rf"(?P<post>\s+(?:minimum|min\b|or\s+more|plus\b))?",
    re.IGNORECASE,
)
_CAPPED = re.compile(r"up to|less than|under|fewer than|max", re.I)
_NO_EXPERIENCE = re.compile(
    r"\bno\s+(?:prior\s+|previous\s+)?experience\b|\bentry[- ]level\b", re.I
)
_UNIT = re.compile(r"(?:years?|yrs?|months?|mos?)\b", re.I)
_BARE_NUMBER = re.compile(rf"\s*(?P<low>{_NUM})\s*(?P<low_plus>\+)?\s*", re.I)

# In free text a number of years counts only in a years-of-experience context.
_EXPERIENCE_AFTER = re.compile(
    r"[^.;\n]{0,60}?\b(?:experience|exp\b|background|track record|expertise)", re.I
)
_NOT_EXPERIENCE_AFTER = re.compile(
    r"\s*(?:-?\s*old\b|ago\b|degree\b|program\b|plan\b|"
    r"in\s+(?:the\s+)?(?:market|business)(?!\s*[A-Za-z])|"
    r"of\s+(?:operation|history|existence|growth|employment|service|age)\b)",
    re.I,
)
# "for 5 years" may be a requirement ("in sales for 5+ years") or not ("we have been around for
# 5 years"): such words reject only an unqualified number; the others always reject.
_NEVER_BEFORE = re.compile(
    r"\b(?:after|ago|founded|past|last|next|within|every|each|per|first|spent|vest\w*(?:\s+over)?)"
    r"\s*$",
    re.I,
)
_WEAK_BEFORE = re.compile(r"\b(?:for|in|the|over)\s*$", re.I)
# How far back a window or a bullet's line start is looked for: bounded, so that many numbers in
# one long line cost linear time.
_LOOKBACK = 200
_BULLET_START = re.compile(r"[\s\-*•●·–]*(?:[A-Za-z:,’']+\s+){0,3}")


def parse_experience(raw: str | None) -> YearsRange | None:
    """Parse "5+ years", "5-7 years", "3 years minimum", "one to three years" into (min, max).

    An open end is None: "5+ years" is (5, None), "up to 3 years" is (0, 3). A bare "3 years"
    reads as at least three. Months count as fractions of a year. None when no number of years is
    stated; InvalidInput when the range is inverted or beyond MAX_YEARS.
    """
    if raw is None or not raw.strip():
        return None
    match = _PHRASE.search(raw) or _BARE_NUMBER.fullmatch(raw)
    if match is None:
        return (0.0, None) if _NO_EXPERIENCE.search(raw) else None
    low, high = _years(match)
    if low is not None and low > MAX_YEARS or high is not None and high > MAX_YEARS:
        raise InvalidInput(
            f"experience of more than {MAX_YEARS} years is not plausible: {raw!r}",
            field="experience",
        )
    if low is not None and high is not None and low > high:
        raise InvalidInput(
            f"minimum experience {low:g} is above the maximum {high:g}: {raw!r}",
            field="experience",
        )
    return low, high


def experience_from_text(text: str) -> YearsRange | None:
    """The first years-of-experience requirement stated in a description, or None.

    A number of years counts only when it reads as a requirement: followed by "experience" in
    the same sentence, written "N+ years", qualified ("at least", "minimum"), or opening a bullet.
    "401(k)", "founded 10 years ago", "a 4 year degree", "after 5 years of employment" do not.
    """
    for match in _phrases(text):
        if not _is_requirement(text, match):
            continue
        try:
            return parse_experience(match[0])
        except InvalidInput:
            continue
    return None


def _phrases(text: str) -> Iterator[re.Match[str]]:
    """_PHRASE matches in order, searched only around the words year/month: a long description
    is read in a fraction of the time a scan of every position takes."""
    windows: list[list[int]] = []
    for unit in _UNIT.finditer(text):
        edge = max(0, unit.start() - 80)
        start = text.rfind(" ", max(0, edge - _LOOKBACK), edge) + 1 or max(0, edge - _LOOKBACK)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = unit.end() + 30
        else:
            windows.append([start, unit.end() + 30])
    for start, end in windows:
        yield from _PHRASE.finditer(text, start, end)


def _is_requirement(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 40) : match.start()]
    if _NOT_EXPERIENCE_AFTER.match(text, match.end()) or _NEVER_BEFORE.search(before):
        return False
    qualified = any(match[group] for group in ("pre", "low_plus", "high_plus", "or_more", "post"))
    after = _EXPERIENCE_AFTER.match(text, match.end()) is not None
    if match["unit"].lower().startswith("mo"):
        return after
    if qualified:
        return True
    if _WEAK_BEFORE.search(before):
        return False
    if after:
        return True
    # A bullet opens a line; a line start farther back than a few words cannot be that bullet.
    line_start = text.rfind("\n", max(0, match.start() - _LOOKBACK), match.start()) + 1
    if line_start == 0 and match.start() > _LOOKBACK:
        return False
    return _BULLET_START.fullmatch(text, line_start, match.start()) is not None


def _years(match: re.Match[str]) -> YearsRange:
    unit = match.groupdict().get("unit") or "years"
    scale = 12.0 if unit.lower().startswith("mo") else 1.0
    low = _number(match["low"]) / scale
    high = None if match.groupdict().get("high") is None else _number(match["high"]) / scale
    pre = match.groupdict().get("pre") or ""
    if _CAPPED.search(pre):
        return 0.0, round(low, 2)
    if high is not None:
        return round(low, 2), None if match["high_plus"] else round(high, 2)
    return round(low, 2), None


def _number(text: str) -> float:
    word = text.split("(")[0].strip().lower()
    return float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else float(word)
