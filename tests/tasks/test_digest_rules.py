"""The digest's pure rules (domain/digests.py): rising trends, skill advice, when one is due,
the unsubscribe token, and the e-mail's two parts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.digests import (
    DigestContent,
    DigestJob,
    Recommendation,
    Trend,
    best_new,
    due,
    recommend,
    render,
    rising,
    unsubscribe_token,
    unsubscribe_user,
    window_start,
)

NOW = datetime(2030, 1, 2, 7, 0, tzinfo=UTC)


def test_rising_keeps_names_counted_more_this_week_biggest_rise_first() -> None:
    trends = rising({"python": 5, "go": 2, "rust": 3, "java": 1}, {"python": 1, "go": 2, "java": 4})
    assert trends == (Trend("python", 5, 1), Trend("rust", 3, 0))


def test_advice_ranks_skills_by_jobs_improved_then_average_gain() -> None:
    advice = recommend(
        [("k8s", 4.0), ("k8s", 2.0), ("aws", 9.0), ("go", 0.0), ("aws", -1.0), ("sql", 1.0)]
    )
    assert advice == (
        Recommendation("k8s", 2, 3.0),
        Recommendation("aws", 1, 9.0),
        Recommendation("sql", 1, 1.0),
    )


def test_a_digest_is_due_once_a_day_and_covers_the_time_since_the_last() -> None:
    assert due(None, NOW) and window_start(None, NOW) == NOW - timedelta(days=1)
    assert not due(NOW - timedelta(hours=2), NOW)
    assert due(NOW - timedelta(hours=23), NOW)
    assert window_start(NOW - timedelta(days=3), NOW) == NOW - timedelta(days=3)


def test_only_new_jobs_worth_telling_about_are_kept() -> None:
    jobs = [DigestJob(str(n), score, "r") for n, score in enumerate([90, 80, 39.9, 70])]
    assert [j.job_id for j in best_new(jobs, limit=5)] == ["0", "1", "3"]
    assert len(best_new(jobs, limit=1)) == 1


def test_unsubscribe_tokens_name_their_user_and_cannot_be_forged() -> None:
    user = uuid.uuid4()
    token = unsubscribe_token("s" * 40, user)
    assert unsubscribe_user("s" * 40, token) == user
    assert unsubscribe_user("t" * 40, token) is None
    assert unsubscribe_user("s" * 40, f"{uuid.uuid4()}.{token.split('.')[1]}") is None
    assert unsubscribe_user("s" * 40, "garbage") is None


def test_the_email_says_the_same_in_text_and_escaped_html() -> None:
    content = DigestContent(
        jobs=(DigestJob("j1", 87.4, "Matches <Python> & SQL"),),
        skills=(Trend("python", 3, 1),),
        recommendations=(Recommendation("kubernetes", 2, 6.5),),
    )
    assert DigestContent.from_json(content.to_json()) == content
    mail = render(content, {"j1": "Backend <Engineer>"}, "https://x.test/u?token=a&b")
    assert mail.subject == "Your daily job digest: 1 new job"
    assert "Backend <Engineer> (87/100): Matches <Python> & SQL" in mail.text
    assert "python: 3 vs 1" in mail.text and "kubernetes: +6.5 on 2 job(s)" in mail.text
    assert "Backend &lt;Engineer&gt;" in mail.html and "<Python>" not in mail.html
    assert 'href="https://x.test/u?token=a&amp;b"' in mail.html
