"""Salary text as job boards write it -> amounts, ISO currency, pay interval, annual equivalents."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from domain.enums import SalaryInterval
from domain.errors import InvalidInput

_ISO_4217 = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL"""
KNOWN_CURRENCIES: frozenset[str] = frozenset(_ISO_4217.split())

ANNUAL_FACTORS: dict[SalaryInterval, int] = {
    SalaryInterval.HOUR: 2080,
    SalaryInterval.DAY: 260,
    SalaryInterval.WEEK: 52,
    SalaryInterval.MONTH: 12,
    SalaryInterval.YEAR: 1,
}
MAX_ANNUAL = 10_000_000
# Currencies where a real yearly salary is written with many digits: the ceiling scales with
# roughly how many units make one US dollar, so ¥15,000,000 stays plausible and 10^12 does not.
_CEILING_SCALE: dict[str, int] = {
    "JPY": 200, "INR": 100, "KRW": 2000, "IDR": 20000, "VND": 30000, "PHP": 60, "HUF": 400,
    "CLP": 1000, "COP": 5000, "NGN": 2000, "PKR": 300, "LKR": 350, "KZT": 500, "UGX": 4000,
    "TZS": 3000, "KES": 150, "ISK": 150, "IRR": 50000, "ARS": 1500, "BDT": 150, "EGP": 60,
    "RUB": 100, "THB": 40, "TWD": 35, "CZK": 25, "MXN": 20, "ZAR": 20, "UAH": 45, "TRY": 40,
    "XOF": 650, "XAF": 650, "CRC": 550, "DZD": 150, "NPR": 150, "MMK": 2500, "KHR": 4500,
    "LAK": 25000, "MNT": 3500, "PYG": 8000, "UZS": 13000, "AMD": 400, "RSD": 120, "DOP": 65,
}  # fmt: skip

_MARKERS: dict[str, str] = {
    "$": "USD", "US$": "USD", "C$": "CAD", "CA$": "CAD", "CAN$": "CAD", "A$": "AUD",
    "AU$": "AUD", "NZ$": "NZD", "S$": "SGD", "SG$": "SGD", "HK$": "HKD", "R$": "BRL",
    "MX$": "MXN", "NT$": "TWD", "€": "EUR", "£": "GBP", "¥": "JPY", "JP¥": "JPY", "CN¥": "CNY",
    "RMB": "CNY", "₹": "INR", "RS": "INR", "RS.": "INR", "₨": "INR", "₱": "PHP", "₩": "KRW",
    "₪": "ILS", "₺": "TRY", "₽": "RUB", "₦": "NGN", "₫": "VND", "฿": "THB", "₴": "UAH",
    "₸": "KZT", "₡": "CRC", "₵": "GHS", "₲": "PYG", "৳": "BDT", "ZŁ": "PLN", "KR": "SEK",
    "KČ": "CZK", "FT": "HUF", "LEI": "RON", "RM": "MYR", "FR.": "CHF", "SFR": "CHF", "R": "ZAR",
}  # fmt: skip
# Three capital letters next to a number that are not a currency: left alone, never rejected.
_NOT_CURRENCY_WORDS = "OTE DOE PTO TBD TBC YOE EST PST CST MST EDT PDT UTC GMT CET BST IST AND THE"
_NOT_CURRENCY = frozenset(f"{_NOT_CURRENCY_WORDS} FOR PER NET TAX USA MAX MIN".split())
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "l": 1e5}
_MULTIPLIERS |= {"lpa": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5}
_MULTIPLIERS |= {"cr": 1e7, "crore": 1e7, "crores": 1e7}

_SYMBOL_CHARS = "$€£¥₹₱₩₪₺₽₦₫฿₴₸₡₵₲৳₨¤" + "".join(map(chr, range(0x20A0, 0x20D0)))
_WORD_MARKER = r"RM|Rs\.?|kr|zł|Kč|Ft|lei|Fr\.|SFr|[A-Z]{3}"
_MARKER = (
    rf"(?<![A-Za-z])(?:[A-Z]{{0,3}}\$|[A-Z]{{2}}¥|[{re.escape(_SYMBOL_CHARS)}]|"
    rf"(?:{_WORD_MARKER}|R(?=\s?\d))(?![A-Za-z]))"
)
_NUMBER = r"\d{1,3}(?:[,.' ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?"
_MULT = (
    r"(?:LPA|lpa|[lL]akhs?|[lL]acs?|[cC]rores?|[tT]housand|[mM]illion|[kK]|[mM]{1,2}|L|[cC]r)"
    r"(?![A-Za-z])"
)


def _amount(p: str) -> str:
    return (
        rf"(?P<{p}neg>-)?(?P<{p}pre>{_MARKER})?\s?(?P<{p}neg2>-)?(?P<{p}num>{_NUMBER})"
        rf"(?:\s?(?P<{p}mult>{_MULT}))?(?:\s?(?P<{p}post>{_MARKER}))?"
    )


