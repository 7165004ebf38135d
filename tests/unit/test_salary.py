"""Salary parsing (SPEC §2, §9): amounts, currency, interval, annual equivalent, absurd values."""

import dataclasses
import math

import pytest

from domain.enums import SalaryInterval as I
from domain.errors import InvalidInput
from domain.salary import KNOWN_CURRENCIES, Salary, parse_salary, validate_salary_range


def parsed(raw: str) -> Salary:
    salary = parse_salary(raw)
    assert salary is not None, raw
    return salary


def test_k_range_with_equity_note_is_a_yearly_usd_range() -> None:
    s = parsed("$150K – $180K • Offers Equity")
    assert (s.min, s.max, s.currency, s.interval) == (150_000, 180_000, "USD", I.YEAR)
    assert (s.annual_min, s.annual_max) == (150_000, 180_000)


def test_decimal_k_amounts_keep_their_decimals() -> None:
    s = parsed("$146.9K – $172.8K • Offers Equity • $30K Bonus")
    assert (s.min, s.max) == (146_900, 172_800)


@pytest.mark.parametrize(
    "raw",
    [
        "$146.9K – $172.8K • Offers Equity • $30K Bonus",
        "$85K – $115K • Offers Equity • $25K – $35K Commission",
        "$90K – $200K • Offers Bonus • $10k Sign-On Bonus",
        "$110K • $280k OTE",
    ],
)
def test_bonus_and_commission_after_the_salary_are_not_the_salary(raw: str) -> None:
    s = parsed(raw)
    assert s.min is not None and s.min >= 85_000
    assert s.max is not None and s.max <= 200_000


def test_a_bonus_alone_is_not_a_salary() -> None:
    assert parse_salary("$30K Bonus") is None
    assert parse_salary("Bonus: $30K") is None


def test_equity_percentages_are_not_a_salary() -> None:
    assert parse_salary("0.2% – 0.75%") is None
    assert parsed("$125K – $250K • 0.2% – 0.75%").max == 250_000


def test_hourly_salary_is_annualized_at_2080_hours() -> None:
    s = parsed("$20.00 – $30.00 per hour")
    assert (s.min, s.max, s.interval) == (20, 30, I.HOUR)
    assert (s.annual_min, s.annual_max) == (41_600, 62_400)


def test_daily_rate_is_annualized_at_260_days() -> None:
    s = parsed("£400 per day")
    assert (s.interval, s.currency, s.annual_min) == (I.DAY, "GBP", 104_000)


def test_weekly_salary_is_annualized_at_52_weeks() -> None:
    s = parsed("$2.4K per week • $10k Housing Stipend")
    assert (s.min, s.interval, s.annual_max) == (2_400, I.WEEK, 124_800)


def test_monthly_salary_is_annualized_at_12_months() -> None:
    s = parsed("€1.2K – €1.4K per month")
    assert (s.min, s.max, s.currency, s.interval) == (1_200, 1_400, "EUR", I.MONTH)
    assert (s.annual_min, s.annual_max) == (14_400, 16_800)


@pytest.mark.parametrize(
    ("raw", "interval"),
    [
        ("$40 an hour", I.HOUR),
        ("$20 - $25/hr", I.HOUR),
        ("€45/h", I.HOUR),
        ("$95,000 – $105,000 annually", I.YEAR),
        ("$100k to $120k per annum", I.YEAR),
        ("€50k - €60k p.a.", I.YEAR),
        ("$50,000/year - $75,000/year + bonus", I.YEAR),
        ("$2,500 weekly", I.WEEK),
        ("50 000 kr/month", I.MONTH),
        ("£500 daily", I.DAY),
    ],
)
def test_written_intervals_are_recognized(raw: str, interval: I) -> None:
    assert parsed(raw).interval is interval


def test_interval_in_a_later_note_does_not_apply_to_the_salary() -> None:
    s = parsed("$48K – $70K • This role will be paid hourly with a minimum hourly expectation.")
    assert s.interval is I.YEAR
    assert parsed("$13K – $31.2K • Part-Time; 10-20 hours a week").interval is I.YEAR


def test_single_amount_sets_min_equal_max() -> None:
    s = parsed("$92.5K")
    assert s.min == s.max == 92_500


@pytest.mark.parametrize(
    "raw",
    ["$100K – $120K", "$100K — $120K", "$100K - $120K", "$100K-$120K", "$100K to $120K",
     "between $100,000 and $120,000", "100,000 - 120,000 USD"],
)  # fmt: skip
def test_range_separators(raw: str) -> None:
    s = parsed(raw)
    assert (s.min, s.max) == (100_000, 120_000)


def test_plain_numbers_with_thousands_separators() -> None:
    assert parsed("$1,250.00 per month").min == 1_250
    assert parsed("Pay: $90,000.00 - $150,000.00 per year").max == 150_000
    assert parsed("CHF 120 000").min == 120_000


def test_european_thousands_dots_and_decimal_commas() -> None:
    assert (parsed("120.000 - 140.000 € brutto").min, parsed("EUR 65.000,50").min) == (
        120_000,
        65_000.5,
    )


def test_million_suffix() -> None:
    s = parsed("$500K – $1M • Offers Equity")
    assert (s.min, s.max) == (500_000, 1_000_000)
    assert parsed("$5 – $10 million").min == 5_000_000


def test_multiplier_written_once_applies_to_both_ends() -> None:
    assert (parsed("$160 - $200k").min, parsed("$160 - $200k").max) == (160_000, 200_000)
    assert parsed("$0 – $50K • $0 – $1M Bonus").min == 0


