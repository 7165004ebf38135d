"""Date ranges of a resume's work history ("Jan 2015 - Present", "03/2010 to 05/2013", "2012-2016")
as month spans, and the months they cover with overlaps merged."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

# A span is (first month, month after the last), months counted as year * 12 + month - 1.
Span = tuple[int, int]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12, "spring": 3, "summer": 6, "fall": 9, "autumn": 9,
    "winter": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter)"
)
_YEAR = r"(?:19|20)\d\d"
_DATE = (
    rf"(?:(?P<{{p}}name>{_MONTH})\.?,?\s*(?P<{{p}}nyear>{_YEAR})"
    rf"|(?<![\d/])(?P<{{p}}num>0?[1-9]|1[0-2])\s*[/.-]\s*(?P<{{p}}numyear>{_YEAR})"
    rf"|(?P<{{p}}year>{_YEAR}))(?![\d/])"
)
_NOW = r"(?P<now>present|current(?:ly)?|now|to\s+date|today|ongoing)"
# `(?<![\w/])`: a range starts at a word's start, never again inside a run of digits.
RANGE = re.compile(
    rf"(?<![\w/]){_DATE.format(p='s')}\s*(?:-|–|—|~|:|to|until|till|through|thru)\s*"
    rf"(?:{_DATE.format(p='e')}|{_NOW})\b",
    re.IGNORECASE,
)
_EARLIEST_YEAR = 1950
DATE_WORD = re.compile(rf"\b{_MONTH}\b|{_YEAR}|\b(?:present|current|now)\b", re.I)


class DateRange(NamedTuple):
    first: int  # months since year 0: year * 12 + month - 1
    last: int  # the month after the last one
    start: int  # offsets of the range in the text
    end: int


def _month(match: re.Match[str], prefix: str) -> tuple[int, bool] | None:
    """The month a date names, and whether it names the year only."""
    if match[f"{prefix}name"]:
        name = match[f"{prefix}name"].lower()
        month = _MONTHS.get(name[:3]) or _MONTHS.get(name)
        return int(match[f"{prefix}nyear"]) * 12 + (month or 1) - 1, False
    if match[f"{prefix}num"]:
        return int(match[f"{prefix}numyear"]) * 12 + int(match[f"{prefix}num"]) - 1, False
    if match[f"{prefix}year"]:
        return int(match[f"{prefix}year"]) * 12, True
    return None


def date_ranges(text: str, today: date) -> list[DateRange]:
    """Every plausible range in `text`, in order.

    A month end counts its month ("Jan 2015 - Jan 2016" is 13 months); a year-only end counts
    from January ("2012 - 2016" is 4 years; "2016 - 2016" half a year). Present, current, now and
    "to date" end at `today`. Ranges in the future, reversed or before 1950 are dropped.
    """
    now = today.year * 12 + today.month
    found: list[DateRange] = []
    for match in RANGE.finditer(text):
        start = _month(match, "s")
        if start is None:
            continue
        first, _ = start
        end = _month(match, "e")
        if match["now"]:
            last = now
        elif end is not None:
            month, year_only = end
            last = month + (0 if year_only else 1)
            if year_only and last // 12 == first // 12:
                last = first + 6
        else:
            continue
        last = min(last, now)
        if first // 12 < _EARLIEST_YEAR or first >= now or last <= first:
            continue
        found.append(DateRange(first, last, match.start(), match.end()))
    return found


def merged_months(spans: list[Span]) -> int:
    """Months covered by `spans`, each month counted once however many spans overlap it."""
    total, reach = 0, None
    for start, end in sorted(spans):
        if reach is None or start >= reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total
