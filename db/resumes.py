"""Resume rows: the last parse of a user's or a pool candidate's resume, stored as JSONB."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Resume
from domain.enums import Seniority
from domain.resumes import Education, ParsedResume, Section


def to_json(parsed: ParsedResume) -> dict[str, Any]:
    return {
        "headline": parsed.headline,
        "summary": parsed.summary,
        "skills": list(parsed.skills),
        "years_of_experience": parsed.years_of_experience,
        "seniority": parsed.seniority.value if parsed.seniority else None,
        "education": [
            {"degree": e.degree, "field": e.field, "institution": e.institution, "year": e.year}
            for e in parsed.education
        ],
        "location": parsed.location,
        "email": parsed.email,
        "phone": parsed.phone,
        "name": parsed.name,
        "recent_titles": list(parsed.recent_titles),
        "sections": [{"name": s.name, "text": s.text} for s in parsed.sections],
        "sources": dict(parsed.sources),
    }


def from_json(data: dict[str, Any]) -> ParsedResume:
    return ParsedResume(
        headline=data.get("headline"),
        summary=data.get("summary"),
        skills=tuple(data.get("skills") or ()),
        years_of_experience=data.get("years_of_experience"),
        seniority=Seniority(data["seniority"]) if data.get("seniority") else None,
        education=tuple(Education(**e) for e in data.get("education") or ()),
        location=data.get("location"),
        email=data.get("email"),
        phone=data.get("phone"),
        name=data.get("name"),
        recent_titles=tuple(data.get("recent_titles") or ()),
        sections=tuple(Section(**s) for s in data.get("sections") or ()),
        sources=dict(data.get("sources") or {}),
    )


class ResumeFile(TypedDict):
    """What one upload stores, whoever it belongs to."""

    file_name: str | None
    format: str
    parsed_at: datetime
    text: str
    parsed: ParsedResume


async def replace_for_user(
    session: AsyncSession, user_id: uuid.UUID, **file: Unpack[ResumeFile]
) -> Resume:
    """The user's one resume row; an earlier one is deleted in the same transaction."""
    await session.execute(delete(Resume).where(Resume.user_id == user_id))
    return await _add(session, file, user_id=user_id)


async def add_for_candidate(
    session: AsyncSession, candidate_id: uuid.UUID, **file: Unpack[ResumeFile]
) -> Resume:
    return await _add(session, file, candidate_id=candidate_id)


async def _add(
    session: AsyncSession,
    file: ResumeFile,
    *,
    user_id: uuid.UUID | None = None,
    candidate_id: uuid.UUID | None = None,
) -> Resume:
    row = Resume(
        id=uuid.uuid4(),
        user_id=user_id,
        candidate_id=candidate_id,
        file_name=file["file_name"],
        format=file["format"],
        parsed_at=file["parsed_at"],
        text=file["text"],
        parsed=to_json(file["parsed"]),
    )
    session.add(row)
    await session.flush()
    return row


async def get_resume(session: AsyncSession, resume_id: uuid.UUID) -> Resume | None:
    return await session.get(Resume, resume_id)


async def for_user(session: AsyncSession, user_id: uuid.UUID) -> Resume | None:
    result = await session.execute(select(Resume).where(Resume.user_id == user_id))
    return result.scalar_one_or_none()


async def for_candidates(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Resume]:
    result = await session.execute(select(Resume).where(Resume.candidate_id.in_(ids)))
    return list(result.scalars())
