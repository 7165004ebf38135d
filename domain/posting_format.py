"""The job posting file format (SPEC §9) in words: what each key of a posting means. The CLI's
`import-jobs --help` and the GraphQL inputs that take postings both describe it from here."""

from __future__ import annotations

import textwrap

POSTING_FIELDS: dict[str, str] = {
    "external_job_id": "Required. The source's id of the posting; a later import with the same "
    "platform and id updates the job (newer wins).",
    "title": "Required. The job title.",
    "company": "Company name; the company is created when it is new.",
    "location": 'As written, e.g. "Austin, TX", "Remote (US)", "London, United Kingdom".',
    "salary": 'As written, e.g. "$150K – $180K • Offers Equity", "€1.2K – €1.4K per month", '
    '"$20.00 – $30.00 per hour": min, max, currency and interval are parsed, and the annual '
    "equivalent computed.",
    "description": "The posting's text (HTML is reduced to text).",
    "requirements": "Requirements, when given apart from the description.",
    "posted_date": "ISO date or date-time; the job expires 30 days after the earlier of it and "
    "the import (JOBMATCH_JOB_TTL_DAYS).",
    "job_url": "Link to the original posting (http or https).",
    "is_remote": "true when the job is remote; also detected from location and text.",
    "job_type": "Full-time, Part-time, Contract, Internship or Temporary.",
    "experience_required": 'e.g. "5+ years", "5-7 years", "3 years minimum"; otherwise read '
    "from the text.",
    "skills": "List of skill names (normalized); extracted from the text when absent.",
}
EXAMPLE_POSTING = (
    '[{"external_job_id": "abc-123", "title": "Senior Backend Engineer", "company": "Acme", '
    '"location": "Austin, TX", "salary": "$150K – $180K", "description": "Build our APIs...", '
    '"posted_date": "2026-11-20", "job_url": "https://jobs.example.com/abc-123", '
    '"is_remote": false, "job_type": "Full-time", "experience_required": "5+ years", '
    '"skills": ["Python", "PostgreSQL"]}]'
)


def format_help() -> str:
    """The file format, for `jobmatch import-jobs --help`."""
    width = max(len(key) for key in POSTING_FIELDS)
    lines = [
        "FILE is a JSON array of postings (optionally gzipped: .json.gz), one object per job,",
        "as job-board scrapers send them. Keys (unknown keys are ignored):",
        "",
    ]
    for key, text in POSTING_FIELDS.items():
        lines += textwrap.wrap(
            text,
            width=96,
            initial_indent=f"  {key:<{width}}  ",
            subsequent_indent=" " * (width + 4),
        )
    lines += [
        "",
        "A row that cannot be used is reported with its reason and skipped; the others are",
        "imported. Duplicates inside one file collapse. Example:",
        "",
        f"  {EXAMPLE_POSTING}",
    ]
    return "\n".join(lines)
