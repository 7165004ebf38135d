"""A resume's header and titles: name, headline, e-mail, phone, location, titles held."""

from __future__ import annotations

import re

from domain.locations import parse_location
from domain.resume_dates import DATE_WORD, RANGE, DateRange

MAX_TITLES = 5
SENTENCE_END = (".", "!", "?")
_TITLE_REACH = 200  # characters of a neighbouring line searched for a title

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,5}){1,4}(?![\w])"
)
_URL = re.compile(r"(?<!\S)(?:https?://|www\.)\S+|linkedin\.com/\S*", re.I)
_CITY_STATE = re.compile(
    r"(?<![\w])([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3}),\s?([A-Z]{2}\b|[A-Z][a-z]+"
    r"(?: [A-Z][a-z]+)?)(?:\s+\d{5}(?:-\d{4})?)?"
)
_NAME_WORD = re.compile(r"[A-Z][A-Za-z'’-]*\.?|[A-Z]\.")
_PLACEHOLDERS = frozenset(("city", "state", "company name", "company", "country", ",", ":"))
_TITLE_WORDS_TEXT = """
    manager engineer developer director analyst accountant assistant associate specialist
    consultant coordinator administrator officer representative supervisor lead leader teacher
    instructor chef cook designer nurse technician clerk intern executive president vp owner
    founder advisor adviser agent architect scientist sales cashier server attendant trainer
    coach writer editor producer artist mechanic driver operator pilot controller auditor
    bookkeeper receptionist secretary counselor therapist advocate attorney paralegal lawyer
    professor tutor librarian planner buyer merchandiser generalist recruiter partner principal
    head chief worker laborer carpenter electrician plumber welder foreman superintendent
    inspector estimator programmer tester volunteer fellow researcher student apprentice trainee
    helper aide staff captain sergeant strategist marketer photographer stylist barista
    bartender host hostess dishwasher baker butcher caterer dietitian pharmacist physician
    doctor dentist hygienist paramedic scribe clinician psychologist caseworker investigator
    examiner underwriter teller banker broker trader economist statistician contractor
    freelancer handler dispatcher loader picker packer stocker porter janitor custodian
    housekeeper guard ceo cfo cto coo cio hr it qa senior junior sr jr expert professional
    practitioner educator therapist officer crew member mentor volunteer tech support
    """
_TITLE_WORDS = frozenset(_TITLE_WORDS_TEXT.split())
_TITLE_SUFFIXES = ("er", "or", "ist", "ant", "ian")
_SMALL_WORDS = frozenset(("and", "of", "the", "for", "in", "to", "at", "on", "with", "a", "an"))
_TITLE_SEPARATORS = re.compile(r"\s[|–—-]\s|\s\|\s?|,\s|\s(?:at|@)\s|\s{2,}")


def email(contact_text: str, clean: str, sources: dict[str, str]) -> str | None:
    for text, where in ((contact_text, "header"), (clean, "text")):
        found = _EMAIL.search(text)
        if found:
            sources["email"] = where
            return found[0].rstrip(".")
    return None


def phone(contact_text: str, sources: dict[str, str]) -> str | None:
    for found in _PHONE.finditer(_URL.sub(" ", contact_text)):
        digits = re.sub(r"\D", "", found[0])
        international = found[0].startswith("+")
        if 10 <= len(digits) <= 15 and (international or len(digits) <= 11):
            if re.fullmatch(r"(?:19|20)\d\d\D+(?:19|20)\d\d", found[0]):
                continue  # a year range, not a number
            sources["phone"] = "header"
            return found[0].strip()
    return None


def name_and_headline(
    header: str, *, has_contact: bool, sources: dict[str, str]
) -> tuple[str | None, str | None]:
    """The person's name, when the first line is one and contact details or a title line
    vouch for it, and the title on the line after it (or on the first line)."""
    lines = [line for line in header.split("\n")[:8] if _is_header_line(line)]
    name = None
    if lines and _is_person_name(lines[0]) and (has_contact or _is_title_line(lines[1:2])):
        name = lines.pop(0)
        sources["name"] = "first line"
    for line in lines[:2]:
        if looks_like_title(line):
            sources["headline"] = "second line" if name else "first line"
            return name, display_case(line.strip(" -|,"))
    return name, None