_PER = r"(?:\s*(?:/|per\s)\s*(?:year|yr|annum|month|mo|week|wk|day|hour|hr)\b)?"
_RANGE = re.compile(rf"{_amount('a')}{_PER}(?:(?:\s*[-~]\s*|\s+to\s+){_amount('b')})?")
_SEPARATORS = re.compile(r"•|·|\||;|\n")
_SKIP_AFTER = re.compile(
    r"\s*(?:%|\(k\)|(?:(?!plus\b|and\b|with\b)[\w-]+\s+){0,2}?(?:bonus|commission|stipend|"
    r"allowance|sign[- ]on|relocation))",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s*\+?\s*(?:years?|yrs?|days?|hours?|weeks?|months?|people|employees)\b", re.I
)
_SKIP_BEFORE = re.compile(r"(?:bonus|commission|stipend|allowance)\W{0,3}(?:of\s+)?$", re.I)
_SKIP_BEFORE_CHARS = 40
_INTERVALS: list[tuple[SalaryInterval, re.Pattern[str]]] = [
    (SalaryInterval.HOUR, re.compile(r"(?:per|an?|/)\s*(?:hour|hr)s?\b|\bhourly\b|\bp/?h\b", re.I)),
    (SalaryInterval.DAY, re.compile(r"(?:per|an?|/)\s*day\b|\bdaily\b|\bday rate\b", re.I)),
    (SalaryInterval.WEEK, re.compile(r"(?:per|an?|/)\s*(?:week|wk)s?\b|\bweekly\b", re.I)),
    (
        SalaryInterval.MONTH,
        re.compile(r"(?:per|an?|/)\s*(?:month|mo|mth)s?\b|\bmonthly\b|\bpcm\b", re.I),
    ),
    (
        SalaryInterval.YEAR,
        re.compile(r"(?:per|an?|/)\s*(?:year|yr|annum)s?\b|\bannual(?:ly)?\b|\byearly\b|"
                   r"\bp\.?a\.?(?!\w)|\blpa\b", re.I),
    ),
]  # fmt: skip
_ONE_OFF = re.compile(r"\s*(?:once|one[- ]time|one[- ]off|lump[- ]sum)\b", re.I)
_OPEN_BELOW = re.compile(r"(?:up\s+to|max(?:imum)?|no\s+more\s+than)\s*:?\s*$", re.I)
_OPEN_ABOVE = re.compile(r"(?:from|starting\s+at|min(?:imum)?|at\s+least)\s*:?\s*$", re.I)


@dataclass(frozen=True)
class Salary:
    """A parsed salary; `raw` keeps the text it came from, `annual_*` use ANNUAL_FACTORS."""

    min: float | None
    max: float | None
    currency: str | None
    interval: SalaryInterval
    annual_min: float | None
    annual_max: float | None
    raw: str


def parse_salary(raw: str | None) -> Salary | None:
    """Parse the first salary amount or range in `raw`; None when it states no salary.

    Bonuses, commissions, equity percentages and one-off payments are not the salary. Without a
    written interval the salary is yearly, except bare amounts under 1,000 (no K/M), which are
    hourly. Raises InvalidInput for negative or inverted ranges, amounts over the annual ceiling
    and currency markers that are not ISO 4217.
    """
    if raw is None:
        return None
    text = _normalize(raw)
    for match in _RANGE.finditer(text):
        if _is_salary(text, match):
            return _build(raw, text, match)
    return None


def validate_salary_range(
    min: float | None,
    max: float | None,
    currency: str | None,
    *,
    interval: SalaryInterval = SalaryInterval.YEAR,
) -> None:
    """Reject typed salary inputs a person cannot mean; `currency` is an ISO 4217 code."""
    if currency is not None and currency not in KNOWN_CURRENCIES:
        raise InvalidInput(
            f"unknown currency {currency!r}: use an ISO 4217 code such as USD, EUR or GBP",
            field="salaryCurrency",
        )
    ceiling = MAX_ANNUAL * _CEILING_SCALE.get(currency or "", 1)
    for name, value in (("salaryMin", min), ("salaryMax", max)):
        if value is None:
            continue
        if math.isnan(value) or math.isinf(value):
            raise InvalidInput("salary must be a finite number", field=name)
        if value < 0:
            raise InvalidInput(f"salary cannot be negative (got {_fmt(value)})", field=name)
        if value * ANNUAL_FACTORS[interval] > ceiling:
            raise InvalidInput(
                f"salary {_fmt(value)} per {interval.value.lower()} is above the ceiling of "
                f"{ceiling:,} a year",
                field=name,
            )
    if min is not None and max is not None and min > max:
        raise InvalidInput(
            f"minimum salary {_fmt(min)} is above the maximum {_fmt(max)}", field="salaryMax"
        )


def annualize(amount: float | None, interval: SalaryInterval) -> float | None:
    """The yearly equivalent of `amount` paid per `interval`."""
    return None if amount is None else round(amount * ANNUAL_FACTORS[interval], 2)


def _fmt(value: float) -> str:
    return f"{value:,.2f}".removesuffix(".00")


