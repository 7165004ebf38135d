"""Human-readable reasons (strengths) and gaps for each factor value of a score."""

from __future__ import annotations

from domain.enums import Seniority
from domain.scoring.context import ScoringContext
from domain.scoring.factors import SkillMatch, salary_gap
from domain.scoring.filters import SALARY_TOLERANCE
from domain.scoring.location import accepts_remote, within_radius

Sentences = tuple[str | None, str | None]
NEUTRAL_NOTE = "counted as neutral (50)"


def years(value: float) -> str:
    return "1 year" if value == 1 else f"{value:g} years"


def money(amount: float, currency: str | None) -> str:
    return f"{currency.upper()} {amount:,.0f}" if currency else f"{amount:,.0f}"


def where(ctx: ScoringContext) -> str:
    job = ctx.job
    parts = [p for p in (job.city, job.region, job.country) if p]
    return job.location or ", ".join(parts) or "an unknown place"


def requirement(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:g}-{high:g} years"
    if low is not None:
        return f"{low:g}+ years"
    return f"at most {high:g} years" if high is not None else "no minimum"


def _level(value: Seniority) -> str:
    return value.value.capitalize()


def skill_sentences(match: SkillMatch) -> Sentences:
    total = len(match.matched) + len(match.missing)
    if total == 0:
        return None, f"The job lists no skills, so skills are {NEUTRAL_NOTE}."
    count = f"all {total}" if not match.missing else f"{len(match.matched)} of {total}"
    have = ", ".join(match.matched)
    reason = f"You have {count} required skills: {have}." if match.matched else None
    gap = f"Missing skills: {', '.join(match.missing)}." if match.missing else None
    return reason, gap


def semantic(ctx: ScoringContext, value: float) -> Sentences:
    if ctx.cosine is None:
        return None, f"No profile embedding yet, so semantic similarity is {NEUTRAL_NOTE}."
    if value >= 60:
        return f"Your profile closely matches the job description ({value:.0f}% similar).", None
    if value < 40:
        return None, f"Your profile is not close to the job description ({value:.0f}% similar)."
    return None, None


def seniority(ctx: ScoringContext, value: float) -> Sentences:
    mine, theirs = ctx.candidate.seniority, ctx.job.seniority
    if mine is None or theirs is None:
        return None, f"Seniority is unknown, so it is {NEUTRAL_NOTE}."
    if value == 100:
        return f"The job's seniority ({_level(theirs)}) matches yours.", None
    step = "one level from" if value == 50 else "far from"
    return None, f"The job is {_level(theirs)}, {step} your {_level(mine)}."


def recency(ctx: ScoringContext, value: float) -> Sentences:
    if ctx.hours is None:
        return None, f"The posting date is unknown, so freshness is {NEUTRAL_NOTE}."
    hours = max(ctx.hours, 0.0)
    if hours < 24:
        return f"Posted {hours:.0f} hours ago.", None
    days = int(hours // 24)
    if days <= 3:
        return f"Posted {days} day{'s' if days > 1 else ''} ago.", None
    return (None, f"Posted {days} days ago; it may be filled soon.") if days > 21 else (None, None)


def location(ctx: ScoringContext, value: float) -> Sentences:
    if ctx.job.is_remote and accepts_remote(ctx.candidate) and value >= 90:
        if value == 100:
            return "Remote job, as you prefer.", None
        return "Remote job, and you are open to remote work.", None
    place = where(ctx)
    if value == 100:
        return f"The job is in {place}, one of your preferred locations.", None
    if value == 75:
        return f"The job is in {place}, in a region you prefer.", None
    if value == 40:
        return None, f"You want remote work only; this job is onsite in {place}."
    if value == 50:
        return None, f"Location data is missing, so location is {NEUTRAL_NOTE}."
    return None, f"The job is in {place}, outside your preferred locations."


def location_match(ctx: ScoringContext, value: float) -> Sentences:
    if value == 100 and ctx.job.is_remote and accepts_remote(ctx.candidate):
        return "Remote job, and you accept remote work.", None
    near = within_radius(ctx.candidate, ctx.job) if value == 100 else None
    if near is not None and near[1] >= 1:
        return f"The job is within {near[1]:.0f} km of {near[0]}.", None
    if value == 100:
        return f"The job is in {where(ctx)}, one of your preferred locations.", None
    return None, f"The job ({where(ctx)}) is not in your preferred locations."


def experience(ctx: ScoringContext, value: float) -> Sentences:
    mine, job = ctx.candidate.years_of_experience, ctx.job
    if mine is None:
        return None, f"Your years of experience are unknown, so experience is {NEUTRAL_NOTE}."
    asked = requirement(job.experience_min, job.experience_max)
    if value == 100:
        return f"Your {years(mine)} of experience meet the job's requirement ({asked}).", None
    if job.experience_min is not None and mine < job.experience_min:
        return None, f"The job asks for {asked}; you have {years(mine)}."
    return None, f"You have {years(mine)} of experience, more than the {asked} asked."


def salary(ctx: ScoringContext, value: float) -> Sentences:
    c, j = ctx.candidate, ctx.job
    top = j.salary_annual_max if j.salary_annual_max is not None else j.salary_annual_min
    if value == 80 or (c.salary_min is None and c.salary_max is None):
        return None, None
    if top is None:
        return None, f"The job lists no salary, so salary is {NEUTRAL_NOTE}."
    if value == 50:
        return None, f"The salary is in {j.salary_currency}; you expect {c.salary_currency}."
    if value == 100:
        low = j.salary_annual_min if j.salary_annual_min is not None else top
        offered = money(low, j.salary_currency) + (f"-{top:,.0f}" if top != low else "")
        return f"The salary ({offered} a year) meets your expectation.", None
    gap = salary_gap(c.salary_min, top) or 0.0
    offered = money(top, j.salary_currency)
    return None, f"The salary tops out at {offered}, {gap:.0%} below your minimum."


def keywords(ctx: ScoringContext, value: float) -> Sentences:
    if not ctx.candidate.keywords_text.strip() or not ctx.job.keywords_text.strip():
        return None, f"No keywords to compare, so keywords are {NEUTRAL_NOTE}."
    if value >= 50:
        return f"Your keywords overlap strongly with the job's ({value:.0f}%).", None
    if value < 20:
        return None, f"Few of your keywords appear in the job ({value:.0f}%)."
    return None, None


def filter_gap(name: str, ctx: ScoringContext) -> str:
    """Why a job failed a LAYERED hard filter."""
    c, j = ctx.candidate, ctx.job
    if name == "salary" and c.salary_min is not None and j.salary_annual_max is not None:
        floor = money(SALARY_TOLERANCE * c.salary_min, c.salary_currency or j.salary_currency)
        top = money(j.salary_annual_max, j.salary_currency)
        return f"Filtered out: the salary tops out at {top}, below {floor}."
    if name == "location":
        return f"Filtered out: the job is onsite in {where(ctx)}, and you want remote work."
    asked = requirement(j.experience_min, j.experience_max)
    mine = c.years_of_experience or 0.0
    return f"Filtered out: the job asks for {asked}; you have {years(mine)} of experience."
