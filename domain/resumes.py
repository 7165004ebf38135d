"""Reading a resume's text: sections, headline, summary, skills, experience, education, contacts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.enums import Seniority
from domain.errors import InvalidInput
from domain.experience import MAX_YEARS, experience_from_text
from domain.postings import STOPWORDS, infer_seniority
from domain.resume_dates import DATE_WORD, DateRange, date_ranges, merged_months
from domain.resume_education import education_entries
from domain.resume_header import (
    SENTENCE_END,
    email,
    location,
    name_and_headline,
    phone,
    recent_titles,
)
from domain.skills import SkillNormalizer

MAX_RESUME_CHARS = 200_000
MAX_SKILLS = 40
MAX_SUMMARY_CHARS = 1_500
PROFILE_SUMMARY_CHARS = 600
PROFILE_SKILLS = 20


@dataclass(frozen=True)
class Education:
    degree: str | None
    field: str | None
    institution: str | None
    year: int | None


@dataclass(frozen=True)
class Section:
    name: str  # canonical, lower case: summary, experience, education, skills, ...
    text: str


@dataclass(frozen=True)
class ParsedResume:
    headline: str | None
    summary: str | None
    skills: tuple[str, ...]
    years_of_experience: float | None
    seniority: Seniority | None
    education: tuple[Education, ...]
    location: str | None
    email: str | None
    phone: str | None
    name: str | None
    recent_titles: tuple[str, ...]
    sections: tuple[Section, ...]
    sources: Mapping[str, str]  # field name -> where its value came from


def _vocabulary(groups: Mapping[str, str]) -> dict[str, str]:
    return {
        spelling.strip(): name
        for name, spellings in groups.items()
        for spelling in spellings.split("|")
    }


HEADINGS = _vocabulary(
    {
        "summary": "summary|professional summary|profile|professional profile|objective|"
        "career objective|executive profile|executive summary|career overview|career focus|"
        "career summary|about me|about|overview|personal statement|personal profile|"
        "summary of qualifications|qualifications summary|professional overview",
        "experience": "experience|work experience|professional experience|work history|"
        "employment|employment history|relevant experience|career history|"
        "professional background|experience and employment|work|military experience|"
        "teaching experience|related experience|professional history|internships|internship",
        "education": "education|education and training|educational background|"
        "academic background|academics|education and certifications|academic qualifications|"
        "training and education|education background|academic history",
        "skills": "skills|technical skills|highlights|skill highlights|core qualifications|"
        "qualifications|core strengths|areas of expertise|summary of skills|computer skills|"
        "key skills|competencies|core competencies|expertise|skills and abilities|strengths|"
        "technical proficiencies|technologies|tools|skill set|skillset|key qualifications|"
        "relevant skills|professional skills|abilities|technical expertise|language skills",
        "certifications": "certifications|certification|certificates|licenses|"
        "licenses and certifications|certifications and licenses|licensure|credentials",
        "projects": "projects|key projects|selected projects|personal projects|academic projects",
        "accomplishments": "accomplishments|achievements|core accomplishments|awards|honors|"
        "activities and honors|awards and honors|honors and awards|key achievements",
        "interests": "interests|hobbies|hobbies and interests|activities",
        "languages": "languages",
        "affiliations": "affiliations|professional affiliations|memberships|"
        "professional memberships",
        "publications": "publications|presentations|research",
        "volunteer": "volunteer experience|volunteer work|community service|volunteering|"
        "community involvement",
        "references": "references",
        "other": "additional information|personal information|contact|contact information|"
        "personal details|other information|miscellaneous",
    }
)
_HEADING_TRIM = " \t:;-–—=*#|_•●▪·~>.()[]"

# Mis-decoded UTF-8 (read as cp1252) as it appears in real resume exports, and invisible marks.
_MOJIBAKE = {
    "â€“": "–",
    "â€”": "—",
    "â€™": "’",
    "â€˜": "‘",
    "â€œ": "“",
    "â€\x9d": "”",
    "â€¢": "•",
    "ï¼\u200b": ":",
    "ï¼š": ":",
    "â€‹": "",
    "Â·": "·",
    "Â": " ",
    "\u200b": "",
    "\ufeff": "",
    "\xa0": " ",
    "\t": " ",
    "\r\n": "\n",
    "\r": "\n",
    "\f": "\n",
}
_MOJIBAKE_RE = re.compile("|".join(re.escape(key) for key in _MOJIBAKE))
_BULLET_START = re.compile(r"^(?:[•●▪◦‣∙·■□➢➤►▶✓✔❖◆◇○o]|[-*–](?=\s))\s*")
_INLINE_BULLET = re.compile(r"\s+[•●▪◦‣∙■➢➤►▶✓✔❖◆]\s+")
_SPACES = re.compile(r" {2,}")
_HYPHENATED = re.compile(r"(?<=[a-z])-\n(?=[a-z])")

_GENERIC_TEXT = (
    "client clients customer customers financial government processes process recording "
    "reporting team office book com written oral budget general business service services "
    "company staff sales management skills systems system operations etc various computer "
    "excellent strong"
)
_GENERIC = STOPWORDS | frozenset(_GENERIC_TEXT.split())
_ITEM_SPLIT = re.compile(r"\s*[,;]\s*")
_CONJUNCTION = re.compile(r"^(?:and|or|&)\s+", re.I)
_WRAP_WIDTH = 60  # a list line this long most likely wrapped at the page edge


def normalize_resume_text(text: str) -> str:
    """Plain lines: mis-decoded characters repaired, spaces collapsed, bullets as "- ", words
    hyphenated across a line end joined, at most one blank line in a row."""
    text = _MOJIBAKE_RE.sub(lambda match: _MOJIBAKE[match[0]], text)
    text = _INLINE_BULLET.sub("\n- ", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw.strip())
        stripped = _BULLET_START.sub("", line)
        if stripped != line:
            line = f"- {stripped}" if stripped else ""
        if line or (lines and lines[-1]):
            lines.append(line)
    return _HYPHENATED.sub("", "\n".join(lines).strip())


def heading_name(line: str) -> str | None:
    """The canonical section a heading line opens ("PROFESSIONAL EXPERIENCE:" -> experience)."""
    if len(line) > 60:
        return None
    key = " ".join(line.strip(_HEADING_TRIM).lower().replace("&", " and ").split())
    return HEADINGS.get(key)


def split_sections(text: str) -> tuple[str, tuple[Section, ...]]:
    """The text before the first heading, and the sections in order (several may share a name)."""
    header: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        name = heading_name(line)
        if name is None and ":" in line[:40]:
            head, rest = line.split(":", 1)
            name = heading_name(head) if rest.strip() else None
            if name is not None:
                sections.append((name, [rest.strip()]))
                continue
        if name is not None:
            sections.append((name, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            header.append(line)
    return "\n".join(header).strip(), tuple(
        Section(name, "\n".join(lines).strip()) for name, lines in sections
    )


def parse_resume(text: str, normalizer: SkillNormalizer, *, today: date) -> ParsedResume:
    """Every field a profile can take from a resume, each with where it came from in `sources`."""
    if len(text) > MAX_RESUME_CHARS:
        raise InvalidInput(
            f"a resume holds at most {MAX_RESUME_CHARS} characters of text", field="text"
        )
    clean = normalize_resume_text(text)
    if not clean:
        raise InvalidInput("the resume has no text", field="text")
    header, sections = split_sections(clean)
    sources: dict[str, str] = {}
    contact_text = "\n".join([header, _joined(sections, "other")])
    found_email, found_phone = email(contact_text, clean, sources), phone(contact_text, sources)
    has_contact = bool(found_email or found_phone)
    name, headline = name_and_headline(header, has_contact=has_contact, sources=sources)
    experience = _joined(sections, "experience")
    ranges = date_ranges(experience, today) if experience else []
    recent = recent_titles(experience, ranges)
    if headline is None and recent:
        headline = recent[0]
        sources["headline"] = "most recent title"
    summary = _summary(header, sections, sources)
    years = _years(ranges, summary, clean, sources)
    return ParsedResume(
        headline=headline,
        summary=summary,
        skills=_skills(clean, sections, normalizer, sources),
        years_of_experience=years,
        seniority=_seniority(headline, recent, years, sources),
        education=_education(sections, clean, today, sources),
        location=location(header or clean[:300], sources),
        email=found_email,
        phone=found_phone,
        name=name,
        recent_titles=recent,
        sections=sections,
        sources=sources,
    )


def resume_profile_text(resume: ParsedResume) -> str:
    """The text to embed: headline and summary first (the model reads ~256 tokens), then skills
    and recent titles."""
    parts: list[str] = []
    if resume.headline:
        parts.append(resume.headline)
    if resume.summary:
        parts.append(_cut(resume.summary, PROFILE_SUMMARY_CHARS))
    if resume.skills:
        parts.append("Skills: " + ", ".join(resume.skills[:PROFILE_SKILLS]))
    titles = [t for t in resume.recent_titles if t != resume.headline]
    if titles:
        parts.append("Recent roles: " + ", ".join(titles))
    return ". ".join(part.rstrip(". ") for part in parts)


def _joined(sections: Iterable[Section], name: str) -> str:
    return "\n".join(s.text for s in sections if s.name == name and s.text)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit) if " " in text[:limit] else limit]


def _summary(header: str, sections: tuple[Section, ...], sources: dict[str, str]) -> str | None:
    text = next((s.text for s in sections if s.name == "summary" and s.text), "")
    where = "summary section"
    if not text:
        paragraphs = [p for p in header.split("\n") if len(p.split()) >= 12]
        text, where = (paragraphs[0] if paragraphs else ""), "first paragraph"
    text = " ".join(line.removeprefix("- ") for line in text.split("\n") if line.strip())
    if not text:
        return None
    sources["summary"] = where
    return _cut(text, MAX_SUMMARY_CHARS)


def _skills(
    clean: str,
    sections: tuple[Section, ...],
    normalizer: SkillNormalizer,
    sources: dict[str, str],
) -> tuple[str, ...]:
    """Known skills the skills section names, then the other short items it lists (kept as
    written), then known skills found elsewhere, most lines naming them first."""
    counts: Counter[str] = Counter()
    for line in clean.split("\n"):
        counts.update(normalizer.extract(line, limit=10_000))
    listed_text = _joined(sections, "skills")
    known = normalizer.extract(listed_text, limit=10_000)
    # An unknown item keeps its spelling: a synonym lookup would turn "AR" into a technology.
    items = [item for item in _skill_items(listed_text) if not normalizer.extract(item)]
    by_count = sorted(counts, key=lambda skill: -counts[skill])  # stable: first mention next
    ranked = normalizer.normalize_many([*known, *items, *by_count])
    if not ranked:
        return ()
    sources["skills"] = "skills section + text" if known or items else "text"
    return tuple(ranked[:MAX_SKILLS])


def _skill_items(text: str) -> list[str]:
    """Short list items of a skills section: one per line (a table cell is a line of its own),
    or comma-separated lists whose lines wrap mid-item."""
    lines = _unwrapped(text.split("\n"))
    if text.count(",") + text.count(";") >= 2:
        lines = [item for line in lines for item in _ITEM_SPLIT.split(line)]
    items = []
    for line in lines:
        item = _CONJUNCTION.sub("", line.removeprefix("- ").split(":")[-1].strip(" .•-*"))
        words = item.split()
        if not 1 <= len(words) <= 4 or len(item) > 40 or item.endswith(SENTENCE_END):
            continue
        if len(words) == 1 and (item.lower() in _GENERIC or len(item) < 3):
            continue
        if item[0].isalpha() and not DATE_WORD.search(item):
            items.append(item)
    return items


def _unwrapped(lines: list[str]) -> list[str]:
    """Lines with those that continue a list joined back: after a trailing comma or "and", before
    a lower-case word, or after a full-width line of a list. A short line is an item boundary."""
    joined: list[str] = []
    previous = ""
    for line in lines:
        listed = "," in previous or ";" in previous
        wraps = previous.endswith((",", ";", " and", " or", "&"))
        wraps = wraps or (listed and len(previous) >= _WRAP_WIDTH)
        if joined and previous and line and (wraps or line[0].islower()):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
        previous = line
    return joined


def _years(
    ranges: list[DateRange], summary: str | None, clean: str, sources: dict[str, str]
) -> float | None:
    if ranges:
        months = merged_months([(span.first, span.last) for span in ranges])
        if months > 0:
            sources["years_of_experience"] = "experience date ranges"
            return min(float(MAX_YEARS), round(months / 12, 1))
    for text, where in ((summary or "", "summary"), (clean, "text")):
        stated = _stated_years(text)
        if stated is not None:
            sources["years_of_experience"] = f"stated in {where}"
            return stated
    return None


_DECADES = re.compile(
    r"\b(?:(over|more than|nearly|almost)\s+)?(a|one|two|three)\s+decades?\b", re.I
)


def _stated_years(text: str) -> float | None:
    found = experience_from_text(text)
    if found is not None and found[0] is not None and found[0] > 0:
        return min(float(MAX_YEARS), found[0])
    decades = _DECADES.search(text)
    if decades:
        count = {"a": 1, "one": 1, "two": 2, "three": 3}[decades[2].lower()]
        return float(10 * count)
    return None


def _seniority(
    headline: str | None,
    recent: tuple[str, ...],
    years: float | None,
    sources: dict[str, str],
) -> Seniority | None:
    for title, where in [(headline, "headline"), *((t, "recent titles") for t in recent[:1])]:
        if title:
            level = infer_seniority(title, None)
            if level is not None:
                sources["seniority"] = where
                return level
    if years is None:
        return None
    sources["seniority"] = "years of experience"
    return infer_seniority("", years)


def _education(
    sections: tuple[Section, ...], clean: str, today: date, sources: dict[str, str]
) -> tuple[Education, ...]:
    text, strict = _joined(sections, "education"), False
    if not text:
        text, strict = clean, True
    entries = tuple(
        Education(degree, field, institution, year)
        for degree, field, institution, year in education_entries(text, today, strict=strict)
    )
    if entries:
        sources["education"] = "text" if strict else "education section"
    return entries
