"""Reading a job posting: remote work, seniority, employment type, keywords, clean description."""

from __future__ import annotations

import html
import re
from collections import Counter

from domain.enums import EmploymentType, Seniority
from domain.errors import InvalidInput
from domain.locations import parse_location

_ONSITE_LOCATION = re.compile(r"\bon-?site\b|\bin[- ]office\b", re.I)
_REMOTE_TITLE = re.compile(
    r"\bremote\b(?!\s*(?:sensing|monitoring|control|operat|pilot|vehicle|patient))", re.I
)
_REMOTE_TEXT = re.compile(
    r"\b(?:fully|100%)\s+remote\b|\bremote[- ]first\b|\b(?:this|the)\s+(?:role|position|job)\s+"
    r"is\s+(?:a\s+)?(?:fully\s+)?remote\b|\bremote\s+(?:role|position|opportunity)\b",
    re.I,
)
_ONSITE_TEXT = re.compile(
    r"\bnot\s+(?:a\s+)?remote\b|\bno\s+remote\b|\bnon-remote\b|\b(?:role|position|job)\s+is\s+"
    r"(?:not\s+remote|(?:fully\s+)?(?:on-?site|in[- ]office|in[- ]person))\b",
    re.I,
)

_ENTRY = re.compile(
    r"\b(?:intern(?:ship)?s?|new\s+grad(?:uate)?s?|graduate|entry[- ]level|trainee|"
    r"apprentice(?:ship)?|working\s+student|werkstudent(?:in)?|praktikant(?:in)?|stagiaire|"
    r"alternan(?:t|ce)|co-?op)\b",
    re.I,
)
# Role names that contain "manager" without managing people.
_IC_MANAGER = re.compile(
    r"\b(?:product|program|project|account|success|community|office|territory|"
    r"partner(?:ship)?s?|case|content|campaign|events?|social\s+media)\s+manager\b",
    re.I,
)
_TITLE_LEVELS: list[tuple[Seniority, re.Pattern[str]]] = [
    (
        Seniority.PRINCIPAL,
        re.compile(
            r"\b(?:principal|distinguished|director|head\s+of|head,|vp|svp|evp|avp|"
            r"vice[- ]president|chief|cto|ceo|cfo|coo|cio|ciso|cmo|cpo|cro)\b",
            re.I,
        ),
    ),
    (
        Seniority.LEAD,
        re.compile(r"\b(?:staff|lead(?!\s*gen)|leader|supervisor|mgr|manager)\b", re.I),
    ),
    (Seniority.SENIOR, re.compile(r"(?i:\b(?:senior|sr|snr)\b)|(?<=\s)III(?=$|[\s,)\-–])")),
    (
        Seniority.MID,
        re.compile(r"(?i:\bmid[- ]?(?:level|senior)\b|\bintermediate\b)|(?<=\s)II(?=$|[\s,)\-–])"),
    ),
    (Seniority.JUNIOR, re.compile(r"(?i:\b(?:junior|jr|associate)\b)|(?<=\s)I(?=$|[\s,)\-–])")),
]
_YEARS_LEVELS = [
    (1, Seniority.ENTRY),
    (3, Seniority.JUNIOR),
    (5, Seniority.MID),
    (8, Seniority.SENIOR),
]

_EMPLOYMENT_TYPES: dict[str, EmploymentType] = {
    **dict.fromkeys(
        ["fulltime", "ft", "permanent", "regular", "fulltimeemployee", "employee"],
        EmploymentType.FULL_TIME,
    ),
    **dict.fromkeys(["parttime", "pt", "parttimeemployee"], EmploymentType.PART_TIME),
    **dict.fromkeys(
        ["contract", "contractor", "freelance", "freelancer", "consultant", "contracttohire",
         "ctoh", "independentcontractor"],
        EmploymentType.CONTRACT,
    ),
    **dict.fromkeys(
        ["temporary", "temp", "seasonal", "fixedterm", "casual"], EmploymentType.TEMPORARY
    ),
    **dict.fromkeys(
        ["intern", "internship", "apprentice", "apprenticeship", "coop", "trainee",
         "werkstudent", "workingstudent"],
        EmploymentType.INTERNSHIP,
    ),
}  # fmt: skip

