"""Daily digests (SPEC §14): what goes in one, rising trends, skill advice, the e-mail's text.

Pure: callers pass the ranked jobs, the counts and the what-if gains in.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from html import escape
from typing import Any

DIGEST_JOBS = 5  # best new jobs per digest
MIN_SCORE = 40.0  # a new job scoring under this is not news
TRENDS = 5  # rising skills and titles shown
RECOMMENDATIONS = 5
ADVICE_JOBS = 10  # the top jobs whose missing skills are tried (like whatIf)
FIRST_WINDOW = timedelta(days=1)  # a first digest covers the last day
REBUILD_AFTER = timedelta(hours=20)  # a second digest the same day is never built
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class DigestJob:
    job_id: str
    score: float
    reason: str


@dataclass(frozen=True)
class Trend:
    name: str
    this_week: int
    last_week: int


@dataclass(frozen=True)
class Recommendation:
    skill: str
    jobs_improved: int
    average_gain: float


@dataclass(frozen=True)
class DigestContent:
    jobs: tuple[DigestJob, ...]
    skills: tuple[Trend, ...] = ()
    titles: tuple[Trend, ...] = ()
    recommendations: tuple[Recommendation, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "jobs": [asdict(j) for j in self.jobs],
            "trends": {
                "skills": [asdict(t) for t in self.skills],
                "titles": [asdict(t) for t in self.titles],
            },
            "recommendations": [asdict(r) for r in self.recommendations],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DigestContent:
        trends = data.get("trends") or {}
        return cls(
            jobs=tuple(DigestJob(**j) for j in data.get("jobs", ())),
            skills=tuple(Trend(**t) for t in trends.get("skills", ())),
            titles=tuple(Trend(**t) for t in trends.get("titles", ())),
            recommendations=tuple(Recommendation(**r) for r in data.get("recommendations", ())),
        )


def window_start(last_digest_at: datetime | None, now: datetime) -> datetime:
    """New jobs are those created since the last digest, or in the last day for a first one."""
    return last_digest_at if last_digest_at is not None else now - FIRST_WINDOW


def due(last_digest_at: datetime | None, now: datetime) -> bool:
    """At most one digest a day, however often the task runs (retries, a second worker)."""
    return last_digest_at is None or now - last_digest_at >= REBUILD_AFTER


def one_line(reasons: Sequence[str], summary: str) -> str:
    return (reasons[0] if reasons else summary).strip()


def best_new(scored: Iterable[DigestJob], limit: int = DIGEST_JOBS) -> tuple[DigestJob, ...]:
    """`scored` is best first and holds new jobs only; the best few worth telling about."""
    return tuple(j for j in scored if j.score >= MIN_SCORE)[:limit]


def rising(
    this_week: Mapping[str, int], last_week: Mapping[str, int], limit: int = TRENDS
) -> tuple[Trend, ...]:
    """Names counted more this week than last, the biggest rise first (then the most, by name)."""
    trends = [
        Trend(name, count, last_week.get(name, 0))
        for name, count in this_week.items()
        if count > last_week.get(name, 0)
    ]
    trends.sort(key=lambda t: (-(t.this_week - t.last_week), -t.this_week, t.name))
    return tuple(trends[:limit])


def recommend(
    gains: Iterable[tuple[str, float]], limit: int = RECOMMENDATIONS
) -> tuple[Recommendation, ...]:
    """(missing skill, whatIf gain on one top job) pairs -> the skills that raise the most top
    scores: most jobs improved first, then the largest average gain."""
    per_skill: dict[str, list[float]] = defaultdict(list)
    for skill, gain in gains:
        if gain > 0:
            per_skill[skill].append(gain)
    advice = [
        Recommendation(skill, len(values), round(sum(values) / len(values), 2))
        for skill, values in per_skill.items()
    ]
    advice.sort(key=lambda r: (-r.jobs_improved, -r.average_gain, r.skill))
    return tuple(advice[:limit])


def unsubscribe_token(secret: str, user_id: uuid.UUID) -> str:
    """An unguessable, stateless token for the e-mail's one-click unsubscribe link."""
    mac = hmac.new(secret.encode(), f"digest-unsubscribe:{user_id}".encode(), hashlib.sha256)
    return f"{user_id}.{mac.hexdigest()[:32]}"


def unsubscribe_user(secret: str, token: str) -> uuid.UUID | None:
    """The user a token was made for, or None when it was not made with this secret."""
    raw_id, _, _ = token.partition(".")
    try:
        user_id = uuid.UUID(raw_id)
    except ValueError:
        return None
    expected = unsubscribe_token(secret, user_id)
    return user_id if hmac.compare_digest(expected, token) else None


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(content: DigestContent, titles: Mapping[str, str], unsubscribe_url: str) -> Rendered:
    """The e-mail: a plain-text part and an HTML part saying the same; `titles` by job id."""
    count = len(content.jobs)
    subject = f"Your daily job digest: {count} new job{'s' if count != 1 else ''}"
    lines = ["Best new jobs for you:"]
    items = []
    for job in content.jobs:
        title = titles.get(job.job_id, "A job")
        lines.append(f"- {title} ({job.score:.0f}/100): {job.reason}")
        items.append(
            f"<li><strong>{escape(title)}</strong> ({job.score:.0f}/100): {escape(job.reason)}</li>"
        )
    sections = [f"<h1>{escape(subject)}</h1><ul>{''.join(items)}</ul>"]
    for heading, trends in (("Rising skills", content.skills), ("Rising titles", content.titles)):
        if trends:
            lines += ["", f"{heading} (this week vs last):"]
            lines += [f"- {t.name}: {t.this_week} vs {t.last_week}" for t in trends]
            rows = "".join(
                f"<li>{escape(t.name)}: {t.this_week} vs {t.last_week}</li>" for t in trends
            )
            sections.append(f"<h2>{heading}</h2><ul>{rows}</ul>")
    if content.recommendations:
        lines += ["", "Skills that would raise your best scores:"]
        lines += [
            f"- {r.skill}: +{r.average_gain:.1f} on {r.jobs_improved} job(s)"
            for r in content.recommendations
        ]
        rows = "".join(
            f"<li>{escape(r.skill)}: +{r.average_gain:.1f} on {r.jobs_improved} job(s)</li>"
            for r in content.recommendations
        )
        sections.append(f"<h2>Skills to learn</h2><ul>{rows}</ul>")
    lines += ["", f"Unsubscribe: {unsubscribe_url} (or turn off digestOptIn in your profile)"]
    link = escape(unsubscribe_url, quote=True)
    sections.append(f'<p><a href="{link}">Unsubscribe</a> from these digests.</p>')
    return Rendered(
        subject, "\n".join(lines) + "\n", "<html><body>" + "".join(sections) + "</body></html>"
    )
