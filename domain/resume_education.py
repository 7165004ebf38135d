"""Education entries of a resume: degree, field of study, institution and year."""

from __future__ import annotations

import re
from datetime import date

Entry = tuple[str | None, str | None, str | None, int | None]

# (pattern, canonical degree); the first alternative matching at a position wins. Abbreviations
# count only inside an education section (`strict` off): "MA" is also Massachusetts.
_FULL: list[tuple[str, str]] = [
    (r"ph\.?\s?d\b\.?|doctor(?:ate)?\s+of\s+philosophy|doctorate", "PhD"),
    (r"doctor\s+of\s+(?:medicine|jurisprudence|pharmacy|education|nursing practice)", "Doctorate"),
    (r"m\.?b\.?a\b\.?|master'?s?\s+of\s+business\s+administration", "MBA"),
    (r"master'?s?\s+of\s+science|master\s+of\s+sciences?", "Master of Science"),
    (r"master'?s?\s+of\s+arts", "Master of Arts"),
    (r"master'?s?\s+of\s+\w+(?:\s+\w+)?", "Master"),
    (r"master'?s?(?:\s+degree)?|masters?\s+in", "Master"),
    (r"bachelor'?s?\s+of\s+science|bachelor\s+of\s+sciences?", "Bachelor of Science"),
    (r"bachelor'?s?\s+of\s+arts", "Bachelor of Arts"),
    (r"bachelor'?s?\s+of\s+business\s+administration", "Bachelor of Business Administration"),
    (r"bachelor'?s?\s+of\s+engineering", "Bachelor of Engineering"),
    (r"bachelor'?s?\s+of\s+\w+(?:\s+\w+)?", "Bachelor"),
    (r"bachelor'?s?(?:\s+degree)?", "Bachelor"),
    (r"associate'?s?\s+of\s+applied\s+science", "Associate of Applied Science"),
    (r"associate'?s?\s+of\s+science", "Associate of Science"),
    (r"associate'?s?\s+of\s+arts", "Associate of Arts"),
    (r"associate'?s?\s+degree|associate'?s?\s+in", "Associate"),
    (r"high\s+school\s+diploma|high\s+school\s+graduate", "High School Diploma"),
    (r"g\.?e\.?d\b", "GED"),
]
_SHORT: list[tuple[str, str]] = [
    (r"B\.?S\.?c?\b\.?|B\.?Sc\b|B\.S\.?", "Bachelor of Science"),
    (r"B\.?A\b\.?|B\.A\.?", "Bachelor of Arts"),
    (r"B\.?B\.?A\b\.?", "Bachelor of Business Administration"),
    (r"B\.?E\b\.?|B\.?Eng\b|B\.?Tech\b", "Bachelor of Engineering"),
    (r"M\.?S\.?c?\b\.?|M\.S\.?", "Master of Science"),
    (r"M\.?A\b\.?|M\.A\.?", "Master of Arts"),
    (r"M\.?Ed\b\.?|M\.?Eng\b|M\.?Tech\b", "Master"),
    (r"A\.?A\.?S\b\.?", "Associate of Applied Science"),
    (r"A\.?A\b\.?", "Associate of Arts"),
    (r"A\.?S\b\.?", "Associate of Science"),
    (r"J\.?D\b\.?|M\.?D\b\.?", "Doctorate"),
    (r"Diploma\b", "Diploma"),
    (r"Certificate\b", "Certificate"),
]


def _compile(groups: list[tuple[str, str]], flags: int) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.])(?:" + "|".join(f"(?P<d{i}>{p})" for i, (p, _) in enumerate(groups)) + r")",
        flags,
    )


_FULL_RE = _compile(_FULL, re.I)
# A short form after a comma is a US state ("Boston, MA"), not a degree.
_SHORT_RE = re.compile(r"(?<!,\s)(?<!,)" + _compile(_SHORT, 0).pattern)
_INSTITUTION_WORD = re.compile(
    r"\b(?:University|College|Institute|School|Academy|Polytechnic|Universidad|Université|"
    r"Universität|Conservatory|Seminary|IIT|MIT)\b"
)
_SEPARATORS = ",;|()\n"
_REACH = 80  # characters an institution's name may run on either side of its keyword
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_FIELD_LEAD = re.compile(r"^[\s:,.\-–—]*(?:(?:of|in|on)\s+)?(?:science\s+in\s+)?", re.I)
_FIELD_END = re.compile(r"\s*(?:[,;|()]|\s[-–—]\s|\s(?:at|from)\s|(?:19|20)\d\d|GPA|$)", re.I)