def location(header: str, sources: dict[str, str]) -> str | None:
    for found in _CITY_STATE.finditer(header):
        if found[1].lower() in _PLACEHOLDERS or found[2].lower() in _PLACEHOLDERS:
            continue
        place = parse_location(found[0])
        if place.city and (place.region or place.country):
            sources["location"] = "header"
            return found[0].strip()
    return None


def recent_titles(experience: str, ranges: list[DateRange]) -> tuple[str, ...]:
    """The titles held, most recent end first: for each date range, the title-like segment of
    its own lines, else of the lines just after it, else of those just before it."""
    if not ranges:
        return ()
    lines = experience.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found: list[tuple[int, int, str]] = []
    first_row = last_row = 0
    for order, span in enumerate(ranges):
        while starts[first_row + 1] <= span.start:
            first_row += 1
        last_row = max(last_row, first_row)
        while starts[last_row + 1] < span.end:
            last_row += 1
        # A window around the range: many ranges on one long line stay linear.
        left, right = (
            max(starts[first_row], span.start - 120),
            min(starts[last_row + 1], span.end + 120),
        )
        own = RANGE.sub(" | ", experience[left:right].replace("\n", " "))
        after = lines[last_row + 1 : last_row + 5]
        before = lines[max(0, first_row - 3) : first_row][::-1]
        title = _title_in([own, *(line[:_TITLE_REACH] for line in [*after, *before])])
        if title:
            found.append((-span.last, order, title))
    titles = dict.fromkeys(title for _, _, title in sorted(found))
    return tuple(titles)[:MAX_TITLES]


def looks_like_title(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 12 or len(line) > 100 or line.endswith(SENTENCE_END):
        return False
    if _CITY_STATE.fullmatch(line.strip()) and parse_location(line).region is not None:
        return False
    return sum(ch.isalpha() for ch in line) >= len(line.replace(" ", "")) / 2


def display_case(title: str) -> str:
    """ALL-CAPS titles in Title Case; short words that may be acronyms (HR, IT, VP) kept."""
    if not title.isupper():
        return title
    words: list[str] = []
    for word in title.split():
        lower = word.lower()
        if lower in _SMALL_WORDS and words:
            words.append(lower)
        elif len(word.strip("&/.,()")) <= 2 or lower in {"ceo", "cfo", "cto", "coo", "cpa"}:
            words.append(word)
        else:
            words.append("/".join(part.capitalize() for part in word.split("/")))
    return " ".join(words)


def _is_person_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 4 or any(not _NAME_WORD.fullmatch(word) for word in words):
        return False
    return not any(_is_title_word(word) for word in words)


def _is_title_word(word: str) -> bool:
    key = word.lower().strip(".,()")
    return key in _TITLE_WORDS or (len(key) > 5 and key.endswith(_TITLE_SUFFIXES))


def _is_title_line(lines: list[str]) -> bool:
    """Whether the line given (if any) is a job title: it says who the line above it names."""
    return bool(lines) and looks_like_title(lines[0]) and any(map(_is_title_word, lines[0].split()))


def _is_header_line(line: str) -> bool:
    stripped = line.strip(" -|,")
    if not stripped or stripped.lower() in _PLACEHOLDERS:
        return False
    return not (_EMAIL.search(stripped) or _URL.search(stripped) or _PHONE.fullmatch(stripped))


def _title_in(lines: list[str]) -> str | None:
    for line in lines:
        if line.startswith("- "):
            continue
        for segment in _TITLE_SEPARATORS.split(line):
            segment = segment.strip(" ,.:-–—|")
            if segment.lower() in _PLACEHOLDERS or not looks_like_title(segment):
                continue
            if len(segment.split()) > 8 or DATE_WORD.search(segment):
                continue
            if any(_is_title_word(word) for word in segment.split()):
                return display_case(segment)
    return None