def test_indian_lakh_amounts() -> None:
    s = parsed("₹8.8L – ₹10.6L")
    assert (s.min, s.max, s.currency) == (880_000, 1_060_000, "INR")
    assert parsed("15-20 LPA").max == 2_000_000


@pytest.mark.parametrize(
    ("raw", "currency"),
    [
        ("$80K", "USD"), ("US$80K", "USD"), ("£32K – £35K", "GBP"), ("€40K – €60K", "EUR"),
        ("¥8,000,000", "JPY"), ("₹8.8L", "INR"), ("C$90K", "CAD"), ("CA$123K – CA$172.3K", "CAD"),
        ("CAD 100,000", "CAD"), ("A$150K – A$180K", "AUD"), ("AUD 150,000", "AUD"),
        ("CHF 120 000", "CHF"), ("kr 500 000", "SEK"), ("zł 15 000 – 20 000 / month", "PLN"),
        ("SGD\u00a0115K – SGD\u00a0140K", "SGD"), ("R$285K – R$400K", "BRL"),
        ("₱550.00 per hour", "PHP"), ("100,000 USD", "USD"), ("100k-120k EUR", "EUR"),
        ("$100K CAD", "CAD"), ("MYR\u00a03K – MYR\u00a04K per month", "MYR"),
    ],
)  # fmt: skip
def test_currency_markers_map_to_iso_codes(raw: str, currency: str) -> None:
    assert parsed(raw).currency == currency


def test_amount_without_currency_has_no_currency() -> None:
    assert parsed("100,000 - 120,000").currency is None


@pytest.mark.parametrize("raw", [None, "", "   ", "Competitive", "DOE", "$millions in equity"])
def test_text_without_a_number_is_not_a_salary(raw: str | None) -> None:
    assert parse_salary(raw) is None


def test_bare_small_amount_without_interval_is_an_hourly_rate() -> None:
    s = parsed("$24.04 • Offers Commission")
    assert (s.interval, s.annual_min) == (I.HOUR, 50_003.2)
    assert parsed("$55.00 – $65.00").interval is I.HOUR


def test_one_off_payment_is_not_a_salary() -> None:
    assert parse_salary("$60.00 once") is None


def test_up_to_amount_has_no_minimum() -> None:
    s = parsed("up to €50.000")
    assert (s.min, s.max, s.annual_min) == (None, 50_000, None)


def test_amount_with_plus_has_no_maximum() -> None:
    s = parsed("$120K+")
    assert (s.min, s.max, s.annual_max) == (120_000, None, None)


def test_raw_text_is_kept_and_salary_is_immutable() -> None:
    s = parsed("$80K – $100K • Offers Equity")
    assert s.raw == "$80K – $100K • Offers Equity"
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.min = 1  # type: ignore[misc]


@pytest.mark.parametrize("raw", ["-$50,000", "$-50,000"])
def test_negative_salary_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInput, match="negative"):
        parse_salary(raw)


def test_inverted_range_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="above the maximum"):
        parse_salary("$100K – $80K")


@pytest.mark.parametrize("raw", ["$1,000,000,000,000", "$15M", "$10,000 per hour"])
def test_amount_above_ten_million_a_year_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInput, match="ceiling"):
        parse_salary(raw)


def test_ceiling_scales_for_currencies_with_small_units() -> None:
    assert parsed("¥15,000,000").annual_max == 15_000_000
    with pytest.raises(InvalidInput):
        parse_salary("¥1,000,000,000,000")


@pytest.mark.parametrize("raw", ["XYZ 100K", "100K XYZ", "¤100", "ZZ$100K"])
def test_unknown_currency_marker_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInput, match="currency") as error:
        parse_salary(raw)
    assert error.value.field == "salary"


def test_words_next_to_the_amount_that_are_not_currencies_are_ignored() -> None:
    assert parsed("$100K OTE").currency == "USD"
    assert parsed("100K DOE").currency is None


def test_a_range_in_two_currencies_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="mixes USD and EUR"):
        parse_salary("$100K – €120K")


def test_validate_salary_range_accepts_plausible_inputs() -> None:
    validate_salary_range(80_000, 120_000, "USD")
    validate_salary_range(None, None, None)
    validate_salary_range(0, None, "EUR")
    validate_salary_range(45, 60, "GBP", interval=I.HOUR)


@pytest.mark.parametrize(
    ("low", "high", "currency", "field"),
    [
        (-1, 10, "USD", "salaryMin"),
        (10, -1, "USD", "salaryMax"),
        (120_000, 80_000, "USD", "salaryMax"),
        (1e12, None, "USD", "salaryMin"),
        (math.nan, None, "USD", "salaryMin"),
        (100, 200, "XYZ", "salaryCurrency"),
        (100, 200, "usd", "salaryCurrency"),
    ],
)
def test_validate_salary_range_rejects_absurd_inputs(
    low: float, high: float | None, currency: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        validate_salary_range(low, high, currency)
    assert error.value.field == field


def test_validate_salary_range_annualizes_before_the_ceiling() -> None:
    validate_salary_range(4_000, None, "USD", interval=I.HOUR)
    with pytest.raises(InvalidInput, match="per hour"):
        validate_salary_range(5_000, None, "USD", interval=I.HOUR)


def test_known_currencies_are_iso_4217_codes() -> None:
    assert {
        "USD",
        "EUR",
        "GBP",
        "CAD",
        "AUD",
        "INR",
        "JPY",
        "CHF",
        "SEK",
        "PLN",
    } <= KNOWN_CURRENCIES
    assert all(len(code) == 3 and code.isupper() for code in KNOWN_CURRENCIES)
    assert "XYZ" not in KNOWN_CURRENCIES