_STOPWORDS_TEXT = """
a about above across after again against all almost along already also although always am
among an and another any anyone anything are around as at be became because become been before
being below between both but by can cannot could did do does doing done down during each
either else etc even ever every few for from further get gets getting give given go going got
had has have having he her here hers herself him himself his how however i if in including
into is it its itself just least less like made make makes many may me might more most much
must my myself need needs neither no nor not now of off often on once one only onto or other
others otherwise our ours ourselves out over own per please rather really same several shall
she should since so some something such than that the their theirs them themselves then there
therefore these they this those though through throughout thus to together too toward towards
under until up upon us use used using very via was we well were what whatever when where
whether which while who whom whose why will with within without would yet you your yours
yourself yourselves also across e.g i.e
"""
_CONTRACTIONS = "i'm i've i'd i'll you're you've you'd you'll we're we've we'd we'll they're"
_CONTRACTIONS += " they've it's that's there's what's who's let's don't doesn't didn't isn't"
_CONTRACTIONS += " aren't wasn't weren't won't wouldn't can't couldn't shouldn't haven't hasn't"
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split() + _CONTRACTIONS.split())
_WORD = re.compile(r"[a-z][a-z0-9+#]*(?:['.\-][a-z0-9+#]+)*")
# An address is tried from the start of its token, up to its first "@": retrying from every
# character of a long token, or at every "@", would be quadratic.
_URL = re.compile(r"https?://\S+|www\.\S+|(?<!\S)[^\s@]+@\S+\.\w+")
# A tag ends before the next "<": an unclosed "<p" would otherwise scan to the end of the text,
# once per "<p".
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|table|section|blockquote)\b[^<>]*>", re.I
)
_INLINE_TAG = re.compile(
    r"</?(?:span|strong|b|i|em|u|a|td|th|tbody|thead|code|pre|hr|img|font|sup|sub)\b[^<>]*>",
    re.I,
)


def detect_remote(location: str | None, title: str, description: str, flag: bool | None) -> bool:
    """Whether the job can be done remotely.

    A location or title that says remote wins, then a location that says on-site; then the
    source's own flag; without one, an explicit sentence of the description ("this role is
    fully remote", never merely the word "remote").
    """
    if location and parse_location(location).is_remote:
        return True
    if _REMOTE_TITLE.search(title):
        return True
    if location and _ONSITE_LOCATION.search(location):
        return False
    if flag is not None:
        return flag
    if _ONSITE_TEXT.search(description):
        return False
    return _REMOTE_TEXT.search(description) is not None


def infer_seniority(title: str, years_min: float | None) -> Seniority | None:
    """The seniority a title states, else the one `years_min` of experience suggests.

    Intern, graduate and entry-level titles are ENTRY whatever else they say; otherwise the
    highest level named wins ("Associate Director" is PRINCIPAL). "Product Manager" and similar
    role names do not make a title LEAD; "Engineering Manager" does.
    """
    if _ENTRY.search(title):
        return Seniority.ENTRY
    levels_text = _IC_MANAGER.sub(" ", title)
    for seniority, pattern in _TITLE_LEVELS:
        if pattern.search(levels_text):
            return seniority
    if years_min is None:
        return None
    for limit, seniority in _YEARS_LEVELS:
        if years_min < limit:
            return seniority
    return Seniority.LEAD


def normalize_employment_type(raw: str | None) -> EmploymentType | None:
    """Map "FullTime", "Full-time", "full time", "Contract", "Intern", ... to the enum."""
    if raw is None:
        return None
    return _EMPLOYMENT_TYPES.get(re.sub(r"[^a-z]", "", raw.lower()))


def clean_description(text: str) -> str:
    """Plain text from a description that may hold HTML tags and entities ("&amp;")."""
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_INLINE_TAG.sub("", text)).replace("\xa0", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()


def extract_keywords(text: str, limit: int = 20) -> list[str]:
    """The `limit` most frequent content words of `text`, lower case, English stopwords removed.

    Ties are broken alphabetically, so the result depends on the text only.
    """
    if limit < 0:
        raise InvalidInput("limit cannot be negative", field="limit")
    plain = _URL.sub(" ", clean_description(text)).lower().replace("’", "'")
    words = [word.removesuffix("'s") for word in _WORD.findall(plain)]
    counts = Counter(word for word in words if len(word) > 1 and word not in STOPWORDS)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:limit]]
