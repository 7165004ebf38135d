"""Imports: decoding a file of scraped postings, each row to a draft, and the upsert plan."""

from __future__ import annotations

import json
import re
import uuid
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from domain.enums import JobStatus
from domain.errors import DomainError, InvalidInput
from domain.experience import experience_from_text, parse_experience
from domain.inputs import IMPORT_ROW, PLATFORM, cap, unstorable
from domain.jobs import (
    JobDraft,
    JobFields,
    activates,
    build_draft,
    expiry,
    normalize_skills,
    reimported,
)
from domain.postings import (
    clean_description,
    detect_remote,
    infer_seniority,
    normalize_employment_type,
)
from domain.salary import parse_salary
from domain.skills import SkillNormalizer

MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_ROWS = 200_000
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")


def validate_platform(platform: str) -> str:
    value = cap(platform, "platform", PLATFORM * 2) or ""  # before whitespace is trimmed
    value = value.strip().lower()
    if not _PLATFORM.match(value):
        raise InvalidInput(
            "platform must be 1-100 characters of a-z, 0-9, '.', '_' or '-'", field="platform"
        )
    return value


def _gunzip(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as exc:
        raise InvalidInput(
            f"the file looks gzipped but cannot be decompressed: {exc}", field="file"
        ) from None
    if len(out) > MAX_DECOMPRESSED_BYTES or decompressor.unconsumed_tail:
        raise InvalidInput("the decompressed file is larger than 512 MB", field="file")
    return out


def load_postings(data: bytes) -> list[Any]:
    """The rows of an import file; InvalidInput (and nothing written) when it is unreadable."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8 text", field="file") from None
    try:
        rows = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise InvalidInput(f"the file is not valid JSON: {str(exc)[:200]}", field="file") from None
    if not isinstance(rows, list):
        raise InvalidInput(
            f"the file must hold a JSON array of postings, not a {type(rows).__name__}",
            field="file",
        )
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS:,} postings per import", field="file")
    return rows


def exactly_one_source(file_given: bool, rows_given: bool) -> None:
    if file_given == rows_given:
        raise InvalidInput("give exactly one of file or jobs", field="file")


@dataclass
class BatchTally:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, row: int, external_id: Any, reason: str) -> None:
        self.failed += 1
        ident = (
            external_id
            if isinstance(external_id, str | int) and not isinstance(external_id, bool)
            else None
        )
        self.errors.append(
            {
                "row": row,
                "externalJobId": str(ident)[:300] if ident is not None else None,
                "reason": reason,
            }
        )

    def wrote(self, done: Plan) -> None:
        inserted = sum(1 for w in done.writes if w.job_id is None)
        self.created += inserted
        self.updated += len(done.writes) - inserted
        self.unchanged += done.unchanged

    def sorted_errors(self) -> list[dict[str, Any]]:
        return sorted(self.errors, key=lambda e: e["row"])


def _text(value: Any, name: str, limit: int, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{name} is required", field=name)
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be a string", field=name)
    text = str(value).strip()
    if len(text) > limit:
        raise InvalidInput(f"{name} is longer than {limit:,} characters", field=name)
    return text


def _storable(row: Mapping[str, Any]) -> None:
    """Every string of a row, checked before anything is parsed or written: one NUL byte or lone
    surrogate would otherwise fail the database write of a whole chunk of rows."""
    for key, value in row.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            problem = unstorable(item) if isinstance(item, str) else None
            if problem is not None:
                name = key if isinstance(key, str) and unstorable(key) is None else "a field"
                raise InvalidInput(f"{name[:100]} {problem}", field=name[:100])


def parse_posted(value: Any, now: datetime) -> datetime:
    if value in (None, ""):
        return now
    if not isinstance(value, str) or len(value) > IMPORT_ROW["posted_date"]:
        raise InvalidInput("posted_date must be an ISO date", field="posted_date")
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"posted_date {value[:40]!r} is not an ISO date", field="posted_date"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            f"posted_date {value[:40]!r} is out of range", field="posted_date"
        ) from None
    # A date in the future is a scraper's clock or timezone problem; it cannot be newer than now.
    return min(parsed, now)


def draft_from_posting(
    row: Mapping[str, Any],
    *,
    platform: str,
    now: datetime,
    ttl_days: int,
    normalizer: SkillNormalizer,
) -> JobDraft:
    """One scraped posting (SPEC §9 format) to a draft; raises InvalidInput with the reason."""
    if not isinstance(row, Mapping):
        raise InvalidInput("row is not a JSON object")
    _storable(row)
    caps = IMPORT_ROW
    external_id = _text(
        row.get("external_job_id") or row.get("job_id"),
        "external_job_id",
        caps["external_job_id"],
        required=True,
    )
    title = _text(row.get("title"), "title", caps["title"], required=True)
    company = _text(row.get("company"), "company", caps["company"]) or "Unknown company"
    description_raw = _text(row.get("description"), "description", caps["description"])
    requirements = _text(row.get("requirements"), "requirements", caps["requirements"])
    location_raw = _text(row.get("location"), "location", caps["location"])
    salary_raw = _text(row.get("salary"), "salary", caps["salary"])
    experience_raw = _text(
        row.get("experience_required"), "experience_required", caps["experience_required"]
    )
    job_type = _text(row.get("job_type"), "job_type", caps["job_type"])
    url = _text(row.get("job_url"), "job_url", caps["job_url"])
    assert external_id is not None and title is not None
    description = clean_description(description_raw or "")
    salary = parse_salary(salary_raw)
    years = parse_experience(experience_raw) if experience_raw else None
    if years is None:
        years = experience_from_text(f"{requirements or ''}\n{description}")
    given_skills = row.get("skills")
    if given_skills is not None and not isinstance(given_skills, list):
        raise InvalidInput("skills must be a list of strings", field="skills")
    skills = (
        normalize_skills(given_skills, normalizer)
        if given_skills
        else tuple(normalizer.extract(f"{title}\n{requirements or ''}\n{description}"))
    )
    flag = row.get("is_remote")
    remote = detect_remote(
        location_raw, title, description, flag if isinstance(flag, bool) else None
    )
    fields = JobFields(
        title=title,
        description=description,
        requirements=requirements,
        location=location_raw,
        is_remote=True if remote else None,  # None: what the location says
        skills=skills,
        seniority=infer_seniority(title, years[0] if years else None),
        employment_type=normalize_employment_type(job_type),
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_currency=salary.currency if salary else None,
        salary_interval=salary.interval if salary else None,
        experience_min=years[0] if years else None,
        experience_max=years[1] if years else None,
    )
    posted_at = parse_posted(row.get("posted_date"), now)
    expires_at = expiry(posted_at, now, ttl_days)
    return replace(
        build_draft(fields, company=company, posted_at=posted_at),
        salary_raw=salary.raw if salary else None,
        experience_raw=experience_raw,
        expires_at=expires_at,
        status=JobStatus.ACTIVE if expires_at > now else JobStatus.EXPIRED,
        source_platform=platform,
        external_id=external_id,
        source_url=url if url and url.startswith(("https://", "http://")) else None,
    )


def external_id_of(row: Any) -> Any:
    return row.get("external_job_id") if isinstance(row, dict) else None


def parse_rows(
    rows: Sequence[Any],
    start: int,
    *,
    platform: str,
    now: datetime,
    ttl_days: int,
    normalizer: SkillNormalizer,
    tally: BatchTally,
    on_bug: Callable[[int], None],
) -> list[tuple[int, JobDraft]]:
    """Drafts of the rows that parse, numbered from `start`; the others fail in the tally."""
    drafts = []
    for offset, row in enumerate(rows):
        index = start + offset
        try:
            draft = draft_from_posting(
                row, platform=platform, now=now, ttl_days=ttl_days, normalizer=normalizer
            )
        except DomainError as exc:
            tally.fail(index, external_id_of(row), exc.message)
        except Exception:
            # A parser bug on one row must not cost the other rows: reported, and the row fails.
            on_bug(index)
            tally.fail(index, external_id_of(row), "the row could not be read (unexpected error)")
        else:
            drafts.append((index, draft))
    return drafts


def collapse_duplicates(drafts: Sequence[tuple[int, JobDraft]]) -> list[tuple[int, JobDraft]]:
    """Within one file the newest posting of an external id wins; on a tie, the later row."""
    best: dict[str, tuple[int, JobDraft]] = {}
    for index, draft in drafts:
        key = draft.external_id or f"#{index}"
        current = best.get(key)
        if current is None or draft.posted_at >= current[1].posted_at:
            best[key] = (index, draft)
    return sorted(best.values(), key=lambda pair: pair[0])


@dataclass(frozen=True)
class Stored:
    """What the jobs table holds for a posting imported before."""

    id: uuid.UUID
    posted_at: datetime
    content_hash: str | None
    source_hash: str | None
    status: str


@dataclass(frozen=True)
class Write:
    """One row of an upsert: `job_id` None inserts; `embed` asks for a fresh embedding."""

    draft: JobDraft
    columns: dict[str, Any]
    job_id: uuid.UUID | None
    activates: bool
    embed: bool

    @property
    def text(self) -> str:
        return self.draft.text


@dataclass(frozen=True)
class Plan:
    writes: list[Write]
    unchanged: int


def plan(drafts: Sequence[JobDraft], existing: Mapping[str, Stored]) -> Plan:
    """New postings are inserted; newer or edited ones update their row (the lifecycle decides
    the status); older or identical ones are left alone. Only changed text is re-embedded."""
    writes: list[Write] = []
    for draft in drafts:
        stored = existing.get(draft.external_id or "")
        columns = draft.columns()
        if stored is None:
            writes.append(Write(draft, columns, None, activates(None, draft.status), True))
            continue
        if stored.posted_at > draft.posted_at or stored.source_hash == columns["source_hash"]:
            continue
        previous = JobStatus(stored.status)
        status = reimported(previous, draft.status)
        columns["status"] = status.value
        embed = stored.content_hash != columns["content_hash"]
        writes.append(Write(draft, columns, stored.id, activates(previous, status), embed))
    return Plan(writes, len(drafts) - len(writes))