def _normalize(raw: str) -> str:
    text = re.sub(r"[\u00a0\u2007\u202f\u2009]", " ", raw)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\bbetween\s+(\S+)\s+and\s+", r"\1 to ", text, flags=re.I)


def _is_salary(text: str, m: re.Match[str]) -> bool:
    # Only the last few words before an amount can say "bonus of"; searching
    # the whole prefix for every candidate amount would make a long text quadratic.
    before = max(0, m.start() - _SKIP_BEFORE_CHARS)
    if _SKIP_AFTER.match(text, m.end()) or _SKIP_BEFORE.search(text, before, m.start()):
        return False
    marked = any(m[g] for g in ("apre", "apost", "amult", "bpre", "bpost", "bmult"))
    if marked:
        return True
    year_like = m["bnum"] is None and re.fullmatch(r"(?:19|20)\d\d", m["anum"]) is not None
    return not year_like and not _UNIT_AFTER.match(text, m.end())


def _build(raw: str, text: str, m: re.Match[str]) -> Salary | None:
    seg_start = max((s.end() for s in _SEPARATORS.finditer(text, 0, m.start())), default=0)
    after = _SEPARATORS.search(text, m.end())
    head, tail = text[seg_start : m.start()], text[m.end() : after.start() if after else None]
    if _ONE_OFF.match(tail):
        return None
    if any(m[g] for g in ("aneg", "aneg2", "bneg", "bneg2")):
        raise InvalidInput(f"salary cannot be negative: {raw!r}", field="salary")
    low, high, scaled = _bounds(m)
    if m["bnum"] is None and _OPEN_BELOW.search(head):
        low = None
    elif m["bnum"] is None and (_OPEN_ABOVE.search(head) or tail.lstrip().startswith("+")):
        high = None
    currency = _currency(m["apre"], m["apost"], m["bpre"], m["bpost"])
    interval = _interval(m[0] + tail) or _interval(head)
    if interval is None:
        # Nobody earns $26 a year: a bare small amount without an interval is an hourly rate.
        small = not scaled and max(v for v in (low, high) if v is not None) < 1000
        hourly = small and currency not in _CEILING_SCALE
        interval = SalaryInterval.HOUR if hourly else SalaryInterval.YEAR
    try:
        validate_salary_range(low, high, currency, interval=interval)
    except InvalidInput as error:
        raise InvalidInput(f"{error.message}: {raw!r}", field="salary") from error
    return Salary(
        low, high, currency, interval, annualize(low, interval), annualize(high, interval), raw
    )


def _bounds(m: re.Match[str]) -> tuple[float | None, float | None, bool]:
    low, low_mult = _number(m["anum"], m["amult"])
    if m["bnum"] is None:
        return low, low, low_mult is not None
    high, high_mult = _number(m["bnum"], m["bmult"])
    # "$160 - $200k": one multiplier written for both ends.
    if high_mult is not None and low_mult is None and low * high_mult <= high:
        low *= high_mult
    elif low_mult is not None and high_mult is None and low <= high * low_mult:
        high *= low_mult
    return round(low, 2), round(high, 2), low_mult is not None or high_mult is not None


def _number(digits: str, mult: str | None) -> tuple[float, float | None]:
    text = digits.replace(" ", "").replace("'", "")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in text:
        thousands = re.fullmatch(r"\d{1,3}(,\d{3})+", text) is not None
        text = text.replace(",", "" if thousands else ".")
    elif mult is None and re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    factor = None if mult is None else _MULTIPLIERS[mult.lower()]
    return round(float(text) * (factor or 1), 2), factor


def _currency(*markers: str | None) -> str | None:
    a_pre, a_post, b_pre, b_post = markers
    first, second = _marker_code(a_pre, a_post), _marker_code(b_pre, b_post)
    if first and second and first != second:
        raise InvalidInput(f"salary range mixes {first} and {second}", field="salary")
    return first or second


def _marker_code(pre: str | None, post: str | None) -> str | None:
    before = _code(pre, strict=True) if pre else None
    after = _code(post, strict=before is None) if post else None
    # "$100K CAD": a written code wins over the bare dollar sign.
    if before and after and pre != "$" and before != after:
        raise InvalidInput(f"salary names both {before} and {after}", field="salary")
    return after if after and pre == "$" else before or after


def _code(marker: str, *, strict: bool) -> str | None:
    key = marker.strip().upper()
    if key in KNOWN_CURRENCIES:
        return key
    if key in _MARKERS:
        return _MARKERS[key]
    if key.endswith("$") and key[:-1] in KNOWN_CURRENCIES:
        return key[:-1]
    if key in _NOT_CURRENCY or not strict:
        return None
    raise InvalidInput(f"unknown currency marker {marker!r} in salary", field="salary")


def _interval(text: str) -> SalaryInterval | None:
    found = [(p.search(text), interval) for interval, p in _INTERVALS]
    hits = [(m.start(), interval) for m, interval in found if m is not None]
    return min(hits, key=lambda hit: hit[0])[1] if hits else None