def _degrees(text: str, strict: bool) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), _FULL[_group(m)][1]) for m in _FULL_RE.finditer(text)]
    if not strict:
        taken = [(s, e) for s, e, _ in found]
        for m in _SHORT_RE.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                found.append((m.start(), m.end(), _SHORT[_group(m)][1]))
    return sorted(found)


def _group(match: re.Match[str]) -> int:
    return int(next(name for name, value in match.groupdict().items() if value)[1:])


def education_entries(text: str, today: date, *, strict: bool) -> list[Entry]:
    """One entry per degree named in `text`, in order, with the field written after it and the
    nearest institution and year; the layout (institution before or after the degree) is read
    from the first entry."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    degrees = _degrees(text, strict)
    if not degrees and not strict:
        institution = _institution(lines)
        return [(None, None, institution, _year(lines, today))] if institution else []
    line_of = _line_index(starts, [start for start, _, _ in degrees])
    entries: list[Entry] = []
    after_first: bool | None = None
    for index, (start, end, degree) in enumerate(degrees):
        row = line_of[index]
        previous = line_of[index - 1] + 1 if index else 0
        following = line_of[index + 1] if index + 1 < len(degrees) else min(len(lines), row + 6)
        # Windows on the degree's own line: a long line with many degrees stays linear.
        line_start, line_end = (
            max(starts[row], start - _REACH),
            min(starts[row + 1] - 1, end + _REACH),
        )
        field = _field(text[end:line_end], lines, row)
        before = [lines[i] for i in range(row - 1, max(previous, row - 6) - 1, -1)]
        after = [lines[i] for i in range(row + 1, max(following, row + 1))]
        same = text[line_start:start] + " " + text[end:line_end]
        if after_first is None:
            after_first = _institution([same, *before]) is None
        nearby = [same, *after, *before] if after_first else [same, *before, *after]
        institution = _institution(nearby)
        year = _year(nearby, today)
        if field and institution and field in institution:
            field = None
        entries.append((degree, field, institution.strip() if institution else None, year))
    return entries


def _line_index(starts: list[int], offsets: list[int]) -> list[int]:
    result, row = [], 0
    for offset in offsets:
        while starts[row + 1] <= offset:
            row += 1
        result.append(row)
    return result


def _field(rest: str, lines: list[str], row: int) -> str | None:
    rest = _FIELD_LEAD.sub("", rest)
    if not rest.strip():
        following = [line.strip() for line in lines[row + 1 : row + 5] if line.strip()]
        if len(following) > 1 and following[0] in (":", "-", ","):
            rest = following[1]  # "B.S\n:\nAccounting", as some exports lay it out
    end = _FIELD_END.search(rest)
    field = rest[: end.start() if end else len(rest)].strip(" .:-")
    if not field or len(field) > 80 or _INSTITUTION_WORD.search(field):
        return None
    return field


def _institution(texts: list[str]) -> str | None:
    """The name around the first institution word ("University"), up to a separator."""
    for text in texts:
        found = _INSTITUTION_WORD.search(text)
        if found:
            start, end = max(0, found.start() - _REACH), found.end() + _REACH
            left = max(text.rfind(sep, start, found.start()) for sep in _SEPARATORS) + 1
            rights = [text.find(sep, found.end(), end) for sep in _SEPARATORS]
            right = min([r for r in rights if r >= 0] or [min(len(text), end)])
            name = text[max(left, start) : right].strip(" .-–—:")
            return _YEAR.sub("", name).strip(" .-–—:") or None
    return None


def _year(texts: list[str], today: date) -> int | None:
    for text in texts:
        years = [int(y) for y in _YEAR.findall(text) if 1950 <= int(y) <= today.year + 6]
        if years:
            return max(years)
    return None
